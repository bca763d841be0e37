/**
 * Disclosure packages in the releases bucket (SSE-KMS). Audio streams from the archive through SHA-256
 * into the package: the Lambda holds a few chunks at a time, never a whole recording.
 */
import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ENV } from '../../declarations/environment.js';
import { s3Client } from '../platform/clients/s3.js';
import { bucketName, requireEnv } from '../platform/env.js';
import type { PackageStore } from '../ports/disclosures.js';

export interface PackageStoreOptions {
  readonly archiveBucket: string;
  readonly packageBucket: string;
  readonly kmsKeyId: string;
}

export const s3PackageStore = (
  options: PackageStoreOptions = {
    archiveBucket: bucketName('archive'),
    packageBucket: bucketName('releases'),
    kmsKeyId: requireEnv(ENV.kmsRecordingsKeyId),
  },
): PackageStore => {
  const sse = { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: options.kmsKeyId };
  return {
    async copyHashed(source, key, contentType) {
      const got = await s3Client().send(
        new GetObjectCommand({
          Bucket: options.archiveBucket,
          Key: source.archiveKey,
          VersionId: source.archiveVersionId,
        }),
      );
      const body = got.Body as Readable | undefined;
      if (!body) throw new Error(`GetObject returned no body for ${source.archiveKey}`);
      const hash = createHash('sha256');
      let size = 0;
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      body.on('error', (error) => hashing.destroy(error));
      body.pipe(hashing);
      try {
        await s3Client().send(
          new PutObjectCommand({
            Bucket: options.packageBucket,
            Key: key,
            Body: hashing,
            ContentLength: got.ContentLength,
            ContentType: contentType,
            ...sse,
          }),
        );
      } finally {
        body.destroy();
      }
      if (got.ContentLength !== undefined && size !== got.ContentLength)
        throw new Error(`${source.archiveKey}: read ${size} bytes of ${got.ContentLength}`);
      return { sha256: hash.digest('hex'), size };
    },
    async putText(key, text, contentType) {
      await s3Client().send(
        new PutObjectCommand({
          Bucket: options.packageBucket,
          Key: key,
          Body: text,
          ContentType: contentType,
          ChecksumSHA256: createHash('sha256').update(text).digest('base64'),
          ...sse,
        }),
      );
    },
  };
};
