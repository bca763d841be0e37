/**
 * DynamoDB implementation of the HoldsStore port (functions/domain/holds.ts).
 *
 * Holds table items (pk / sk):
 *   HOLD#<id> / META            the hold, with progress counters (atomic ADD) and the page ids counted
 *                               gsi1 = HOLDS#ACTIVE / <reviewDate>#<id> (sparse: removed on lift)
 *                               gsi2 = HOLDS / <placedAt>#<id>
 *   HOLD#<id> / REC#<rid>       link hold ↔ recording; gsi2 = REC#<rid> / HOLD#<id>
 *   HOLD#<id> / REVIEW#<at>     a review
 *   DELETIONS#<YYYY-MM> / <at>#<rid>   a deletion certificate, indexed by month for the report
 *   SWEEPER#deletion / CURSOR   the deletion sweeper's resume point
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CATALOGUE_INDEXES } from '../../declarations/tables.js';
import type {
  ApplyOutcome,
  DeletionRecord,
  HeldLink,
  Hold,
  HoldFailure,
  HoldReview,
  HoldsStore,
  Page,
  RecordingFacts,
  ReleaseOutcome,
  SweepCursor,
} from '../domain/holds.js';
import { dayOf, MAX_NAMED_FAILURES } from '../domain/holds.js';
import type { DeletionCertificate } from '../domain/recording.js';
import { dynamoDocumentClient } from './clients/dynamodb.js';
import { queryAll } from './query-all.js';

type Item = Record<string, unknown>;

const holdKey = (holdId: string) => ({ pk: `HOLD#${holdId}`, sk: 'META' });
const linkKey = (holdId: string, recordingId: string) => ({ pk: `HOLD#${holdId}`, sk: `REC#${recordingId}` });
const CURSOR_KEY = { pk: 'SWEEPER#deletion', sk: 'CURSOR' };
const ACTIVE_PK = 'HOLDS#ACTIVE';

export const encodeToken = (key: Item | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
export const decodeToken = (token: string | undefined): Item | undefined =>
  token ? (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Item) : undefined;

const RECORDING_FIELDS = [
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
];

const toFacts = (item: Item): RecordingFacts => ({
  ...(item as unknown as RecordingFacts),
  holdCount: Number(item.holdCount ?? 0),
});

const toHold = (item: Item): Hold => ({
  holdId: item.holdId as string,
  caseRef: item.caseRef as string,
  reason: item.reason as string,
  reviewDate: item.reviewDate as string,
  scope: item.scope as Hold['scope'],
  ...(item.retainUntil ? { retainUntil: item.retainUntil as string } : {}),
  ...(item.igGuidanceRef ? { igGuidanceRef: item.igGuidanceRef as string } : {}),
  status: item.status as Hold['status'],
  placedBy: item.placedBy as string,
  placedAt: item.placedAt as string,
  scopeResolved: item.scopeResolved === true,
  progress: {
    matched: Number(item.matched ?? 0),
    applied: Number(item.applied ?? 0),
    failed: Number(item.failed ?? 0),
    released: Number(item.released ?? 0),
  },
  ...(item.failures ? { failures: failuresOf(item.failures as Set<string>) } : {}),
  ...(item.lifted ? { lifted: item.lifted as Hold['lifted'] } : {}),
  ...(item.lastReview ? { lastReview: item.lastReview as HoldReview } : {}),
});

/** Failures are kept as a string set of JSON entries (ADD merges a retried page's without doubles). */
const failuresOf = (set: Set<string>): HoldFailure[] =>
  [...set]
    .map((entry) => JSON.parse(entry) as HoldFailure)
    .sort((a, b) => a.recordingId.localeCompare(b.recordingId))
    .slice(0, MAX_NAMED_FAILURES);

const reasonsOf = (error: unknown): string[] | undefined =>
  error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None')
    : undefined;

const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: string })?.name === 'ConditionalCheckFailedException';

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(500, 10 * 2 ** attempt)));

/** Transactions touching a hot item (the hold) may be cancelled by a concurrent one: try again. */
const retryConflicts = async <T>(work: () => Promise<T>): Promise<T> => {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const reasons = reasonsOf(error);
      const conflict =
        reasons?.includes('TransactionConflict') ||
        (error as { name?: string })?.name === 'TransactionConflictException' ||
        (error as { name?: string })?.name === 'TransactionInProgressException';
      if (!conflict || attempt >= 12) throw error;
      await pause(attempt);
    }
  }
};

export interface HoldsStoreTables {
  readonly holds: string;
  readonly catalogue: string;
}

