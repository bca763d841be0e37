/**
 * The access audit log table: AUDIT_SHARD_COUNT hash chains (shards, `audit#00`…) plus the pre-sharding
 * chain `audit`, appended through audit-writer.ts (one conditional put per entry once warm), and the
 * `audit-checkpoints` chain of signed tree heads. gsi1 finds one recording's entries, gsi2 one actor's,
 * gsi3 one UTC month's, all in time order across every shard. Reads use the table key or an index only
 * (no Scan); a time window read walks gsi3, so it reads about what it returns however long the log is.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  AUDIT_CHAINS,
  AUDIT_CHECKPOINT_CHAIN,
  AUDIT_SHARD_COUNT,
  type AuditEntry,
  type AuditLink,
  type AuditPage,
  type AuditQuery,
  auditIndexKeys,
  auditMonth,
  auditMonthKey,
  auditShard,
  isAuditChain,
  previousMonth,
} from '../domain/audit.js';
import type { AuditCheckpointPayload, ShardHead } from '../domain/audit-checkpoint.js';
import { ValidationError } from '../domain/errors.js';
import { type ChainLink, type ChainVerdict, verifyChain } from '../domain/hash-chain.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { type CursorShape, decodeCursor, encodeCursor } from '../platform/page-cursor.js';
import { type AuditWriter, auditWriter, type ShardStore } from './audit-writer.js';
import { appendLink, putLinkIfNew, readHead, readLinks } from './chain-store.js';

export const AUDIT_SHARDS: readonly string[] = Array.from({ length: AUDIT_SHARD_COUNT }, (_, n) =>
  auditShard(n),
);

export const dynamoShardStore = (table: string): ShardStore => ({
  readHead: async (chain) => {
    const head = await readHead(table, chain);
    return head ? { seq: head.seq, hash: head.hash } : undefined;
  },
  putIfNew: (link, indexAttributes) => putLinkIfNew(table, link, indexAttributes),
});

// One writer per table and process: it remembers shard heads between requests (a warm Lambda, the local
// stack), which is what lets an append be a single put.
const writers = new Map<string, AuditWriter>();
const writerFor = (table: string): AuditWriter => {
  let writer = writers.get(table);
  if (!writer) {
    writer = auditWriter(dynamoShardStore(table), {
      shards: AUDIT_SHARDS,
      indexAttributes: (entry, link) => auditIndexKeys(entry, link),
    });
    writers.set(table, writer);
  }
  return writer;
};

/** Forgets what this process knows of shard heads: for when the table under it was replaced (tests). */
export const forgetAuditHeads = (): void => writers.clear();

/** Starts reading a shard head if this process knows none yet, to overlap it with the request's reads. */
export const warmAudit = (table: string): void => writerFor(table).warm();

/** Appends one entry; AuditUnavailableError (503) when it cannot be recorded. */
export const appendAudit = (table: string, entry: AuditEntry, now: () => Date = () => new Date()) =>
  writerFor(table).append(entry, now);

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
  partition: ['chain', (v) => typeof v === 'string' && isAuditChain(v)],
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
 * (time bounds, or none: the whole log across every shard). Built (and its cursor checked → 400) before
 * anything is written.
 */
