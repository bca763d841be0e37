/**
 * Checksums as S3 keeps them: AWS's Content-MD5/checksum rule for writes with Object Lock parameters,
 * and SHA-256 verified while a PutObject streams to disk (400 BadDigest and nothing kept on a mismatch),
 * computed when only asked for, or computed from a stored file for a copy.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline, Transform } from 'node:stream';
import { type FilesystemStore, header, type KoaContext, type StoredObject, s3Error } from './s3-protocol.js';

/** AWS: writes that set Object Lock parameters must carry Content-MD5 or an x-amz-checksum-* header. */
const hasChecksum = (ctx: KoaContext): boolean =>
  Object.keys(ctx.headers).some(
    (h) => h === 'content-md5' || h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm',
  );
export const requireChecksum = (ctx: KoaContext, body?: Buffer) => {
  if (!hasChecksum(ctx)) {
    throw s3Error(
      'InvalidRequest',
      'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
    );
  }
  const md5 = header(ctx, 'content-md5');
  if (md5 && body && createHash('md5').update(body).digest('base64') !== md5) {
    throw s3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
};

const badDigest = () =>
  s3Error('BadDigest', 'The SHA256 you specified did not match the calculated checksum.', 400);

/**
 * The SHA-256 a PutObject asks S3 to verify and keep: `x-amz-checksum-sha256` (verified), or
 * `x-amz-sdk-checksum-algorithm: SHA256` alone (computed). Undefined when it asks for neither.
 */
export const requestedSha256 = (
  headers: KoaContext['headers'],
): { readonly expected?: string } | undefined => {
  const value = headers['x-amz-checksum-sha256'];
  const expected = Array.isArray(value) ? value[0] : value;
  const algorithm = headers['x-amz-sdk-checksum-algorithm'];
  if (expected) return { expected };
  return String(algorithm ?? '').toUpperCase() === 'SHA256' ? {} : undefined;
};

/** A pass-through that hashes what flows through it and fails at the end on a digest mismatch. */
export const sha256Verifier = (
  expected: string | undefined,
  onDigest: (base64: string) => void,
): Transform => {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const digest = hash.digest('base64');
      if (expected !== undefined && digest !== expected) return callback(badDigest());
      onDigest(digest);
      callback();
    },
  });
};

export const sha256OfFile = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('base64')));
  });

/**
 * s3rver's store for one PutObject, hashing the body as it streams to disk. On a mismatch nothing is
 * kept: a new key's partial file is removed, an overwritten key gets its previous body back (its
 * metadata is untouched, since s3rver writes metadata only after the body).
 */
export const verifyingStore = (
  store: FilesystemStore,
  expected: string | undefined,
  onDigest: (base64: string) => void,
): FilesystemStore =>
  Object.create(store, {
    putObject: {
      value: async (object: StoredObject) => {
        const { bucket, key } = object;
        const path = store.getResourcePath(bucket, key, 'object');
        const backup = store.getResourcePath(bucket, key, 'checksum-backup');
        const existed = await store.existsObject(bucket, key);
        if (existed) await rename(path, backup);
        const source = object.content;
        if (Buffer.isBuffer(source)) {
          const verifier = sha256Verifier(expected, onDigest);
          verifier.end(source);
          object.content = verifier;
        } else {
          object.content = pipeline(source, sha256Verifier(expected, onDigest), () => undefined);
        }
        try {
          const result = await store.putObject(object);
          if (existed) await rm(backup, { force: true });
          return result;
        } catch (error) {
          if (existed) await rename(backup, path);
          else await store.deleteObject(bucket, key);
          throw error;
        }
      },
    },
  }) as FilesystemStore;
