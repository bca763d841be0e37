/**
 * Policy s.6: release of a recording outside its service area, as a state machine.
 *
 *   REQUESTED ──approve──▶ ISSUED ──complete──▶ COMPLETED
 *       │                    └──expire copy──▶ EXPIRED
 *       ├──reject──▶ REJECTED
 *       └──expire request──▶ REQUEST_EXPIRED
 *
 * Approval and issue are one step: the approver's decision copies the recording into the releases
 * bucket, so a release is never "approved" without a copy to use. Every transition is a pure function
 * that returns either the next record or the refusal with its rule and reason; the use cases only
 * persist what these functions decide.
 */
import { type Destination, mayApproveRelease } from './approvers.js';
import { AREA_GRANTS, hasAnyGrant, hasAnyRole, type Principal } from './roles.js';

export const RELEASE_STATES = [
  'REQUESTED',
  'ISSUED',
  'REJECTED',
  'REQUEST_EXPIRED',
  'COMPLETED',
  'EXPIRED',
] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];

export type ReleasePurpose = { purpose: string; igAdviceRef?: string };

export interface Release {
  readonly releaseId: string;
  readonly recordingId: string;
  /** The recording's own service area (managers / heads of service of this area may approve). */
  readonly recordingServiceArea: string;
  /** Date/time of the recording (policy s.6 log field). */
  readonly recordingStartedAt: string;
  readonly destination: Destination;
  readonly purpose: ReleasePurpose;
  readonly justification: string;
  readonly requesterId: string;
  readonly state: ReleaseState;
  /** Increments on every transition; updates are conditional on it. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** An undecided request expires at this time. */
  readonly requestExpiresAt: string;
  readonly approval?: { readonly by: string; readonly at: string };
  readonly rejection?: { readonly by: string; readonly at: string; readonly reason: string };
  /** The released copy: its key in the releases bucket and when it must be gone. */
  readonly copy?: {
    readonly key: string;
    readonly expiresAt: string;
    readonly deletedAt?: string;
    /** An external release's package files beside the audio: cover sheet, manifest, certificate. */
    readonly packageKeys?: readonly string[];
  };
  readonly completedAt?: string;
}

export type RefusalKind = 'conflict' | 'policy' | 'forbidden';
export interface Refusal {
  readonly ok: false;
  readonly kind: RefusalKind;
  readonly rule: string;
  readonly reason: string;
}
export type Transition = { readonly ok: true; readonly next: Release } | Refusal;

const refuse = (kind: RefusalKind, rule: string, reason: string): Refusal => ({
  ok: false,
  kind,
  rule,
  reason,
});

export const MAX_COPY_TTL_DAYS = 30;
const DAY_MS = 86_400_000;

/** Copy lifetime in days: configurable, default and maximum 30 (s.6 "deleted once used"). */
export const copyTtlDays = (configured: number | undefined): number =>
  Math.min(MAX_COPY_TTL_DAYS, configured && configured > 0 ? configured : MAX_COPY_TTL_DAYS);

const addDays = (from: Date, days: number): string => new Date(from.getTime() + days * DAY_MS).toISOString();

const STATE_MEANING: Record<ReleaseState, string> = {
  REQUESTED: 'is still awaiting a decision',
  ISSUED: 'has already been approved and issued',
  REJECTED: 'was rejected',
  REQUEST_EXPIRED: 'expired before anyone decided it',
  COMPLETED: 'was completed and its copy deleted',
  EXPIRED: 'expired and its copy was deleted',
};

const wrongState = (r: Release, action: string, needed: ReleaseState): Refusal =>
  refuse(
    'conflict',
    `release.state.${needed.toLowerCase()}-required`,
    `cannot ${action}: release ${r.releaseId} ${STATE_MEANING[r.state]} (state ${r.state}); this needs state ${needed}`,
  );

const isPast = (now: Date, iso: string): boolean => now.getTime() >= Date.parse(iso);

const next = (r: Release, now: Date, changes: Partial<Release>): Transition => ({
  ok: true,
  next: { ...r, ...changes, version: r.version + 1, updatedAt: now.toISOString() },
});

/** The key of the released copy: its own prefix per release. */
export const releaseCopyKey = (releaseId: string, recordingId: string, format: string): string =>
  `releases/${releaseId}/${recordingId}.${format}`;

export interface ApproveInput {
  readonly approver: Principal;
  readonly now: Date;
  readonly copyTtlDays: number;
  readonly copyKey: string;
}

export const approve = (r: Release, i: ApproveInput): Transition => {
  if (r.state !== 'REQUESTED') return wrongState(r, 'approve', 'REQUESTED');
  if (isPast(i.now, r.requestExpiresAt))
    return refuse(
      'policy',
      'release.request-expired',
      `cannot approve: the request expired at ${r.requestExpiresAt}; ask the requester to make a new one`,
    );
  const decision = mayApproveRelease({
    approver: i.approver,
    requesterId: r.requesterId,
    recordingServiceArea: r.recordingServiceArea,
    destination: r.destination,
  });
  if (!decision.allowed) return refuse('forbidden', decision.rule, decision.reason);
  return next(r, i.now, {
    state: 'ISSUED',
    approval: { by: i.approver.staffId, at: i.now.toISOString() },
    copy: { key: i.copyKey, expiresAt: addDays(i.now, copyTtlDays(i.copyTtlDays)) },
  });
};

