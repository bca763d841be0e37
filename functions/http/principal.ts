/**
 * The principal from the JWT claims API Gateway's authorizer has already verified.
 * API Gateway v2 hands array claims over as strings ("[a b c]"); Cognito names its group claim
 * `cognito:groups`, an OIDC issuer usually `groups`. Both shapes are accepted.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { NotAuthenticatedError } from '../domain/errors.js';
import { type Principal, principalFrom } from '../domain/roles.js';

type Claims = Record<string, unknown>;

const toList = (value: unknown, separator: RegExp): string[] => {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const trimmed = value.trim().replace(/^\[(.*)\]$/, '$1');
  return trimmed.split(separator).filter((s) => s.length > 0);
};

export const claimsOf = (event: APIGatewayProxyEventV2): Claims | undefined =>
  (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } }).authorizer?.jwt?.claims;

export const principalFromClaims = (claims: Claims | undefined): Principal => {
  const staffId = claims?.staff_id ?? claims?.['custom:staff_id'] ?? claims?.sub;
  if (typeof staffId !== 'string' || staffId === '') {
    throw new NotAuthenticatedError('no verified identity on the request (expected a bearer JWT with `sub`)');
  }
  const groups = [...toList(claims?.['cognito:groups'], /[\s,]+/), ...toList(claims?.groups, /[\s,]+/)];
  const scopes = toList(claims?.scope, /\s+/);
  return principalFrom(staffId, groups, scopes);
};
