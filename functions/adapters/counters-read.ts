/** The read side of the compliance report's counters (layout in counters-keys.ts): by key, never a scan. */

import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type {
  ActiveHold,
  ExtensionSummary,
  HeldRecording,
  Metrics,
  OpenCopy,
  UnnotifiedRecording,
} from '../domain/compliance.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { decodeCursor, encodeCursor } from '../platform/page-cursor.js';
import { queryAll as queryAllItems } from '../platform/query-all.js';
import { KEYS, table } from './counters-keys.js';

/** Attributes of a counter day item that are not metrics. */
const DAY_KEYS = new Set(['pk', 'sk', 'area', 'day']);

const queryAll = (input: Omit<QueryCommandInput, 'TableName'>) =>
  queryAllItems({ ...input, TableName: table() });

const pkOnly = (pk: string) => ({
  KeyConditionExpression: 'pk = :pk',
  ExpressionAttributeValues: { ':pk': pk },
});

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

/** One item per day that had an event, from..to inclusive. */
export const readDayCounters = async (area: string, from: string, to: string): Promise<Metrics[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': KEYS.counterDay(area, from).pk,
      ':from': KEYS.counterDay(area, from).sk,
      ':to': KEYS.counterDay(area, to).sk,
    },
  });
  return items.map(
    (item) =>
      Object.fromEntries(
        Object.entries(item).filter(([k, v]) => !DAY_KEYS.has(k) && typeof v === 'number'),
      ) as Metrics,
  );
};

export const readUnnotified = async (
  area: string,
  from: string,
  to: string,
): Promise<UnnotifiedRecording[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    // '~' sorts after every character of an ISO instant, so the whole `to` day is included.
    ExpressionAttributeValues: { ':pk': `UNNOTIFIED#${area}`, ':from': from, ':to': `${to}~` },
  });
  return items.map((i) => strip<UnnotifiedRecording>(i));
};

export const readOpenCopies = async (area: string): Promise<OpenCopy[]> =>
  (await queryAll(pkOnly(`OPENCOPY#${area}`))).map((i) => strip<OpenCopy>(i));

export const readActiveHolds = async (area: string): Promise<ActiveHold[]> =>
  (await queryAll(pkOnly(`HOLD#${area}`))).map((i) => strip<ActiveHold>(i));

/** Held recordings whose 24-month point is on or before `asOf` (ISO instant). */
export const readKeptPast24Months = async (area: string, asOf: string): Promise<HeldRecording[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk <= :asOf',
    ExpressionAttributeValues: { ':pk': `HELD#${area}`, ':asOf': `${new Date(asOf).toISOString()}~` },
  });
  return items.map((i) => strip<HeldRecording>(i));
};

export const readExtensions = async (area: string): Promise<ExtensionSummary[]> =>
  (await queryAll(pkOnly(`EXTS#${area}`))).map((i) => strip<ExtensionSummary>(i));

/** One page of the area's extensions register, by number; `cursor` continues from the previous page. */
export const pageExtensions = async (
  area: string,
  limit: number,
  cursor?: string,
): Promise<{ items: ExtensionSummary[]; cursor?: string }> => {
  const { pk } = KEYS.extension(area, '');
  const out = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: table(),
      ...pkOnly(pk),
      Limit: limit,
      ConsistentRead: true,
      ExclusiveStartKey: cursor
        ? decodeCursor(cursor, { partition: ['pk', pk], keys: ['pk', 'sk'] })
        : undefined,
    }),
  );
  return {
    items: (out.Items ?? []).map((i) => strip<ExtensionSummary>(i)),
    ...(out.LastEvaluatedKey ? { cursor: encodeCursor(out.LastEvaluatedKey) } : {}),
  };
};
