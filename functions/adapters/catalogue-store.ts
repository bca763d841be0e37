/**
 * The recordings catalogue: one item per recording (functions/domain/recording.ts), and the ONE module
 * that reads or writes the catalogue table. Sections: reads; search; ingest states; holds' count;
 * deletion. Every state change is a conditional write, so repeated or concurrent steps cannot regress a
 * recording or create a second one. Every read uses the key or a GSI (declarations/tables.ts), never a Scan.
 */
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CATALOGUE_INDEXES } from '../../declarations/tables.js';
import type { DeletionFloor, HoldScope, Page, RecordingFacts, RecordingsPort } from '../domain/holds.js';
import type { DeletionCertificate, Recording, RecordingPage, RecordingSearch } from '../domain/recording.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { isConditionFailure } from '../platform/conditions.js';
import { tableName } from '../platform/env.js';
import { type CursorShape, decodeCursor, encodeCursor } from '../platform/page-cursor.js';
import { backoff } from '../platform/retry.js';
import type { ArchivedFields, IngestRecording, QuarantineFields } from '../ports/ingest.js';
import { type DeletedRecording, deletionRecordDelete, deletionRecordPut } from './deletion-records.js';

type Item = Record<string, unknown>;

export const catalogueTable = (): string => tableName('catalogue');

export type StoredRecording = IngestRecording;

/* ------------------------------------------------------------------------------------------- reads */

