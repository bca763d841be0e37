/**
 * Checksums as S3 keeps them: AWS's Content-MD5/checksum rule for writes with Object Lock parameters,
 * and SHA-256 verified while a PutObject streams to disk (400 BadDigest and nothing kept on a mismatch),
 * computed when only asked for, or computed from a stored file for a copy.
 */
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
 * s3rver's store for one PutObject, hashing the body as it streams to a file of its own beside the
 * object. Only a verified body, fully written and closed, is renamed over the object (a rename is
 * atomic), so on a mismatch the previous object — or its absence — is exactly as it was. Restoring a
 * moved-away original instead lost it at times: the failed write's file could still be opening (and
 * truncating) the object's path after the original was put back (CI saw an empty body).
 */
export const verifyingStore = (
  store: FilesystemStore,
  expected: string | undefined,
  onDigest: (base64: string) => void,
): FilesystemStore => {
  const putContent = async (objectPath: string, content: Buffer | NodeJS.ReadableStream) => {
    const partial = `${objectPath}.partial-${randomUUID()}`;
    const md5 = createHash('md5');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const file = createWriteStream(partial);
    const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
    try {
      await pipeline(source, sha256Verifier(expected, onDigest), counter, file);
    } catch (error) {
      if (!file.closed) await once(file, 'close').catch(() => undefined);
      await rm(partial, { force: true });
      throw error;
    }
    await rename(partial, objectPath);
    return [size, md5.digest('hex')] as const;
  };
  const verifying: FilesystemStore = Object.create(store, { putContent: { value: putContent } });
  return Object.create(verifying, {
    putObject: { value: (object: StoredObject) => store.putObject.call(verifying, object) },
  }) as FilesystemStore;
};
