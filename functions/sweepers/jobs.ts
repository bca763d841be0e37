/**
 * The scheduled jobs, by name. The schedule (and the local scheduler) invokes the sweepers function with
 * `{ job: '<name>' }`. Adding a job is one line here: a name and a function returning its summary.
 * Modules are imported when their job runs, so one job's configuration never breaks another's.
 */
export type Job = (event: SweeperEvent) => Promise<unknown>;

export interface SweeperEvent {
  readonly job: string;
  /** deletion: re-sweep from this day instead of the cursor. */
  readonly fromDay?: string;
  readonly maxRecordings?: number;
}

export const JOBS: Readonly<Record<string, Job>> = {
  deletion: async (event) => (await import('./run-deletion.js')).runDeletion(event),
  'hold-reviews': async () => (await import('../legal-hold/review-job.js')).runHoldReviews(),
  'expire-registrations': async () =>
    (await import('../ingest/expire-registrations.js')).expireStaleRegistrations(),
  'release-expiry': async () => (await import('../release/jobs.js')).runReleaseExpiry(),
  'release-log-checkpoint': async () => (await import('../release/jobs.js')).runReleaseLogCheckpoint(),
  'audit-log-checkpoint': async () =>
    (await import('../playback/audit-checkpoint-deps.js')).runAuditCheckpoint(),
  'staff-reminders': async () => (await import('../staff-notices/reminders-job.js')).staffRemindersJob(),
};