export const getRecording = async (recordingId: string): Promise<StoredRecording | undefined> => {
  const out = await dynamoDocumentClient().send(
    new GetCommand({ TableName: catalogueTable(), Key: { recordingId }, ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const { leaseOwner: _o, leaseUntil: _u, ...recording } = out.Item;
  return recording as StoredRecording;
};

/* ---------------------------------------------------------------------------------- ingest states */

/**
 * Writes the call's idempotency record (`callRecord`, registers-store.ts's `callRecordPut`: this module
 * does not import the registers store, so functions that only read the catalogue need no registers
 * grant) and its PENDING catalogue entry atomically. Returns false when the call id is already
 * registered (by this or a concurrent request).
 */
export const registerCall = async (
  callRecord: { readonly Put: Record<string, unknown> & { TableName: string; Item: Item } },
  recording: StoredRecording,
): Promise<boolean> => {
  try {
    await dynamoDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          callRecord,
          {
            Put: {
              TableName: catalogueTable(),
              Item: recording,
              ConditionExpression: 'attribute_not_exists(recordingId)',
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/**
 * Takes the recording for one worker: only while it awaits its audio (PENDING or EXPIRED), and only
 * if no other message holds an unexpired lease. A redelivery of the same message (same owner) may take
 * its own lease back after a crash.
 */
export const acquireLease = async (
  recordingId: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> => {
  try {
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: catalogueTable(),
        Key: { recordingId },
        UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
        ConditionExpression:
          'attribute_exists(recordingId) AND #s IN (:pending, :expired) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':owner': owner,
          ':until': new Date(now.getTime() + leaseMs).toISOString(),
          ':now': now.toISOString(),
          ':pending': 'PENDING',
          ':expired': 'EXPIRED',
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/**
 * PENDING/EXPIRED → a final status in one conditional update (`set`, with its `values`, also sets the
 * status) that drops the lease. When the condition fails, a repeat of a delivery that already got there
 * (`alreadyDone` of the entry as it is now) is a no-op success; anything else throws the condition failure.
 */
const settle = async (
  recordingId: string,
  change: { set: string; values: Record<string, unknown> },
  alreadyDone: (current: StoredRecording | undefined) => boolean,
): Promise<void> => {
  try {
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: catalogueTable(),
        Key: { recordingId },
        UpdateExpression: `SET ${change.set} REMOVE leaseOwner, leaseUntil`,
        ConditionExpression: 'attribute_exists(recordingId) AND #s IN (:pending, :expired)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ...change.values, ':pending': 'PENDING', ':expired': 'EXPIRED' },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    if (!alreadyDone(await getRecording(recordingId))) throw error;
  }
};

/** PENDING/EXPIRED → ARCHIVED; a repeat on an ARCHIVED entry with the same key is a no-op success. */
export const markArchived = (recordingId: string, fields: ArchivedFields): Promise<void> =>
  settle(
    recordingId,
    {
      set:
        '#s = :archived, statusAt = :at, archivedAt = :at, archiveKey = :key, deleteDay = :day' +
        (fields.archiveVersionId ? ', archiveVersionId = :v' : ''),
      values: {
        ':archived': 'ARCHIVED',
        ':at': fields.archivedAt,
        ':key': fields.archiveKey,
        ':day': fields.deleteDay,
        ...(fields.archiveVersionId ? { ':v': fields.archiveVersionId } : {}),
      },
    },
    (current) => current?.status === 'ARCHIVED' && current.archiveKey === fields.archiveKey,
  );

/** PENDING/EXPIRED → QUARANTINED; repeating it is a no-op success. */
export const markQuarantined = (recordingId: string, q: QuarantineFields): Promise<void> =>
  settle(
    recordingId,
    {
      set: '#s = :q, statusAt = :at, quarantine = :quarantine',
      values: { ':q': 'QUARANTINED', ':at': q.at, ':quarantine': q },
    },
    (current) => current?.status === 'QUARANTINED',
  );

/** One page of recordings in a status whose statusAt is before `before` (byStatus index, never a Scan). */
export const queryByStatusBefore = async (
  status: Recording['status'],
  before: string,
  cursor?: Record<string, unknown>,
): Promise<{ items: StoredRecording[]; cursor?: Record<string, unknown> }> => {
  const out = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: catalogueTable(),
      IndexName: CATALOGUE_INDEXES.byStatus,
      KeyConditionExpression: '#s = :s AND statusAt < :before',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status, ':before': before },
      ExclusiveStartKey: cursor,
    }),
  );
  return { items: (out.Items ?? []) as StoredRecording[], cursor: out.LastEvaluatedKey };
};

/** PENDING → EXPIRED only if nothing touched it since it was read (statusAt unchanged). */
export const markExpired = async (
  recordingId: string,
  seenStatusAt: string,
  at: string,
): Promise<boolean> => {
  try {
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: catalogueTable(),
        Key: { recordingId },
        UpdateExpression: 'SET #s = :expired, statusAt = :at, expiredAt = :at',
        ConditionExpression: '#s = :pending AND statusAt = :seen',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':expired': 'EXPIRED',
          ':pending': 'PENDING',
          ':seen': seenStatusAt,
          ':at': at,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/* ------------------------------------------------- the fields the hold and deletion paths read */

const FACT_FIELDS = [
  'recordingId',
  'serviceArea',
  'startedAt',
  '#status',
  'deleteAfter',
  'deleteDay',
  'holdCount',
  'archiveKey',
  'archiveVersionId',
  'audio',
  'deletion',
].join(', ');

const toFacts = (item: Item): RecordingFacts => ({
  ...(item as unknown as RecordingFacts),
  holdCount: Number(item.holdCount ?? 0),
});

const encodeToken = (key: Item | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
const decodeToken = (token: string | undefined): Item | undefined =>
  token ? (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Item) : undefined;

export const getRecordingFacts = async (recordingId: string): Promise<RecordingFacts | undefined> => {
  const out = await dynamoDocumentClient().send(
    new GetCommand({
      TableName: catalogueTable(),
      Key: { recordingId },
      ConsistentRead: true,
      ProjectionExpression: FACT_FIELDS,
      ExpressionAttributeNames: { '#status': 'status' },
    }),
  );
  return out.Item ? toFacts(out.Item) : undefined;
};

/** Many recordings by id, 100 keys a request, unprocessed keys tried again after a backoff. */
export const getRecordingsFacts = async (recordingIds: readonly string[]): Promise<RecordingFacts[]> => {
  const table = catalogueTable();
  const found: RecordingFacts[] = [];
  const unique = [...new Set(recordingIds)];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Item[] | undefined = unique.slice(i, i + 100).map((recordingId) => ({ recordingId }));
    for (let attempt = 0; keys && keys.length > 0; attempt += 1) {
      const out = await dynamoDocumentClient().send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: keys,
              ProjectionExpression: FACT_FIELDS,
              ExpressionAttributeNames: { '#status': 'status' },
            },
          },
        }),
      );
      found.push(...(out.Responses?.[table] ?? []).map(toFacts));
      keys = out.UnprocessedKeys?.[table]?.Keys as Item[] | undefined;
      if (keys?.length) await backoff(attempt);
    }
  }
  return found;
};

/** One page of ARCHIVED recording ids matching a hold's query scope (byServiceArea index). */
export const queryScopePage = async (
  query: Extract<HoldScope, { query: unknown }>['query'],
  next?: string,
): Promise<Page<string>> => {
  // Archived recordings only: quarantined, pending or deleted ones have no audio of record to hold.
  const filters: string[] = ['#status = :archived'];
  const names: Record<string, string> = { '#status': 'status' };
  const values: Item = {
    ':area': query.serviceArea,
    ':from': query.from,
    ':to': query.to,
    ':archived': 'ARCHIVED',
  };
  if (query.extension) {
    filters.push('#ext = :ext');
    names['#ext'] = 'extension';
    values[':ext'] = query.extension;
  }
  if (query.agentId) {
    filters.push('agentId = :agent');
    values[':agent'] = query.agentId;
  }
  const out = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: catalogueTable(),
      IndexName: CATALOGUE_INDEXES.byServiceArea,
      KeyConditionExpression: 'serviceArea = :area AND startedAt BETWEEN :from AND :to',
      FilterExpression: filters.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ProjectionExpression: 'recordingId',
      ExclusiveStartKey: decodeToken(next),
      Limit: 1000,
    }),
  );
  // A filtered page may be empty and still have a next page.
  const items = (out.Items ?? []).map((i) => i.recordingId as string);
  const token = encodeToken(out.LastEvaluatedKey);
  return token ? { items, next: token } : { items };
};

