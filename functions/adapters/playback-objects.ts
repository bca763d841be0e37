/**
 * Archive-object operations of the playback function: a presigned GET of one object version, and the
 * deletion of that version. Object Lock still applies on AWS: S3 refuses to delete a version under legal
 * hold or unexpired retention (no governance bypass is ever requested here).
 */
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { once } from '../platform/clients/once.js';
import { s3Client } from '../platform/clients/s3.js';

export interface PresignGetInput {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly contentType: string;
  readonly disposition: 'inline' | 'attachment';
  readonly filename: string;
  readonly expiresInSeconds: number;
  /** The signing time (default: now); the link lives `expiresInSeconds` from it. */
  readonly now?: Date;
}

// Loaded on first use: the sweepers reach this module (through the release store) but never sign.
const presigner = once(() => import('@aws-sdk/s3-request-presigner'));

export const presignGet = async (input: PresignGetInput): Promise<string> =>
  (await presigner()).getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: input.bucket,
      Key: input.key,
      VersionId: input.versionId,
      ResponseContentType: input.contentType,
      ResponseContentDisposition: `${input.disposition}; filename="${input.filename}"`,
    }),
    { expiresIn: input.expiresInSeconds, signingDate: input.now },
  );

/** Deletes one version; without a version id it refuses (a version-less delete only adds a marker). */
export const deleteObjectVersion = async (bucket: string, key: string, versionId?: string): Promise<void> => {
  if (!versionId) throw new Error(`no version id for ${key}: refusing a version-less delete`);
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
};
