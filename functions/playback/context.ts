/**
 * What every playback use case works with: the dependencies built once per container, the caller, the
 * request's correlation id. `authorise` is the one gate: it decides by the policy table (domain/access)
 * and writes denied attempts to the audit log before refusing.
 */
import { AUDIT_APPEND_LATENCY_METRIC } from '../../declarations/metrics.js';
import { type AccessAction, decideAccess } from '../domain/access.js';
import type { AuditEntry, AuditLink } from '../domain/audit.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { Recording } from '../domain/recording.js';
import type { Principal } from '../domain/roles.js';
import { metric } from '../platform/metrics.js';
import type { PlaybackDeps } from './ports.js';

/** One request: the dependencies, who asks, and the correlation id every audit entry carries. */
export interface PlaybackContext {
  readonly deps: PlaybackDeps;
  readonly principal: Principal;
  readonly correlationId: string;
}

/** Every playback use case's input names the request's correlation id. */
export interface Correlated {
  readonly correlationId: string;
}

export const requestContext = (
  deps: PlaybackDeps,
  principal: Principal,
  input: Correlated,
): PlaybackContext => ({ deps, principal, correlationId: input.correlationId });

export type AuditFields = Omit<AuditEntry, 'actor' | 'correlationId'>;

/** Appends the entry; an attempt the log cannot record fails the request (AuditUnavailableError, 503). */
export const audit = (ctx: PlaybackContext, fields: AuditFields): Promise<AuditLink> => {
  const started = performance.now();
  return ctx.deps.audit
    .append({ ...fields, actor: ctx.principal.staffId, correlationId: ctx.correlationId }, ctx.deps.now)
    .then((link) => {
      metric(AUDIT_APPEND_LATENCY_METRIC, {}, Math.round(performance.now() - started), 'Milliseconds');
      return link;
    });
};

type Target = Pick<AuditFields, 'recordingId' | 'serviceArea'>;
type Extra = Omit<AuditFields, 'action' | 'outcome' | 'rule' | 'recordingId' | 'serviceArea'>;

/** Allowed → the rule that allows it. Denied → audited, then ForbiddenError naming the rule. */
export const authorise = async (
  ctx: PlaybackContext,
  action: AccessAction,
  target: Target,
  extra: Extra = {},
): Promise<string> => {
  const decision = decideAccess(ctx.principal, action, target.serviceArea);
  if (decision.allowed) return decision.rule;
  await audit(ctx, { action, ...target, ...extra, outcome: 'denied', rule: decision.rule });
  throw new ForbiddenError(decision.rule, decision.reason);
};

/** The rule of an attempt the API refused as malformed before any policy check. */
export const INVALID_REQUEST_RULE = 'invalid-request';

/**
 * Audits an attempt on a recording whose request was refused as invalid (400): who tried, on what, and
 * which field was wrong — the policy's "every attempt" includes the ones that never reach a decision.
 */
export const auditInvalid = (
  deps: PlaybackDeps,
  principal: Principal,
  input: Correlated & {
    action: AccessAction;
    recordingId: string;
    error: { field: string; message: string };
  },
): Promise<AuditLink> =>
  audit(requestContext(deps, principal, input), {
    action: input.action,
    recordingId: input.recordingId,
    outcome: 'denied',
    rule: INVALID_REQUEST_RULE,
    note: `${input.error.field}: ${input.error.message}`.slice(0, 500),
  });

/** The recording, or an audited 404. */
export const loadRecording = async (
  ctx: PlaybackContext,
  action: AccessAction,
  recordingId: string,
  extra: Extra = {},
): Promise<Recording> => {
  const recording = await ctx.deps.catalogue.get(recordingId);
  if (recording) return recording;
  await audit(ctx, { action, recordingId, ...extra, outcome: 'denied', rule: 'recording-not-found' });
  throw new NotFoundError(`recording ${recordingId}`);
};
