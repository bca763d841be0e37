/**
 * The audit log adapter over the chain store: entries land on a shard chain with the recording, actor and
 * month index keys, one put each once warm, and the adapter's chain check finds any edited, removed or
 * reordered entry in the table.
 */
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { appendAudit, verifyAuditChain } from '../../../functions/adapters/audit-log.js';
import type { AuditEntry } from '../../../functions/domain/audit.js';
import { nextLink } from '../../../functions/domain/hash-chain.js';
import { AUDIT, type FakeTables, installFakeTables } from './fake-tables.js';

const ddb = mockClient(DynamoDBDocumentClient);
const N = 6;

const entry = (i: number): AuditEntry => ({
  actor: i % 2 ? 'lena' : 'nora',
  action: 'playback',
  recordingId: `rec-${i % 3}`,
  serviceArea: 'revenues',
  purpose: 'training',
  outcome: 'allowed',
  rule: 's6.playback-within-service-area',
  correlationId: `corr-${i}`,
});

const appendMany = async (tables: FakeTables) => {
  let t = Date.parse('2026-01-01T09:00:00Z');
  for (let i = 0; i < N; i += 1) {
    t += 1000;
    const at = new Date(t);
    await appendAudit(AUDIT, entry(i), () => at);
  }
  return tables.audit;
};

type Tamper = (rows: Record<string, unknown>[], i: number) => void;
const TAMPERS: Record<string, Tamper> = {
  'edits the outcome': (rows, i) => {
    (rows[i]?.payload as Record<string, unknown>).outcome = 'denied';
  },
  'edits the actor': (rows, i) => {
    (rows[i]?.payload as Record<string, unknown>).actor = 'someone-else';
  },
  'edits the time': (rows, i) => {
    (rows[i] as Record<string, unknown>).at = '2020-01-01T00:00:00.000Z';
  },
  'removes the entry': (rows, i) => {
    rows.splice(i, 1);
  },
  'swaps it with the next entry': (rows, i) => {
    const j = i === rows.length - 1 ? i - 1 : i + 1;
    const [a, b] = [rows[i] as Record<string, unknown>, rows[j] as Record<string, unknown>];
    [a.seq, b.seq] = [b.seq, a.seq];
  },
  'rewrites it and re-hashes only that entry': (rows, i) => {
    const row = rows[i] as Record<string, unknown>;
    (row.payload as Record<string, unknown>).purpose = 'other';
    row.hash = 'f'.repeat(64);
  },
};

describe('audit log adapter', () => {
  let tables: FakeTables;
  beforeEach(() => {
    ddb.reset();
    tables = installFakeTables(ddb);
  });

  it('appends to one shard with recording, actor and month index keys sorted by time', async () => {
    // Act
    const rows = await appendMany(tables);
    // Assert
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(rows.map((r) => r.chain)).size).toBe(1);
    expect(rows[0]).toMatchObject({
      chain: expect.stringMatching(/^audit#[0-9]{2}$/),
      gsi1pk: 'REC#rec-0',
      gsi1sk: '2026-01-01T09:00:01.000Z#000000000001',
      gsi2pk: 'ACTOR#nora',
      gsi2sk: '2026-01-01T09:00:01.000Z#000000000001',
      gsi3pk: 'AUDIT#2026-01',
      gsi3sk: '2026-01-01T09:00:01.000Z#000000000001',
    });
    expect(await verifyAuditChain(AUDIT)).toMatchObject({ ok: true, count: N });
  });

  it('appends with one put and no read once warm', async () => {
    // Arrange
    await appendMany(tables);
    const [puts, queries] = [ddb.commandCalls(PutCommand).length, ddb.commandCalls(QueryCommand).length];
    // Act
    await appendAudit(AUDIT, entry(99));
    // Assert
    expect(ddb.commandCalls(PutCommand).length - puts).toBe(1);
    expect(ddb.commandCalls(QueryCommand).length - queries).toBe(0);
  });

  it('continues after an entry another process wrote meanwhile, from the failed put alone (no fork)', async () => {
    // Arrange
    const rows = await appendMany(tables);
    const last = rows.at(-1) as Record<string, unknown>;
    const theirs = nextLink(String(last.chain), { seq: N, hash: String(last.hash) }, entry(50), new Date());
    rows.push({ ...theirs });
    const queries = ddb.commandCalls(QueryCommand).length;
    // Act
    const link = await appendAudit(AUDIT, entry(99));
    // Assert
    expect(link).toMatchObject({ chain: last.chain, seq: N + 2, prevHash: theirs.hash });
    expect(ddb.commandCalls(QueryCommand).length - queries).toBe(0);
    expect(await verifyAuditChain(AUDIT)).toMatchObject({ ok: true, count: N + 2 });
  });

  it('needs a known head to notice entries cut from the end', async () => {
    // Arrange
    const rows = await appendMany(tables);
    const head = {
      chain: rows.at(-1)?.chain as string,
      seq: rows.at(-1)?.seq as number,
      hash: rows.at(-1)?.hash as string,
    };
    // Act
    rows.pop();
    // Assert
    expect(await verifyAuditChain(AUDIT)).toMatchObject({ ok: true, count: N - 1 });
    expect(await verifyAuditChain(AUDIT, head)).toMatchObject({ ok: false, firstBadSeq: N });
  });

  it.each(Object.keys(TAMPERS))('detects an entry whose stored row someone %s', async (name) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: N - 1 }), async (i) => {
        // Arrange
        ddb.reset();
        tables = installFakeTables(ddb);
        const rows = await appendMany(tables);
        const head = {
          chain: rows.at(-1)?.chain as string,
          seq: rows.at(-1)?.seq as number,
          hash: rows.at(-1)?.hash as string,
        };
        // Act
        (TAMPERS[name] as Tamper)(rows, i);
        const verdict = await verifyAuditChain(AUDIT, head);
        // Assert
        expect(verdict.ok).toBe(false);
      }),
      { numRuns: 12 },
    );
  });
});