/** Recordings indexed under one deletion day with delete-after at or before `until` (byDeletionDay). */
export const dueOnDay = async (
  day: string,
  until: string,
  limit: number,
  next?: string,
): Promise<Page<RecordingFacts>> => {
  const out = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: catalogueTable(),
      IndexName: CATALOGUE_INDEXES.byDeletionDay,
      KeyConditionExpression: 'deleteDay = :day AND deleteAfter <= :until',
      ExpressionAttributeValues: { ':day': day, ':until': until },
      ExclusiveStartKey: decodeToken(next),
      Limit: limit,
    }),
  );
  const items = (out.Items ?? []).map(toFacts);
  const token = encodeToken(out.LastEvaluatedKey);
  return token ? { items, next: token } : { items };
};

/**
 * Recordings that still have a deleteDay, in one status, due on or before `byDay` (and on or after
 * `fromDay`), by deleteDay (the sparse awaitingDeletion index): what the deletion sweep reads.
 */
export const awaitingDeletion = async (
  status: 'ARCHIVED' | 'DELETED',
  byDay: string,
  limit: number,
  next?: string,
  fromDay?: string,
): Promise<Page<RecordingFacts>> => {
  const out = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: catalogueTable(),
      IndexName: CATALOGUE_INDEXES.awaitingDeletion,
      KeyConditionExpression: fromDay
        ? '#status = :status AND deleteDay BETWEEN :from AND :by'
        : '#status = :status AND deleteDay <= :by',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': status,
        ':by': byDay,
        ...(fromDay ? { ':from': fromDay } : {}),
      },
      ExclusiveStartKey: decodeToken(next),
      Limit: limit,
    }),
  );
  const items = (out.Items ?? []).map(toFacts);
  const token = encodeToken(out.LastEvaluatedKey);
  return token ? { items, next: token } : { items };
};

/* ----------------------------------------------------------------------------------------- search */

type Partition = {
  index: string;
  attribute: 'callerHash' | 'extension' | 'agentId' | 'serviceArea';
  value: string;
};

