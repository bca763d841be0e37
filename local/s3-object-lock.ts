/**
 * What the archive needs from S3 that s3rver lacks, as one Koa middleware placed in front of s3rver's
 * router (s3rver extends Koa). This file routes each request and does what follows a write; the
 * concerns live beside it:
 * - s3-protocol.ts: the request/reply side of S3 — authentication first, for every request, with
 *   s3rver's own SigV4 code (unsigned requests refused 403 as on a bucket that blocks public access;
 *   s3rver's router-level check is switched off so the signature is checked once and
 *   `x-amz-copy-source` may carry `?versionId=`), XML errors, targets and copy sources;
 * - s3-lock-rules.ts: Object Lock on the buckets configured with it — `?legal-hold` and `?retention`
 *   (GET/PUT), `x-amz-object-lock-*` on PutObject/CopyObject (with AWS's Content-MD5/checksum rule), a
 *   bucket default retention, and 403 AccessDenied for DELETE (and in DeleteObjects) of an object under
 *   legal hold or unexpired retention, judged at the stack clock's time (local/clock.ts);
 * - s3-checksums.ts: SHA-256 verified as a PutObject streams to disk (400 BadDigest, nothing kept);
 * - s3-lock-store.ts: the per-object state (lock, version id, SHA-256) and its journal.
 * Here: lock headers and `x-amz-version-id` on GET/HEAD, stored checksums answered with
 * `x-amz-checksum-mode: ENABLED`, tagging on write (`x-amz-tagging`, `x-amz-tagging-directive` on
 * copy) and DELETE `?tagging`, and an `onCreated` hook after every successful object write, for event
 * notifications. `versionId` is accepted everywhere and means the current object (no version history).
 * Deliberate difference: on a versioned bucket AWS turns a DELETE without versionId into a delete
 * marker; here every DELETE of a locked object is refused.
 */
import { requestedSha256, requireChecksum, sha256OfFile, verifyingStore } from './s3-checksums.js';
import {
  type BucketLockConfig,
  bypassesGovernance,
  deleteObjects,
  forget,
  isLocked,
  type LockContext,
  type LockHeaders,
  legalHold,
  parseLockHeaders,
  requireObject,
  retention,
} from './s3-lock-rules.js';
import { type LockStore, newVersionId } from './s3-lock-store.js';
import {
  accessDenied,
  authenticate,
  type FilesystemStore,
  header,
  type KoaContext,
  type Middleware,
  noLockConfig,
  OBJECT_SUBRESOURCES,
  parseCopySource,
  parseTarget,
  TaggingConfiguration,
  taggingXml,
} from './s3-protocol.js';

export type { BucketLockConfig } from './s3-lock-rules.js';

export interface CreatedObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
  readonly versionId?: string;
  readonly eventName:
    | 'ObjectCreated:Put'
    | 'ObjectCreated:Post'
    | 'ObjectCreated:Copy'
    | 'ObjectCreated:CompleteMultipartUpload';
  readonly sourceIp: string;
}

export interface ObjectLockLayerOptions {
  readonly store: FilesystemStore;
  readonly locks: LockStore;
  /** Buckets with Object Lock (and so versioning) on, by physical name. */
  readonly lockedBuckets: ReadonlyMap<string, BucketLockConfig>;
  readonly onCreated?: (object: CreatedObject) => void;
  /** The stack clock, epoch ms (local/clock.ts); default the real time. */
  readonly now?: () => number;
}

interface Write {
  readonly bucket: string;
  readonly key: string;
  readonly eventName: CreatedObject['eventName'];
  readonly lock: LockHeaders;
  readonly copySource?: { bucket: string; key: string };
  readonly putChecksum?: string;
}

/** After a successful write: lock state (explicit or the bucket default), version id, checksum. */
const recordState = async (lock: LockContext, ctx: KoaContext, w: Write): Promise<string | undefined> => {
  const { store, locks } = lock;
  const config = lock.lockedBuckets.get(w.bucket);
  // A copy keeps the source's SHA-256 (same bytes), or computes one when asked to.
  let checksumSha256 = w.putChecksum;
  if (w.copySource) {
    checksumSha256 = locks.get(w.copySource.bucket, w.copySource.key)?.checksumSha256;
    if (!checksumSha256 && header(ctx, 'x-amz-checksum-algorithm')?.toUpperCase() === 'SHA256')
      checksumSha256 = await sha256OfFile(store.getResourcePath(w.bucket, w.key, 'object'));
  }
  const checksum = checksumSha256 ? { checksumSha256 } : {};
  if (checksumSha256) ctx.set('x-amz-checksum-sha256', checksumSha256);
  if (!config) {
    if (checksumSha256) await locks.set(w.bucket, w.key, { checksumSha256 });
    else await locks.delete(w.bucket, w.key);
    return undefined;
  }
  const versionId = newVersionId();
  const retention = w.lock?.mode
    ? { mode: w.lock.mode, retainUntil: w.lock.retainUntil }
    : {
        mode: config.defaultMode,
        retainUntil: new Date(Date.now() + config.defaultDays * 86_400_000).toISOString(),
      };
  await locks.set(w.bucket, w.key, {
    ...retention,
    ...(w.lock?.legalHold ? { legalHold: w.lock.legalHold } : {}),
    versionId,
    ...checksum,
  });
  ctx.set('x-amz-version-id', versionId);
  return versionId;
};

