/**
 * The HTTP chain every API function uses: one handler per Lambda dispatching on the API Gateway v2
 * route key. Each route validates its path, query and body with zod (→ 400 naming the field), gets the
 * principal from the verified JWT claims, and calls one use case. Errors map to HTTP in one place.
 */
import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { declarationOf } from '../../declarations/routes.js';
import { type CallerClass, SCOPE_OF_CALLER } from '../../declarations/scopes.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Principal } from '../domain/roles.js';
import { withLogContext } from '../platform/log.js';
import { errorResponse, RequestValidationError } from './errors.js';
import { claimsOf, principalFromClaims } from './principal.js';

export interface RouteInput<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly principal: Principal;
  readonly correlationId: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface RouteOutput {
  readonly status: number;
  /** Serialised as JSON unless `text` is given. */
  readonly body?: unknown;
  /** A non-JSON body (e.g. CSV) with its content type. */
  readonly text?: { contentType: string; content: string };
  readonly headers?: Record<string, string>;
}

export interface Route<B, Q, P> {
  /** `none` only for routes the route table also leaves open (health). */
  readonly auth?: 'jwt' | 'none';
  /** Whose token a `jwt` route takes; default: the route table's `caller`, else staff. */
  readonly caller?: CallerClass;
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
  readonly params?: z.ZodType<P>;
  run(input: RouteInput<B, Q, P>): Promise<RouteOutput>;
  /**
   * Called when the path is valid but the query or body is not, before the 400 goes out: a route on a
   * recording audits the refused attempt here (policy s.6: every attempt is on the access audit log).
   */
  refused?(
    input: Omit<RouteInput<undefined, undefined, P>, 'body' | 'query'>,
    error: ValidationError,
  ): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: a route table holds routes of different input types.
export type AnyRoute = Route<any, any, any>;

export const route = <
  B = undefined,
  Q = Record<string, string | undefined>,
  P = Record<string, string | undefined>,
>(
  r: Route<B, Q, P>,
): Route<B, Q, P> => r;

const ANONYMOUS: Principal = { staffId: 'anonymous', grants: {}, roles: [], scopes: [] };
const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;

const correlationIdOf = (event: APIGatewayProxyEventV2): string => {
  const offered = event.headers?.[CORRELATION_HEADER];
  if (offered && CORRELATION_PATTERN.test(offered)) return offered;
  return event.requestContext?.requestId || randomUUID();
};

/**
 * The scope check API Gateway makes (authorization scopes), made again here so the local gateway and a
 * misconfigured deployment behave the same: a staff route takes only a staff access token, an ingest
 * route only the telephony client's.
 */
const requireCallerScope = (routeKey: string, selected: AnyRoute, principal: Principal): void => {
  const caller = selected.caller ?? declarationOf(routeKey)?.caller ?? 'staff';
  const scope = SCOPE_OF_CALLER[caller];
  if (!principal.scopes.includes(scope)) {
    throw new ForbiddenError(
      'auth.caller-scope',
      `${routeKey} takes a ${caller} access token (scope ${scope})`,
    );
  }
};

const validate = <T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T => {
  if (!schema) return value as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new RequestValidationError(
    result.error.issues.map((issue) => ({
      field: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
};

const parseJsonBody = (event: APIGatewayProxyEventV2): unknown => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('body', 'expected a JSON document');
  }
};

const toResponse = (status: number, output: Omit<RouteOutput, 'status'>, correlationId: string) => {
  const headers: Record<string, string> = {
    'cache-control': 'no-store',
    [CORRELATION_HEADER]: correlationId,
    ...output.headers,
  };
  if (output.text) {
    headers['content-type'] = output.text.contentType;
    return { statusCode: status, headers, body: output.text.content };
  }
  if (output.body === undefined) return { statusCode: status, headers };
  headers['content-type'] = 'application/json; charset=utf-8';
  return { statusCode: status, headers, body: JSON.stringify(output.body) };
};

interface Internal {
  correlationId?: string;
}

/** Maps any error to the one error shape, with the correlation id; runs on every route. */
const boundary = (): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  before: (request) => {
    (request.internal as Internal).correlationId = correlationIdOf(request.event);
  },
  onError: (request) => {
    const correlationId = (request.internal as Internal).correlationId ?? correlationIdOf(request.event);
    const { status, body } = errorResponse(request.error, correlationId);
    request.response = toResponse(status, { body }, correlationId);
  },
});

/**
 * The handler, with its route table attached as `routes` so the OpenAPI generator (openapi/) reads the
 * same zod schemas the handler validates with.
 */
export const httpRouter = (routes: Readonly<Record<string, AnyRoute>>) => {
  const handler = chain(routes);
  /** Every log line of the invocation carries its correlation id, request id and cold-start flag. */
  const logged = (event: APIGatewayProxyEventV2, context: Context) =>
    withLogContext(
      {
        correlationId: correlationIdOf(event),
        requestId: context?.awsRequestId,
        functionName: context?.functionName,
      },
      () => handler(event, context),
    );
  return Object.assign(logged, { routes });
};

const chain = (routes: Readonly<Record<string, AnyRoute>>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>({
    timeoutEarlyInMillis: 0,
  })
    .use(httpHeaderNormalizer())
    .use(httpSecurityHeaders())
    .use(boundary())
    .handler(async (event, _context, { signal: _signal }) => {
      const correlationId = correlationIdOf(event);
      const selected = routes[event.routeKey];
      if (!selected) throw new NotFoundError(`route ${event.routeKey}`);
      const principal = selected.auth === 'none' ? ANONYMOUS : principalFromClaims(claimsOf(event));
      if (selected.auth !== 'none') requireCallerScope(event.routeKey, selected, principal);
      const params = validate(selected.params, event.pathParameters ?? {}, 'path');
      let query: unknown;
      let body: unknown;
      try {
        query = validate(selected.query, event.queryStringParameters ?? {}, 'query');
        body = selected.body ? validate(selected.body, parseJsonBody(event), 'body') : undefined;
      } catch (error) {
        if (selected.refused && error instanceof ValidationError && selected.auth !== 'none') {
          await selected.refused({ params, principal, correlationId, headers: event.headers ?? {} }, error);
        }
        throw error;
      }
      const output = await selected.run({
        body,
        query,
        params,
        principal,
        correlationId,
        headers: event.headers ?? {},
      });
      return toResponse(output.status, output, correlationId);
    });
