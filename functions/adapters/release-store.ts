/**
 * Release requests in the `releases` table, the recording lookup they need, and the released copies in
 * the `releases` bucket.
 *
 * Items (pk / sk):
 *   RELEASE#<id>    / RELEASE        the release; gsi1 = requester, gsi2 = recording's service area,
 *                                     gsi3 = state with the time it falls due (expiry) or else updatedAt
 *   RECORDING#<rid> / RELEASE#<id>   pointer, written with the release in one transaction
 * Every change is a conditional Put on the state and version read, so double approval and races lose.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../infra/declarations/environment.js';
import { ConflictError } from '../domain/errors.js';
import type { Release } from '../domain/release.js';
import type {
  RecordingCatalogue,
  RecordingRef,
  ReleaseCopies,
  ReleaseQuery,
  ReleaseRepository,
} from '../release/ports.js';
import { getRecording } from './catalogue-store.js';
import { dynamoDocumentClient } from './clients.js';
import { bucketName, requireEnv, tableName } from './env.js';
import { copyObject, deleteObject, headObject } from './object-store.js';
import { presignGet } from './playback-objects.js';

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

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string })?.name === 'ConditionalCheckFailedException' ||
  ((error instanceof TransactionCanceledException ||
    (error as { name?: string })?.name === 'TransactionCanceledException') &&
    ((error as TransactionCanceledException).CancellationReasons ?? []).some(
      (r) => r.Code === 'ConditionalCheckFailed',
    ));

export const dynamoReleaseRepository = (table = tableName('releases')): ReleaseRepository => {
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
    async create(r) {
      try {
        await db().send(
          new TransactWriteCommand({
            TransactItems: [
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
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) throw new ConflictError(`release ${r.releaseId} already exists`);
        throw error;
      }
    },
    async get(id) {
      const out = await db().send(
        new GetCommand({ TableName: table, Key: keys.release(id), ConsistentRead: true }),
      );
      return out.Item ? fromItem(out.Item) : undefined;
    },
    async replace(next, expected) {
      try {
        await db().send(
          new PutCommand({
            TableName: table,
            Item: toItem(next),
            ConditionExpression: '#state = :state AND #version = :version',
            ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
            ExpressionAttributeValues: { ':state': expected.state, ':version': expected.version },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
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
      const results: Release[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db().send(
          new QueryCommand({
            TableName: table,
            IndexName: index,
            KeyConditionExpression: upper ? '#pk = :pk AND #sk <= :upper' : '#pk = :pk',
            ExpressionAttributeNames: { '#pk': `${index}pk`, ...(upper ? { '#sk': `${index}sk` } : {}) },
            ExpressionAttributeValues: { ':pk': pk, ...(upper ? { ':upper': upper } : {}) },
            ScanIndexForward: Boolean(upper),
            Limit: limit - results.length,
            ExclusiveStartKey: startKey,
          }),
        );
        results.push(...(page.Items ?? []).map(fromItem));
        startKey = page.LastEvaluatedKey;
      } while (startKey && results.length < limit);
      return results;
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

const CONTENT_TYPES: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
};

export const s3ReleaseCopies = (): ReleaseCopies => {
  const archive = bucketName('archive');
  const releases = bucketName('releases');
  const kmsKeyId = requireEnv(ENV.kmsRecordingsKeyId);
  return {
    async copy(recording, key, expiresAt) {
      if (!recording.archiveKey) throw new Error(`recording ${recording.recordingId} has no archive key`);
      await copyObject({
        from: { bucket: archive, key: recording.archiveKey },
        to: { bucket: releases, key },
        contentType: CONTENT_TYPES[recording.format] ?? 'application/octet-stream',
        metadata: { 'recording-id': recording.recordingId, 'release-expires-at': expiresAt },
        kmsKeyId,
        tags: { purpose: 'release' },
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
