/**
 * Release requests in the `releases` table, the recording lookup they need, and the released copies in
 * the `releases` bucket.
 *
 * Items (pk / sk):
 *   RELEASE#<id>    / RELEASE        the release; gsi1 = requester, gsi2 = recording's service area,
 *                                     gsi3 = state with the time it falls due (expiry) or else updatedAt
 *   RECORDING#<rid> / RELEASE#<id>   pointer, written with the release in one transaction
 * Every change is a conditional Put on the state and version read, so double approval and races lose;
 * it is one transaction with the next link of the Release of Recording Log (releaseLog table, chain
 * `releases`), so no state change is ever unlogged and no entry describes a change that did not happen.
 */
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../declarations/environment.js';
import { RELEASES_METRIC } from '../../declarations/metrics.js';
import { ConflictError } from '../domain/errors.js';
import { type ChainLink, nextLink } from '../domain/hash-chain.js';
import type { Release, ReleaseLogPayload } from '../domain/release.js';
import { ENTRY_CHAIN } from '../domain/release-log-format.js';
import { contentTypeOf } from '../domain/upload.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { cancellationReasons, conditionFailedAt } from '../platform/conditions.js';
import { bucketName, requireEnv, tableName } from '../platform/env.js';
import { metric } from '../platform/metrics.js';
import { queryAll } from '../platform/query-all.js';
import { retrying } from '../platform/retry.js';
import type {
  RecordingCatalogue,
  RecordingRef,
  ReleaseCopies,
  ReleaseQuery,
  ReleaseRepository,
} from '../ports/release.js';
import { getRecording } from './catalogue-store.js';
import { readHead } from './chain-store.js';
import { copyObject, deleteObject, headObject } from './object-store.js';
import { presignGet } from './playback-objects.js';
import { releaseLogIndexKeys } from './release-log.js';

const keys = {
  release: (id: string) => ({ pk: `RELEASE#${id}`, sk: 'RELEASE' }),
  pointer: (recordingId: string, id: string) => ({ pk: `RECORDING#${recordingId}`, sk: `RELEASE#${id}` }),
};

/** The time a state falls due: sweepers query `gsi3sk <= now` on REQUESTED and ISSUED. */
const dueAt = (r: Release): string =>
  r.state === 'REQUESTED'
    ? r.requestExpiresAt
    : r.state === 'ISSUED'
      ? (r.copy?.expiresAt ?? r.updatedAt)
      : r.updatedAt;

const toItem = (r: Release) => ({
  ...keys.release(r.releaseId),
  kind: 'release',
  ...r,
  gsi1pk: `REQUESTER#${r.requesterId}`,
  gsi1sk: `${r.createdAt}#${r.releaseId}`,
  gsi2pk: `AREA#${r.recordingServiceArea}`,
  gsi2sk: `${r.createdAt}#${r.releaseId}`,
  gsi3pk: `STATE#${r.state}`,
  gsi3sk: `${dueAt(r)}#${r.releaseId}`,
});

const fromItem = (item: Record<string, unknown>): Release => {
  const {
    pk: _pk,
    sk: _sk,
    kind: _k,
    gsi1pk: _1,
    gsi1sk: _2,
    gsi2pk: _3,
    gsi2sk: _4,
    gsi3pk: _5,
    gsi3sk: _6,
    ...rest
  } = item;
  return rest as unknown as Release;
};

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const MAX_ATTEMPTS = 25;

/**
 * Writes `items` plus the next link of the log in one transaction. Returns the link, or `undefined`
 * when a condition on `items` failed. A lost race for the log's next sequence number (or a transaction
 * conflict) re-reads the head and tries again.
 */
/** A transition that happened (a link came back) is counted under the state it moved to. */
const countTransition = async <T>(state: string, transition: Promise<T>): Promise<T> => {
  const link = await transition;
  if (link) metric(RELEASES_METRIC, { state });
  return link;
};

const transactWithEntry = async (
  logTable: string,
  items: TransactItem[],
  entry: ReleaseLogPayload,
  clock: () => Date,
): Promise<ChainLink<ReleaseLogPayload> | undefined> => {
  const ownItems = items.map((_, i) => i);
  const policy = {
    // Cancelled for the log's next seq (a lost race) or a conflict: re-read the head and try again.
    retryable: (error: unknown) =>
      cancellationReasons(error) !== undefined && !conditionFailedAt(error, ...ownItems),
    retries: MAX_ATTEMPTS - 1,
    exhausted: () =>
      new Error(`could not append to the release log after ${MAX_ATTEMPTS} attempts (heavy contention)`),
  };
  try {
    return await retrying(policy, async () => {
      const head = await readHead(logTable, ENTRY_CHAIN);
      const at = clock();
      const link = nextLink(ENTRY_CHAIN, head, entry, at);
      await dynamoDocumentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            ...items,
            {
              Put: {
                TableName: logTable,
                Item: { ...releaseLogIndexKeys(entry, at), ...link },
                ConditionExpression: 'attribute_not_exists(#s)',
                ExpressionAttributeNames: { '#s': 'seq' },
              },
            },
          ],
        }),
      );
      return link;
    });
  } catch (error) {
    // A condition on the caller's own items failed: the transition is not there to make.
    if (conditionFailedAt(error, ...ownItems)) return undefined;
    throw error;
  }
};

