/**
 * Scheduled jobs of the release slice, run by the sweepers function (registered in functions/sweepers/jobs.ts):
 *   release-expiry          deletes copies past expiry (→ EXPIRED), expires undecided requests
 *   release-log-checkpoint  signs the log head with KMS (at least daily)
 */

import type { ReleaseDeps } from '../ports/release.js';
import { awsReleaseDeps } from './deps.js';
import { releaseExpiryJob, releaseLogCheckpointJob } from './use-cases-jobs.js';

let deps: ReleaseDeps | undefined;
const wired = (): ReleaseDeps => {
  deps ??= awsReleaseDeps();
  return deps;
};

/** `now`: the job's clock (the real time unless the local stack overrides it). */
export const runReleaseExpiry = (now: () => Date = () => new Date()) => releaseExpiryJob({ ...wired(), now });
export const runReleaseLogCheckpoint = () => releaseLogCheckpointJob(wired());
