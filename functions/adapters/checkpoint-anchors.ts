/**
 * Signed checkpoints anchored outside the table they sign: each is also written to the Object Lock
 * archive bucket under `checkpoints/<log>/` (the bucket's default GOVERNANCE retention keeps it for the
 * minimum retention; no function can shorten it), so deleting checkpoint rows, cutting entries off or
 * rebuilding a chain in DynamoDB leaves a signed head behind that no longer matches.
 *
 * Keys sort newest first: `checkpoints/<log>/<9999999999999 - signedAt in ms>.json`, so the newest
 * anchor (at or before a time) is the first key of one ListObjectsV2.
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ARCHIVE_PREFIX } from '../../declarations/buckets.js';
import { ENV } from '../../declarations/environment.js';
import { s3Client } from '../platform/clients/s3.js';
import { bucketName, requireEnv } from '../platform/env.js';
import { putJson } from './object-store.js';

export type AnchoredLog = 'release-log' | 'audit-log';

export const CHECKPOINT_PREFIX = ARCHIVE_PREFIX.checkpoints;

export interface CheckpointAnchors<T> {
  /** Writes `doc` (a signed checkpoint link) to the archive; its time orders the anchors. */
  put(doc: T, signedAt: string): Promise<void>;
  /** The newest anchored checkpoint, or the newest signed at or before `notAfter`. */
  newest(notAfter?: string): Promise<T | undefined>;
}

const LATEST = 9_999_999_999_999;
const inverted = (ms: number) => String(LATEST - ms).padStart(13, '0');
export const anchorKey = (log: AnchoredLog, signedAt: string): string =>
  `${CHECKPOINT_PREFIX}${log}/${inverted(Date.parse(signedAt))}.json`;

export const s3CheckpointAnchors = <T>(
  log: AnchoredLog,
  bucket: string = bucketName('archive'),
): CheckpointAnchors<T> => ({
  async put(doc, signedAt) {
    // The recordings key is needed only to write (the bucket policy requires SSE-KMS with it).
    await putJson(bucket, anchorKey(log, signedAt), doc, requireEnv(ENV.kmsRecordingsKeyId));
  },
  async newest(notAfter) {
    const prefix = `${CHECKPOINT_PREFIX}${log}/`;
    // Keys at or after inverted(notAfter) were signed at or before it; StartAfter is exclusive.
    const startAfter =
      notAfter === undefined
        ? undefined
        : `${prefix}${String(LATEST - Date.parse(notAfter) - 1).padStart(13, '0')}.json`;
    const listed = await s3Client().send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1, StartAfter: startAfter }),
    );
    const key = listed.Contents?.[0]?.Key;
    if (!key) return undefined;
    const object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await object.Body?.transformToString('utf8')) ?? 'null') as T;
  },
});
