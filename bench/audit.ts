/**
 * `npm run bench:audit [-- --smoke]` — the access audit log under load, on the local stack:
 *
 * 1. Flood: 400 concurrent denied reads (GET /recordings/{id} by another area's listener) plus 100
 *    playbacks, all at once. Counts 5xx (must be 0) and checks the audit log gained exactly one entry per
 *    attempt (400 denied, 100 allowed, one per correlation id) and that every shard chain verifies.
 * 2. Throughput: audited appends per second (appendAudit, the path every audited request takes) at
 *    concurrency 1, 10, 50, 100, as a ratio to raw DynamoDB PutItem (conditional, same item shape) at the
 *    same concurrency in the same round; min/median/max over ROUNDS (>= 7) rounds, order alternating.
 *
 * --smoke (or BENCH_SMOKE=1): 40 + 10 requests and small rounds, for CI; still 7 rounds. Exit 1 when the
 * flood saw a 5xx or the log does not hold exactly one entry per attempt.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { appendAudit, auditChainLinks, verifyAuditChain } from '../functions/adapters/audit-log.js';
import { AUDIT_CHAINS, type AuditEntry } from '../functions/domain/audit.js';
import { dynamoDocumentClient } from '../functions/platform/clients/dynamodb.js';
import { s3Client } from '../functions/platform/clients/s3.js';
import { archivedRecordingItem, withBenchStack } from './bench-stack.js';

const SMOKE = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
const DENIED = SMOKE ? 40 : 400;
const PLAYBACKS = SMOKE ? 10 : 100;
const ROUNDS = Math.max(7, Number(process.env.ROUNDS ?? 7));
const CONCURRENCY = [1, 10, 50, 100];
const OPS = (c: number) => (SMOKE ? Math.max(20, c) : Math.max(50, c * 2));
const RECORDINGS = 20;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** Runs `ops` calls of `op` with at most `concurrency` in flight; returns operations per second. */
const rate = async (ops: number, concurrency: number, op: (i: number) => Promise<unknown>) => {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ops) {
        const i = next;
        next += 1;
        await op(i);
      }
    }),
  );
  return ops / ((performance.now() - t) / 1000);
};

const countEntries = async (table: string) => {
  const all = [];
  for (const chain of AUDIT_CHAINS) all.push(...(await auditChainLinks(table, chain)));
  return all;
};

