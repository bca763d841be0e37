/**
 * The hash-chain stores against DynamoDB Local: the chain store's append condition (a seq is written
 * once; a lost race links to the winner), the audit log's shards, index keys and chain check (any edited,
 * removed or reordered entry is found), and its reads: a time window walks the month index newest month
 * first, reading what it returns and no more, never a Scan. Each part runs on a table of its own
 * (ownTable), so whole chains and months are the test's alone.
 */
import { DeleteCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { appendAudit, auditQuery, queryAudit, verifyAuditChain } from '../../functions/adapters/audit-log.js';
import { appendLink, putLinkIfNew } from '../../functions/adapters/chain-store.js';
import type { AuditEntry, AuditQuery } from '../../functions/domain/audit.js';
import { type ChainLink, nextLink } from '../../functions/domain/hash-chain.js';
import { encodeCursor } from '../../functions/platform/page-cursor.js';
import { awsPlaybackDeps } from '../../functions/playback/deps.js';
import { playbackRoutes } from '../../functions/playback/routes.js';
import { invoke } from '../unit/support/http.js';
import { closeClients, dynamo, ownTable, type Sent, stack, watchDynamo } from './support.js';

jest.setTimeout(120_000); // budgeted for a loaded 2-core machine

beforeAll(() => {
  // The adapters in this process talk to the stack's emulators.
  Object.assign(process.env, stack().env, { LOG_LEVEL: 'silent' });
});
afterAll(closeClients);

type Item = Record<string, unknown>;

afterEach(() => {
  jest.restoreAllMocks();
});

/** Every item of `chain` in `table`, in seq order, as stored. */
const stored = async (table: string, chain: string): Promise<Item[]> =>
  (
    await dynamo().send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#c = :c',
        ExpressionAttributeNames: { '#c': 'chain' },
        ExpressionAttributeValues: { ':c': chain },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

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

describe('chain store', () => {
  let table: string;
  beforeAll(async () => {
    table = await ownTable('auditLog');
  });

  it('starts a chain at seq 1, and writes a seq only once, naming the entry that holds it', async () => {
    // Arrange
    const first = await appendLink(table, 'c-once', { a: 1 }, { indexAttributes: { gsi1pk: 'REC#1' } });
    const rival = nextLink('c-once', undefined, { a: 'rival' }, new Date());
    // Act
    const put = await putLinkIfNew(table, rival);
    // Assert
    expect(first.seq).toBe(1);
    expect(put).toEqual({ written: false, occupant: { seq: 1, hash: first.hash } });
    expect(await stored(table, 'c-once')).toEqual([expect.objectContaining({ ...first, gsi1pk: 'REC#1' })]);
  });

  it('links to the winner when another writer took the seq it read as next (no fork)', async () => {
    // Arrange: this writer read the head at seq 1; another wrote seq 2 meanwhile.
    const first = await appendLink(table, 'c-race', { a: 1 });
    const winner = await appendLink(table, 'c-race', { a: 2 });
    // Act
    const link = await appendLink(table, 'c-race', { a: 3 }, { firstHead: Promise.resolve(first) });
    // Assert
    expect(link).toMatchObject({ seq: 3, prevHash: winner.hash });
    expect((await stored(table, 'c-race')).map((i) => i.seq)).toEqual([1, 2, 3]);
  });

  it('does not retry a failure that is not a lost race', async () => {
    // Arrange
    const { named } = watchDynamo();
    // Act
    const append = appendLink(`${table}-missing`, 'c', {}, { firstHead: Promise.resolve(undefined) });
    // Assert
    await expect(append).rejects.toThrow();
    expect(named('PutCommand')).toHaveLength(1);
  });
});

describe('audit log store', () => {
  const N = 6;

  /** N entries, a second apart, on a new table; the rows as stored and the head the last append returned. */
  const appendMany = async () => {
    const table = await ownTable('auditLog');
    let link: ChainLink<AuditEntry> | undefined;
    for (let i = 0; i < N; i += 1) {
      const at = new Date(Date.parse('2026-01-01T09:00:00Z') + (i + 1) * 1000);
      link = await appendAudit(table, entry(i), () => at);
    }
    const head = link as ChainLink<AuditEntry>;
    return { table, head, rows: await stored(table, head.chain) };
  };

  /** Replaces the chain's stored rows with `rows` (a tampered copy). */
  const rewrite = async (table: string, before: Item[], rows: Item[]) => {
    for (const r of before)
      await dynamo().send(new DeleteCommand({ TableName: table, Key: { chain: r.chain, seq: r.seq } }));
    for (const r of rows) await dynamo().send(new PutCommand({ TableName: table, Item: r }));
  };

  it('appends to one shard with recording, actor and month index keys sorted by time', async () => {
    // Act
    const { table, rows } = await appendMany();
    // Assert
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[0]).toMatchObject({
      chain: expect.stringMatching(/^audit#[0-9]{2}$/),
      gsi1pk: 'REC#rec-0',
      gsi1sk: '2026-01-01T09:00:01.000Z#000000000001',
      gsi2pk: 'ACTOR#nora',
      gsi2sk: '2026-01-01T09:00:01.000Z#000000000001',
      gsi3pk: 'AUDIT#2026-01',
      gsi3sk: '2026-01-01T09:00:01.000Z#000000000001',
    });
    expect(await verifyAuditChain(table)).toMatchObject({ ok: true, count: N });
  });

  it('appends with one put and no read once warm', async () => {
    // Arrange
    const { table } = await appendMany();
    const { named } = watchDynamo();
    // Act
    await appendAudit(table, entry(99));
    // Assert
    expect([named('PutCommand').length, named('QueryCommand').length, named('GetCommand').length]).toEqual([
      1, 0, 0,
    ]);
  });

  it('continues after an entry another process wrote meanwhile, from the failed put alone (no fork)', async () => {
    // Arrange
    const { table, head } = await appendMany();
    const theirs = nextLink(head.chain, head, entry(50), new Date());
    await dynamo().send(new PutCommand({ TableName: table, Item: theirs }));
    const { named } = watchDynamo();
    // Act
    const link = await appendAudit(table, entry(99));
    // Assert
    expect(link).toMatchObject({ chain: head.chain, seq: N + 2, prevHash: theirs.hash });
    expect(named('QueryCommand')).toHaveLength(0);
    expect(await verifyAuditChain(table)).toMatchObject({ ok: true, count: N + 2 });
  });

  it('needs a known head to notice entries cut from the end', async () => {
    // Arrange
    const { table, head } = await appendMany();
    // Act
    await dynamo().send(new DeleteCommand({ TableName: table, Key: { chain: head.chain, seq: head.seq } }));
    // Assert
    expect(await verifyAuditChain(table)).toMatchObject({ ok: true, count: N - 1 });
    expect(await verifyAuditChain(table, head)).toMatchObject({ ok: false, firstBadSeq: N });
  });

  type Tamper = (rows: Item[], i: number) => void;
  const payload = (row: Item | undefined) => row?.payload as Item;
  const TAMPERS: Record<string, Tamper> = {
    'edits the outcome': (rows, i) => {
      payload(rows[i]).outcome = 'denied';
    },
    'edits the actor': (rows, i) => {
      payload(rows[i]).actor = 'someone-else';
    },
    'edits the time': (rows, i) => {
      (rows[i] as Item).at = '2020-01-01T00:00:00.000Z';
    },
    'removes the entry': (rows, i) => {
      rows.splice(i, 1);
    },
    'swaps it with the next entry': (rows, i) => {
      const j = i === rows.length - 1 ? i - 1 : i + 1;
      const [a, b] = [rows[i] as Item, rows[j] as Item];
      [a.seq, b.seq] = [b.seq, a.seq];
    },
    'rewrites it and re-hashes only that entry': (rows, i) => {
      payload(rows[i]).purpose = 'other';
      (rows[i] as Item).hash = 'f'.repeat(64);
    },
  };
  const CASES = Object.keys(TAMPERS).flatMap((name) => [0, 2, N - 1].map((i) => [name, i] as const));

  it.each(CASES)('detects an entry whose stored row someone %s (entry %i)', async (name, i) => {
    // Arrange
    const { table, head, rows } = await appendMany();
    const tampered = structuredClone(rows);
    (TAMPERS[name] as Tamper)(tampered, i);
    // Act
    await rewrite(table, rows, tampered);
    // Assert
    expect((await verifyAuditChain(table, head)).ok).toBe(false);
  });
});

// January to April 2026; March has no entry at all.
const TIMES = [
  '2026-01-30T10:00:00.000Z',
  '2026-01-31T23:59:59.999Z',
  '2026-02-01T00:00:00.000Z',
  '2026-02-15T08:30:00.000Z',
  '2026-04-02T09:00:00.000Z',
  '2026-04-02T09:00:00.000Z',
  '2026-04-20T16:45:00.000Z',
];
const NOW = new Date('2026-04-25T12:00:00.000Z');

/** The seqs of the placed entries inside [from, to], newest first: what the month index must return. */
const expected = (from = '', to = '~') =>
  TIMES.map((at, i) => ({ at, seq: i + 1 }))
    .filter(({ at }) => at >= from && at <= to)
    .sort((a, b) => (a.at === b.at ? b.seq - a.seq : a.at < b.at ? 1 : -1))
    .map((e) => e.seq);

/** A new audit table holding the TIMES entries, one shard, seq i+1 at TIMES[i]. */
const timeWindowTable = async () => {
  const table = await ownTable('auditLog');
  for (const [i, at] of TIMES.entries())
    await appendAudit(
      table,
      {
        actor: `staff-${i % 3}`,
        action: 'view',
        recordingId: `rec-${i % 2}`,
        outcome: 'allowed',
        rule: 'r',
        correlationId: `c-${i}`,
      },
      () => new Date(at),
    );
  return table;
};

describe('audit entries by time alone', () => {
  let table: string;
  beforeAll(async () => {
    table = await timeWindowTable();
  });

  const read = (q: Omit<AuditQuery, 'limit'> & { limit?: number }) =>
    queryAudit(auditQuery(table, { limit: 25, ...q }, NOW));

  /** Every page of a query, following cursors; the seq numbers in the order they came back. */
  const readAll = async (q: Omit<AuditQuery, 'limit' | 'cursor'>, limit: number) => {
    const seqs: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await read({ ...q, limit, cursor });
      seqs.push(...page.entries.map((e) => e.seq));
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 50);
    return seqs;
  };

  /** What the reads cost: queries sent, items DynamoDB read past those it returned, and any Scan. */
  const cost = (sent: readonly Sent[]) => ({
    queries: sent.filter((s) => s.command === 'QueryCommand').length,
    unreturned: sent.reduce((n, s) => n + ((s.output?.ScannedCount ?? 0) - (s.output?.Count ?? 0)), 0),
    scans: sent.filter((s) => /Scan/.test(s.command)).length,
  });

  it('writes every entry under its UTC month in the month index', async () => {
    const rows = (
      await dynamo().send(new ScanCommand({ TableName: table, ConsistentRead: true }))
    ).Items?.sort((a, b) => a.seq - b.seq);
    expect(rows?.map((r) => [r.gsi3pk, r.gsi3sk])).toEqual(
      TIMES.map((at, i) => [`AUDIT#${at.slice(0, 7)}`, `${at}#${String(i + 1).padStart(12, '0')}`]),
    );
  });

  it('returns the entries of a window across a month boundary, newest first, one query per month', async () => {
    // Arrange
    const { sent } = watchDynamo();
    // Act
    const page = await read({ from: '2026-01-31T00:00:00.000Z', to: '2026-02-10T00:00:00.000Z' });
    // Assert
    expect(page.entries.map((e) => e.at)).toEqual(['2026-02-01T00:00:00.000Z', '2026-01-31T23:59:59.999Z']);
    expect(page.cursor).toBeUndefined();
    expect(cost(sent)).toEqual({ queries: 2, unreturned: 0, scans: 0 });
  });

  it('fills one page from several months, skipping a month with no entry', async () => {
    // Arrange
    const { sent } = watchDynamo();
    // Act
    const page = await read({ from: '2026-01-01T00:00:00.000Z', limit: 4 });
    // Assert
    expect(page.entries.map((e) => e.seq)).toEqual([7, 6, 5, 4]);
    expect(page.cursor).toBeDefined();
    expect(cost(sent)).toEqual({ queries: 3, unreturned: 0, scans: 0 });
  });

  it('returns an empty page with no cursor for a window holding only empty months', async () => {
    // Arrange
    const { sent } = watchDynamo();
    // Act
    const page = await read({ from: '2026-02-16T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    // Assert
    expect(page).toEqual({ entries: [], cursor: undefined });
    expect(cost(sent)).toEqual({ queries: 3, unreturned: 0, scans: 0 });
  });

  it.each([
    [
      'without `from`, stops at the month of the first entry instead of walking back for ever',
      {
        to: '2026-04-30T00:00:00.000Z',
      },
    ],
    [
      'with `to` in the future, starts at the current month; with an early `from`, never reads past the log',
      {
        from: '1999-01-01T00:00:00.000Z',
        to: '2999-01-01T00:00:00.000Z',
      },
    ],
  ])('%s', async (_name, window) => {
    // Arrange
    const { sent } = watchDynamo();
    // Act
    const page = await read(window);
    // Assert: April back to January, one query each
    expect(page.entries.map((e) => e.seq)).toEqual(expected());
    expect(cost(sent)).toEqual({ queries: 4, unreturned: 0, scans: 0 });
  });

  it('pages through any window with any limit, each entry once and in order, never a Scan', async () => {
    const { sent } = watchDynamo();
    const instant = fc
      .integer({ min: Date.parse('2026-01-29T00:00:00Z'), max: Date.parse('2026-04-22T00:00:00Z') })
      .map((t) => new Date(t).toISOString());
    await fc.assert(
      fc.asyncProperty(
        fc.option(instant, { nil: undefined }),
        fc.option(instant, { nil: undefined }),
        fc.integer({ min: 1, max: 5 }),
        async (a, b, limit) => {
          // Arrange
          const [from, to] = a && b && a > b ? [b, a] : [a, b];
          fc.pre(from !== undefined || to !== undefined);
          // Act
          const seqs = await readAll({ from, to }, limit);
          // Assert
          expect(seqs).toEqual(expected(from, to));
        },
      ),
      { numRuns: 25 },
    );
    expect(cost(sent)).toMatchObject({ unreturned: 0, scans: 0 });
  });

  it('resumes a page that ended exactly at the end of a month in the next older month', async () => {
    // Act: April holds 3 entries.
    const first = await read({ from: '2026-01-01T00:00:00.000Z', limit: 3 });
    const second = await read({ from: '2026-01-01T00:00:00.000Z', limit: 3, cursor: first.cursor });
    // Assert
    expect(first.entries.map((e) => e.seq)).toEqual([7, 6, 5]);
    expect(second.entries.map((e) => e.seq)).toEqual([4, 3, 2]);
  });

  it('reads the whole log, across every shard, newest first, in one query for a page in one month', async () => {
    // Arrange
    const { sent } = watchDynamo();
    // Act
    const page = await read({ limit: 2 });
    // Assert
    expect(page.entries.map((e) => e.seq)).toEqual([7, 6]);
    expect(cost(sent)).toEqual({ queries: 1, unreturned: 0, scans: 0 });
  });

  it('accepts the cursor a page returned', async () => {
    const WINDOW = { from: '2026-02-01T00:00:00.000Z', to: '2026-04-10T00:00:00.000Z' };
    const first = await read({ ...WINDOW, limit: 1 });
    expect(() => auditQuery(table, { ...WINDOW, limit: 1, cursor: first.cursor }, NOW)).not.toThrow();
  });
});

describe('GET /audit by time on the audit store', () => {
  const IG = { staffId: 'iris', groups: ['role:ig-officer'] };
  const WINDOW = { from: '2026-02-01T00:00:00.000Z', to: '2026-04-10T00:00:00.000Z' };
  let table: string;
  let handler: ReturnType<typeof playbackRoutes>;
  beforeAll(async () => {
    table = await timeWindowTable();
    process.env.TABLE_AUDIT_LOG = table;
    handler = playbackRoutes(awsPlaybackDeps());
  });
  const count = async () =>
    (await dynamo().send(new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }))).Count;

  it('is a 400 naming the cursor for a cursor no page returned, and nothing is written', async () => {
    // Arrange
    const before = await count();
    const cursors = ['!!not-a-cursor!!', encodeCursor({ chain: 'audit', seq: 4 })];
    // Act
    const replies = [];
    for (const cursor of cursors)
      replies.push(await invoke(handler, 'GET /audit', { ...IG, query: { ...WINDOW, cursor } }));
    // Assert
    expect(replies.map((r) => r.status)).toEqual([400, 400]);
    expect(JSON.stringify(replies[0]?.json)).toContain('query.cursor');
    expect(await count()).toBe(before);
  });

  it('reads a window page by page, each entry once, newest first', async () => {
    // Act
    const reply = await invoke(handler, 'GET /audit', { ...IG, query: { ...WINDOW, limit: '2' } });
    const next = await invoke(handler, 'GET /audit', {
      ...IG,
      query: { ...WINDOW, limit: '2', cursor: String(reply.json.cursor) },
    });
    // Assert
    expect([reply.status, next.status]).toEqual([200, 200]);
    const seqs = [...(reply.json.entries as { seq: number }[]), ...(next.json.entries as { seq: number }[])];
    expect(seqs.map((e) => e.seq)).toEqual(expected(WINDOW.from, WINDOW.to));
  });
});
