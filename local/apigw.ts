/**
 * API Gateway HTTP API (payload format 2.0) in miniature: route matching over the declared route table,
 * the Lambda event it builds, and how it turns the function's result into an HTTP response.
 * Pure functions, so the format can be unit-tested against what AWS documents.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteDeclaration } from '../declarations/routes.js';
import { ACCOUNT_ID } from './config.js';

export interface CompiledRoute {
  readonly route: RouteDeclaration;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly routeKey: string;
}

/** `/recordings/{id}` → a regex capturing `id`; `{proxy+}` captures the rest of the path. */
export const compileRoute = (route: RouteDeclaration): CompiledRoute => {
  const params: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(segment);
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(m[1] ?? '');
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), params, routeKey: `${route.method} ${route.path}` };
};

/**
 * Picks the route as API Gateway does: an exact path beats a parameterised one, and among parameterised
 * routes the one with more literal segments wins. No match (path or method) is a 404.
 */
export const matchRoute = (
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: CompiledRoute; pathParameters: Record<string, string> } | undefined => {
  const candidates = routes
    .filter((r) => r.route.method === method)
    .map((r) => ({ r, m: r.pattern.exec(path) }))
    .filter((x): x is { r: CompiledRoute; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) =>
      b.r.route.path.split('{').length === a.r.route.path.split('{').length
        ? b.r.route.path.length - a.r.route.path.length
        : a.r.route.path.split('{').length - b.r.route.path.split('{').length,
    );
  const best = candidates[0];
  if (!best) return undefined;
  const pathParameters: Record<string, string> = {};
  best.r.params.forEach((name, i) => {
    const raw = best.m[i + 1] ?? '';
    try {
      pathParameters[name] = decodeURIComponent(raw);
    } catch {
      pathParameters[name] = raw;
    }
  });
  return { route: best.r, pathParameters };
};

/**
 * API Gateway hands JWT claims to the function as strings: numbers and booleans as their text, arrays
 * as `[a b c]` (space separated, in brackets), objects in the same Go-like `map[k:v]` form.
 */
export const stringifyClaim = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(stringifyClaim).join(' ')}]`;
  if (value !== null && typeof value === 'object') {
    return `map[${Object.entries(value)
      .map(([k, v]) => `${k}:${stringifyClaim(v)}`)
      .join(' ')}]`;
  }
  return String(value);
};

export const stringifyClaims = (claims: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, stringifyClaim(v)]));

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

export interface IncomingRequest {
  readonly method: string;
  /** Raw path, still URL-encoded. */
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Header name → values (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  readonly sourceIp: string;
}

const apiTime = (d: Date): string => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

export const buildEvent = (
  request: IncomingRequest,
  matched: { route: CompiledRoute; pathParameters: Record<string, string> },
  options: { claims?: Record<string, unknown>; requestId?: string; host: string; now?: Date },
): APIGatewayProxyEventV2 => {
  const now = options.now ?? new Date();
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      cookies = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/;\s*/)).filter(Boolean);
      continue;
    }
    headers[lower] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-for'] = request.sourceIp;
  headers['x-forwarded-proto'] = 'http';

  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(request.rawQueryString))
    query[k] = k in query ? `${query[k]},${v}` : v;

  const contentType = headers['content-type'] ?? '';
  const hasBody = request.body.length > 0;
  const binary = hasBody && !TEXT_TYPES.test(contentType);
  const requestId = options.requestId ?? randomUUID();
  const apiId = 'local';

  return {
    version: '2.0',
    routeKey: matched.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(matched.route.params.length ? { pathParameters: matched.pathParameters } : {}),
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId,
      ...(options.claims
        ? { authorizer: { jwt: { claims: stringifyClaims(options.claims), scopes: null } } }
        : {}),
      domainName: options.host,
      domainPrefix: options.host.split('.')[0] ?? options.host,
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: matched.route.routeKey,
      stage: '$default',
      time: apiTime(now),
      timeEpoch: now.getTime(),
    },
    ...(hasBody ? { body: request.body.toString(binary ? 'base64' : 'utf8') } : {}),
    isBase64Encoded: binary,
  } as APIGatewayProxyEventV2;
};

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

const json = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(body)),
});

export const gatewayError = {
  notFound: () => json(404, { message: 'Not Found' }),
  unauthorized: () => json(401, { message: 'Unauthorized' }),
  forbidden: () => json(403, { message: 'Forbidden' }),
  internal: () => json(500, { message: 'Internal Server Error' }),
  unavailable: () => json(503, { message: 'Service Unavailable' }),
  tooLarge: () => json(413, { message: 'Request Entity Too Large' }),
  json,
};

/**
 * The function's result → HTTP, per payload format 2.0: an object with `statusCode` is a response;
 * anything else is JSON with status 200.
 */
export const responseFromResult = (result: unknown): HttpResponse => {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const r = result as {
      statusCode: unknown;
      headers?: Record<string, unknown>;
      cookies?: unknown;
      body?: unknown;
      isBase64Encoded?: unknown;
    };
    const status = Number(r.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) return gatewayError.internal();
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(r.headers ?? {}))
      if (v !== undefined) headers[k.toLowerCase()] = String(v);
    if (Array.isArray(r.cookies) && r.cookies.length) headers['set-cookie'] = r.cookies.map(String);
    const text = typeof r.body === 'string' ? r.body : r.body === undefined ? '' : JSON.stringify(r.body);
    const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text);
    return { status, headers, body };
  }
  if (result === undefined) return { status: 200, headers: {}, body: Buffer.alloc(0) };
  return json(200, result);
};
