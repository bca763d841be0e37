/**
 * GET /audit by time alone (no recording, no actor) reads the month index gsi3 (`AUDIT#<yyyy-mm>`, sorted
 * by `<at>#<seq>`), newest month first, so its cost follows the entries returned, not the size of the log.
 */
import { DynamoDBClient, ScanCommand as RawScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { appendAudit, auditQuery, queryAudit } from '../../../functions/adapters/audit-log.js';
import type { AuditEntry, AuditQuery } from '../../../functions/domain/audit.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { encodeCursor } from '../../../functions/platform/page-cursor.js';
import { invoke } from '../support/http.js';
import { loadHandler } from './env.js';
import { AUDIT, type FakeTables, installFakeTables } from './fake-tables.js';

const ddb = mockClient(DynamoDBDocumentClient);
const raw = mockClient(DynamoDBClient);
const NOW = new Date('2026-04-25T12:00:00.000Z');
const IG = { staffId: 'iris', groups: ['role:ig-officer'] };

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

const entry = (i: number): AuditEntry => ({
  actor: `staff-${i % 3}`,
  action: 'view',
  recordingId: `rec-${i % 2}`,
  outcome: 'allowed',
  rule: 's6.playback-within-service-area',
  correlationId: `corr-${i}`,
});

let tables: FakeTables;

const place = async () => {
  for (const [i, at] of TIMES.entries()) await appendAudit(AUDIT, entry(i), () => new Date(at));
};

const read = (q: Omit<AuditQuery, 'limit'> & { limit?: number }) =>
  queryAudit(auditQuery(AUDIT, { limit: 25, ...q }, NOW));

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

/** The seqs of the placed entries inside [from, to], newest first: what the index must return. */
const expected = (from = '', to = '~') =>
  TIMES.map((at, i) => ({ at, seq: i + 1 }))
    .filter(({ at }) => at >= from && at <= to)
    .sort((a, b) => (a.at === b.at ? b.seq - a.seq : a.at < b.at ? 1 : -1))
    .map((e) => e.seq);

const queries = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
const monthsRead = () =>
  queries()
    .filter((q) => q.IndexName === 'gsi3')
    .map((q) => String(q.ExpressionAttributeValues?.[':pk']));

beforeEach(async () => {
  ddb.reset();
  raw.reset();
  tables = installFakeTables(ddb);
  await place();
  ddb.resetHistory();
});

describe('audit entries by time alone', () => {
  it('writes every entry under its UTC month in the month index', () => {
    expect(tables.audit.map((r) => [r.gsi3pk, r.gsi3sk])).toEqual(
      TIMES.map((at, i) => [`AUDIT#${at.slice(0, 7)}`, `${at}#${String(i + 1).padStart(12, '0')}`]),
    );
  });

  it('returns the entries of a window across a month boundary, newest first', async () => {
    // Act
    const page = await read({ from: '2026-01-31T00:00:00.000Z', to: '2026-02-10T00:00:00.000Z' });
    // Assert
    expect(page.entries.map((e) => e.at)).toEqual(['2026-02-01T00:00:00.000Z', '2026-01-31T23:59:59.999Z']);
    expect(page.cursor).toBeUndefined();
    expect(monthsRead()).toEqual(['AUDIT#2026-02', 'AUDIT#2026-01']);
  });

  it('fills one page from several months, skipping a month with no entry', async () => {
    // Act
    const page = await read({ from: '2026-01-01T00:00:00.000Z', limit: 4 });
    // Assert
    expect(page.entries.map((e) => e.seq)).toEqual([7, 6, 5, 4]);
    expect(monthsRead()).toEqual(['AUDIT#2026-04', 'AUDIT#2026-03', 'AUDIT#2026-02']);
    expect(page.cursor).toBeDefined();
  });

  it('returns an empty page with no cursor for a window holding only empty months', async () => {
    // Act
    const page = await read({ from: '2026-02-16T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    // Assert
    expect(page).toEqual({ entries: [], cursor: undefined });
    expect(monthsRead()).toEqual(['AUDIT#2026-04', 'AUDIT#2026-03', 'AUDIT#2026-02']);
  });

  it('without `from`, stops at the month of the first entry instead of walking back for ever', async () => {
    // Act
    const page = await read({ to: '2026-04-30T00:00:00.000Z' });
    // Assert
    expect(page.entries.map((e) => e.seq)).toEqual(expected());
    expect(monthsRead()).toEqual(['AUDIT#2026-04', 'AUDIT#2026-03', 'AUDIT#2026-02', 'AUDIT#2026-01']);
  });

  it('starts at the current month when `to` lies in the future, and from `from` never reads past the log', async () => {
    // Act
    const page = await read({ from: '1999-01-01T00:00:00.000Z', to: '2999-01-01T00:00:00.000Z' });
    // Assert
    expect(page.entries.map((e) => e.seq)).toEqual(expected());
    expect(monthsRead()).toEqual(['AUDIT#2026-04', 'AUDIT#2026-03', 'AUDIT#2026-02', 'AUDIT#2026-01']);
  });

  it('pages through any window with any limit, each entry once and in order', async () => {
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
      { numRuns: 60 },
    );
  });

  it('resumes a page that ended exactly at the end of a month in the next older month', async () => {
    // Act: April holds 3 entries.
    const first = await read({ from: '2026-01-01T00:00:00.000Z', limit: 3 });
    const second = await read({ from: '2026-01-01T00:00:00.000Z', limit: 3, cursor: first.cursor });
    // Assert
    expect(first.entries.map((e) => e.seq)).toEqual([7, 6, 5]);
    expect(second.entries.map((e) => e.seq)).toEqual([4, 3, 2]);
  });

  it('reads by key condition only: no Scan, no FilterExpression', async () => {
    // Act
    await readAll({ from: '2026-01-15T00:00:00.000Z', to: '2026-04-10T00:00:00.000Z' }, 2);
    await readAll({ to: '2026-04-10T00:00:00.000Z' }, 3);
    // Assert
    expect(ddb.commandCalls(ScanCommand)).toEqual([]);
    expect(raw.commandCalls(RawScanCommand)).toEqual([]);
    expect(queries().length).toBeGreaterThan(0);
    for (const q of queries()) {
      expect(q.FilterExpression).toBeUndefined();
      // The log's first entries (the lower bound when `from` is absent or earlier) come from BatchGetItem.
      expect([q.IndexName, q.KeyConditionExpression]).toEqual([
        'gsi3',
        '#pk = :pk AND #sk BETWEEN :from AND :to',
      ]);
    }
  });

  it('reads the whole log, across every shard, from the month index newest first and unfiltered', async () => {
    // Act
    const page = await read({ limit: 2 });
    // Assert
    expect(page.entries.map((e) => e.seq)).toEqual([7, 6]);
    expect(queries()).toEqual([expect.objectContaining({ IndexName: 'gsi3', ScanIndexForward: false })]);
    expect(queries()[0]?.FilterExpression).toBeUndefined();
  });
});

describe('a time-window cursor', () => {
  const WINDOW = { from: '2026-02-01T00:00:00.000Z', to: '2026-04-10T00:00:00.000Z' };
  const key = (over: Record<string, unknown> = {}) =>
    encodeCursor({
      chain: 'audit',
      seq: 4,
      gsi3pk: 'AUDIT#2026-02',
      gsi3sk: `2026-02-15T08:30:00.000Z#${'4'.padStart(12, '0')}`,
      ...over,
    });
  const BAD: Record<string, string> = {
    garbage: '!!not-a-cursor!!',
    'a recording-index cursor': encodeCursor({
      chain: 'audit',
      seq: 4,
      gsi1pk: 'REC#rec-1',
      gsi1sk: '2026-02-15T08:30:00.000Z#000000000004',
    }),
    'a whole-log cursor': encodeCursor({ chain: 'audit', seq: 4 }),
    'another chain': key({ chain: 'release' }),
    'a month before `from`': key({
      gsi3pk: 'AUDIT#2026-01',
      gsi3sk: '2026-01-31T23:59:59.999Z#000000000002',
    }),
    'a month after `to`': key({ gsi3pk: 'AUDIT#2026-05', gsi3sk: '2026-05-01T00:00:00.000Z#000000000004' }),
    'a month that is no month': key({
      gsi3pk: 'AUDIT#2026-13',
      gsi3sk: '2026-13-01T00:00:00.000Z#000000000004',
    }),
    'a sort key outside its month': key({ gsi3sk: '2026-03-01T00:00:00.000Z#000000000004' }),
    'a sort key naming another seq': key({ seq: 5 }),
    'a sort key outside the window': key({
      gsi3pk: 'AUDIT#2026-04',
      gsi3sk: '2026-04-20T16:45:00.000Z#000000000004',
    }),
  };

  it('accepts the cursor a page returned', async () => {
    const first = await read({ ...WINDOW, limit: 1 });
    expect(() => auditQuery(AUDIT, { ...WINDOW, limit: 1, cursor: first.cursor }, NOW)).not.toThrow();
    expect(() => auditQuery(AUDIT, { ...WINDOW, limit: 1, cursor: key() }, NOW)).not.toThrow();
  });

  it.each(Object.keys(BAD))('refuses %s before any read', (name) => {
    expect(() => auditQuery(AUDIT, { ...WINDOW, limit: 5, cursor: BAD[name] }, NOW)).toThrow(ValidationError);
    expect(queries()).toEqual([]);
  });

  it('is a 400 naming the cursor through GET /audit, and nothing is written', async () => {
    // Arrange
    const handler = await loadHandler();
    // Act
    const replies = [];
    for (const cursor of Object.values(BAD))
      replies.push(await invoke(handler, 'GET /audit', { ...IG, query: { ...WINDOW, cursor } }));
    // Assert
    expect(replies.map((r) => r.status)).toEqual(Object.values(BAD).map(() => 400));
    expect(JSON.stringify(replies[0]?.json)).toContain('query.cursor');
    expect(ddb.commandCalls(PutCommand)).toEqual([]);
  });

  it('reads a window through GET /audit from the month index', async () => {
    // Arrange
    const handler = await loadHandler();
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
    expect(new Set(queries().map((q) => q.IndexName ?? 'chain'))).toEqual(new Set(['gsi3']));
    expect(queries().filter((q) => q.FilterExpression)).toEqual([]);
  });
});
