/**
 * Legal holds and the 24-month deletion (policy s.7), as pure rules and types.
 *
 * A hold covers recordings named by id or by a catalogue query. Each covered recording gets a link item
 * and its `holdCount` goes up by one in the same transaction, so many holds may cover one recording and
 * only lifting the last one releases it. Nothing with `holdCount > 0` is ever deleted.
 */
import { ForbiddenError } from './errors.js';
import type { DeletionCertificate, Recording } from './recording.js';
import { DEFAULT_RETENTION, holdNeedsGuidance, isDueForDeletion, type RetentionPolicy } from './retention.js';
import { hasRole, type Principal, SYSTEM_ACTORS } from './roles.js';

export type HoldStatus = 'ACTIVE' | 'LIFTED';

export type HoldScope =
  | { readonly recordingIds: readonly string[] }
  | {
      readonly query: {
        readonly serviceArea: string;
        readonly extension?: string;
        readonly agentId?: string;
        /** ISO 8601 call-start range, inclusive. */
        readonly from: string;
        readonly to: string;
      };
    };

export interface HoldProgress {
  /** Recordings the scope resolved to so far. */
  readonly matched: number;
  /** Linked and counted (a retry of an already linked recording counts once). */
  readonly applied: number;
  /** Not held: unknown id, already deleted, or the hold was lifted first. */
  readonly failed: number;
  /** Links removed after the hold was lifted. */
  readonly released: number;
}

export interface Hold {
  readonly holdId: string;
  readonly caseRef: string;
  readonly reason: string;
  /** YYYY-MM-DD */
  readonly reviewDate: string;
  readonly scope: HoldScope;
  readonly retainUntil?: string;
  readonly igGuidanceRef?: string;
  readonly status: HoldStatus;
  readonly placedBy: string;
  readonly placedAt: string;
  /** `true` once the scope has been fully enumerated (matched is final). */
  readonly scopeResolved: boolean;
  readonly progress: HoldProgress;
  /** The first recordings the hold could not be put on, with why. */
  readonly failures?: readonly HoldFailure[];
  readonly lifted?: { readonly by: string; readonly at: string; readonly reason: string };
  readonly lastReview?: HoldReview;
}

