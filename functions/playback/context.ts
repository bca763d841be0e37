/**
 * What every playback use case receives: configuration read once at cold start, the caller, the request's
 * correlation id and a clock. `authorise` is the one gate: it decides by the policy table (domain/access)
 * and writes denied attempts to the audit log before refusing.
 */
import { ENV } from '../../declarations/environment.js';
import { AUDIT_APPEND_LATENCY_METRIC } from '../../declarations/metrics.js';
import { appendAudit, warmAudit } from '../adapters/audit-log.js';
import { getRecording } from '../adapters/catalogue-store.js';
import { type AccessAction, decideAccess } from '../domain/access.js';
import type { AuditEntry, AuditLink } from '../domain/audit.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { Recording } from '../domain/recording.js';
import type { Principal } from '../domain/roles.js';
import { bucketName, intEnv, tableName } from '../platform/env.js';
import { metric } from '../platform/metrics.js';

export interface PlaybackConfig {
  readonly auditTable: string;
  /** IG advice records, read when a playback is for purpose `other` (functions/adapters/disclosures-store.ts). */
  readonly disclosuresTable: string;
  readonly archiveBucket: string;
  readonly linkTtlSeconds: number;
}

export const DEFAULT_LINK_TTL_SECONDS = 300;

export const configFromEnv = (): PlaybackConfig => ({
  auditTable: tableName('auditLog'),
  disclosuresTable: tableName('disclosures'),
  archiveBucket: bucketName('archive'),
  linkTtlSeconds: intEnv(ENV.playbackLinkTtlSeconds, DEFAULT_LINK_TTL_SECONDS),
});

export interface PlaybackContext {
  readonly config: PlaybackConfig;
  readonly principal: Principal;
  readonly correlationId: string;
  readonly now: () => Date;
}

export type AuditFields = Omit<AuditEntry, 'actor' | 'correlationId'>;

/** Appends the entry; an attempt the log cannot record fails the request (AuditUnavailableError, 503). */
export const audit = (ctx: PlaybackContext, fields: AuditFields): Promise<AuditLink> => {
  const started = performance.now();
  return appendAudit(
    ctx.config.auditTable,
    { ...fields, actor: ctx.principal.staffId, correlationId: ctx.correlationId },
    ctx.now,
  ).then((link) => {
    metric(AUDIT_APPEND_LATENCY_METRIC, {}, Math.round(performance.now() - started), 'Milliseconds');
    return link;
  });
};

/**
 * On a cold process, starts reading one audit shard's head now, so it overlaps the catalogue read that
 * follows; once warm the append needs no read at all.
 */
export const prefetchHead = (ctx: PlaybackContext): PlaybackContext => {
  warmAudit(ctx.config.auditTable);
  return ctx;
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
  ctx: PlaybackContext,
  action: AccessAction,
  recordingId: string,
  error: { field: string; message: string },
): Promise<AuditLink> =>
  audit(ctx, {
    action,
    recordingId,
    outcome: 'denied',
    rule: INVALID_REQUEST_RULE,
    note: `${error.field}: ${error.message}`.slice(0, 500),
  });

/** The recording, or an audited 404. */
export const loadRecording = async (
  ctx: PlaybackContext,
  action: AccessAction,
  recordingId: string,
  extra: Extra = {},
): Promise<Recording> => {
  const recording = await getRecording(recordingId);
  if (recording) return recording;
  await audit(ctx, { action, recordingId, ...extra, outcome: 'denied', rule: 'recording-not-found' });
  throw new NotFoundError(`recording ${recordingId}`);
};
