/**
 * The audit log table: one hash chain (partition `audit`), appended through chain-store so concurrent
 * writers never fork it. gsi1 finds one recording's entries, gsi2 one actor's, gsi3 one UTC month's, all
 * in time order. Reads use the table key or an index only (no Scan); a time window read walks gsi3, so
 * it reads about what it returns however long the log is.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  AUDIT_CHAIN,
  type AuditEntry,
  type AuditLink,
  auditIndexKeys,
  auditMonth,
  auditMonthKey,
  previousMonth,
} from '../domain/audit.js';
import { ValidationError } from '../domain/errors.js';
import { type ChainVerdict, verifyChain } from '../domain/hash-chain.js';
import { appendLink, readHead, readLinks } from './chain-store.js';
import { dynamoDocumentClient } from './clients/dynamodb.js';
import { type CursorShape, decodeCursor, encodeCursor } from './page-cursor.js';

export type AuditHead = Promise<{ seq: number; hash: string } | undefined>;

/** Starts reading the chain head, to overlap it with the request's other reads (see appendAudit). */
export const prefetchAuditHead = (table: string): AuditHead =>
  readHead(table, AUDIT_CHAIN).catch(() => undefined);

export const appendAudit = (
  table: string,
  entry: AuditEntry,
  now?: () => Date,
  firstHead?: AuditHead,
): Promise<AuditLink> =>
  appendLink(table, AUDIT_CHAIN, entry, {
    indexAttributes: (link) => auditIndexKeys(entry, link),
    now,
    firstHead,
  });