const main = () =>
  withBenchStack('audit', 4900, async (stack) => {
    const tables = stack.info.tables as Record<string, string>;
    const buckets = stack.info.buckets as Record<string, string>;
    const auditTable = tables.auditLog as string;
    const key = 'revenues/2024/03/01/bench-audit.wav';
    const put = await s3Client().send(
      new PutObjectCommand({
        Bucket: buckets.archive as string,
        Key: key,
        Body: Buffer.alloc(4096, 7),
        ContentType: 'audio/wav',
      }),
    );
    const ids = Array.from({ length: RECORDINGS }, (_, i) => `bench-audit-${i}`);
    for (const recordingId of ids)
      await dynamoDocumentClient().send(
        new PutCommand({
          TableName: tables.catalogue as string,
          Item: archivedRecordingItem({
            recordingId,
            callId: 'bench-call',
            extension: '4001',
            startedAt: '2024-03-01T09:00:00.000Z',
            sizeBytes: 4096,
            archiveKey: key,
            archiveVersionId: put.VersionId,
          }),
        }),
      );
    const listener = await stack.issuer.mint('revenues-listener');
    const outsider = await stack.issuer.mint('housing-listener');

    // ---- 1. Flood
    const before = (await countEntries(auditTable)).length;
    const statuses = new Map<number, number>();
    const send = async (i: number, denied: boolean) => {
      const id = ids[i % RECORDINGS] as string;
      const res = denied
        ? await fetch(`${stack.info.baseUrl}/recordings/${id}`, {
            headers: { authorization: `Bearer ${outsider}` },
          })
        : await fetch(`${stack.info.baseUrl}/recordings/${id}/playback`, {
            method: 'POST',
            headers: { authorization: `Bearer ${listener}`, 'content-type': 'application/json' },
            body: JSON.stringify({ purpose: 'training' }),
          });
      await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    };
    const t0 = performance.now();
    await Promise.all([
      ...Array.from({ length: DENIED }, (_, i) => send(i, true)),
      ...Array.from({ length: PLAYBACKS }, (_, i) => send(i, false)),
    ]);
    const floodMs = performance.now() - t0;
    const after = await countEntries(auditTable);
    const added = after.length - before;
    const denied = after.filter((l) => (l.payload as AuditEntry).outcome === 'denied').length;
    const allowed = after.filter((l) => (l.payload as AuditEntry).action === 'playback').length;
    const correlations = new Set(after.map((l) => (l.payload as AuditEntry).correlationId)).size;
    const verdict = await verifyAuditChain(auditTable);
    const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const chainsUsed = new Set(after.map((l) => l.chain)).size;
    console.log(`flood: ${DENIED} denied reads + ${PLAYBACKS} playbacks at once, ${floodMs.toFixed(0)} ms`);
    console.log(`  statuses: ${[...statuses].map(([s, c]) => `${s}×${c}`).join(', ')}; 5xx: ${fivexx}`);
    console.log(
      `  audit entries added: ${added} (expected ${DENIED + PLAYBACKS}); denied ${denied}, playback ${allowed}, ` +
        `distinct correlation ids ${correlations}; over ${chainsUsed} shard chains; chains verify: ${verdict.ok}`,
    );
    const floodOk =
      fivexx === 0 &&
      added === DENIED + PLAYBACKS &&
      denied === DENIED &&
      allowed === PLAYBACKS &&
      correlations === after.length &&
      verdict.ok;

    // ---- 2. Throughput: audited appends vs raw PutItem
    const entry = (i: number): AuditEntry => ({
      actor: 'bench',
      action: 'view',
      recordingId: ids[i % RECORDINGS],
      outcome: 'denied',
      rule: 'bench',
      correlationId: randomUUID(),
    });
    const raw = (i: number) =>
      dynamoDocumentClient().send(
        new PutCommand({
          TableName: auditTable,
          Item: {
            chain: `bench-raw-${i % 64}`,
            seq: Date.now() * 1000 + Math.floor(Math.random() * 1000),
            at: new Date().toISOString(),
            payload: entry(i),
            prevHash: '0'.repeat(64),
            hash: 'f'.repeat(64),
          },
          ConditionExpression: 'attribute_not_exists(#s)',
          ExpressionAttributeNames: { '#s': 'seq' },
        }),
      );
    const audited = (i: number) => appendAudit(auditTable, entry(i));
    console.log(`\nappends/s, audited (appendAudit) vs raw PutItem, ${ROUNDS} rounds, ratio min/median/max:`);
    for (const c of CONCURRENCY) {
      const ratios: number[] = [];
      const auditedRates: number[] = [];
      const rawRates: number[] = [];
      for (let r = 0; r < ROUNDS; r += 1) {
        const ops = OPS(c);
        // Alternate which goes first, so neither always meets a warmer or busier machine.
        let auditedRate: number;
        let rawRate: number;
        if (r % 2 === 0) {
          auditedRate = await rate(ops, c, audited);
          rawRate = await rate(ops, c, raw);
        } else {
          rawRate = await rate(ops, c, raw);
          auditedRate = await rate(ops, c, audited);
        }
        auditedRates.push(auditedRate);
        rawRates.push(rawRate);
        ratios.push(auditedRate / rawRate);
      }
      console.log(
        `  concurrency ${String(c).padStart(3)}: audited ${median(auditedRates).toFixed(0)}/s, raw ${median(rawRates).toFixed(0)}/s; ` +
          `ratio ${Math.min(...ratios).toFixed(2)} / ${median(ratios).toFixed(2)} / ${Math.max(...ratios).toFixed(2)}`,
      );
    }
    const final = await verifyAuditChain(auditTable);
    console.log(`\nall audit chains verify after the run: ${final.ok} (${final.count} entries)`);
    if (!floodOk || !final.ok) {
      console.error(
        'FAILED: a 5xx in the flood, or the audit log does not hold exactly one entry per attempt',
      );
      return 1;
    }
    return 0;
  });

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
