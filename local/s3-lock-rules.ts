/**
 * Object Lock's rules, as S3 applies them: when an object is locked (legal hold; unexpired retention,
 * GOVERNANCE yielding to `x-amz-bypass-governance-retention: true`, COMPLIANCE never), the lock headers
 * of PutObject/CopyObject, GET/PUT `?legal-hold` and `?retention`, and DeleteObjects refusing locked
 * entries. Whether a lock still holds is judged at the stack clock (local/clock.ts), so a clock moved
 * past a retain-until date lets the object go, as time passing would. New retain-until dates (which
 * must lie in the future) and the bucket default are taken at the real time, as the API's handlers that
 * write them run at the real time: uploads keep working after the clock has moved.
 */

import { requireChecksum } from './s3-checksums.js';
import { type LockMode, type LockStore, newVersionId, type ObjectLockState } from './s3-lock-store.js';
import {
  accessDenied,
  escapeXml,
  type FilesystemStore,
  header,
  type KoaContext,
  malformedXml,
  methodNotAllowed,
  noLockConfig,
  noLockOnObject,
  noSuchKey,
  readAll,
  s3Error,
  tag,
  XMLNS,
  xmlReply,
} from './s3-protocol.js';

export interface BucketLockConfig {
  readonly defaultMode: LockMode;
  readonly defaultDays: number;
}

/** What the rules act on: s3rver's store, the lock states, the locked buckets and the clock. */
export interface LockContext {
  readonly store: FilesystemStore;
  readonly locks: LockStore;
  /** Buckets with Object Lock (and so versioning) on, by physical name. */
  readonly lockedBuckets: ReadonlyMap<string, BucketLockConfig>;
  /** Epoch milliseconds: the stack clock. */
  readonly now: () => number;
}

export const isLocked = (
  state: ObjectLockState | undefined,
  bypassGovernance: boolean,
  now = Date.now(),
): boolean => {
  if (!state) return false;
  if (state.legalHold === 'ON') return true;
  if (!state.mode || !state.retainUntil || Date.parse(state.retainUntil) <= now) return false;
  return state.mode === 'COMPLIANCE' || !bypassGovernance;
};

export const bypassesGovernance = (ctx: KoaContext) =>
  header(ctx, 'x-amz-bypass-governance-retention')?.toLowerCase() === 'true';

export type LockHeaders = ReturnType<typeof parseLockHeaders>;