export interface AuditQuery {
  readonly recordingId?: string;
  readonly actor?: string;
  /** ISO 8601 bounds on the entry time, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface AuditPage {
  readonly entries: AuditLink[];
  readonly cursor?: string;
}

/**
 * How an audit read runs: one query (by recording, by actor, or the whole chain), or a walk of the month
 * index (time bounds alone) from `month` back to the month of `from` or of the chain's first entry.
 */
export type AuditPlan =
  | { readonly kind: 'query'; readonly query: QueryCommandInput }
  | {
      readonly kind: 'months';
      readonly table: string;
      readonly limit: number;
      /** Sort-key bounds: `from`, and `to` followed by HIGH ('~' without `to`). */
      readonly low?: string;
      readonly high: string;
      readonly fromMonth?: string;
      /** The month to read first, and where in it to resume (a cursor). */
      readonly month: string;
      readonly startKey?: Record<string, unknown>;
    };

const toLink = (item: Record<string, unknown>): AuditLink => {
  const { chain, seq, at, payload, prevHash, hash } = item as unknown as AuditLink;
  return { chain, seq, at, payload, prevHash, hash };
};

// Upper bound for a time-prefixed sort key: every `<at>#<seq>` with at <= `to` sorts below `${to}#~`.
const HIGH = '#~';
const MONTH_INDEX = 'gsi3';
/**
 * How far an entry's `at` (its writer's clock) may lie from the reader's clock: the walk starts at the
 * month of now + SKEW and ends at the month of the first entry's `at` - SKEW.
 */
const SKEW_MS = 60 * 60 * 1000;
const MONTH_KEY = /^AUDIT#([0-9]{4}-(?:0[1-9]|1[0-2]))$/;
const MONTH_CURSOR: CursorShape = {
  partition: ['chain', AUDIT_CHAIN],
  keys: ['chain', 'seq', 'gsi3pk', 'gsi3sk'],
};

const monthOf = (ms: number) => auditMonth(new Date(ms).toISOString());

/**
 * A month-walk cursor is the index key of the last entry returned: its gsi3pk names the month. Beyond
 * the key shape, the month must lie in the walk and the sort key in that month, the window and the seq.
 */
const resumeAt = (
  cursor: string,
  first: string,
  fromMonth: string | undefined,
  low: string,
  high: string,
) => {
  const key = decodeCursor(cursor, MONTH_CURSOR);
  const month = MONTH_KEY.exec(String(key.gsi3pk))?.[1];
  const sk = String(key.gsi3sk);
  const seq = key.seq as number;
  const fits =
    month !== undefined &&
    month <= first &&
    (fromMonth === undefined || month >= fromMonth) &&
    Number.isSafeInteger(seq) &&
    seq > 0 &&
    sk.startsWith(`${month}-`) &&
    sk.endsWith(`#${String(seq).padStart(12, '0')}`) &&
    sk >= low &&
    sk <= high;
  if (!fits)
    throw new ValidationError('query.cursor', 'a cursor returned by the previous page of this same query');
  return { month, startKey: key };
};

/**
 * The plan of an audit read, newest first: gsi1 (recording), else gsi2 (actor), else gsi3 month by month
 * (time bounds only), else the chain partition itself. Built (and its cursor checked → 400) before
 * anything is written.
 */
export const auditQuery = (table: string, q: AuditQuery, now = new Date()): AuditPlan => {
  if (!q.recordingId && !q.actor && (q.from || q.to)) {
    const high = q.to ? `${q.to}${HIGH}` : '~';
    const fromMonth = q.from ? auditMonth(q.from) : undefined;
    const latest = now.getTime() + SKEW_MS;
    const first = monthOf(q.to ? Math.min(Date.parse(q.to), latest) : latest);
    const start = q.cursor
      ? resumeAt(q.cursor, first, fromMonth, q.from ?? '', high)
      : { month: first, startKey: undefined };
    return { kind: 'months', table, limit: q.limit, low: q.from, high, fromMonth, ...start };
  }
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let index: string | undefined;
  let keyCondition: string;
  let filter: string | undefined;
  let cursorShape: CursorShape;
  if (q.recordingId || q.actor) {
    const byRecording = q.recordingId !== undefined;
    const n = byRecording ? 1 : 2;
    index = `gsi${n}`;
    names['#pk'] = `gsi${n}pk`;
    if (q.from || q.to) names['#sk'] = `gsi${n}sk`;
    values[':pk'] = byRecording ? `REC#${q.recordingId}` : `ACTOR#${q.actor}`;
    keyCondition = '#pk = :pk';
    if (q.from && q.to) {
      keyCondition += ' AND #sk BETWEEN :from AND :to';
      values[':from'] = q.from;
      values[':to'] = `${q.to}${HIGH}`;
    } else if (q.from) {
      keyCondition += ' AND #sk >= :from';
      values[':from'] = q.from;
    } else if (q.to) {
      keyCondition += ' AND #sk <= :to';
      values[':to'] = `${q.to}${HIGH}`;
    }
    if (byRecording && q.actor) {
      filter = '#payload.#actor = :actor';
      names['#payload'] = 'payload';
      names['#actor'] = 'actor';
      values[':actor'] = q.actor;
    }
    cursorShape = { partition: [`gsi${n}pk`, values[':pk'] as string], keys: ['chain', 'seq', `gsi${n}sk`] };
  } else {
    // The whole chain, newest first: every item read is returned.
    names['#c'] = 'chain';
    values[':c'] = AUDIT_CHAIN;
    keyCondition = '#c = :c';
    cursorShape = { partition: ['chain', AUDIT_CHAIN], keys: ['chain', 'seq'] };
  }
  return {
    kind: 'query',
    query: {
      TableName: table,
      IndexName: index,
      KeyConditionExpression: keyCondition,
      FilterExpression: filter,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: q.limit,
      ExclusiveStartKey: q.cursor ? decodeCursor(q.cursor, cursorShape) : undefined,
    },
  };
};

type MonthPlan = Extract<AuditPlan, { kind: 'months' }>;

const monthQuery = (
  plan: MonthPlan,
  month: string,
  limit: number,
  startKey?: Record<string, unknown>,
): QueryCommandInput => ({
  TableName: plan.table,
  IndexName: MONTH_INDEX,
  KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
  ExpressionAttributeNames: { '#pk': 'gsi3pk', '#sk': 'gsi3sk' },
  ExpressionAttributeValues: {
    ':pk': auditMonthKey(month),
    // `yyyy-mm` sorts before every key of its month.
    ':from': plan.low && plan.low > month ? plan.low : month,
    ':to': plan.high,
  },
  ScanIndexForward: false,
  Limit: limit,
  ExclusiveStartKey: startKey,
});

/** The oldest month the walk may need: that of `from` or of the chain's first entry, whichever is later. */
const lastMonth = async (plan: MonthPlan, current: string): Promise<string> => {
  const result = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: plan.table,
      KeyConditionExpression: '#c = :c',
      ExpressionAttributeNames: { '#c': 'chain' },
      ExpressionAttributeValues: { ':c': AUDIT_CHAIN },
      Limit: 1,
    }),
  );
  const at = result.Items?.[0]?.at;
  // An empty log: nothing older to read.
  if (typeof at !== 'string') return current;
  const firstMonth = monthOf(Date.parse(at) - SKEW_MS);
  return plan.fromMonth && plan.fromMonth > firstMonth ? plan.fromMonth : firstMonth;
};

