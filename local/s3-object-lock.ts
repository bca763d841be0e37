/**
 * What the archive needs from S3 that s3rver lacks, as one Koa middleware placed in front of s3rver's
 * router (s3rver extends Koa):
 * - authentication first, for every request, with s3rver's own SigV4 code; unsigned requests are refused
 *   (403) as on a bucket that blocks public access. s3rver's router-level check is switched off so the
 *   signature is checked once and `x-amz-copy-source` may carry `?versionId=`.
 * - Object Lock on the buckets configured with it: `?legal-hold` and `?retention` (GET/PUT),
 *   `x-amz-object-lock-*` on PutObject/CopyObject (with AWS's Content-MD5/checksum rule), a bucket default
 *   retention, lock headers and `x-amz-version-id` on GET/HEAD, and 403 AccessDenied for DELETE (and in
 *   DeleteObjects) of an object under legal hold or unexpired retention. GOVERNANCE yields to
 *   `x-amz-bypass-governance-retention: true`; COMPLIANCE and legal hold never do.
 * - Tagging on write (`x-amz-tagging`, `x-amz-tagging-directive` on copy) and DELETE `?tagging`.
 * - `versionId` is accepted everywhere and means the current object (no version history here).
 * - SHA-256 checksums: `x-amz-checksum-sha256` on PutObject is verified as the body streams to disk
 *   (400 BadDigest, nothing kept), kept with the object's state and answered on HEAD/GET with
 *   `x-amz-checksum-mode: ENABLED`; a copy keeps its source's or computes one when asked.
 * - An `onCreated` hook after every successful object write, for event notifications.
 * Deliberate difference: on a versioned bucket AWS turns a DELETE without versionId into a delete
 * marker; here every DELETE of a locked object is refused.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { appendFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pipeline, Transform } from 'node:stream';
import { RESET_HINT, StartupError } from './errors.js';
import { readJsonState, writeJsonAtomicSync } from './files.js';

const require = createRequire(import.meta.url);
type S3ErrorCtor = new (
  code: string,
  message: string,
  detail?: Record<string, unknown>,
) => Error & { status: number };
const S3Error: S3ErrorCtor = require('@20minutes/s3rver/lib/models/error');
const { TaggingConfiguration } = require('@20minutes/s3rver/lib/models/config') as {
  TaggingConfiguration: { validate(xml: string): unknown };
};
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
const authentication = (require('@20minutes/s3rver/lib/middleware/authentication') as () => Middleware)();

/** The slice of Koa's context and s3rver's store used here. */
export interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
  state: Record<string, unknown>;
  status: number;
  body: unknown;
  type: string;
  ip: string;
  req: NodeJS.ReadableStream;
  /** s3rver's store for this request (shadowed per request to verify a checksum while storing). */
  store?: unknown;
  set(name: string, value: string): void;
}

/** The object s3rver's putObject controller hands its store. */
interface StoredObject {
  bucket: string;
  key: string;
  content: NodeJS.ReadableStream | Buffer;
}

export interface FilesystemStore {
  existsObject(bucket: string, key: string): Promise<boolean>;
  getBucket(bucket: string): Promise<unknown>;
  getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
  deleteObject(bucket: string, key: string): Promise<void>;
  getSubresource(bucket: string, key: string, type: string): Promise<unknown>;
  putSubresource(bucket: string, key: string, resource: unknown): Promise<void>;
  deleteSubresource(bucket: string, key: string, type: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  getResourcePath(bucket: string, key: string, resource: string): string;
}

export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface BucketLockConfig {
  readonly defaultMode: LockMode;
  readonly defaultDays: number;
}

export interface ObjectLockState {
  mode?: LockMode;
  retainUntil?: string;
  legalHold?: 'ON' | 'OFF';
  /** Absent on buckets without Object Lock (no versioning there). */
  versionId?: string;
  /** Full-object SHA-256 (base64), as S3 stores it when a write carries or asks for one. */
  checksumSha256?: string;
}

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

/**
 * Per-object state (lock, version id, stored SHA-256) beside s3rver's data: a snapshot (`path`, the
 * `{ objects }` JSON) plus an append-only journal (`path.journal`, one JSON line per change). A change
 * costs one append, not a rewrite of every object: changes made while an append is in flight go out
 * together in the next one, and each promise resolves once its line is written (before the reply).
 * At start-up the journal is replayed onto the snapshot and compacted (snapshot written atomically,
 * then the journal emptied); a torn last line — a crash mid-append — is dropped, as the change it
 * carried was never acknowledged.
 */
export class LockStore {
  private readonly objects: Record<string, ObjectLockState>;
  private readonly journal: string;
  private pending: string[] = [];
  private flushing: Promise<void> | undefined;