export const REVIEW_OUTCOMES = ['continue', 'lift'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface HoldReview {
  readonly by: string;
  readonly at: string;
  readonly outcome: ReviewOutcome;
  readonly nextReview?: string;
  readonly note?: string;
}

/** The S3 tag the archive lifecycle rule filters on: only `standard` objects may expire. */
export const RETENTION_TAG = { key: 'retention', held: 'hold', standard: 'standard' } as const;

export const DELETION_RULES = {
  sweeper: 's7.delete-after-24-months',
  lifecycle: 's7.lifecycle-backstop-24-months',
} as const;

/**
 * A retain-until past a covered recording's 24-month point needs an IG guidance reference (s.7).
 * For a query scope the earliest call the query can match (`from`) is the one that decides, so the
 * check is made before any recording is touched.
 */
export const earliestCallStart = (scope: HoldScope, startedAts: readonly string[]): string | undefined => {
  if ('query' in scope) return scope.query.from;
  return startedAts.reduce<string | undefined>(
    (min, s) => (min === undefined || s < min ? s : min),
    undefined,
  );
};

export const guidanceRequired = (
  retainUntil: string | undefined,
  earliestStart: string | undefined,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): boolean =>
  retainUntil !== undefined &&
  earliestStart !== undefined &&
  holdNeedsGuidance(new Date(retainUntil), new Date(earliestStart), policy);

/**
 * Whether an active hold's catalogue query covers a call not yet registered (an id list cannot: the call
 * has no id yet). Times compare as instants, like the catalogue's ISO strings.
 */
export const holdCoversCall = (
  hold: Pick<Hold, 'status' | 'scope'>,
  call: { serviceArea: string; extension: string; agentId: string; startedAt: string },
): boolean => {
  if (hold.status !== 'ACTIVE' || !('query' in hold.scope)) return false;
  const q = hold.scope.query;
  const at = Date.parse(call.startedAt);
  return (
    q.serviceArea === call.serviceArea &&
    (q.extension === undefined || q.extension === call.extension) &&
    (q.agentId === undefined || q.agentId === call.agentId) &&
    Date.parse(q.from) <= at &&
    at <= Date.parse(q.to)
  );
};

/** What the deletion sweeper may delete: archived, past delete-after, and no hold. */
export const sweeperMayDelete = (
  rec: Pick<Recording, 'status' | 'deleteAfter' | 'holdCount'>,
  now: Date,
): boolean => rec.status === 'ARCHIVED' && isDueForDeletion(now, new Date(rec.deleteAfter), rec.holdCount);

export const deletionCertificate = (
  rec: Pick<Recording, 'archiveKey' | 'archiveVersionId' | 'audio' | 'recordingId'>,
  at: Date,
  kind: keyof typeof DELETION_RULES,
  versionId?: string,
): DeletionCertificate => ({
  by: SYSTEM_ACTORS[kind],
  at: at.toISOString(),
  rule: DELETION_RULES[kind],
  reason:
    kind === 'sweeper'
      ? 'past delete-after (call start + 24 months) with no active hold'
      : 'S3 lifecycle expiry of an object tagged retention=standard (24-month backstop)',
  archiveKey: rec.archiveKey ?? '',
  ...((versionId ?? rec.archiveVersionId) ? { versionId: versionId ?? rec.archiveVersionId } : {}),
  sha256: rec.audio?.sha256 ?? '',
});

/** The archive key ends `<recordingId>.<format>` (functions/domain/upload.ts archiveKeyFor). */
export const recordingIdFromArchiveKey = (key: string): string | undefined => {
  const base = key.split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  const id = dot > 0 ? base.slice(0, dot) : base;
  return id.length > 0 ? id : undefined;
};

/** Page size of one fan-out message: one SQS message applies this many recordings. */
export const FANOUT_PAGE = 100;

export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/* ---------------------------------------------------------------------------------------------------
 * Ports: what the use cases need from storage, S3 and the queue. The DynamoDB/S3/SQS adapters implement
 * them (functions/adapters/holds-store.ts, catalogue-store.ts, sweep-cursor-store.ts,
 * deletion-records.ts, object-lock.ts, hold-fanout-queue.ts); unit tests use in-memory fakes.
 * ------------------------------------------------------------------------------------------------- */

/** The catalogue fields the hold and deletion paths read. */
export type RecordingFacts = Pick<
  Recording,
  | 'recordingId'
  | 'serviceArea'
  | 'startedAt'
  | 'status'
  | 'deleteAfter'
  | 'holdCount'
  | 'archiveKey'
  | 'archiveVersionId'
  | 'audio'
  | 'deletion'
> & { readonly deleteDay?: string };

export type ApplyOutcome =
  | { readonly outcome: 'applied' | 'already'; readonly recording: RecordingFacts }
  | { readonly outcome: 'missing' | 'hold-inactive' }
  | { readonly outcome: 'not-archived'; readonly status?: string };

/** A recording a hold could not be put on, and why (kept for the first few, for IG to act on). */
export interface HoldFailure {
  readonly recordingId: string;
  readonly reason: string;
}

/** How many failures a hold keeps by name; the count keeps counting past it. */
export const MAX_NAMED_FAILURES = 50;

/** Why a recording could not be held, in words IG can act on. */
export const failureReason = (
  outcome: Exclude<ApplyOutcome['outcome'], 'applied' | 'already'>,
  status?: string,
) =>
  outcome === 'missing'
    ? 'no such recording'
    : outcome === 'not-archived'
      ? `not archived (status ${status ?? 'unknown'}): only archived audio can be held`
      : 'the hold was lifted meanwhile';

export type ReleaseOutcome =
  | { readonly outcome: 'released'; readonly recording: RecordingFacts }
  | { readonly outcome: 'not-linked' };

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque resume token; absent on the last page. */
  readonly next?: string;
}

export interface DeletionRecord {
  readonly recordingId: string;
  readonly serviceArea: string;
  readonly deleteAfter: string;
  readonly certificate: DeletionCertificate;
}

export interface HeldLink {
  readonly holdId: string;
  readonly recordingId: string;
  readonly deleteAfter: string;
}

export interface SweepCursor {
  /** The day the last run swept up to (its `today`). */
  readonly day: string;
  /** Where the last run's budget ran out in the recordings due: the next run goes on from there. */
  readonly next?: string;
}

/** Holds and their links to recordings (functions/adapters/holds-store.ts). */
export interface HoldsStore {
  createHold(hold: Hold): Promise<void>;
  getHold(holdId: string): Promise<Hold | undefined>;
  /** Active holds by review date; `dueBy` (YYYY-MM-DD) keeps those due on or before it. */
  listActiveHolds(dueBy?: string): Promise<Hold[]>;
  /** Link + holdCount+1 in one transaction; refused when the hold is no longer active. */
  applyToRecording(holdId: string, recordingId: string, at: string): Promise<ApplyOutcome>;
  /** Unlink + holdCount-1 in one transaction. */
  releaseFromRecording(holdId: string, recordingId: string): Promise<ReleaseOutcome>;
  /**
   * Adds progress once per `pageId`, however often a page is retried; `resolved` closes the scope;
   * `failures` names the page's recordings that could not be held.
   */
  addProgress(
    holdId: string,
    pageId: string,
    delta: Partial<HoldProgress>,
    resolved?: boolean,
    failures?: readonly HoldFailure[],
  ): Promise<boolean>;
  markLifted(holdId: string, lifted: NonNullable<Hold['lifted']>): Promise<boolean>;
  recordReview(holdId: string, review: HoldReview): Promise<void>;
  linkedRecordings(holdId: string, limit: number): Promise<string[]>;
  linksOfActiveHold(holdId: string): Promise<HeldLink[]>;
}

