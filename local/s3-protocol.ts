/**
 * S3 on the wire, for the layer in front of s3rver (s3-object-lock.ts): the slice of Koa's context and
 * s3rver's store it uses, S3's XML error replies, XML in and out, request targets and copy sources, and
 * authentication with s3rver's own SigV4 code (every request, once; unsigned requests get 403 as on a
 * bucket that blocks public access).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type S3ErrorCtor = new (
  code: string,
  message: string,
  detail?: Record<string, unknown>,
) => Error & { status: number };
const S3Error: S3ErrorCtor = require('@20minutes/s3rver/lib/models/error');
export const { TaggingConfiguration } = require('@20minutes/s3rver/lib/models/config') as {
  TaggingConfiguration: { validate(xml: string): unknown };
};
export type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
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
export interface StoredObject {
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

export const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
export const OBJECT_SUBRESOURCES = [
  'acl',
  'legal-hold',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
];

export const s3Error = (code: string, message: string, status?: number): Error => {
  const error = new S3Error(code, message);
  if (status) Object.assign(error, { status, expose: status < 500 });
  return error;
};
export const accessDenied = () => s3Error('AccessDenied', 'Access Denied');
export const noLockConfig = () => s3Error('InvalidRequest', 'Bucket is missing Object Lock Configuration');
export const noSuchKey = () => s3Error('NoSuchKey', 'The specified key does not exist.');
export const noLockOnObject = () =>
  s3Error(
    'NoSuchObjectLockConfiguration',
    'The specified object does not have a ObjectLock configuration',
    404,
  );

export const escapeXml = (s: string) =>
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
export const tag = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m?.[1] === undefined ? undefined : unescapeXml(m[1].trim());
};

export const header = (ctx: KoaContext, name: string): string | undefined => {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export const readAll = async (ctx: KoaContext): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
};

export const malformedXml = () =>
  s3Error(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

export const methodNotAllowed = () =>
  s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.');

/** A 200 reply with an XML body. */
export const xmlReply = (ctx: KoaContext, body: string) => {
  ctx.status = 200;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
};

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

export const taggingXml = (query: string): string => {
  const tags = [...new URLSearchParams(query)]
    .map(([k, v]) => `<Tag><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value></Tag>`)
    .join('');
  return `<Tagging xmlns="${XMLNS}"><TagSet>${tags}</TagSet></Tagging>`;
};

/** s3rver's SigV4 check for one request; 403 AccessDenied unless it names an account. */
export const authenticate = async (ctx: KoaContext, bucket?: string, key?: string) => {
  const saved = ctx.params;
  ctx.params = { ...(bucket ? { bucket } : {}), ...(key ? { key } : {}) };
  try {
    await authentication(ctx, async () => undefined);
  } finally {
    ctx.params = saved;
  }
  if (!ctx.state.account) throw accessDenied();
};

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
