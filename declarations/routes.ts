/**
 * The HTTP route table, declared once: the CDK HTTP API and the local gateway both build from it.
 * `auth: 'jwt'` routes go through the JWT authorizer and require the scope of their caller class
 * (`caller`: staff → `crs/staff`, telephony → `crs/ingest`): API Gateway checks it (authorization
 * scopes), the local gateway checks it the same way, and the HTTP router checks it again in the
 * function. The handler then authorises the request against the policy.
 */

import type { FunctionId } from './functions.js';
import { type CallerClass, SCOPE_OF_CALLER } from './scopes.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDeclaration {
  readonly method: HttpMethod;
  /** API Gateway v2 path, e.g. `/recordings/{id}`. */
  readonly path: string;
  readonly function: FunctionId;
  readonly auth: 'jwt' | 'none';
  /** Who may call a `jwt` route; its token must carry that class's scope. */
  readonly caller?: CallerClass;
}

const r = (
  method: HttpMethod,
  path: string,
  fn: FunctionId,
  auth: 'jwt' | 'none' = 'jwt',
  caller: CallerClass = 'staff',
): RouteDeclaration => ({
  method,
  path,
  function: fn,
  auth,
  ...(auth === 'jwt' ? { caller } : {}),
});

export const ROUTES: readonly RouteDeclaration[] = [
  r('GET', '/health', 'registers', 'none'),
  // Who is signed in and what the policy lets them do (the staff portal's navigation)
  r('GET', '/me', 'registers'),
  // Registers (s.3, s.4)
  r('GET', '/service-areas', 'registers'),
  r('PUT', '/service-areas/{id}', 'registers'),
  r('GET', '/service-areas/{id}', 'registers'),
  r('POST', '/service-areas/{id}/approve', 'registers'),
  r('GET', '/extensions', 'registers'),
  r('PUT', '/extensions/{number}', 'registers'),
  r('GET', '/extensions/{number}', 'registers'),
  r('POST', '/staff-notices', 'registers'),
  r('GET', '/staff-notices/due', 'registers'),
  // Ingestion (s.2, s.3, s.5)
  r('POST', '/uploads', 'ingestApi', 'jwt', 'telephony'),
  r('GET', '/uploads/{callId}', 'ingestApi', 'jwt', 'telephony'),
  // Search, playback, audit (s.6)
  r('GET', '/recordings', 'playback'),
  r('GET', '/recordings/{id}', 'playback'),
  r('POST', '/recordings/{id}/playback', 'playback'),
  r('POST', '/recordings/{id}/download', 'playback'),
  r('DELETE', '/recordings/{id}', 'playback'),
  r('GET', '/audit', 'playback'),
  r('GET', '/audit/export', 'playback'),
  // Releases and the Release of Recording Log (s.6)
  r('POST', '/releases', 'release'),
  r('GET', '/releases', 'release'),
  r('GET', '/releases/{id}', 'release'),
  r('POST', '/releases/{id}/approve', 'release'),
  r('POST', '/releases/{id}/reject', 'release'),
  r('GET', '/releases/{id}/link', 'release'),
  r('POST', '/releases/{id}/complete', 'release'),
  r('GET', '/release-log', 'release'),
  r('GET', '/release-log/public-key', 'release'),
  // IG advice and disclosures (s.6, DPA 2018)
  r('POST', '/ig-advice', 'disclosures'),
  r('GET', '/ig-advice/{id}', 'disclosures'),
  // Subject access requests (DPA 2018, UK GDPR Art. 15)
  r('POST', '/subject-access-requests', 'disclosures'),
  r('GET', '/subject-access-requests/{id}', 'disclosures'),
  r('POST', '/subject-access-requests/{id}/extend', 'disclosures'),
  r('POST', '/subject-access-requests/{id}/search', 'disclosures'),
  r('PUT', '/subject-access-requests/{id}/recordings/{recordingId}', 'disclosures'),
  r('POST', '/subject-access-requests/{id}/recordings/{recordingId}/playback', 'disclosures'),
  r('POST', '/subject-access-requests/{id}/package', 'disclosures'),
  r('GET', '/subject-access-requests/{id}/package/link', 'disclosures'),
  r('POST', '/subject-access-requests/{id}/close', 'disclosures'),
  // Holds and retention (s.7)
  r('POST', '/holds', 'legalHold'),
  r('GET', '/holds', 'legalHold'),
  r('GET', '/holds/{id}', 'legalHold'),
  r('DELETE', '/holds/{id}', 'legalHold'),
  r('POST', '/holds/{id}/review', 'legalHold'),
  // Reports
  r('GET', '/reports/deletions', 'reports'),
  r('GET', '/reports/retention', 'reports'),
  r('GET', '/reports/compliance', 'reports'),
  r('GET', '/reports/subject-access', 'disclosures'),
];

/** `GET /recordings/{id}` — the API Gateway v2 route key a handler dispatches on. */
export const routeKey = (route: Pick<RouteDeclaration, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

/** The scopes a route's token must carry (none for open routes). */
export const scopesOf = (route: Pick<RouteDeclaration, 'auth' | 'caller'>): string[] =>
  route.auth === 'jwt' ? [SCOPE_OF_CALLER[route.caller ?? 'staff']] : [];

const BY_KEY = new Map(ROUTES.map((route) => [routeKey(route), route]));

/** The declaration of a route key, if the route table has it. */
export const declarationOf = (key: string): RouteDeclaration | undefined => BY_KEY.get(key);
