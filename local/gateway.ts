/**
 * The local HTTP gateway on 127.0.0.1:PORT: the declared route table, a JWT authorizer that verifies
 * bearer tokens against the local issuer's JWKS (401 otherwise), payload-2.0 events into the same
 * handlers the CDK API invokes, and a handful of local-only endpoints under `/_local/` (never deployed):
 *
 *   POST /_local/token {persona, expiresInSeconds?}  → {token}         a JWT for a demo persona
 *   GET  /_local/personas                            → the personas
 *   POST /_local/run/{job} [{now}]                   → runs a scheduled job: {job} to its function;
 *                                                      `now` first moves the stack clock forward (clock.ts)
 *   GET  /_local/queues[?waitForIdle=<ms>]           → queue depths and DLQ contents
 *   GET  /_local/sns                                 → messages published to SNS
 *   GET  /_local/stack                               → endpoints and resource names
 *   GET  /_local/siem-events[?sync=true]             → events put on the audit bus (the SIEM sink)
 *   GET  /health                                     → each component up/down with its latency
 *   GET  /openapi.json                               → the API's OpenAPI 3.1 document (docs/openapi.json)
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { FunctionId } from '../declarations/functions.js';
import { ROUTES, scopesOf } from '../declarations/routes.js';
import { redact } from '../functions/platform/log.js';
import {
  buildEvent,
  type CompiledRoute,
  compileRoute,
  gatewayError,
  type HttpResponse,
  matchRoute,
  responseFromResult,
} from './apigw.js';
import { ClockBackwardsError, parseClockBody, type StackClock } from './clock.js';
import { AUDIENCE, COMPONENTS, type Component, REPO_ROOT } from './config.js';
import { BodyTooLargeError, listen, readBody } from './http.js';
import type { InvokeOutcome } from './invoke.js';
import { isPersonaId, PERSONA_IDS, PERSONAS, type PersonaId } from './personas.js';

/** API Gateway gives up on an integration after 30 s. */
const INTEGRATION_TIMEOUT_SECONDS = 30;
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface ComponentHealth {
  readonly status: 'up' | 'down';
  readonly ms: number;
  readonly endpoint?: string;
  readonly error?: string;
}

export interface GatewayOptions {
  readonly port: number;
  readonly issuer: {
    readonly url: string;
    readonly jwksUrl: string;
    mint(p: PersonaId, o?: { expiresInSeconds?: number }): Promise<string>;
  };
  readonly invoke: (id: FunctionId, event: unknown, timeoutSeconds?: number) => Promise<InvokeOutcome>;
  readonly probes: Readonly<Record<Exclude<Component, 'gateway'>, () => Promise<void>>>;
  readonly endpoints: Readonly<Record<Component, string>>;
  /** Runs a job at the stack clock's time. */
  readonly runJob: (job: string) => Promise<InvokeOutcome>;
  /** The stack clock the jobs and the Object Lock emulator share; `{now}` on a run moves it. */
  readonly clock: StackClock;
  readonly queues: {
    snapshot(): unknown;
    whenIdle(ms: number): Promise<boolean>;
    publishedMessages(): unknown;
  };
  readonly stackInfo: () => unknown;
  /** Events put on the audit bus (the local SIEM sink); `sync` first reads the log streams to their end. */
  readonly siemEvents?: (sync: boolean) => Promise<unknown[]>;
  readonly logRequests: boolean;
  /** The staff portal's static files at the root (local/portal.ts); undefined for non-portal paths. */
  readonly portal?: (method: string, path: string) => HttpResponse | undefined;
}

export interface GatewayHandle {
  readonly url: string;
  health(): Promise<{ ok: boolean; components: Record<Component, ComponentHealth> }>;
  close(): Promise<void>;
}

const timed = async (probe: () => Promise<void>, endpoint: string): Promise<ComponentHealth> => {
  const started = performance.now();
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref()),
    ]);
    return { status: 'up', ms: Math.round(performance.now() - started), endpoint };
  } catch (error) {
    return {
      status: 'down',
      ms: Math.round(performance.now() - started),
      endpoint,
      error: error instanceof Error ? error.message : String(error),
    };
  }
};

/** The committed OpenAPI document (`npm run openapi`), read per request so a regenerated one is served. */
const openApiDocument = (): HttpResponse => {
  try {
    const body = Buffer.from(readFileSync(join(REPO_ROOT, 'docs', 'openapi.json')));
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
  } catch {
    return gatewayError.json(404, { message: 'docs/openapi.json is missing: run `npm run openapi`' });
  }
};

