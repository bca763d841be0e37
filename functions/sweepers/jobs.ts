/**
 * The scheduled jobs, by name. The schedule (and the local scheduler) invokes the sweepers function with
 * `{ job: '<name>' }`. Adding a job is one line here: a name and a function returning its summary.
 * Modules are imported when their job runs, so one job's configuration never breaks another's.
 * `now` is the job's clock (functions/sweepers/clock.ts): the real time, except on the local stack with
 * a clock override. The log checkpoints sign at the real time whatever the clock says.
 */
import type { Job } from './event.js';

export const JOBS: Readonly<Record<string, Job>> = {
  deletion: async (event, now) => (await import('./run-deletion.js')).runDeletion(event, now),
  'hold-reviews': async (_event, now) => (await import('../legal-hold/review-job.js')).runHoldReviews(now()),
  'expire-registrations': async (_event, now) =>
    (await import('../ingest/expiry-deps.js')).runRegistrationExpiry(now()),
  'release-expiry': async (_event, now) => (await import('../release/jobs.js')).runReleaseExpiry(now),
  'release-log-checkpoint': async () => (await import('../release/jobs.js')).runReleaseLogCheckpoint(),
  'audit-log-checkpoint': async () =>
    (await import('../playback/audit-checkpoint-deps.js')).runAuditCheckpoint(),
  'staff-reminders': async (_event, now) => (await import('../staff-notices/jobs.js')).runStaffReminders(now),
};