export const dynamoHoldsStore = (tables: HoldsStoreTables): HoldsStore => {
  const db = () => dynamoDocumentClient();

  /**
   * Marks a recording DELETED with its certificate and writes the deletion record for
   * GET /reports/deletions in one transaction; false when `update`'s condition does not hold.
   * `update` brings the catalogue update and its condition; `:deleted`, `:at` and `:cert` are supplied here.
   */
  const certifyDeletion = async (
    recording: DeletedRecording,
    certificate: DeletionCertificate,
    update: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Item },
  ): Promise<boolean> => {
    try {
      await db().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tables.catalogue,
                Key: { recordingId: recording.recordingId },
                UpdateExpression: update.UpdateExpression,
                ConditionExpression: update.ConditionExpression,
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':deleted': 'DELETED',
                  ':at': certificate.at,
                  ':cert': certificate,
                  ...update.ExpressionAttributeValues,
                },
              },
            },
            { Put: { TableName: tables.holds, Item: deletionItem(recording, certificate) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (reasonsOf(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  };

  const getRecording = async (recordingId: string): Promise<RecordingFacts | undefined> => {
    const out = await db().send(
      new GetCommand({
        TableName: tables.catalogue,
        Key: { recordingId },
        ConsistentRead: true,
        ProjectionExpression: RECORDING_FIELDS.join(', '),
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    return out.Item ? toFacts(out.Item) : undefined;
  };

  return {
    async createHold(hold) {
      const { progress, ...rest } = hold;
      await db().send(
        new PutCommand({
          TableName: tables.holds,
          Item: {
            ...holdKey(hold.holdId),
            ...rest,
            ...progress,
            gsi1pk: ACTIVE_PK,
            gsi1sk: `${hold.reviewDate}#${hold.holdId}`,
            gsi2pk: 'HOLDS',
            gsi2sk: `${hold.placedAt}#${hold.holdId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async getHold(holdId) {
      const out = await db().send(
        new GetCommand({ TableName: tables.holds, Key: holdKey(holdId), ConsistentRead: true }),
      );
      return out.Item ? toHold(out.Item) : undefined;
    },

    async listActiveHolds(dueBy) {
      const items = await queryAll({
        TableName: tables.holds,
        IndexName: 'gsi1',
        KeyConditionExpression: dueBy ? 'gsi1pk = :pk AND gsi1sk <= :due' : 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': ACTIVE_PK, ...(dueBy ? { ':due': `${dueBy}#~` } : {}) },
      });
      return items.map(toHold);
    },

    async applyToRecording(holdId, recordingId, at): Promise<ApplyOutcome> {
      // Read first: the link carries the 24-month point (for the retention report) and S3 needs the key.
      // The transaction below re-checks everything that matters, so a stale read cannot double-count.
      const recording = await getRecording(recordingId);
      if (!recording) return { outcome: 'missing' };
      if (recording.status !== 'ARCHIVED') return { outcome: 'not-archived', status: recording.status };
      try {
        await retryConflicts(() =>
          db().send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  ConditionCheck: {
                    TableName: tables.holds,
                    Key: holdKey(holdId),
                    ConditionExpression: '#status = :active',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: { ':active': 'ACTIVE' },
                  },
                },
                {
                  Put: {
                    TableName: tables.holds,
                    Item: {
                      ...linkKey(holdId, recordingId),
                      holdId,
                      recordingId,
                      linkedAt: at,
                      deleteAfter: recording.deleteAfter,
                      gsi2pk: `REC#${recordingId}`,
                      gsi2sk: `HOLD#${holdId}`,
                    },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                {
                  Update: {
                    TableName: tables.catalogue,
                    Key: { recordingId },
                    UpdateExpression: 'ADD holdCount :one',
                    ConditionExpression: 'attribute_exists(recordingId) AND #status = :archived',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: { ':one': 1, ':archived': 'ARCHIVED' },
                  },
                },
              ],
            }),
          ),
        );
      } catch (error) {
        const reasons = reasonsOf(error);
        if (!reasons) throw error;
        if (reasons[0] === 'ConditionalCheckFailed') return { outcome: 'hold-inactive' };
        if (reasons[1] === 'ConditionalCheckFailed') return { outcome: 'already', recording };
        if (reasons[2] === 'ConditionalCheckFailed') {
          const now = await getRecording(recordingId);
          return now ? { outcome: 'not-archived', status: now.status } : { outcome: 'missing' };
        }
        throw error;
      }
      return { outcome: 'applied', recording: { ...recording, holdCount: recording.holdCount + 1 } };
    },

    async releaseFromRecording(holdId, recordingId): Promise<ReleaseOutcome> {
      try {
        await retryConflicts(() =>
          db().send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Delete: {
                    TableName: tables.holds,
                    Key: linkKey(holdId, recordingId),
                    ConditionExpression: 'attribute_exists(pk)',
                  },
                },
                {
                  Update: {
                    TableName: tables.catalogue,
                    Key: { recordingId },
                    UpdateExpression: 'ADD holdCount :minus',
                    ConditionExpression: 'holdCount > :zero',
                    ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
                  },
                },
              ],
            }),
          ),
        );
      } catch (error) {
        const reasons = reasonsOf(error);
        if (reasons?.[0] === 'ConditionalCheckFailed') return { outcome: 'not-linked' };
        throw error;
      }
      const recording = await getRecording(recordingId);
      if (!recording) throw new Error(`recording ${recordingId} vanished while being released`);
      return { outcome: 'released', recording };
    },

    async addProgress(holdId, pageId, delta, resolved = false, failures = []) {
      const adds: [string, unknown][] = Object.entries(delta).filter(([, v]) => v !== undefined && v !== 0);
      if (failures.length > 0) adds.push(['failures', new Set(failures.map((f) => JSON.stringify(f)))]);
      const names: Record<string, string> = { '#pages': 'countedPages' };
      const values: Item = { ':page': new Set([pageId]), ':pageId': pageId };
      const parts = ['#pages :page'];
      for (const [k, v] of adds) {
        names[`#${k}`] = k;
        values[`:${k}`] = v;
        parts.push(`#${k} :${k}`);
      }
      const set = resolved ? ' SET scopeResolved = :true' : '';
      if (resolved) values[':true'] = true;
      try {
        await retryConflicts(() =>
          db().send(
            new UpdateCommand({
              TableName: tables.holds,
              Key: holdKey(holdId),
              UpdateExpression: `ADD ${parts.join(', ')}${set}`,
              ConditionExpression: 'attribute_exists(pk) AND NOT contains(#pages, :pageId)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          ),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async markLifted(holdId, lifted) {
      try {
        await retryConflicts(() =>
          db().send(
            new UpdateCommand({
              TableName: tables.holds,
              Key: holdKey(holdId),
              UpdateExpression: 'SET #status = :lifted, lifted = :l REMOVE gsi1pk, gsi1sk',
              ConditionExpression: '#status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':lifted': 'LIFTED', ':active': 'ACTIVE', ':l': lifted },
            }),
          ),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async recordReview(holdId, review) {
      await retryConflicts(() =>
        db().send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tables.holds,
                  Item: { pk: `HOLD#${holdId}`, sk: `REVIEW#${review.at}`, ...review },
                },
              },
              {
                Update: {
                  TableName: tables.holds,
                  Key: holdKey(holdId),
                  UpdateExpression: review.nextReview
                    ? 'SET lastReview = :r, reviewDate = :next, gsi1sk = :sk'
                    : 'SET lastReview = :r',
                  ConditionExpression: '#status = :active',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':r': review,
                    ':active': 'ACTIVE',
                    ...(review.nextReview
                      ? { ':next': review.nextReview, ':sk': `${review.nextReview}#${holdId}` }
                      : {}),
                  },
                },
              },
            ],
          }),
        ),
      );
    },

    async linkedRecordings(holdId, limit) {
      const out = await db().send(
        new QueryCommand({
          TableName: tables.holds,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rec)',
          ExpressionAttributeValues: { ':pk': `HOLD#${holdId}`, ':rec': 'REC#' },
          ProjectionExpression: 'recordingId',
          ConsistentRead: true,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => i.recordingId as string);
    },

    async linksOfActiveHold(holdId) {
      const items = await queryAll({
        TableName: tables.holds,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rec)',
        ExpressionAttributeValues: { ':pk': `HOLD#${holdId}`, ':rec': 'REC#' },
      });
      return items.map(
        (i): HeldLink => ({
          holdId,
          recordingId: i.recordingId as string,
          deleteAfter: (i.deleteAfter as string) ?? '',
        }),
      );
    },

    getRecording,

    async getRecordings(recordingIds) {
      const found: RecordingFacts[] = [];
      const unique = [...new Set(recordingIds)];
      for (let i = 0; i < unique.length; i += 100) {
        let keys: Item[] | undefined = unique.slice(i, i + 100).map((recordingId) => ({ recordingId }));
        for (let attempt = 0; keys && keys.length > 0; attempt += 1) {
          const out = await db().send(
            new BatchGetCommand({
              RequestItems: {
                [tables.catalogue]: {
                  Keys: keys,
                  ProjectionExpression: RECORDING_FIELDS.join(', '),
                  ExpressionAttributeNames: { '#status': 'status' },
                },
              },
            }),
          );
          found.push(...(out.Responses?.[tables.catalogue] ?? []).map(toFacts));
          keys = out.UnprocessedKeys?.[tables.catalogue]?.Keys as Item[] | undefined;
          if (keys?.length) await pause(attempt);
        }
      }
      return found;
    },

    async queryScopePage(query, next) {
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
      const out = await db().send(
        new QueryCommand({
          TableName: tables.catalogue,
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
    },

    async dueOnDay(day, until, limit, next): Promise<Page<RecordingFacts>> {
      const out = await db().send(
        new QueryCommand({
          TableName: tables.catalogue,
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
    },

    async awaitingDeletion(status, byDay, limit, next, fromDay) {
      const out = await db().send(
        new QueryCommand({
          TableName: tables.catalogue,
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
    },

    markDeleted: (recording, certificate, now) =>
      certifyDeletion(recording, certificate, {
        // deleteDay stays until the object version is gone, so an interrupted run resumes.
        UpdateExpression: 'SET #status = :deleted, statusAt = :at, deletion = :cert',
        ConditionExpression:
          '#status = :archived AND (attribute_not_exists(holdCount) OR holdCount = :zero) AND deleteAfter <= :now',
        ExpressionAttributeValues: { ':archived': 'ARCHIVED', ':zero': 0, ':now': now },
      }),

    async clearDeleteDay(recordingId) {
      await db().send(
        new UpdateCommand({
          TableName: tables.catalogue,
          Key: { recordingId },
          UpdateExpression: 'REMOVE deleteDay',
          ConditionExpression: '#status = :deleted',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':deleted': 'DELETED' },
        }),
      );
    },

    markDeletedByLifecycle: (recording, certificate) =>
      certifyDeletion(recording, certificate, {
        UpdateExpression: 'SET #status = :deleted, statusAt = :at, deletion = :cert REMOVE deleteDay',
        ConditionExpression: 'attribute_exists(recordingId) AND #status <> :deleted',
        ExpressionAttributeValues: {},
      }),

    async getCursor() {
      const out = await db().send(
        new GetCommand({ TableName: tables.holds, Key: CURSOR_KEY, ConsistentRead: true }),
      );
      if (!out.Item) return undefined;
      return out.Item.next
        ? { day: out.Item.day as string, next: out.Item.next as string }
        : { day: out.Item.day as string };
    },

    async putCursor(cursor: SweepCursor) {
      await db().send(new PutCommand({ TableName: tables.holds, Item: { ...CURSOR_KEY, ...cursor } }));
    },

    async rewindCursor(day) {
      try {
        await db().send(
          new UpdateCommand({
            TableName: tables.holds,
            Key: CURSOR_KEY,
            UpdateExpression: 'SET #day = :day REMOVE #next',
            ConditionExpression: 'attribute_exists(pk) AND #day > :day',
            ExpressionAttributeNames: { '#day': 'day', '#next': 'next' },
            ExpressionAttributeValues: { ':day': day },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async deletionsBetween(fromDay, toDay) {
      const records: DeletionRecord[] = [];
      for (const month of monthsBetween(fromDay, toDay)) {
        const items = await queryAll({
          TableName: tables.holds,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': `DELETIONS#${month}`,
            ':from': fromDay,
            ':to': `${toDay}~`,
          },
        });
        for (const i of items)
          records.push({
            recordingId: i.recordingId as string,
            serviceArea: i.serviceArea as string,
            deleteAfter: i.deleteAfter as string,
            certificate: i.certificate as DeletionCertificate,
          });
      }
      return records;
    },
  };
};

type DeletedRecording = Pick<RecordingFacts, 'recordingId' | 'serviceArea' | 'deleteAfter'>;

const deletionItem = (recording: DeletedRecording, certificate: DeletionCertificate): Item => ({
  pk: `DELETIONS#${dayOf(certificate.at).slice(0, 7)}`,
  sk: `${certificate.at}#${recording.recordingId}`,
  recordingId: recording.recordingId,
  serviceArea: recording.serviceArea,
  deleteAfter: recording.deleteAfter,
  certificate,
});

/**
 * Writes the `DELETIONS#<YYYY-MM>` record of a deletion made outside the sweeper and the lifecycle (a
 * nominated officer's delete), so GET /reports/deletions lists it: the item the sweeper writes, keyed by
 * the certificate, so writing it again changes nothing.
 */
export const putDeletionRecord = async (
  holdsTable: string,
  recording: DeletedRecording,
  certificate: DeletionCertificate,
): Promise<void> => {
  await dynamoDocumentClient().send(
    new PutCommand({ TableName: holdsTable, Item: deletionItem(recording, certificate) }),
  );
};

export const monthsBetween = (fromDay: string, toDay: string): string[] => {
  const months: string[] = [];
  let y = Number(fromDay.slice(0, 4));
  let m = Number(fromDay.slice(5, 7));
  const endY = Number(toDay.slice(0, 4));
  const endM = Number(toDay.slice(5, 7));
  while (y < endY || (y === endY && m <= endM)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
};