export const parseLockHeaders = (ctx: KoaContext) => {
  const mode = header(ctx, 'x-amz-object-lock-mode');
  const until = header(ctx, 'x-amz-object-lock-retain-until-date');
  const legalHold = header(ctx, 'x-amz-object-lock-legal-hold');
  if (!mode && !until && !legalHold) return undefined;
  if (!!mode !== !!until) {
    throw s3Error(
      'InvalidArgument',
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    );
  }
  if (mode && mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE')
    throw s3Error('InvalidArgument', 'Unknown wormMode directive.');
  const untilMs = until ? Date.parse(until) : undefined;
  if (untilMs !== undefined && Number.isNaN(untilMs))
    throw s3Error('InvalidArgument', 'The retain until date is not valid');
  if (untilMs !== undefined && untilMs <= Date.now())
    throw s3Error('InvalidArgument', 'The retain until date must be in the future!');
  if (legalHold && legalHold !== 'ON' && legalHold !== 'OFF') {
    throw s3Error('InvalidArgument', "Legal Hold must be either of 'ON' or 'OFF'");
  }
  return {
    ...(mode && untilMs !== undefined
      ? { mode: mode as LockMode, retainUntil: new Date(untilMs).toISOString() }
      : {}),
    ...(legalHold ? { legalHold: legalHold as 'ON' | 'OFF' } : {}),
  };
};

export const requireObject = async (lock: LockContext, bucket: string, key: string) => {
  if (!(await lock.store.existsObject(bucket, key))) throw noSuchKey();
};

/** Forgets an object's lock state and tags (before or after s3rver deletes it). */
export const forget = async (lock: LockContext, bucket: string, key: string) => {
  await lock.locks.delete(bucket, key);
  await lock.store.deleteSubresource(bucket, key, 'tagging');
};

export const legalHold = async (lock: LockContext, ctx: KoaContext, bucket: string, key: string) => {
  if (!lock.lockedBuckets.has(bucket)) throw noLockConfig();
  await requireObject(lock, bucket, key);
  const current = lock.locks.get(bucket, key);
  if (ctx.method === 'GET') {
    if (!current?.legalHold) throw noLockOnObject();
    return xmlReply(ctx, `<LegalHold xmlns="${XMLNS}"><Status>${current.legalHold}</Status></LegalHold>`);
  }
  if (ctx.method !== 'PUT') throw methodNotAllowed();
  const body = await readAll(ctx);
  requireChecksum(ctx, body);
  const status = tag(body.toString('utf8'), 'Status');
  if (status !== 'ON' && status !== 'OFF') throw malformedXml();
  await lock.locks.set(bucket, key, { ...(current ?? { versionId: newVersionId() }), legalHold: status });
  ctx.status = 200;
  ctx.body = '';
};

export const retention = async (lock: LockContext, ctx: KoaContext, bucket: string, key: string) => {
  if (!lock.lockedBuckets.has(bucket)) throw noLockConfig();
  await requireObject(lock, bucket, key);
  const current = lock.locks.get(bucket, key);
  if (ctx.method === 'GET') {
    if (!current?.mode || !current.retainUntil) throw noLockOnObject();
    return xmlReply(
      ctx,
      `<Retention xmlns="${XMLNS}"><Mode>${current.mode}</Mode><RetainUntilDate>${current.retainUntil}</RetainUntilDate></Retention>`,
    );
  }
  if (ctx.method !== 'PUT') throw methodNotAllowed();
  const body = await readAll(ctx);
  requireChecksum(ctx, body);
  const text = body.toString('utf8');
  const mode = tag(text, 'Mode');
  const until = tag(text, 'RetainUntilDate');
  if (!!mode !== !!until || (mode && mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE')) {
    throw malformedXml();
  }
  const untilMs = until ? Date.parse(until) : undefined;
  if (untilMs !== undefined && (Number.isNaN(untilMs) || untilMs <= Date.now())) {
    throw s3Error('InvalidArgument', 'The retain until date must be in the future!');
  }
  const active = current?.mode && current.retainUntil && Date.parse(current.retainUntil) > lock.now();
  if (active && current?.retainUntil) {
    const currentUntil = Date.parse(current.retainUntil);
    const shortens = untilMs === undefined || untilMs < currentUntil;
    if (current.mode === 'COMPLIANCE' && (shortens || mode !== 'COMPLIANCE')) throw accessDenied();
    if (current.mode === 'GOVERNANCE' && shortens && !bypassesGovernance(ctx)) throw accessDenied();
  }
  const next: ObjectLockState = { ...(current ?? { versionId: newVersionId() }) };
  if (mode && untilMs !== undefined) {
    next.mode = mode as LockMode;
    next.retainUntil = new Date(untilMs).toISOString();
  } else {
    delete next.mode;
    delete next.retainUntil;
  }
  await lock.locks.set(bucket, key, next);
  ctx.status = 200;
  ctx.body = '';
};

export const deleteObjects = async (lock: LockContext, ctx: KoaContext, bucket: string) => {
  if (!(await lock.store.getBucket(bucket)))
    throw s3Error('NoSuchBucket', 'The specified bucket does not exist');
  const text = (await readAll(ctx)).toString('utf8');
  const objects = [...text.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((m) => ({
    key: tag(m[1] ?? '', 'Key') ?? '',
    versionId: tag(m[1] ?? '', 'VersionId'),
  }));
  if (objects.length === 0 || objects.length > 1000) {
    throw malformedXml();
  }
  const quiet = tag(text, 'Quiet') === 'true';
  const parts: string[] = [];
  for (const { key, versionId } of objects) {
    const v = versionId ? `<VersionId>${escapeXml(versionId)}</VersionId>` : '';
    if (isLocked(lock.locks.get(bucket, key), bypassesGovernance(ctx), lock.now())) {
      parts.push(
        `<Error><Key>${escapeXml(key)}</Key>${v}<Code>AccessDenied</Code><Message>Access Denied</Message></Error>`,
      );
      continue;
    }
    if (await lock.store.existsObject(bucket, key)) {
      await forget(lock, bucket, key);
      await lock.store.deleteObject(bucket, key);
    }
    if (!quiet) parts.push(`<Deleted><Key>${escapeXml(key)}</Key>${v}</Deleted>`);
  }
  xmlReply(ctx, `<DeleteResult xmlns="${XMLNS}">${parts.join('')}</DeleteResult>`);
};