/** Tags on PutObject (`x-amz-tagging`) and CopyObject (the source's, unless the directive is REPLACE). */
const recordTags = async (store: FilesystemStore, ctx: KoaContext, w: Write) => {
  if (w.eventName !== 'ObjectCreated:Put' && w.eventName !== 'ObjectCreated:Copy') return;
  const { bucket, key, copySource } = w;
  const directive = header(ctx, 'x-amz-tagging-directive') ?? 'COPY';
  const tagging = header(ctx, 'x-amz-tagging');
  if (copySource && directive !== 'REPLACE') {
    const source = await store.getSubresource(copySource.bucket, copySource.key, 'tagging');
    if (source) await store.putSubresource(bucket, key, source);
    else await store.deleteSubresource(bucket, key, 'tagging');
  } else if (tagging) {
    await store.putSubresource(bucket, key, TaggingConfiguration.validate(taggingXml(tagging)));
  } else {
    await store.deleteSubresource(bucket, key, 'tagging');
  }
};

const afterCreate = async (options: ObjectLockLayerOptions, lock: LockContext, ctx: KoaContext, w: Write) => {
  const versionId = await recordState(lock, ctx, w);
  await recordTags(lock.store, ctx, w);
  if (options.onCreated) {
    const metadata = await lock.store.getMetadata(w.bucket, w.key);
    options.onCreated({
      bucket: w.bucket,
      key: w.key,
      size: Number(metadata['content-length']),
      eTag: JSON.parse(String(metadata.etag)) as string,
      ...(versionId ? { versionId } : {}),
      eventName: w.eventName,
      sourceIp: ctx.ip,
    });
  }
};

/** Lock headers, version id and (when asked) the stored SHA-256 on a GET/HEAD of an object. */
const describeObject = (lock: LockContext, ctx: KoaContext, bucket: string, key: string) => {
  const state = lock.locks.get(bucket, key);
  const checksumMode = header(ctx, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
  // Full-object checksum only for the whole object (AWS omits it for a range GET).
  if (state?.checksumSha256 && checksumMode && !header(ctx, 'range')) {
    ctx.set('x-amz-checksum-sha256', state.checksumSha256);
    ctx.set('x-amz-checksum-type', 'FULL_OBJECT');
  }
  if (state && lock.lockedBuckets.has(bucket)) {
    if (state.versionId) ctx.set('x-amz-version-id', state.versionId);
    if (state.mode && state.retainUntil) {
      ctx.set('x-amz-object-lock-mode', state.mode);
      ctx.set('x-amz-object-lock-retain-until-date', state.retainUntil);
    }
    if (state.legalHold) ctx.set('x-amz-object-lock-legal-hold', state.legalHold);
  }
};

export const objectLockLayer = (options: ObjectLockLayerOptions): Middleware => {
  const lock: LockContext = {
    store: options.store,
    locks: options.locks,
    lockedBuckets: options.lockedBuckets,
    now: options.now ?? Date.now,
  };
  const { store, locks, lockedBuckets } = lock;

  return async function objectLock(ctx, next) {
    if (ctx.method === 'OPTIONS') return next();
    const { bucket, key } = parseTarget(ctx.path);
    await authenticate(ctx, bucket, key);
    if (!bucket) return next();

    const q = ctx.query;
    const subresource = OBJECT_SUBRESOURCES.find((s) => s in q);
    const ok = () => ctx.status >= 200 && ctx.status < 300;

    if (!key) {
      if (ctx.method === 'POST' && 'delete' in q) return deleteObjects(lock, ctx, bucket);
      await next();
      return;
    }

    if (subresource === 'legal-hold') return legalHold(lock, ctx, bucket, key);
    if (subresource === 'retention') return retention(lock, ctx, bucket, key);
    if (subresource === 'tagging' && ctx.method === 'DELETE') {
      await requireObject(lock, bucket, key);
      await store.deleteSubresource(bucket, key, 'tagging');
      ctx.status = 204;
      ctx.body = '';
      return;
    }

    if (ctx.method === 'DELETE' && !subresource) {
      if (isLocked(locks.get(bucket, key), bypassesGovernance(ctx), lock.now())) throw accessDenied();
      // Tags first: s3rver removes a key's emptied directories only if no sidecar file is left in them.
      await forget(lock, bucket, key);
      await next();
      return;
    }

    if (ctx.method === 'PUT' && !subresource) {
      const headers = parseLockHeaders(ctx);
      if (headers && !lockedBuckets.has(bucket)) throw noLockConfig();
      const copyHeader = header(ctx, 'x-amz-copy-source');
      const copySource = copyHeader ? parseCopySource(copyHeader) : undefined;
      if (headers && !copySource) requireChecksum(ctx);
      // s3rver would read `?versionId=` as part of the key; there is only ever the current version here.
      if (copySource) ctx.headers['x-amz-copy-source'] = encodeURI(`/${copySource.bucket}/${copySource.key}`);
      const requested = copySource ? undefined : requestedSha256(ctx.headers);
      let digest: string | undefined;
      if (requested)
        ctx.store = verifyingStore(store, requested.expected, (d) => {
          digest = d;
        });
      await next();
      if (ok())
        await afterCreate(options, lock, ctx, {
          bucket,
          key,
          eventName: copySource ? 'ObjectCreated:Copy' : 'ObjectCreated:Put',
          lock: headers,
          ...(copySource ? { copySource } : {}),
          ...(digest ? { putChecksum: digest } : {}),
        });
      return;
    }

    if (ctx.method === 'POST' && subresource === 'uploadId') {
      await next();
      if (ok())
        await afterCreate(options, lock, ctx, {
          bucket,
          key,
          eventName: 'ObjectCreated:CompleteMultipartUpload',
          lock: undefined,
        });
      return;
    }

    await next();

    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && !subresource && ok())
      describeObject(lock, ctx, bucket, key);
  };
};
