/**
 * S3 Object Lock legal hold, the `retention` tag the lifecycle rule filters on, and version deletion
 * (ObjectLockPort, functions/domain/holds.ts). Governance bypass is never requested: the sweeper deletes
 * only after 24 months, long after the 12-month retain-until has passed.
 */
import { DeleteObjectCommand, PutObjectLegalHoldCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import type { ObjectLockPort } from '../domain/holds.js';
import { RETENTION_TAG } from '../domain/holds.js';
import { s3Client } from '../platform/clients/s3.js';
import { isMissingObject } from '../platform/conditions.js';

const version = (versionId: string | undefined) =>
  versionId && versionId !== 'null' ? { VersionId: versionId } : {};

export const s3ObjectLock = (bucket: string): ObjectLockPort => ({
  async setLegalHold(key, versionId, on) {
    await s3Client().send(
      new PutObjectLegalHoldCommand({
        Bucket: bucket,
        Key: key,
        ...version(versionId),
        LegalHold: { Status: on ? 'ON' : 'OFF' },
      }),
    );
  },

  async setRetentionTag(key, versionId, value) {
    await s3Client().send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: key,
        ...version(versionId),
        Tagging: { TagSet: [{ Key: RETENTION_TAG.key, Value: value }] },
      }),
    );
  },

  /**
   * Idempotent: a version already gone counts as deleted. Without a version id it refuses: on the
   * versioned archive a version-less delete removes nothing and hides the recording behind a marker.
   */
  async deleteVersion(key, versionId) {
    if (!versionId) throw new Error(`no version id for ${key}: refusing a version-less delete`);
    try {
      await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    } catch (error) {
      if (!isMissingObject(error)) throw error;
    }
  },
});