  constructor(path: string) {
    const isFile = (v: unknown): v is { objects: Record<string, ObjectLockState> } =>
      typeof v === 'object' && v !== null && typeof (v as { objects?: unknown }).objects === 'object';
    this.objects = readJsonState(path, isFile)?.objects ?? {};
    this.journal = `${path}.journal`;
    if (existsSync(this.journal)) {
      const lines = readFileSync(this.journal, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!line) return;
        let change: JournalLine;
        try {
          change = JSON.parse(line) as JournalLine;
        } catch (error) {
          if (i === lines.length - 1) return; // torn last line: never acknowledged
          const reason = error instanceof Error ? error.message : String(error);
          throw new StartupError(`${this.journal} line ${i + 1} is unreadable (${reason}): ${RESET_HINT}`);
        }
        if (change.v) this.objects[change.k] = change.v;
        else delete this.objects[change.k];
      });
      writeJsonAtomicSync(path, { objects: this.objects });
      writeFileSync(this.journal, '', { mode: 0o600 });
    }
  }

  get(bucket: string, key: string): ObjectLockState | undefined {
    return this.objects[`${bucket}/${key}`];
  }

  set(bucket: string, key: string, state: ObjectLockState): Promise<void> {
    this.objects[`${bucket}/${key}`] = state;
    return this.append({ k: `${bucket}/${key}`, v: state });
  }

  delete(bucket: string, key: string): Promise<void> {
    const k = `${bucket}/${key}`;
    if (!(k in this.objects)) return this.flushed();
    delete this.objects[k];
    return this.append({ k });
  }

  /** Resolves once every change made so far is in the journal. */
  flushed(): Promise<void> {
    return this.flushing ?? Promise.resolve();
  }

  private append(change: JournalLine): Promise<void> {
    this.pending.push(`${JSON.stringify(change)}\n`);
    // An append in flight writes every queued line before it settles.
    return this.flushing ?? this.flush();
  }

  /** Writes the queued lines in one append; lines queued meanwhile go in the next one. */
  private flush(): Promise<void> {
    const run = async (): Promise<void> => {
      while (this.pending.length > 0) {
        const batch = this.pending.join('');
        this.pending = [];
        await appendFile(this.journal, batch, { mode: 0o600 });
      }
    };
    this.flushing = run().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }
}

interface JournalLine {
  readonly k: string;
  readonly v?: ObjectLockState;
}

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const OBJECT_SUBRESOURCES = [
  'acl',
  'legal-hold',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
];

const s3Error = (code: string, message: string, status?: number): Error => {
  const error = new S3Error(code, message);
  if (status) Object.assign(error, { status, expose: status < 500 });
  return error;
};
const accessDenied = () => s3Error('AccessDenied', 'Access Denied');
const noLockConfig = () => s3Error('InvalidRequest', 'Bucket is missing Object Lock Configuration');
const noSuchKey = () => s3Error('NoSuchKey', 'The specified key does not exist.');
const noLockOnObject = () =>
  s3Error(
    'NoSuchObjectLockConfiguration',
    'The specified object does not have a ObjectLock configuration',
    404,
  );

const escapeXml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
const unescapeXml = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const tag = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m?.[1] === undefined ? undefined : unescapeXml(m[1].trim());
};

const header = (ctx: KoaContext, name: string): string | undefined => {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const readAll = async (ctx: KoaContext): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
};

/** AWS: writes that set Object Lock parameters must carry Content-MD5 or an x-amz-checksum-* header. */
const hasChecksum = (ctx: KoaContext): boolean =>
  Object.keys(ctx.headers).some(
    (h) => h === 'content-md5' || h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm',
  );
const requireChecksum = (ctx: KoaContext, body?: Buffer) => {
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

const sha256OfFile = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('base64')));
  });

