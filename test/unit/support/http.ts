/** Builds API Gateway v2 (payload 2.0) events the way the JWT authorizer hands them to a function. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { STAFF_SCOPE } from '../../../declarations/scopes.js';

export interface EventOptions {
  body?: unknown;
  rawBody?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Group claims, e.g. ['area:revenues:listener', 'role:siro']; omitted → no authorizer claims. */
  groups?: string[];
  staffId?: string;
  /** Token scopes; default `crs/staff` (a staff access token). */
  scope?: string;
  /** The verified claims exactly as given (a real token's shape); overrides staffId/groups/scope. */
  claims?: Record<string, unknown>;
}

export const httpEvent = (routeKey: string, options: EventOptions = {}): APIGatewayProxyEventV2 => {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const claims = options.claims
    ? options.claims
    : options.staffId === undefined && options.groups === undefined && options.scope === undefined
      ? undefined
      : {
          sub: options.staffId ?? 'anonymous-sub',
          token_use: 'access',
          // API Gateway hands array claims over as a bracketed, space-separated string.
          'cognito:groups': `[${(options.groups ?? []).join(' ')}]`,
          scope: options.scope ?? STAFF_SCOPE,
        };
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    queryStringParameters: options.query,
    pathParameters: options.params,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: `req-${Math.random().toString(16).slice(2, 10)}`,
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  } as APIGatewayProxyEventV2;
};

export const lambdaContext = (): Context =>
  ({
    awsRequestId: 'test-request',
    functionName: 'test',
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string>;
  json: T;
  text: string;
}

/** Invokes a middy HTTP handler and decodes the reply. */
export const invoke = async <T = Record<string, unknown>>(
  handler: Handler,
  routeKey: string,
  options: EventOptions = {},
): Promise<Reply<T>> => {
  const result = (await handler(
    httpEvent(routeKey, options),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;
  const text = typeof result.body === 'string' ? result.body : '';
  // HTTP header names are case-insensitive; compare them lower-cased as a client would.
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const json = headers['content-type']?.startsWith('application/json') ? JSON.parse(text) : {};
  return { status: result.statusCode ?? 200, headers, json: json as T, text };
};