/**
 * Walks the month index newest month first until the page is full or the window is read. The cursor is
 * the index key of the last entry returned, so the next page resumes right after it, in its month.
 */
const readMonths = async (plan: MonthPlan): Promise<AuditPage> => {
  const entries: AuditLink[] = [];
  let month = plan.month;
  let startKey = plan.startKey;
  let oldest: string | undefined;
  const isOldest = (m: string) =>
    (plan.fromMonth !== undefined && m <= plan.fromMonth) || (oldest !== undefined && m <= oldest);
  for (;;) {
    const result = await dynamoDocumentClient().send(
      new QueryCommand(monthQuery(plan, month, plan.limit - entries.length, startKey)),
    );
    const items = result.Items ?? [];
    entries.push(...items.map(toLink));
    startKey = result.LastEvaluatedKey;
    if (entries.length >= plan.limit) {
      const last = items.at(-1) as Record<string, unknown>;
      const key = startKey ?? { chain: last.chain, seq: last.seq, gsi3pk: last.gsi3pk, gsi3sk: last.gsi3sk };
      return { entries, cursor: !startKey && isOldest(month) ? undefined : encodeCursor(key) };
    }
    if (startKey) continue;
    if (isOldest(month)) return { entries };
    oldest ??= await lastMonth(plan, month);
    if (month <= oldest) return { entries };
    month = previousMonth(month);
  }
};

export const queryAudit = async (plan: AuditPlan): Promise<AuditPage> => {
  if (plan.kind === 'months') return readMonths(plan);
  const result = await dynamoDocumentClient().send(new QueryCommand(plan.query));
  return {
    entries: (result.Items ?? []).map(toLink),
    cursor: result.LastEvaluatedKey ? encodeCursor(result.LastEvaluatedKey) : undefined,
  };
};

/**
 * Reads the whole chain in order and checks every link. A chain cut short at its end still links up, so
 * `known` — a head recorded earlier (a checkpoint, or the seq and hash an append returned) — must still be
 * in the chain with the same hash.
 */
export const verifyAuditChain = async (
  table: string,
  known?: { seq: number; hash: string },
): Promise<ChainVerdict> => {
  const links = [];
  for await (const link of readLinks(table, AUDIT_CHAIN)) links.push(link);
  const verdict = verifyChain(links);
  if (!verdict.ok || !known) return verdict;
  const at = links.find((l) => l.seq === known.seq);
  if (at?.hash === known.hash) return verdict;
  return {
    ok: false,
    count: links.length,
    firstBadSeq: known.seq,
    position: at ? links.indexOf(at) : links.length,
    reason: at ? 'entry differs from the known head' : 'chain ends before a known entry (entries removed)',
  };
};