/**
 * The date a deletion may not come before: retain-until (call start + 12 months, s.7) for a nominated
 * officer's delete (s.6), delete-after (call start + 24 months) for the sweeper's.
 */
export type DeletionFloor = 'retainUntil' | 'deleteAfter';

/** The recordings catalogue as the hold, sweeper and lifecycle paths see it (functions/adapters/catalogue-store.ts). */
export interface RecordingsPort {
  getRecording(recordingId: string): Promise<RecordingFacts | undefined>;
  getRecordings(recordingIds: readonly string[]): Promise<RecordingFacts[]>;
  /** One page of recording ids matching a query scope (catalogue index, never a scan). */
  queryScopePage(
    query: Extract<HoldScope, { query: unknown }>['query'],
    next?: string,
  ): Promise<Page<string>>;
  /** Recordings indexed under one deletion day with delete-after at or before `until`. */
  dueOnDay(day: string, until: string, limit: number, next?: string): Promise<Page<RecordingFacts>>;
  /**
   * Recordings that still have a deleteDay, in that status, due on or before `byDay` (and on or after
   * `fromDay`), by deleteDay: ARCHIVED ones await deletion; DELETED ones still have their object to go.
   */
  awaitingDeletion(
    status: 'ARCHIVED' | 'DELETED',
    byDay: string,
    limit: number,
    next?: string,
    fromDay?: string,
  ): Promise<Page<RecordingFacts>>;
  /**
   * ARCHIVED + holdCount 0 + `floor` date at or before the certificate's time → DELETED with the
   * certificate and its deletion record, in one write; false if a guard failed.
   */
  markDeleted(
    recording: Pick<RecordingFacts, 'recordingId' | 'serviceArea' | 'deleteAfter'>,
    certificate: DeletionCertificate,
    floor: DeletionFloor,
  ): Promise<boolean>;
  /** The object is gone: drop the recording from the deletion-day index. */
  clearDeleteDay(recordingId: string): Promise<void>;
  /** Any state but DELETED → DELETED (S3 already deleted it); false if it was already DELETED. */
  recordArchiveDeletion(
    recording: Pick<RecordingFacts, 'recordingId' | 'serviceArea' | 'deleteAfter'>,
    certificate: DeletionCertificate,
  ): Promise<boolean>;
}

/** The deletion sweeper's resume point (functions/adapters/sweep-cursor-store.ts). */
export interface SweepCursorStore {
  getCursor(): Promise<SweepCursor | undefined>;
  putCursor(cursor: SweepCursor): Promise<void>;
  /** Moves the cursor back to `day` if it is ahead of it (a lifted hold made an old recording due). */
  rewindCursor(day: string): Promise<void>;
}

/** The deletion report's records (functions/adapters/deletion-records.ts). */
export interface DeletionReport {
  deletionsBetween(fromDay: string, toDay: string): Promise<DeletionRecord[]>;
}

export interface ObjectLockPort {
  setLegalHold(key: string, versionId: string | undefined, on: boolean): Promise<void>;
  setRetentionTag(key: string, versionId: string | undefined, value: 'hold' | 'standard'): Promise<void>;
  deleteVersion(key: string, versionId: string | undefined): Promise<void>;
}

export type FanoutMessage =
  | { readonly kind: 'resolve'; readonly holdId: string; readonly page: number; readonly next?: string }
  | {
      readonly kind: 'apply';
      readonly holdId: string;
      readonly pageId: string;
      readonly recordingIds: readonly string[];
    }
  | { readonly kind: 'release'; readonly holdId: string; readonly round: number };

export interface FanoutPort {
  send(messages: readonly FanoutMessage[]): Promise<void>;
}

export const HOLD_RULE = 's7.holds-by-information-governance';

/** s.7: only Information Governance places, reviews, lifts and reads holds. */
export const requireIgOfficer = (principal: Principal): void => {
  if (!hasRole(principal, 'ig-officer')) {
    throw new ForbiddenError(
      HOLD_RULE,
      'only an Information Governance officer (role ig-officer) manages holds',
    );
  }
};