/** The most selective index the filters allow. */
const partitionFor = (q: RecordingSearch): Partition => {
  if (q.callerHash)
    return { index: CATALOGUE_INDEXES.byCaller, attribute: 'callerHash', value: q.callerHash };
  if (q.extension)
    return { index: CATALOGUE_INDEXES.byExtension, attribute: 'extension', value: q.extension };
  if (q.agentId) return { index: CATALOGUE_INDEXES.byAgent, attribute: 'agentId', value: q.agentId };
  if (q.serviceArea) {
    return { index: CATALOGUE_INDEXES.byServiceArea, attribute: 'serviceArea', value: q.serviceArea };
  }
  throw new Error('searchRecordings needs serviceArea, callerHash, extension or agentId');
};

/**
 * The query for a search, newest first. Built (and its cursor checked → 400) before anything is written,
 * so bad input never reaches the audit log.
 */
export const recordingQuery = (q: RecordingSearch): QueryCommandInput => {
  const p = partitionFor(q);
  const names: Record<string, string> = { '#pk': p.attribute };
  if (q.from || q.to) names['#started'] = 'startedAt';
  const values: Record<string, unknown> = { ':pk': p.value };
  let keyCondition = '#pk = :pk';
  if (q.from && q.to) {
    keyCondition += ' AND #started BETWEEN :from AND :to';
    Object.assign(values, { ':from': q.from, ':to': q.to });
  } else if (q.from) {
    keyCondition += ' AND #started >= :from';
    values[':from'] = q.from;
  } else if (q.to) {
    keyCondition += ' AND #started <= :to';
    values[':to'] = q.to;
  }
  const filters: string[] = [];
  const equal = (attribute: string, value: string | undefined) => {
    if (value === undefined || attribute === p.attribute) return;
    const n = filters.length;
    names[`#f${n}`] = attribute;
    values[`:f${n}`] = value;
    filters.push(`#f${n} = :f${n}`);
  };
  equal('serviceArea', q.serviceArea);
  equal('extension', q.extension);
  equal('agentId', q.agentId);
  equal('status', q.status);
  if (p.attribute !== 'serviceArea' && q.serviceArea === undefined) {
    // Other indexes span service areas: keep only the caller's.
    names['#area'] = 'serviceArea';
    const placeholders = q.areas.map((area, i) => {
      values[`:area${i}`] = area;
      return `:area${i}`;
    });
    filters.push(`#area IN (${placeholders.join(', ')})`);
  }
  const shape: CursorShape = { partition: [p.attribute, p.value], keys: ['recordingId', 'startedAt'] };
  return {
    TableName: catalogueTable(),
    IndexName: p.index,
    KeyConditionExpression: keyCondition,
    FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
    Limit: q.limit,
    ExclusiveStartKey: q.cursor ? decodeCursor(q.cursor, shape) : undefined,
  };
};

export const searchRecordings = async (query: QueryCommandInput): Promise<RecordingPage> => {
  const out = await dynamoDocumentClient().send(new QueryCommand(query));
  return {
    items: (out.Items ?? []) as Recording[],
    cursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : undefined,
  };
};

/* --------------------------------------------------------------------------------- holds' count */

/**
 * The catalogue's half of linking a hold (holds-store.ts puts it in the link's transaction): one more
 * active hold, only on an ARCHIVED recording.
 */
export const holdCountUp = (recordingId: string) => ({
  Update: {
    TableName: catalogueTable(),
    Key: { recordingId },
    UpdateExpression: 'ADD holdCount :one',
    ConditionExpression: 'attribute_exists(recordingId) AND #status = :archived',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':one': 1, ':archived': 'ARCHIVED' },
  },
});

/** The catalogue's half of unlinking a hold: one active hold fewer, never below zero. */
export const holdCountDown = (recordingId: string) => ({
  Update: {
    TableName: catalogueTable(),
    Key: { recordingId },
    UpdateExpression: 'ADD holdCount :minus',
    ConditionExpression: 'holdCount > :zero',
    ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
  },
});

/* --------------------------------------------------------------------------------------- deletion */

/** Which catalogue item may become DELETED: a DynamoDB condition with its own names and values. */
interface DeletionCondition {
  readonly expression: string;
  readonly names?: Record<string, string>;
  readonly values?: Record<string, unknown>;
  /** Drop the recording from the deletion-day index in the same write (the object is already gone). */
  readonly leaveDeleteDay?: boolean;
}