/** Whoever may approve may reject (the requester can withdraw only by letting it expire). */
export const reject = (r: Release, i: { approver: Principal; now: Date; reason: string }): Transition => {
  if (r.state !== 'REQUESTED') return wrongState(r, 'reject', 'REQUESTED');
  if (isPast(i.now, r.requestExpiresAt))
    return refuse(
      'policy',
      'release.request-expired',
      `cannot reject: the request expired at ${r.requestExpiresAt}`,
    );
  const decision = mayApproveRelease({
    approver: i.approver,
    requesterId: r.requesterId,
    recordingServiceArea: r.recordingServiceArea,
    destination: r.destination,
  });
  if (!decision.allowed)
    return refuse('forbidden', decision.rule, decision.reason.replace('approve', 'decide'));
  return next(r, i.now, {
    state: 'REJECTED',
    rejection: { by: i.approver.staffId, at: i.now.toISOString(), reason: i.reason },
  });
};

/** Sweeper: an undecided request past its expiry. */
export const expireRequest = (r: Release, i: { now: Date }): Transition => {
  if (r.state !== 'REQUESTED') return wrongState(r, 'expire', 'REQUESTED');
  if (!isPast(i.now, r.requestExpiresAt))
    return refuse('policy', 'release.request-not-due', `the request is open until ${r.requestExpiresAt}`);
  return next(r, i.now, { state: 'REQUEST_EXPIRED' });
};

const requesterOnly = (r: Release, actor: Principal, action: string): Refusal | undefined =>
  actor.staffId === r.requesterId
    ? undefined
    : refuse('forbidden', 's6.requester-only', `only the requester of release ${r.releaseId} may ${action}`);

const copyExpired = (r: Release, now: Date, action: string): Refusal | undefined =>
  r.copy && isPast(now, r.copy.expiresAt)
    ? refuse(
        'policy',
        's6.copy-expired',
        `cannot ${action}: the released copy expired at ${r.copy.expiresAt} and is being deleted`,
      )
    : undefined;

/** A link is not a state change: the record is unchanged, but the decision is the same kind. */
export const issueLink = (r: Release, i: { actor: Principal; now: Date }): Transition => {
  const notRequester = requesterOnly(r, i.actor, 'get a link to the released copy');
  if (notRequester) return notRequester;
  if (r.state !== 'ISSUED') return wrongState(r, 'issue a link', 'ISSUED');
  // A new version: the LINK_ISSUED entry is written only if no completion or expiry landed meanwhile.
  return copyExpired(r, i.now, 'issue a link') ?? next(r, i.now, {});
};

/** The requester confirms the purpose is served: the copy is deleted. */
export const complete = (r: Release, i: { actor: Principal; now: Date }): Transition => {
  const notRequester = requesterOnly(r, i.actor, 'complete it');
  if (notRequester) return notRequester;
  if (r.state !== 'ISSUED') return wrongState(r, 'complete', 'ISSUED');
  const expired = copyExpired(r, i.now, 'complete');
  if (expired) return expired;
  const at = i.now.toISOString();
  return next(r, i.now, {
    state: 'COMPLETED',
    completedAt: at,
    copy: r.copy ? { ...r.copy, deletedAt: at } : undefined,
  });
};

/** Sweeper: an issued copy past its expiry is deleted. */
export const expireCopy = (r: Release, i: { now: Date }): Transition => {
  if (r.state !== 'ISSUED') return wrongState(r, 'expire', 'ISSUED');
  if (!r.copy || !isPast(i.now, r.copy.expiresAt))
    return refuse('policy', 'release.copy-not-due', `the copy is available until ${r.copy?.expiresAt}`);
  return next(r, i.now, { state: 'EXPIRED', copy: { ...r.copy, deletedAt: i.now.toISOString() } });
};

// ---------------------------------------------------------------------------------------------------
// Requests

export const REQUESTER_GRANT_RULE = 's6.requester-needs-grant';

/**
 * Who may ask for a release (s.6): an officer of the service area that will use it ("used outside of
 * the Service Area by CCBC officers": a grant in the destination area), or, for an external agency,
 * the service area that holds the recording ("if a service area wishes to release ... to an external
 * agency": a grant in the recording's area). The area a request needs before anything is looked up.
 */
export const requesterAreaNeeded = (destination: Destination): string | undefined =>
  destination.kind === 'service-area' ? destination.serviceArea : undefined;

export const mayRequestFor = (p: Principal, serviceArea: string): boolean =>
  hasAnyGrant(p, serviceArea, AREA_GRANTS);

