/**
 * Playback latency on the local stack, as a ratio to a baseline measured in the same run.
 *
 *   playback  POST /recordings/{id}/playback through the local gateway (JWT check, catalogue read,
 *             audit append on the hash chain, presign), as a listener would call it.
 *   baseline  one DynamoDB PutItem + one S3 presign, with the same SDK clients the handler uses.
 *
 * The two are interleaved (one of each per round) so drift on this machine hits both alike.
 * Target: median(playback) / median(baseline) ≤ 1.5. Run: `npm run bench:playback` (ROUNDS=200).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { dynamoDocumentClient, s3Client } from '../functions/adapters/clients.js';
import { configFromEnv } from '../local/config.js';
import { startStack } from '../local/stack.js';

const ROUNDS = Number(process.env.ROUNDS ?? 200);
const WARMUP = 20;
const TARGET = 1.5;

const quantile = (xs: number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

const main = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crs-bench-playback-'));
  const port = Number(process.env.BENCH_PORT ?? 4800);
  const config = configFromEnv({
    PORT: String(port),
    LOCAL_DATA_DIR: dataDir,
    LOCAL_SEED: 'false',
    SWEEP_INTERVAL_SECONDS: '0',
    LOCAL_LOG_REQUESTS: 'false',
  });
  const stack = await startStack(config);
  process.env.LOG_LEVEL = 'silent';
  try {
    const tables = stack.info.tables as Record<string, string>;
    const buckets = stack.info.buckets as Record<string, string>;
    const catalogue = tables.catalogue as string;
    const archive = buckets.archive as string;
    const audio = Buffer.alloc(64 * 1024, 7);
    const key = 'revenues/2024/03/01/bench.wav';
    const put = await s3Client().send(
      new PutObjectCommand({ Bucket: archive, Key: key, Body: audio, ContentType: 'audio/wav' }),
    );
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: catalogue,
        Item: {
          recordingId: 'bench-rec',
          callId: 'bench-call',
          serviceArea: 'revenues',
          extension: '4001',
          direction: 'inbound',
          startedAt: '2024-03-01T09:00:00.000Z',
          endedAt: '2024-03-01T09:05:00.000Z',
          durationSeconds: 300,
          agentId: 'agent-1',
          callerWithheld: true,
          notification: { method: 'announcement' },
          abuseReminder: false,
          verificationReminder: false,
          pci: { pausedSegments: [], cardDataCaptured: false },
          audio: { format: 'wav', sizeBytes: audio.length, sha256: 'a'.repeat(64) },
          status: 'ARCHIVED',
          statusAt: '2024-03-01T09:06:00.000Z',
          registeredAt: '2024-03-01T09:05:10.000Z',
          archiveKey: key,
          archiveVersionId: put.VersionId,
          retainUntil: '2025-03-01T09:00:00.000Z',
          deleteAfter: '2026-03-01T09:00:00.000Z',
          holdCount: 0,
        },
      }),
    );
    const token = await stack.issuer.mint('revenues-listener');
    const url = `${stack.info.baseUrl}/recordings/bench-rec/playback`;
    const playback = async () => {
      const t = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ purpose: 'training' }),
      });
      const body = (await res.json()) as { url?: string };
      if (res.status !== 200 || !body.url)
        throw new Error(`playback failed: HTTP ${res.status} ${JSON.stringify(body)}`);
      return performance.now() - t;
    };
    // The gateway's share: JWT check, event mapping, router and a 400 — no catalogue, audit or presign.
    const floor = async () => {
      const t = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      await res.text();
      if (res.status !== 400) throw new Error(`floor request: expected 400, got ${res.status}`);
      return performance.now() - t;
    };
    let n = 0;
    const baseline = async () => {
      n += 1;
      const t = performance.now();
      await dynamoDocumentClient().send(
        new PutCommand({ TableName: catalogue, Item: { recordingId: `bench-baseline-${n}`, n } }),
      );
      await getSignedUrl(
        s3Client(),
        new GetObjectCommand({
          Bucket: archive,
          Key: key,
          ResponseContentType: 'audio/wav',
          ResponseContentDisposition: 'inline; filename="bench.wav"',
        }),
        { expiresIn: 300 },
      );
      return performance.now() - t;
    };
    for (let i = 0; i < WARMUP; i += 1) {
      await playback();
      await baseline();
    }
    const p: number[] = [];
    const b: number[] = [];
    const f: number[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      if (i % 2 === 0) {
        p.push(await playback());
        b.push(await baseline());
      } else {
        b.push(await baseline());
        p.push(await playback());
      }
      f.push(await floor());
    }
    const ratio = quantile(p, 0.5) / quantile(b, 0.5);
    const fmt = (x: number) => x.toFixed(2).padStart(7);
    console.log(`playback latency on the local stack, ${ROUNDS} rounds (after ${WARMUP} warm-up), ms:`);
    console.log(`                 median      p90      p99`);
    console.log(
      `  playback     ${fmt(quantile(p, 0.5))}  ${fmt(quantile(p, 0.9))}  ${fmt(quantile(p, 0.99))}`,
    );
    console.log(
      `  baseline     ${fmt(quantile(b, 0.5))}  ${fmt(quantile(b, 0.9))}  ${fmt(quantile(b, 0.99))}`,
    );
    console.log(
      `  gateway 400  ${fmt(quantile(f, 0.5))}  ${fmt(quantile(f, 0.9))}  ${fmt(quantile(f, 0.99))}   (JWT + routing only)`,
    );
    const handlerOnly = (quantile(p, 0.5) - quantile(f, 0.5)) / quantile(b, 0.5);
    console.log(
      `handler share (median playback − median gateway 400) / median baseline: ${handlerOnly.toFixed(2)}`,
    );
    console.log(
      `ratio (median playback / median baseline): ${ratio.toFixed(2)} (target ≤ ${TARGET}) ${ratio <= TARGET ? 'MET' : 'NOT MET'}`,
    );
    process.exitCode = ratio <= TARGET ? 0 : 1;
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

await main();
