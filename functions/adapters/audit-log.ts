/**
 * The audit log table: one hash chain (partition `audit`), appended through chain-store so concurrent
 * writers never fork it. gsi1 finds one recording's entries, gsi2 one actor's, both in time order.
 * Reads use the table key or an index only (no Scan).
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AUDIT_CHAIN, type AuditEntry, type AuditLink, auditIndexKeys } from '../domain/audit.js';
import { type ChainVerdict, verifyChain } from '../domain/hash-chain.js';
import { appendLink, readHead, readLinks } from './chain-store.js';
import { dynamoDocumentClient } from './clients.js';
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

const toLink = (item: Record<string, unknown>): AuditLink => {
  const { chain, seq, at, payload, prevHash, hash } = item as unknown as AuditLink;
  return { chain, seq, at, payload, prevHash, hash };
};

// Upper bound for a time-prefixed sort key: every `<at>#<seq>` with at <= `to` sorts below `${to}#~`.
const HIGH = '#~';

/**
 * The query for an audit read, newest first: gsi1 (recording), else gsi2 (actor), else the chain
 * partition itself. Built (and its cursor checked → 400) before anything is written.
 */
export const auditQuery = (table: string, q: AuditQuery): QueryCommandInput => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  let index: string | undefined;
  let keyCondition: string;
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
      filters.push('#payload.#actor = :actor');
      names['#payload'] = 'payload';
      names['#actor'] = 'actor';
      values[':actor'] = q.actor;
    }
    cursorShape = { partition: [`gsi${n}pk`, values[':pk'] as string], keys: ['chain', 'seq', `gsi${n}sk`] };
  } else {
    // The whole chain, newest first; time bounds filter the key query (entries are appended in time order).
    names['#c'] = 'chain';
    values[':c'] = AUDIT_CHAIN;
    keyCondition = '#c = :c';
    if (q.from) {
      filters.push('#at >= :from');
      names['#at'] = 'at';
      values[':from'] = q.from;
    }
    if (q.to) {
      filters.push('#at <= :to');
      names['#at'] = 'at';
      values[':to'] = q.to;
    }
    cursorShape = { partition: ['chain', AUDIT_CHAIN], keys: ['chain', 'seq'] };
  }
  const filterExpression = filters.join(' AND ');
  return {
    TableName: table,
    IndexName: index,
    KeyConditionExpression: keyCondition,
    FilterExpression: filterExpression || undefined,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
    Limit: q.limit,
    ExclusiveStartKey: q.cursor ? decodeCursor(q.cursor, cursorShape) : undefined,
  };
};

export const queryAudit = async (query: QueryCommandInput): Promise<AuditPage> => {
  const result = await dynamoDocumentClient().send(new QueryCommand(query));
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
