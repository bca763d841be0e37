/**
 * DynamoDB implementation of the HoldsStore port (functions/domain/holds.ts): holds and their links.
 * The catalogue's side of a link (holdCount) is catalogue-store.ts's, put in the same transaction.
 *
 * Holds table items (pk / sk):
 *   HOLD#<id> / META            the hold, with progress counters (atomic ADD) and the page ids counted
 *                               gsi1 = HOLDS#ACTIVE / <reviewDate>#<id> (sparse: removed on lift)
 *                               gsi2 = HOLDS / <placedAt>#<id>
 *   HOLD#<id> / REC#<rid>       link hold ↔ recording; gsi2 = REC#<rid> / HOLD#<id>
 *   HOLD#<id> / REVIEW#<at>     a review
 * The same table also keeps the deletion report's records (deletion-records.ts) and the deletion
 * sweeper's cursor (sweep-cursor-store.ts).
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ApplyOutcome,
  HeldLink,
  Hold,
  HoldFailure,
  HoldReview,
  HoldsStore,
  ReleaseOutcome,
} from '../domain/holds.js';
import { MAX_NAMED_FAILURES } from '../domain/holds.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { conditionFailedAt, isConditionFailure, isTransactionConflict } from '../platform/conditions.js';
import { queryAll } from '../platform/query-all.js';
import { retrying } from '../platform/retry.js';
import { getRecordingFacts, holdCountDown, holdCountUp } from './catalogue-store.js';

type Item = Record<string, unknown>;

const holdKey = (holdId: string) => ({ pk: `HOLD#${holdId}`, sk: 'META' });
const linkKey = (holdId: string, recordingId: string) => ({ pk: `HOLD#${holdId}`, sk: `REC#${recordingId}` });
const ACTIVE_PK = 'HOLDS#ACTIVE';

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

/** Transactions touching a hot item (the hold) may be cancelled by a concurrent one: try again. */
const retryConflicts = <T>(work: () => Promise<T>): Promise<T> =>
  retrying({ retryable: isTransactionConflict, retries: 12 }, work);

export const dynamoHoldsStore = (table: string): HoldsStore => {
  const db = () => dynamoDocumentClient();
  const getRecording = getRecordingFacts;

  return {
    async createHold(hold) {
      const { progress, ...rest } = hold;
      await db().send(
        new PutCommand({
          TableName: table,
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
        new GetCommand({ TableName: table, Key: holdKey(holdId), ConsistentRead: true }),
      );
      return out.Item ? toHold(out.Item) : undefined;
    },

    async listActiveHolds(dueBy) {
      const items = await queryAll({
        TableName: table,
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
                    TableName: table,
                    Key: holdKey(holdId),
                    ConditionExpression: '#status = :active',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: { ':active': 'ACTIVE' },
                  },
                },
                {
                  Put: {
                    TableName: table,
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
                holdCountUp(recordingId),
              ],
            }),
          ),
        );
      } catch (error) {
        if (conditionFailedAt(error, 0)) return { outcome: 'hold-inactive' };
        if (conditionFailedAt(error, 1)) return { outcome: 'already', recording };
        if (conditionFailedAt(error, 2)) {
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
                    TableName: table,
                    Key: linkKey(holdId, recordingId),
                    ConditionExpression: 'attribute_exists(pk)',
                  },
                },
                holdCountDown(recordingId),
              ],
            }),
          ),
        );
      } catch (error) {
        if (conditionFailedAt(error, 0)) return { outcome: 'not-linked' };
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
              TableName: table,
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
              TableName: table,
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
                  TableName: table,
                  Item: { pk: `HOLD#${holdId}`, sk: `REVIEW#${review.at}`, ...review },
                },
              },
              {
                Update: {
                  TableName: table,
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
          TableName: table,
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
        TableName: table,
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
  };
};
