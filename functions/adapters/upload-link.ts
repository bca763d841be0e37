/**
 * The upload link the ingest API hands the telephony platform. Its own module so that only the ingest API
 * loads the presigner (the worker, which uses object-store, never signs).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from '../platform/clients/s3.js';
import type { PresignedPut, PresignPutInput } from '../ports/ingest.js';
import { hexToBase64 } from './object-store.js';

/**
 * A presigned PUT whose signature covers content type, length, SHA-256 checksum and SSE-KMS: S3 refuses
 * a body of another length or digest, and the bucket policy's aws:kms condition is met.
 */
export const presignPut = async (input: PresignPutInput): Promise<PresignedPut> => {
  const checksum = hexToBase64(input.sha256Hex);
  const headers: Record<string, string> = {
    'content-type': input.contentType,
    'content-length': String(input.contentLength),
    'x-amz-checksum-sha256': checksum,
    'x-amz-server-side-encryption': 'aws:kms',
    'x-amz-server-side-encryption-aws-kms-key-id': input.kmsKeyId,
  };
  const url = await getSignedUrl(
    s3Client(),
    new PutObjectCommand({
      Bucket: input.bucket,
      Key: input.key,
      ContentType: input.contentType,
      ContentLength: input.contentLength,
      ChecksumSHA256: checksum,
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: input.kmsKeyId,
    }),
    {
      expiresIn: input.expiresInSeconds,
      signableHeaders: new Set(['content-type', 'content-length']),
      unhoistableHeaders: new Set(Object.keys(headers).filter((h) => h.startsWith('x-amz-'))),
    },
  );
  const now = input.now ?? new Date();
  return {
    url,
    method: 'PUT',
    headers,
    expiresAt: new Date(now.getTime() + input.expiresInSeconds * 1000).toISOString(),
  };
};
