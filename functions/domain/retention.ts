/**
 * Policy s.7: every recording is kept 12 months and deleted after 24 months unless retained for a
 * specific purpose (a hold); keeping beyond 24 months needs Information Governance guidance.
 * Months are calendar months in UTC; a day that does not exist in the target month clamps to its last day
 * (29 Feb + 12 months = 28 Feb), so a recording is never released a day early.
 */
import type { CorporateRole } from './roles.js';

export interface RetentionPolicy {
  readonly minMonths: number;
  readonly maxMonths: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { minMonths: 12, maxMonths: 24 };

export const addMonthsUtc = (from: Date, months: number): Date => {
  const y = from.getUTCFullYear();
  const m = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(
      y,
      m,
      day,
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  );
};

export interface RetentionDates {
  /** Object Lock retain-until: no deletion before this (s.7 "retained for 12 months"). */
  readonly retainUntil: Date;
  /** Deleted after this unless held (s.7 "deleted after 24 months"). */
  readonly deleteAfter: Date;
}

export const retentionDates = (
  callStart: Date,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): RetentionDates => ({
  retainUntil: addMonthsUtc(callStart, policy.minMonths),
  deleteAfter: addMonthsUtc(callStart, policy.maxMonths),
});

/** How far a call's start or end may lie ahead of the server clock (telephony and server clocks drift). */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The rule a registration of a call already past its 24-month point is refused under (s.7). */
export const PAST_DELETION_RULE = 's7.deleted-after-24-months';

export type CallAge = 'within-minimum' | 'past-minimum' | 'past-deletion';

/**
 * Where a call stands against s.7 at `now`: still inside its 12 months (locked until call + 12 months),
 * past them (no lock is owed; deleted at call + 24 months), or past 24 months (due for deletion already).
 */
export const callAge = (callStart: Date, now: Date, policy: RetentionPolicy = DEFAULT_RETENTION): CallAge => {
  const { retainUntil, deleteAfter } = retentionDates(callStart, policy);
  if (now.getTime() >= deleteAfter.getTime()) return 'past-deletion';
  if (now.getTime() >= retainUntil.getTime()) return 'past-minimum';
  return 'within-minimum';
};

/** The shortest lock the archive accepts: S3 refuses a retain-until that is not in the future. */
export const MIN_LOCK_MS = 60 * 1000;
/** An old call's lock when archived (its 12 months are over): short, so it never outlasts delete-after. */
export const LATE_LOCK_MS = 24 * 60 * 60 * 1000;

/**
 * The Object Lock retain-until to archive with. A retain-until must be explicit: without one the archive's
 * default retention (12 months from *today*) would apply, keeping an old call past its 24-month deletion.
 * - still inside its 12 months: call start + 12 months (s.7 "retained for 12 months");
 * - older: its 12 months are over, so nothing more is owed; the lock ends at the earlier of delete-after
 *   and one day from now, and never less than a minute ahead (S3 refuses a date in the past).
 */
export const archiveLockUntil = (retainUntil: Date, deleteAfter: Date, now: Date): Date => {
  const floor = now.getTime() + MIN_LOCK_MS;
  if (retainUntil.getTime() > floor) return retainUntil;
  return new Date(Math.max(floor, Math.min(deleteAfter.getTime(), now.getTime() + LATE_LOCK_MS)));
};

/** A hold that keeps a recording past its 24-month point needs an IG guidance reference (s.7). */
export const holdNeedsGuidance = (
  holdRetainUntil: Date,
  callStart: Date,
  policy = DEFAULT_RETENTION,
): boolean => holdRetainUntil.getTime() > retentionDates(callStart, policy).deleteAfter.getTime();

/** Deletion is allowed only after the minimum retention and never while held. */
export const mayDelete = (now: Date, retainUntil: Date, activeHolds: number): boolean =>
  activeHolds === 0 && now.getTime() >= retainUntil.getTime();

/** Due for the 24-month sweep: past delete-after with no active hold. */
export const isDueForDeletion = (now: Date, deleteAfter: Date, activeHolds: number): boolean =>
  activeHolds === 0 && now.getTime() >= deleteAfter.getTime();

/** s.7: the retention and deletion reports are for Information Governance and Corporate Customer Services. */
export const RETENTION_REPORT_READERS: readonly CorporateRole[] = ['ig-officer', 'release-log-keeper'];
