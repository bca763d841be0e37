/**
 * Policy s.7: every recording is kept 12 months and deleted after 24 months unless retained for a
 * specific purpose (a hold); keeping beyond 24 months needs Information Governance guidance.
 * Months are calendar months in UTC; a day that does not exist in the target month clamps to its last day
 * (29 Feb + 12 months = 28 Feb), so a recording is never released a day early.
 */
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