export interface RequestInput {
  readonly releaseId: string;
  readonly requester: Principal;
  readonly recording: { recordingId: string; serviceArea: string; startedAt: string };
  readonly destination: Destination;
  readonly purpose: ReleasePurpose;
  readonly justification: string;
  readonly now: Date;
  readonly requestTtlDays: number;
}

/** A new request, or the policy refusal (same-area "release", missing IG advice). */
export const request = (i: RequestInput): Transition => {
  if (i.destination.kind === 'service-area' && i.destination.serviceArea === i.recording.serviceArea)
    return refuse(
      'policy',
      's6.release-outside-area',
      `the recording belongs to ${i.recording.serviceArea}: use within the service area needs no release; choose another service area`,
    );
  if (i.destination.kind === 'external-agency' && !i.destination.igAdviceRef)
    return refuse(
      'policy',
      's6.external-needs-ig-advice',
      'release to an external agency needs the Corporate IG advice reference (destination.igAdviceRef)',
    );
  if (i.purpose.purpose === 'other' && !i.purpose.igAdviceRef)
    return refuse(
      'policy',
      's6.other-purpose-needs-ig-advice',
      'a purpose other than s.6 (a)–(e) needs the Corporate IG advice reference (igAdviceRef)',
    );
  const at = i.now.toISOString();
  return {
    ok: true,
    next: {
      releaseId: i.releaseId,
      recordingId: i.recording.recordingId,
      recordingServiceArea: i.recording.serviceArea,
      recordingStartedAt: i.recording.startedAt,
      destination: i.destination,
      purpose: i.purpose,
      justification: i.justification,
      requesterId: i.requester.staffId,
      state: 'REQUESTED',
      version: 1,
      createdAt: at,
      updatedAt: at,
      requestExpiresAt: addDays(i.now, i.requestTtlDays),
    },
  };
};

// ---------------------------------------------------------------------------------------------------
// Who sees what

/** Corporate Customer Services keeps the log; IG advises on every release: both see everything. */
export const RELEASE_OVERSEERS = ['release-log-keeper', 'ig-officer'] as const;

export const isReleaseOverseer = (p: Principal): boolean => hasAnyRole(p, RELEASE_OVERSEERS);

/** Whether `p` may approve this release by the approver rules (never their own), whatever its state. */
export const mayApprove = (p: Principal, r: Release): boolean =>
  mayApproveRelease({
    approver: p,
    requesterId: r.requesterId,
    recordingServiceArea: r.recordingServiceArea,
    destination: r.destination,
  }).allowed;

/** The requester sees their own; approvers what they may approve; overseers everything. */
export const mayViewRelease = (p: Principal, r: Release): boolean =>
  p.staffId === r.requesterId || isReleaseOverseer(p) || mayApprove(p, r);

// ---------------------------------------------------------------------------------------------------
// Release of Recording Log entries

export const RELEASE_LOG_EVENTS = [
  'REQUESTED',
  'APPROVED',
  'REJECTED',
  'REQUEST_EXPIRED',
  'LINK_ISSUED',
  'COMPLETED',
  'EXPIRED',
  // A recording disclosed to the data subject in a subject access request's package (functions/disclosures).
  'SAR_DISCLOSED',
] as const;
export type ReleaseLogEvent = (typeof RELEASE_LOG_EVENTS)[number];

/**
 * One log entry. Every field is a string (empty when not applicable) so that a CSV export carries the
 * hashed content exactly and an offline verifier can recompute each hash.
 */
export interface ReleaseLogPayload {
  readonly event: ReleaseLogEvent;
  readonly releaseId: string;
  readonly actor: string;
  /** The four fields policy s.6 names. */
  readonly purpose: string;
  readonly requester: string;
  readonly recordingDateTime: string;
  readonly authoriser: string;
  readonly recordingId: string;
  readonly destination: string;
  readonly detail: string;
}

export const RELEASE_LOG_FIELDS = [
  'event',
  'releaseId',
  'actor',
  'purpose',
  'requester',
  'recordingDateTime',
  'authoriser',
  'recordingId',
  'destination',
  'detail',
] as const satisfies readonly (keyof ReleaseLogPayload)[];

export const describePurpose = (p: ReleasePurpose): string =>
  p.igAdviceRef ? `${p.purpose} (IG advice ${p.igAdviceRef})` : p.purpose;

export const describeDestination = (d: Destination): string =>
  d.kind === 'service-area'
    ? `service-area:${d.serviceArea}`
    : `external-agency:${d.agency} (IG advice ${d.igAdviceRef ?? ''})`;

export const logPayload = (
  r: Release,
  event: ReleaseLogEvent,
  actor: string,
  detail = '',
): ReleaseLogPayload => ({
  event,
  releaseId: r.releaseId,
  actor,
  purpose: describePurpose(r.purpose),
  requester: r.requesterId,
  recordingDateTime: r.recordingStartedAt,
  authoriser: r.approval?.by ?? '',
  recordingId: r.recordingId,
  destination: describeDestination(r.destination),
  detail,
});
