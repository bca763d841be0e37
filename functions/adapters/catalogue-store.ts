/**
 * The recordings catalogue: one item per recording (functions/domain/recording.ts). Every state change
 * is a conditional write, so repeated or concurrent steps of the ingest pipeline cannot regress a
 * recording or create a second one.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CATALOGUE_INDEXES } from '../../declarations/tables.js';
import type { Recording } from '../domain/recording.js';
import { dynamoDocumentClient } from './clients/dynamodb.js';
import { tableName } from './env.js';
import { type CallRecord, registerKeys, registersTable } from './registers-store.js';

export const catalogueTable = (): string => tableName('catalogue');

export type StoredRecording = Recording & { readonly complianceFlags?: readonly string[] };

export const getRecording = async (recordingId: string): Promise<StoredRecording | undefined> => {
  const out = await dynamoDocumentClient().send(
    new GetCommand({ TableName: catalogueTable(), Key: { recordingId }, ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const { leaseOwner: _o, leaseUntil: _u, ...recording } = out.Item;
  return recording as StoredRecording;
};

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string })?.name === 'ConditionalCheckFailedException' ||
  ((error instanceof TransactionCanceledException ||
    (error as { name?: string })?.name === 'TransactionCanceledException') &&
    ((error as TransactionCanceledException).CancellationReasons ?? []).some(
      (r) => r.Code === 'ConditionalCheckFailed',
    ));

/**
 * Writes the call's idempotency record and its PENDING catalogue entry atomically.
 * Returns false when the call id is already registered (by this or a concurrent request).
 */
export const registerCall = async (call: CallRecord, recording: StoredRecording): Promise<boolean> => {
  try {
    await dynamoDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: registersTable(),
              Item: { ...registerKeys.call(call.callId), kind: 'call', ...call },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
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

export interface ArchivedFields {
  readonly archivedAt: string;
  readonly archiveKey: string;
  readonly archiveVersionId?: string;
  readonly deleteDay: string;
}

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

export interface QuarantineFields {
  readonly reason: string;
  readonly detail: string;
  readonly at: string;
  readonly key: string;
}

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