/**
 * The request line as logged: the path, and the query's parameter names only — a search URL carries the
 * caller number (`?caller=+44…`), which never goes to a log.
 */
export const loggableUrl = (raw: string | undefined): string => {
  const url = new URL(raw ?? '/', 'http://local');
  const names = [...new Set(url.searchParams.keys())];
  return redact(`${url.pathname}${names.length ? `?${names.map((n) => `${n}=…`).join('&')}` : ''}`);
};

const bearer = (value: string | undefined): string | undefined => {
  if (!value) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(value.trim());
  return (m?.[1] ?? value).trim() || undefined;
};

export const startGateway = async (options: GatewayOptions): Promise<GatewayHandle> => {
  const routes: CompiledRoute[] = ROUTES.map(compileRoute);
  const jwks = createRemoteJWKSet(new URL(options.issuer.jwksUrl), {
    cooldownDuration: 1000,
    timeoutDuration: 2000,
  });

  /** API Gateway's JWT authorizer: signature, iss, exp/nbf, and aud or client_id. */
  const authorize = async (header: string | undefined): Promise<Record<string, unknown> | string> => {
    const token = bearer(header);
    if (!token) return 'no bearer token';
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer.url,
        requiredClaims: ['exp'],
        algorithms: ['ES256', 'RS256'],
      });
      const audiences =
        payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!audiences.includes(AUDIENCE) && payload.client_id !== AUDIENCE)
        return 'the token is not for this API';
      return payload as Record<string, unknown>;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
      return error instanceof Error ? error.message : 'invalid token';
    }
  };

  const health = async () => {
    const entries = await Promise.all(
      COMPONENTS.map(
        async (c): Promise<[Component, ComponentHealth]> => [
          c,
          c === 'gateway'
            ? { status: 'up', ms: 0, endpoint: options.endpoints.gateway }
            : await timed(options.probes[c], options.endpoints[c]),
        ],
      ),
    );
    const components = Object.fromEntries(entries) as Record<Component, ComponentHealth>;
    return { ok: entries.every(([, h]) => h.status === 'up'), components };
  };

  const local = async (
    method: string,
    path: string,
    url: URL,
    body: Buffer,
  ): Promise<HttpResponse | undefined> => {
    const parseJson = (): Record<string, unknown> => {
      try {
        return body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        return {};
      }
    };
    if (method === 'POST' && path === '/_local/token') {
      const { persona, expiresInSeconds } = parseJson();
      if (!isPersonaId(persona)) {
        return gatewayError.json(400, { message: `persona must be one of: ${PERSONA_IDS.join(', ')}` });
      }
      const ttl = typeof expiresInSeconds === 'number' ? expiresInSeconds : undefined;
      const token = await options.issuer.mint(persona, { expiresInSeconds: ttl });
      return gatewayError.json(200, { token, persona: PERSONAS[persona] });
    }
    if (method === 'GET' && path === '/_local/personas') {
      return gatewayError.json(200, { personas: PERSONA_IDS.map((id) => PERSONAS[id]) });
    }
    const job = /^\/_local\/run\/([^/]+)$/.exec(path);
    if (method === 'POST' && job?.[1]) {
      const name = decodeURIComponent(job[1]);
      const clock = parseClockBody(body.toString('utf8'));
      if (!clock.ok) return gatewayError.json(400, { field: clock.field, message: clock.message });
      if (clock.now) {
        try {
          options.clock.moveTo(clock.now);
        } catch (error) {
          if (!(error instanceof ClockBackwardsError)) throw error;
          return gatewayError.json(409, { field: 'body.now', message: error.message });
        }
      }
      const at = options.clock.now().toISOString();
      const outcome = await options.runJob(name);
      if (outcome.ok)
        return gatewayError.json(200, { job: name, now: at, ms: outcome.ms, result: outcome.value ?? null });
      const status = outcome.kind === 'missing' || outcome.kind === 'no-handler' ? 501 : 500;
      return gatewayError.json(status, {
        job: name,
        now: at,
        ms: outcome.ms,
        error: outcome.kind,
        message: outcome.message,
      });
    }
    if (method === 'GET' && path === '/_local/queues') {
      const wait = Number(url.searchParams.get('waitForIdle') ?? 0);
      const idle = wait > 0 ? await options.queues.whenIdle(Math.min(wait, 120_000)) : undefined;
      return gatewayError.json(200, {
        ...(idle !== undefined ? { idle } : {}),
        queues: options.queues.snapshot(),
      });
    }
    if (method === 'GET' && path === '/_local/sns') {
      return gatewayError.json(200, { messages: options.queues.publishedMessages() });
    }
    if (method === 'GET' && path === '/_local/stack') return gatewayError.json(200, options.stackInfo());
    if (method === 'GET' && path === '/_local/siem-events' && options.siemEvents) {
      const events = await options.siemEvents(url.searchParams.get('sync') === 'true');
      return gatewayError.json(200, { count: events.length, events });
    }
    return undefined;
  };

  const route = async (
    req: IncomingMessage,
    requestId: string,
  ): Promise<{ response: HttpResponse; fn?: string }> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    let body: Buffer;
    try {
      body = await readBody(req, MAX_PAYLOAD_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return { response: gatewayError.tooLarge() };
      throw error;
    }

    if (url.pathname.startsWith('/_local/')) {
      return { response: (await local(method, url.pathname, url, body)) ?? gatewayError.notFound() };
    }
    if (method === 'GET' && url.pathname === '/health') {
      const report = await health();
      return {
        response: gatewayError.json(report.ok ? 200 : 503, { status: report.ok ? 'up' : 'down', ...report }),
      };
    }

    if (method === 'GET' && url.pathname === '/openapi.json') return { response: openApiDocument() };

    const matched = matchRoute(routes, method, url.pathname);
    if (!matched) return { response: options.portal?.(method, url.pathname) ?? gatewayError.notFound() };
    const declaration = matched.route.route;

    let claims: Record<string, unknown> | undefined;
    if (declaration.auth === 'jwt') {
      const result = await authorize(req.headers.authorization);
      if (typeof result === 'string') {
        const response = gatewayError.unauthorized();
        response.headers['www-authenticate'] =
          `Bearer error="invalid_token" error_description="${result.replace(/"/g, "'")}"`;
        return { response };
      }
      // API Gateway's authorization scopes: the token's `scope` (or `scp`) must hold the route's scope.
      const held = `${result.scope ?? ''} ${result.scp ?? ''}`.split(/\s+/);
      if (!scopesOf(declaration).every((scope) => held.includes(scope))) {
        const response = gatewayError.forbidden();
        response.headers['www-authenticate'] =
          `Bearer error="insufficient_scope" scope="${scopesOf(declaration).join(' ')}"`;
        return { response };
      }
      claims = result;
    }

    const rawQuery = (req.url ?? '').includes('?')
      ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1)
      : '';
    const event = buildEvent(
      {
        method,
        rawPath: (req.url ?? '/').split('?')[0] ?? '/',
        rawQueryString: rawQuery,
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      },
      matched,
      { claims, requestId, host: req.headers.host ?? '127.0.0.1' },
    );

    const outcome = await options.invoke(declaration.function, event, INTEGRATION_TIMEOUT_SECONDS);
    if (!outcome.ok) {
      if (outcome.kind === 'missing' || outcome.kind === 'no-handler') {
        return {
          fn: declaration.function,
          response: gatewayError.json(501, {
            message: `Not Implemented: ${matched.route.routeKey} is served by ${declaration.function}, and ${outcome.message}`,
          }),
        };
      }
      const detail = outcome.error instanceof Error ? `\n${outcome.error.stack}` : '';
      console.error(
        redact(`[${declaration.function}] ${outcome.requestId} ${outcome.kind}: ${outcome.message}${detail}`),
      );
      return {
        fn: declaration.function,
        response: outcome.kind === 'timeout' ? gatewayError.unavailable() : gatewayError.internal(),
      };
    }
    return { fn: declaration.function, response: responseFromResult(outcome.value) };
  };

  const listening = await listen('gateway', options.port, (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID();
    route(req, requestId)
      .catch((error: unknown): { response: HttpResponse; fn?: string } => {
        console.error(
          redact(
            `[gateway] ${requestId} internal error ${error instanceof Error ? error.stack : String(error)}`,
          ),
        );
        return { response: gatewayError.internal() };
      })
      .then(({ response, fn }) => {
        res.writeHead(response.status, {
          ...response.headers,
          'content-length': response.body.length,
          'apigw-requestid': requestId,
        });
        res.end(req.method === 'HEAD' ? undefined : response.body);
        if (options.logRequests && !(req.url ?? '').startsWith('/health')) {
          const ms = Math.round(performance.now() - started);
          console.log(
            `[gateway] ${req.method} ${loggableUrl(req.url)} → ${response.status} ${ms}ms${fn ? ` (${fn})` : ''}`,
          );
        }
      });
  });

  return { url: `http://127.0.0.1:${listening.port}`, health, close: listening.close };
};
