/**
 * S3 operations the ingest path needs (the port functions/ports/ingest.ts `IngestObjects`). Bodies of GetObject are always consumed or destroyed (SDK v3
 * leaks the socket otherwise); whole objects are only ever streamed, never buffered.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { s3Client } from '../platform/clients/s3.js';
import { isMissingObject } from '../platform/conditions.js';
import type { CopyInput, ObjectHead } from '../ports/ingest.js';

export const hexToBase64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

export const headObject = async (bucket: string, key: string): Promise<ObjectHead | undefined> => {
  try {
    const out = await s3Client().send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
    );
    const composite = out.ChecksumType === 'COMPOSITE' || /-\d+$/.test(out.ChecksumSHA256 ?? '');
    return {
      size: out.ContentLength ?? 0,
      sha256: composite ? undefined : out.ChecksumSHA256,
      versionId: out.VersionId,
      contentType: out.ContentType,
      metadata: out.Metadata ?? {},
    };
  } catch (error) {
    if (isMissingObject(error)) return undefined;
    throw error;
  }
};

const bodyOf = (out: { Body?: unknown }): Readable => {
  if (!out.Body) throw new Error('GetObject returned no body');
  return out.Body as Readable;
};

/** The first `length` bytes (a range GET); the short body is read to its end. */
export const readHead = async (bucket: string, key: string, length: number): Promise<Buffer> => {
  const out = await s3Client().send(
    new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${length - 1}` }),
  );
  const body = bodyOf(out);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      // An emulator that ignores Range would send the whole object: stop reading, free the socket.
      if (total >= length) break;
    }
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, length);
};

/** Streams the object through SHA-256 in constant memory. */
export const hashObject = async (bucket: string, key: string): Promise<{ sha256: string; size: number }> => {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = bodyOf(out);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of body) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } finally {
    body.destroy();
  }
  return { sha256: hash.digest('base64'), size };
};

const copySource = (bucket: string, key: string): string =>
  `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

/** Server-side copy; the target gets its own SHA-256 checksum, SSE-KMS, tags and lock. */
export const copyObject = async (input: CopyInput): Promise<{ versionId?: string }> => {
  const out = await s3Client().send(
    new CopyObjectCommand({
      CopySource: copySource(input.from.bucket, input.from.key),
      Bucket: input.to.bucket,
      Key: input.to.key,
      ContentType: input.contentType,
      MetadataDirective: 'REPLACE',
      Metadata: input.metadata,
      ChecksumAlgorithm: 'SHA256',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: input.kmsKeyId,
      BucketKeyEnabled: true,
      ...(input.tags
        ? { TaggingDirective: 'REPLACE', Tagging: new URLSearchParams(input.tags).toString() }
        : {}),
      ...(input.retainUntil
        ? { ObjectLockMode: input.lockMode ?? 'GOVERNANCE', ObjectLockRetainUntilDate: input.retainUntil }
        : {}),
    }),
  );
  return { versionId: out.VersionId };
};

export const putJson = async (bucket: string, key: string, doc: unknown, kmsKeyId: string): Promise<void> => {
  const body = JSON.stringify(doc, null, 2);
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: 'application/json',
      ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: kmsKeyId,
    }),
  );
};

/** Idempotent: deleting a missing key succeeds. */
export const deleteObject = async (bucket: string, key: string): Promise<void> => {
  try {
    await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (!isMissingObject(error)) throw error;
  }
};