export const auditQuery = (table: string, q: AuditQuery, now = new Date()): AuditPlan => {
  if (!q.recordingId && !q.actor) {
    const high = q.to ? `${q.to}${HIGH}` : '~';
    const fromMonth = q.from ? auditMonth(q.from) : undefined;
    const latest = now.getTime() + SKEW_MS;
    const first = monthOf(q.to ? Math.min(Date.parse(q.to), latest) : latest);
    const start = q.cursor
      ? resumeAt(q.cursor, first, fromMonth, q.from ?? '', high)
      : { month: first, startKey: undefined };
    return { kind: 'months', table, limit: q.limit, low: q.from, high, fromMonth, ...start };
  }
  const byRecording = q.recordingId !== undefined;
  const n = byRecording ? 1 : 2;
  const index = `gsi${n}`;
  const names: Record<string, string> = { '#pk': `gsi${n}pk` };
  const values: Record<string, unknown> = {
    ':pk': byRecording ? `REC#${q.recordingId}` : `ACTOR#${q.actor}`,
  };
  if (q.from || q.to) names['#sk'] = `gsi${n}sk`;
  let keyCondition = '#pk = :pk';
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
  let filter: string | undefined;
  if (byRecording && q.actor) {
    filter = '#payload.#actor = :actor';
    names['#payload'] = 'payload';
    names['#actor'] = 'actor';
    values[':actor'] = q.actor;
  }
  const cursorShape: CursorShape = {
    partition: [`gsi${n}pk`, values[':pk'] as string],
    keys: ['chain', 'seq', `gsi${n}sk`],
  };
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

/** The first entry of every audit chain (seq 1), in one BatchGetItem: where the log begins. */
const firstEntries = async (table: string): Promise<Record<string, unknown>[]> => {
  const found: Record<string, unknown>[] = [];
  let keys: Record<string, unknown>[] | undefined = AUDIT_CHAINS.map((chain) => ({ chain, seq: 1 }));
  for (let round = 0; keys && keys.length > 0 && round < 10; round += 1) {
    const out: BatchGetCommandOutput = await dynamoDocumentClient().send(
      new BatchGetCommand({
        RequestItems: {
          [table]: { Keys: keys, ProjectionExpression: '#at', ExpressionAttributeNames: { '#at': 'at' } },
        },
      }),
    );
    found.push(...(out.Responses?.[table] ?? []));
    keys = out.UnprocessedKeys?.[table]?.Keys;
  }
  return found;
};

/** The oldest month the walk may need: that of `from` or of the log's first entry, whichever is later. */
const lastMonth = async (plan: MonthPlan, current: string): Promise<string> => {
  const times = (await firstEntries(plan.table))
    .map((i) => i.at)
    .filter((at): at is string => typeof at === 'string')
    .sort();
  const at = times[0];
  // An empty log: nothing older to read.
  if (at === undefined) return current;
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

/** Every link of one audit chain, in seq order. */
export const auditChainLinks = async (table: string, chain: string, afterSeq = 0): Promise<AuditLink[]> => {
  const links: AuditLink[] = [];
  for await (const link of readLinks(table, chain, afterSeq)) links.push(link as AuditLink);
  return links;
};

export type AuditVerdict = ChainVerdict & { chain?: string };

/**
 * Reads every audit chain in order and checks every link; the first bad entry is named with its chain.
 * A chain cut short at its end still links up, so `known` — a head recorded earlier (a checkpoint, or the
 * link an append returned) — must still be in its chain with the same hash.
 */
export const verifyAuditChain = async (
  table: string,
  known?: { chain: string; seq: number; hash: string },
): Promise<AuditVerdict> => {
  let count = 0;
  for (const chain of AUDIT_CHAINS) {
    const links = await auditChainLinks(table, chain);
    const verdict = verifyChain(links);
    if (!verdict.ok) return { ...verdict, count: count + links.length, chain };
    count += links.length;
    if (known?.chain !== chain) continue;
    const at = links.find((l) => l.seq === known.seq);
    if (at?.hash !== known.hash)
      return {
        ok: false,
        chain,
        count,
        firstBadSeq: known.seq,
        position: at ? links.indexOf(at) : links.length,
        reason: at
          ? 'entry differs from the known head'
          : 'chain ends before a known entry (entries removed)',
      };
  }
  return { ok: true, count };
};

// ---------------------------------------------------------------------------------------------------
// Checkpoints (functions/playback/audit-checkpoint-job.ts) and the export (GET /audit/export)

export type AuditCheckpointLink = ChainLink<AuditCheckpointPayload>;

/** The head of every non-empty audit chain (consistent reads, a few at a time). */
export const auditHeads = async (table: string): Promise<ShardHead[]> => {
  const heads: ShardHead[] = [];
  for (let i = 0; i < AUDIT_CHAINS.length; i += 16) {
    const batch = await Promise.all(AUDIT_CHAINS.slice(i, i + 16).map((chain) => readHead(table, chain)));
    for (const head of batch) if (head) heads.push({ chain: head.chain, seq: head.seq, hash: head.hash });
  }
  return heads;
};

/** The hash stored at (chain, seq), undefined when there is no such entry. */
export const auditHashAt = async (table: string, chain: string, seq: number): Promise<string | undefined> => {
  const out = await dynamoDocumentClient().send(
    new GetCommand({ TableName: table, Key: { chain, seq }, ConsistentRead: true }),
  );
  const hash = out.Item?.hash;
  return typeof hash === 'string' ? hash : undefined;
};

export const appendAuditCheckpoint = (table: string, payload: AuditCheckpointPayload, at: Date) =>
  appendLink(table, AUDIT_CHECKPOINT_CHAIN, payload, { now: () => at });

export const auditCheckpoints = async (table: string): Promise<AuditCheckpointLink[]> => {
  const links: AuditCheckpointLink[] = [];
  for await (const link of readLinks(table, AUDIT_CHECKPOINT_CHAIN)) links.push(link as AuditCheckpointLink);
  return links;
};

export const lastAuditCheckpoint = async (table: string): Promise<AuditCheckpointLink | undefined> => {
  const head = await readHead(table, AUDIT_CHECKPOINT_CHAIN);
  if (!head) return undefined;
  const { chain, seq, at, payload, prevHash, hash } = head as AuditCheckpointLink;
  return { chain, seq, at, payload, prevHash, hash };
};

/** Up to `limit` links of `chain` after `afterSeq`, in seq order (one query). */
export const auditLinksAfter = async (
  table: string,
  chain: string,
  afterSeq: number,
  limit: number,
): Promise<AuditLink[]> => {
  const out = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: '#c = :c AND #s > :after',
      ExpressionAttributeNames: { '#c': 'chain', '#s': 'seq' },
      ExpressionAttributeValues: { ':c': chain, ':after': afterSeq },
      ConsistentRead: true,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(toLink);
};