/**
 * The one write that marks a recording DELETED: the status, the certificate and the deletion record that
 * GET /reports/deletions lists, in one transaction, only while `condition` holds. False when it does not.
 */
const deleteWithRecord = async (
  recording: DeletedRecording,
  certificate: DeletionCertificate,
  condition: DeletionCondition,
): Promise<boolean> => {
  try {
    await dynamoDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: catalogueTable(),
              Key: { recordingId: recording.recordingId },
              UpdateExpression: `SET #status = :deleted, statusAt = :at, deletion = :cert${
                condition.leaveDeleteDay ? '' : ' REMOVE deleteDay'
              }`,
              ConditionExpression: condition.expression,
              ExpressionAttributeNames: { '#status': 'status', ...condition.names },
              ExpressionAttributeValues: {
                ':deleted': 'DELETED',
                ':at': certificate.at,
                ':cert': certificate,
                ...condition.values,
              },
            },
          },
          deletionRecordPut(recording, certificate),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/**
 * The policy's "mark deleted": ARCHIVED → DELETED only while no hold is active and the deletion's floor
 * date has passed (false when that no longer holds: a hold landed, it is already deleted, ...).
 * deleteDay stays until the object version is gone (`clearDeleteDay`), so an interrupted deletion is
 * finished by the sweeper when it walks that day.
 */
export const markDeleted = (
  recording: DeletedRecording,
  certificate: DeletionCertificate,
  floor: DeletionFloor,
): Promise<boolean> =>
  deleteWithRecord(recording, certificate, {
    expression:
      '#status = :archived AND (attribute_not_exists(holdCount) OR holdCount = :zero) AND #floor <= :at',
    names: { '#floor': floor },
    values: { ':archived': 'ARCHIVED', ':zero': 0 },
    leaveDeleteDay: true,
  });

/** The object is gone: drop the recording from the deletion-day index. */
export const clearDeleteDay = async (recordingId: string): Promise<void> => {
  await dynamoDocumentClient().send(
    new UpdateCommand({
      TableName: catalogueTable(),
      Key: { recordingId },
      UpdateExpression: 'REMOVE deleteDay',
      ConditionExpression: '#status = :deleted',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':deleted': 'DELETED' },
    }),
  );
};

/**
 * Undoes `markDeleted` when the object itself could not be deleted (e.g. a legal hold on the version):
 * back to ARCHIVED as it was, and the deletion record taken back, in one transaction.
 */
export const restoreArchived = async (
  before: Pick<Recording, 'recordingId' | 'statusAt'>,
  certificate: DeletionCertificate,
): Promise<void> => {
  await dynamoDocumentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: catalogueTable(),
            Key: { recordingId: before.recordingId },
            UpdateExpression: 'SET #status = :archived, statusAt = :statusAt REMOVE deletion',
            ConditionExpression: '#status = :deleted AND deletion.#at = :deletedAt',
            ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
            ExpressionAttributeValues: {
              ':archived': 'ARCHIVED',
              ':deleted': 'DELETED',
              ':statusAt': before.statusAt,
              ':deletedAt': certificate.at,
            },
          },
        },
        deletionRecordDelete(before.recordingId, certificate),
      ],
    }),
  );
};

/**
 * Records a deletion the archive already made (S3 lifecycle expiry): not a decision, so no policy
 * guard — any state but DELETED → DELETED, out of the deletion-day index. False if it was already
 * DELETED (a repeated event).
 */
export const recordArchiveDeletion = (
  recording: DeletedRecording,
  certificate: DeletionCertificate,
): Promise<boolean> =>
  deleteWithRecord(recording, certificate, {
    expression: 'attribute_exists(recordingId) AND #status <> :deleted',
  });

/** The catalogue as the hold, sweeper and lifecycle use cases see it (RecordingsPort). */
export const dynamoRecordings = (): RecordingsPort => ({
  getRecording: getRecordingFacts,
  getRecordings: getRecordingsFacts,
  queryScopePage,
  dueOnDay,
  awaitingDeletion,
  markDeleted,
  clearDeleteDay,
  recordArchiveDeletion,
});