/** `/bucket/key...` (path style; s3rver's vhost middleware has already rewritten vhost requests). */
export const parseTarget = (path: string): { bucket?: string; key?: string } => {
  const m = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!m?.[1]) return {};
  const key = m[2] ? decodeURIComponent(m[2]) : undefined;
  return { bucket: decodeURIComponent(m[1]), ...(key ? { key } : {}) };
};

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=...]`, URL-encoded. */
export const parseCopySource = (value: string): { bucket: string; key: string; rest: string } => {
  const [path = '', query] = value.split('?');
  const decoded = decodeURIComponent(path.replace(/^\//, ''));
  const slash = decoded.indexOf('/');
  return {
    bucket: decoded.slice(0, slash),
    key: decoded.slice(slash + 1),
    rest: query ? `?${query}` : '',
  };
};

const taggingXml = (query: string): string => {
  const tags = [...new URLSearchParams(query)]
    .map(([k, v]) => `<Tag><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value></Tag>`)
    .join('');
  return `<Tagging xmlns="${XMLNS}"><TagSet>${tags}</TagSet></Tagging>`;
};

const parseLockHeaders = (ctx: KoaContext) => {
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

export interface ObjectLockLayerOptions {
  readonly store: FilesystemStore;
  readonly locks: LockStore;
  /** Buckets with Object Lock (and so versioning) on, by physical name. */
  readonly lockedBuckets: ReadonlyMap<string, BucketLockConfig>;
  readonly onCreated?: (object: CreatedObject) => void;
}

/** Turns off s3rver's own router-level authentication: the layer below authenticates every request. */
export const disableRouterAuthentication = (): void => {
  const router = require('@20minutes/s3rver/lib/routes') as { stack: { stack: { name: string }[] }[] };
  let replaced = 0;
  for (const layer of router.stack) {
    layer.stack = layer.stack.map((fn) => {
      if (fn.name !== 'authentication') return fn;
      replaced++;
      return Object.defineProperty((_ctx: unknown, next: () => Promise<void>) => next(), 'name', {
        value: 'authenticatedEarlier',
      });
    });
  }
  if (replaced === 0 && !router.stack.some((l) => l.stack.some((fn) => fn.name === 'authenticatedEarlier'))) {
    throw new Error('s3rver router layout changed: no authentication middleware found to replace');
  }
};

export const objectLockLayer = (options: ObjectLockLayerOptions): Middleware => {
  const { store, locks, lockedBuckets } = options;

  const authenticate = async (ctx: KoaContext, bucket?: string, key?: string) => {
    const saved = ctx.params;
    ctx.params = { ...(bucket ? { bucket } : {}), ...(key ? { key } : {}) };
    try {
      await authentication(ctx, async () => undefined);
    } finally {
      ctx.params = saved;
    }
    if (!ctx.state.account) throw accessDenied();
  };

  const requireObject = async (bucket: string, key: string) => {
    if (!(await store.existsObject(bucket, key))) throw noSuchKey();
  };

  /**
   * s3rver's store for one PutObject, hashing the body as it streams to disk. On a mismatch nothing is
   * kept: a new key's partial file is removed, an overwritten key gets its previous body back (its
   * metadata is untouched, since s3rver writes metadata only after the body).
   */
  const verifyingStore = (
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

  const bypass = (ctx: KoaContext) =>
    header(ctx, 'x-amz-bypass-governance-retention')?.toLowerCase() === 'true';

  const xml = (ctx: KoaContext, body: string) => {
    ctx.status = 200;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  };

  const legalHold = async (ctx: KoaContext, bucket: string, key: string) => {
    if (!lockedBuckets.has(bucket)) throw noLockConfig();
    await requireObject(bucket, key);
    const current = locks.get(bucket, key);
    if (ctx.method === 'GET') {
      if (!current?.legalHold) throw noLockOnObject();
      return xml(ctx, `<LegalHold xmlns="${XMLNS}"><Status>${current.legalHold}</Status></LegalHold>`);
    }
    if (ctx.method !== 'PUT')
      throw s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.');
    const body = await readAll(ctx);
    requireChecksum(ctx, body);
    const status = tag(body.toString('utf8'), 'Status');
    if (status !== 'ON' && status !== 'OFF')
      throw s3Error(
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    await locks.set(bucket, key, { ...(current ?? { versionId: newVersionId() }), legalHold: status });
    ctx.status = 200;
    ctx.body = '';
  };

  const retention = async (ctx: KoaContext, bucket: string, key: string) => {
    if (!lockedBuckets.has(bucket)) throw noLockConfig();
    await requireObject(bucket, key);
    const current = locks.get(bucket, key);
    if (ctx.method === 'GET') {
      if (!current?.mode || !current.retainUntil) throw noLockOnObject();
      return xml(
        ctx,
        `<Retention xmlns="${XMLNS}"><Mode>${current.mode}</Mode><RetainUntilDate>${current.retainUntil}</RetainUntilDate></Retention>`,
      );
    }
    if (ctx.method !== 'PUT')
      throw s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.');
    const body = await readAll(ctx);
    requireChecksum(ctx, body);
    const text = body.toString('utf8');
    const mode = tag(text, 'Mode');
    const until = tag(text, 'RetainUntilDate');
    if (!!mode !== !!until || (mode && mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE')) {
      throw s3Error(
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    }
    const untilMs = until ? Date.parse(until) : undefined;
    if (untilMs !== undefined && (Number.isNaN(untilMs) || untilMs <= Date.now())) {
      throw s3Error('InvalidArgument', 'The retain until date must be in the future!');
    }
    const active = current?.mode && current.retainUntil && Date.parse(current.retainUntil) > Date.now();
    if (active && current?.retainUntil) {
      const currentUntil = Date.parse(current.retainUntil);
      const shortens = untilMs === undefined || untilMs < currentUntil;
      if (current.mode === 'COMPLIANCE' && (shortens || mode !== 'COMPLIANCE')) throw accessDenied();
      if (current.mode === 'GOVERNANCE' && shortens && !bypass(ctx)) throw accessDenied();
    }
    const next: ObjectLockState = { ...(current ?? { versionId: newVersionId() }) };
    if (mode && untilMs !== undefined) {
      next.mode = mode as LockMode;
      next.retainUntil = new Date(untilMs).toISOString();
    } else {
      delete next.mode;
      delete next.retainUntil;
    }
    await locks.set(bucket, key, next);
    ctx.status = 200;
    ctx.body = '';
  };

  const forget = async (bucket: string, key: string) => {
    await locks.delete(bucket, key);
    await store.deleteSubresource(bucket, key, 'tagging');
  };

  const deleteObjects = async (ctx: KoaContext, bucket: string) => {
    if (!(await store.getBucket(bucket)))
      throw s3Error('NoSuchBucket', 'The specified bucket does not exist');
    const text = (await readAll(ctx)).toString('utf8');
    const objects = [...text.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((m) => ({
      key: tag(m[1] ?? '', 'Key') ?? '',
      versionId: tag(m[1] ?? '', 'VersionId'),
    }));
    if (objects.length === 0 || objects.length > 1000) {
      throw s3Error(
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    }
    const quiet = tag(text, 'Quiet') === 'true';
    const parts: string[] = [];
    for (const { key, versionId } of objects) {
      const v = versionId ? `<VersionId>${escapeXml(versionId)}</VersionId>` : '';
      if (isLocked(locks.get(bucket, key), bypass(ctx))) {
        parts.push(
          `<Error><Key>${escapeXml(key)}</Key>${v}<Code>AccessDenied</Code><Message>Access Denied</Message></Error>`,
        );
        continue;
      }
      if (await store.existsObject(bucket, key)) {
        await forget(bucket, key);
        await store.deleteObject(bucket, key);
      }
      if (!quiet) parts.push(`<Deleted><Key>${escapeXml(key)}</Key>${v}</Deleted>`);
    }
    xml(ctx, `<DeleteResult xmlns="${XMLNS}">${parts.join('')}</DeleteResult>`);
  };

  /** After a successful write: lock state (explicit or the bucket default), version id, tags, event. */
  const afterCreate = async (
    ctx: KoaContext,
    bucket: string,
    key: string,
    eventName: CreatedObject['eventName'],
    lock: ReturnType<typeof parseLockHeaders>,
    copySource?: { bucket: string; key: string },
    putChecksum?: string,
  ) => {
    const config = lockedBuckets.get(bucket);
    let versionId: string | undefined;
    // A copy keeps the source's SHA-256 (same bytes), or computes one when asked to.
    let checksumSha256 = putChecksum;
    if (copySource) {
      checksumSha256 = locks.get(copySource.bucket, copySource.key)?.checksumSha256;
      if (!checksumSha256 && header(ctx, 'x-amz-checksum-algorithm')?.toUpperCase() === 'SHA256')
        checksumSha256 = await sha256OfFile(store.getResourcePath(bucket, key, 'object'));
    }
    const checksum = checksumSha256 ? { checksumSha256 } : {};
    if (checksumSha256) ctx.set('x-amz-checksum-sha256', checksumSha256);
    if (config) {
      versionId = newVersionId();
      const retention = lock?.mode
        ? { mode: lock.mode, retainUntil: lock.retainUntil }
        : {
            mode: config.defaultMode,
            retainUntil: new Date(Date.now() + config.defaultDays * 86_400_000).toISOString(),
          };
      await locks.set(bucket, key, {
        ...retention,
        ...(lock?.legalHold ? { legalHold: lock.legalHold } : {}),
        versionId,
        ...checksum,
      });
      ctx.set('x-amz-version-id', versionId);
    } else if (checksumSha256) {
      await locks.set(bucket, key, { checksumSha256 });
    } else {
      await locks.delete(bucket, key);
    }

    if (eventName === 'ObjectCreated:Put' || eventName === 'ObjectCreated:Copy') {
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
    }

    if (options.onCreated) {
      const metadata = await store.getMetadata(bucket, key);
      options.onCreated({
        bucket,
        key,
        size: Number(metadata['content-length']),
        eTag: JSON.parse(String(metadata.etag)) as string,
        ...(versionId ? { versionId } : {}),
        eventName,
        sourceIp: ctx.ip,
      });
    }
  };

  return async function objectLock(ctx, next) {
    if (ctx.method === 'OPTIONS') return next();
    const { bucket, key } = parseTarget(ctx.path);
    await authenticate(ctx, bucket, key);
    if (!bucket) return next();

    const q = ctx.query;
    const subresource = OBJECT_SUBRESOURCES.find((s) => s in q);
    const ok = () => ctx.status >= 200 && ctx.status < 300;

    if (!key) {
      if (ctx.method === 'POST' && 'delete' in q) return deleteObjects(ctx, bucket);
      await next();
      return;
    }

    if (subresource === 'legal-hold') return legalHold(ctx, bucket, key);
    if (subresource === 'retention') return retention(ctx, bucket, key);
    if (subresource === 'tagging' && ctx.method === 'DELETE') {
      await requireObject(bucket, key);
      await store.deleteSubresource(bucket, key, 'tagging');
      ctx.status = 204;
      ctx.body = '';
      return;
    }

    if (ctx.method === 'DELETE' && !subresource) {
      if (isLocked(locks.get(bucket, key), bypass(ctx))) throw accessDenied();
      // Tags first: s3rver removes a key's emptied directories only if no sidecar file is left in them.
      await forget(bucket, key);
      await next();
      return;
    }

    if (ctx.method === 'PUT' && !subresource) {
      const lock = parseLockHeaders(ctx);
      if (lock && !lockedBuckets.has(bucket)) throw noLockConfig();
      const copyHeader = header(ctx, 'x-amz-copy-source');
      const copySource = copyHeader ? parseCopySource(copyHeader) : undefined;
      if (lock && !copySource) requireChecksum(ctx);
      // s3rver would read `?versionId=` as part of the key; there is only ever the current version here.
      if (copySource) ctx.headers['x-amz-copy-source'] = encodeURI(`/${copySource.bucket}/${copySource.key}`);
      const requested = copySource ? undefined : requestedSha256(ctx.headers);
      let digest: string | undefined;
      if (requested)
        ctx.store = verifyingStore(requested.expected, (d) => {
          digest = d;
        });
      await next();
      if (ok())
        await afterCreate(
          ctx,
          bucket,
          key,
          copySource ? 'ObjectCreated:Copy' : 'ObjectCreated:Put',
          lock,
          copySource,
          digest,
        );
      return;
    }

    if (ctx.method === 'POST' && subresource === 'uploadId') {
      await next();
      if (ok()) await afterCreate(ctx, bucket, key, 'ObjectCreated:CompleteMultipartUpload', undefined);
      return;
    }

    await next();

    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && !subresource && ok()) {
      const state = locks.get(bucket, key);
      const checksumMode = header(ctx, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
      // Full-object checksum only for the whole object (AWS omits it for a range GET).
      if (state?.checksumSha256 && checksumMode && !header(ctx, 'range')) {
        ctx.set('x-amz-checksum-sha256', state.checksumSha256);
        ctx.set('x-amz-checksum-type', 'FULL_OBJECT');
      }
      if (state && lockedBuckets.has(bucket)) {
        if (state.versionId) ctx.set('x-amz-version-id', state.versionId);
        if (state.mode && state.retainUntil) {
          ctx.set('x-amz-object-lock-mode', state.mode);
          ctx.set('x-amz-object-lock-retain-until-date', state.retainUntil);
        }
        if (state.legalHold) ctx.set('x-amz-object-lock-legal-hold', state.legalHold);
      }
    }
  };
};

const newVersionId = (): string => randomBytes(24).toString('base64url');
