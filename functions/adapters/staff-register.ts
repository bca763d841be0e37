/**
 * The staff register (policy s.4): who the system knows uses recording, and the notices they were given.
 * Items in the registers table:
 *
 *   STAFF#<id>  PROFILE                    the staff record; gsi1 = STAFF-DUE / <nextDue>#<id>
 *   STAFF#<id>  AREA#<area>                a copy of the record per area; gsi1 = STAFF-DUE#<area> / <nextDue>#<id>
 *   STAFF#<id>  NOTICE#<date>#<kind>       each notice as recorded
 *
 * The due list is a Query on gsi1 with `gsi1sk <= <today+30 days>`: it reads only staff who are due.
 * Staff with nothing ever due (informed frequent callers) carry no gsi1 keys (sparse index).
 * Profile and area copies change together in one transaction guarded by a version number.
 * Port: `StaffRegister` (functions/ports/staff-notices.ts).
 */
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dueStateOf, type StaffNotice, type StaffRecord, sameNotice } from '../domain/staff-notices.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { cancellationReasons, isConditionFailure } from '../platform/conditions.js';
import { tableName } from '../platform/env.js';
import { queryAll } from '../platform/query-all.js';
import { retrying } from '../platform/retry.js';
import type { NoticeWrite, StaffRegister } from '../ports/staff-notices.js';

const DUE_INDEX = 'gsi1';
const GLOBAL_DUE = 'STAFF-DUE';
const MAX_ATTEMPTS = 10;

export const STAFF_KEYS = {
  profile: (staffId: string) => ({ pk: `STAFF#${staffId}`, sk: 'PROFILE' }),
  area: (staffId: string, area: string) => ({ pk: `STAFF#${staffId}`, sk: `AREA#${area}` }),
  notice: (staffId: string, date: string, kind: string) => ({
    pk: `STAFF#${staffId}`,
    sk: `NOTICE#${date}#${kind}`,
  }),
} as const;

interface StoredStaff {
  readonly record: StaffRecord;
  /** 0 when not yet stored. */
  readonly version: number;
}

const toRecord = (item: Record<string, unknown>): StaffRecord => {
  const r: Record<string, unknown> = { staffId: item.staffId, areas: item.areas ?? [] };
  for (const k of ['firstSeen', 'firstUse', 'lastReminder', 'frequentCallerInformed'] as const) {
    if (typeof item[k] === 'string') r[k] = item[k];
  }
  return r as unknown as StaffRecord;
};

const getStaff = async (table: string, staffId: string): Promise<StoredStaff> => {
  const result = await dynamoDocumentClient().send(
    new GetCommand({ TableName: table, Key: STAFF_KEYS.profile(staffId), ConsistentRead: true }),
  );
  if (!result.Item) return { record: { staffId, areas: [] }, version: 0 };
  return { record: toRecord(result.Item), version: Number(result.Item.version ?? 0) };
};

const dueKeys = (partition: string, r: StaffRecord) => {
  const { nextDue } = dueStateOf(r);
  return nextDue ? { gsi1pk: partition, gsi1sk: `${nextDue}#${r.staffId}` } : {};
};

/**
 * Writes the record and its area copies if the stored version is still `expected`.
 * Returns false when someone else changed it first (the caller re-reads and tries again).
 */
const save = async (table: string, next: StaffRecord, expected: number) => {
  const body = { ...next, areas: [...next.areas].sort(), version: expected + 1 };
  try {
    await dynamoDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: { ...STAFF_KEYS.profile(next.staffId), ...body, ...dueKeys(GLOBAL_DUE, next) },
              ConditionExpression:
                expected === 0 ? 'attribute_not_exists(pk)' : 'attribute_exists(pk) AND version = :v',
              ...(expected === 0 ? {} : { ExpressionAttributeValues: { ':v': expected } }),
            },
          },
          ...next.areas.map((area) => ({
            Put: {
              TableName: table,
              Item: {
                ...STAFF_KEYS.area(next.staffId, area),
                ...body,
                ...dueKeys(`${GLOBAL_DUE}#${area}`, next),
              },
            },
          })),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationReasons(error) !== undefined) return false;
    throw error;
  }
};

/** A concurrent writer saved the record between this one's read and write. */
class LostUpdate extends Error {}

/** Read, change, write with optimistic locking; retried when a concurrent writer got there first. */
const updateStaff = (
  table: string,
  staffId: string,
  change: (current: StaffRecord) => StaffRecord | undefined,
): Promise<StaffRecord> => {
  const policy = {
    retryable: (error: unknown) => error instanceof LostUpdate,
    retries: MAX_ATTEMPTS - 1,
    exhausted: () => new Error(`staff ${staffId}: too many concurrent updates`),
  };
  return retrying(policy, async () => {
    const { record, version } = await getStaff(table, staffId);
    const next = change(record);
    if (!next) return record;
    if (await save(table, next, version)) return next;
    throw new LostUpdate();
  });
};

/** Stores a notice once per staff, day and kind; a repeat with the same content is not an error. */
const putNotice = async (
  table: string,
  n: StaffNotice,
): Promise<{ result: NoticeWrite; stored: StaffNotice }> => {
  const Key = STAFF_KEYS.notice(n.staffId, n.date, n.kind);
  try {
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: table,
        Item: { ...Key, ...n },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { result: 'created', stored: n };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const existing = await dynamoDocumentClient().send(
    new GetCommand({ TableName: table, Key, ConsistentRead: true }),
  );
  const { pk: _pk, sk: _sk, ...rest } = (existing.Item ?? {}) as Record<string, unknown>;
  const stored = rest as unknown as StaffNotice;
  return { result: sameNotice(stored, n) ? 'same' : 'different', stored };
};

/** Staff whose next notice is due on or before `horizon` (YYYY-MM-DD), all areas or one. */
const staffDueBy = async (table: string, horizon: string, area?: string): Promise<StaffRecord[]> => {
  const items = await queryAll({
    TableName: table,
    IndexName: DUE_INDEX,
    KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :h',
    ExpressionAttributeValues: { ':pk': area ? `${GLOBAL_DUE}#${area}` : GLOBAL_DUE, ':h': `${horizon}#~` },
  });
  return items.map(toRecord);
};

/** The staff register in `table`. */
export const dynamoStaffRegister = (table: string): StaffRegister => ({
  get: async (staffId) => (await getStaff(table, staffId)).record,
  update: (staffId, change) => updateStaff(table, staffId, change),
  putNotice: (notice) => putNotice(table, notice),
  dueBy: (horizon, area) => staffDueBy(table, horizon, area),
});

/**
 * Notes that a member of staff uses recording in an area (ingestion: the agent of a registered call;
 * or a grant seen on a request). One consistent read when already known there; a write only when new.
 */
export const noteStaffInArea = (staffId: string, area: string, day: string): Promise<StaffRecord> =>
  updateStaff(tableName('registers'), staffId, (s) =>
    s.areas.includes(area) && s.firstSeen
      ? undefined
      : {
          ...s,
          areas: s.areas.includes(area) ? s.areas : [...s.areas, area],
          firstSeen: s.firstSeen && s.firstSeen < day ? s.firstSeen : day,
        },
  );

/** Staff due by `horizon` where the table is named by the environment (the compliance report). */
export const listStaffDueBy = (horizon: string, area?: string): Promise<StaffRecord[]> =>
  staffDueBy(tableName('registers'), horizon, area);