export const dynamoReleaseRepository = (
  table = tableName('releases'),
  logTable = tableName('releaseLog'),
  clock: () => Date = () => new Date(),
): ReleaseRepository => {
  const db = dynamoDocumentClient;
  const batchGet = async (ids: string[]): Promise<Release[]> => {
    const out: Release[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Record<string, string>[] }> | undefined = {
        [table]: { Keys: ids.slice(i, i + 100).map(keys.release) },
      };
      while (request && Object.keys(request).length > 0) {
        const page = await db().send(new BatchGetCommand({ RequestItems: request }));
        out.push(...(page.Responses?.[table] ?? []).map(fromItem));
        request = page.UnprocessedKeys as typeof request;
      }
    }
    return out;
  };
  return {
    async create(r, entry) {
      const link = await transactWithEntry(
        logTable,
        [
          { Put: { TableName: table, Item: toItem(r), ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: table,
              Item: {
                ...keys.pointer(r.recordingId, r.releaseId),
                kind: 'recording-release',
                releaseId: r.releaseId,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
        entry,
        clock,
      );
      if (!link) throw new ConflictError(`release ${r.releaseId} already exists`);
      metric(RELEASES_METRIC, { state: r.state });
      return link;
    },
    async get(id) {
      const out = await db().send(
        new GetCommand({ TableName: table, Key: keys.release(id), ConsistentRead: true }),
      );
      return out.Item ? fromItem(out.Item) : undefined;
    },
    replace: (next, expected, entry) =>
      countTransition(
        next.state,
        transactWithEntry(
          logTable,
          [
            {
              Put: {
                TableName: table,
                Item: toItem(next),
                ConditionExpression: '#state = :state AND #version = :version',
                ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
                ExpressionAttributeValues: { ':state': expected.state, ':version': expected.version },
              },
            },
          ],
          entry,
          clock,
        ),
      ),
    async query(q: ReleaseQuery, limit) {
      if (q.by === 'recording') {
        const out = await db().send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
            ExpressionAttributeValues: { ':pk': `RECORDING#${q.recordingId}`, ':sk': 'RELEASE#' },
            Limit: limit,
          }),
        );
        return batchGet((out.Items ?? []).map((i) => String(i.releaseId)));
      }
      const [index, pk, upper] =
        q.by === 'requester'
          ? ['gsi1', `REQUESTER#${q.requesterId}`, undefined]
          : q.by === 'area'
            ? ['gsi2', `AREA#${q.serviceArea}`, undefined]
            : ['gsi3', `STATE#${q.state}`, q.dueBefore ? `${q.dueBefore}#~` : undefined];
      const items = await queryAll(
        {
          TableName: table,
          IndexName: index,
          KeyConditionExpression: upper ? '#pk = :pk AND #sk <= :upper' : '#pk = :pk',
          ExpressionAttributeNames: { '#pk': `${index}pk`, ...(upper ? { '#sk': `${index}sk` } : {}) },
          ExpressionAttributeValues: { ':pk': pk, ...(upper ? { ':upper': upper } : {}) },
          ScanIndexForward: Boolean(upper),
        },
        limit,
      );
      return items.map(fromItem);
    },
  };
};

export const catalogueLookup = (): RecordingCatalogue => ({
  async get(recordingId) {
    const r = await getRecording(recordingId);
    if (!r) return undefined;
    const ref: RecordingRef = {
      recordingId: r.recordingId,
      serviceArea: r.serviceArea,
      startedAt: r.startedAt,
      status: r.status,
      archiveKey: r.archiveKey,
      archiveVersionId: r.archiveVersionId,
      format: r.audio?.format ?? 'audio',
    };
    return ref;
  },
});

export const s3ReleaseCopies = (): ReleaseCopies => {
  const releases = bucketName('releases');
  return {
    async copy(recording, key, expiresAt) {
      if (!recording.archiveKey) throw new Error(`recording ${recording.recordingId} has no archive key`);
      // Read here, not at construction: the sweepers function deletes copies but never makes them.
      await copyObject({
        from: { bucket: bucketName('archive'), key: recording.archiveKey },
        to: { bucket: releases, key },
        contentType: contentTypeOf(recording.format),
        metadata: { 'recording-id': recording.recordingId, 'release-expires-at': expiresAt },
        kmsKeyId: requireEnv(ENV.kmsRecordingsKeyId),
      });
    },
    remove: (key) => deleteObject(releases, key),
    presignGet: (key, ttlSeconds) =>
      presignGet({
        bucket: releases,
        key,
        contentType: 'application/octet-stream',
        disposition: 'attachment',
        filename: key.split('/').at(-1) ?? 'recording',
        expiresInSeconds: ttlSeconds,
      }),
    exists: async (key) => (await headObject(releases, key)) !== undefined,
  };
};
