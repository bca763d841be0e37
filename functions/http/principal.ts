/**
 * The principal from the JWT claims API Gateway's authorizer has already verified.
 *
 * One staff identity per person, whatever token they send: the staff id is one configured claim
 * (`STAFF_ID_CLAIM`, default `sub`, the claim every access and ID token carries), never a fallback chain
 * (a Cognito access token has no `custom:staff_id`, so a chain made the same person two actors). ID
 * tokens are refused outright (`token_use: id`): routes require the scope of their caller class, which
 * only access tokens carry.
 *
 * Grants come from group claims. API Gateway v2 hands array claims over as strings ("[a b c]"); Cognito
 * names its group claim `cognito:groups`, an OIDC issuer usually `groups`. With a claim mapping
 * (`CLAIM_MAPPING`, from `claimMapping` in cdk.json: Entra ID sends group object ids and app roles in
 * `roles`), only mapped values grant anything: each value of `groups` and `roles` is looked up, unknown
 * ones are ignored (and logged once per container), a group-overage token (`_claim_names.groups` or
 * `hasgroups`: more groups than the token holds) is refused, and a token that maps to nothing is refused,
 * so a principal is never built from part of a person's grants.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV } from '../../declarations/environment.js';
import { ForbiddenError, NotAuthenticatedError } from '../domain/errors.js';
import { isMappingTarget, type Principal, principalFrom } from '../domain/roles.js';
import { environment } from '../platform/env.js';
import { log } from '../platform/log.js';

type Claims = Record<string, unknown>;

/** A claim mapping: a group object id or app-role value → the grants, roles and scopes it gives. */
export type ClaimMapping = Readonly<Record<string, readonly string[]>>;

export interface IdentityConfig {
  /** The one claim the staff id is read from. */
  readonly staffIdClaim: string;
  readonly claimMapping?: ClaimMapping;
}

/** Parses a claim mapping (JSON); throws naming the bad entry. infra/config.ts validates it at synth. */
export const parseClaimMapping = (text: string): ClaimMapping => {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('claim mapping: expected an object from group id / app role to targets');
  }
  const mapping: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const targets = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(targets) || targets.length === 0) {
      throw new Error(`claim mapping: ${key}: expected a target or a non-empty list of targets`);
    }
    for (const target of targets) {
      if (typeof target !== 'string' || !isMappingTarget(target)) {
        throw new Error(
          `claim mapping: ${key}: ${JSON.stringify(target)} is not area:<area>:<grant>, role:<role> or scope:crs/<staff|ingest>`,
        );
      }
    }
    mapping[key] = targets as string[];
  }
  return mapping;
};

export const identityConfigFrom = (env: Readonly<Record<string, string | undefined>>): IdentityConfig => {
  const mapping = env[ENV.claimMapping];
  return {
    staffIdClaim: env[ENV.staffIdClaim] || 'sub',
    ...(mapping ? { claimMapping: parseClaimMapping(mapping) } : {}),
  };
};

let fromEnv: IdentityConfig | undefined;
const envConfig = (): IdentityConfig => {
  fromEnv ??= identityConfigFrom(environment());
  return fromEnv;
};

const toList = (value: unknown, separator: RegExp): string[] => {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const trimmed = value.trim().replace(/^\[(.*)\]$/, '$1');
  return trimmed.split(separator).filter((s) => s.length > 0);
};

export const claimsOf = (event: APIGatewayProxyEventV2): Claims | undefined =>
  (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } }).authorizer?.jwt?.claims;

/**
 * Entra ID leaves `groups` out of a token when the user is in more groups than it may hold and says so
 * with `_claim_names: {"groups": "src1"}` (API Gateway hands objects over as text) or `hasgroups: true`.
 */
const isGroupOverage = (claims: Claims): boolean => {
  const names = claims._claim_names;
  const namesGroups =
    typeof names === 'string'
      ? /\bgroups\b/.test(names)
      : typeof names === 'object' && names !== null && 'groups' in names;
  return namesGroups || claims.hasgroups === true || claims.hasgroups === 'true';
};

const loggedUnknown = new Set<string>();
const MAX_LOGGED_UNKNOWN = 1000;

const noteUnknown = (value: string): void => {
  if (loggedUnknown.has(value) || loggedUnknown.size >= MAX_LOGGED_UNKNOWN) return;
  loggedUnknown.add(value);
  log.warn('claim value not in the claim mapping; ignored', { claimValue: value });
};

const mapped = (claims: Claims, mapping: ClaimMapping): { groups: string[]; scopes: string[] } => {
  if (isGroupOverage(claims)) {
    throw new ForbiddenError(
      'auth.group-overage',
      'the token leaves out the group claim (group overage): map app roles instead, or emit only the groups assigned to the application',
    );
  }
  const values = [...toList(claims.groups, /[\s,]+/), ...toList(claims.roles, /[\s,]+/)];
  const groups: string[] = [];
  const scopes: string[] = [];
  for (const value of values) {
    const targets = Object.hasOwn(mapping, value) ? mapping[value] : undefined;
    if (!targets) {
      noteUnknown(value);
      continue;
    }
    for (const target of targets) {
      if (target.startsWith('scope:')) scopes.push(target.slice('scope:'.length));
      else groups.push(target);
    }
  }
  if (groups.length === 0 && scopes.length === 0) {
    throw new ForbiddenError(
      'auth.unmapped',
      'none of the token’s groups or app roles is in the claim mapping: it grants nothing here',
    );
  }
  return { groups, scopes };
};

export const principalFromClaims = (
  claims: Claims | undefined,
  config: IdentityConfig = envConfig(),
): Principal => {
  if (!claims) throw new NotAuthenticatedError('no verified identity on the request (expected a bearer JWT)');
  if (claims.token_use !== undefined && claims.token_use !== 'access') {
    throw new NotAuthenticatedError('an ID token was sent: send the access token');
  }
  const staffId = claims[config.staffIdClaim];
  if (typeof staffId !== 'string' || staffId === '') {
    throw new NotAuthenticatedError(
      `no verified identity on the request (expected a bearer JWT with \`${config.staffIdClaim}\`)`,
    );
  }
  const tokenScopes = [...toList(claims.scope, /\s+/), ...toList(claims.scp, /\s+/)];
  if (config.claimMapping) {
    const { groups, scopes } = mapped(claims, config.claimMapping);
    return principalFrom(staffId, groups, [...new Set([...tokenScopes, ...scopes])]);
  }
  const groups = [...toList(claims['cognito:groups'], /[\s,]+/), ...toList(claims.groups, /[\s,]+/)];
  return principalFrom(staffId, groups, tokenScopes);
};
