/**
 * Scheduled jobs of the release function, registered in functions/sweepers/handler.ts:
 *   release-expiry          deletes copies past expiry (→ EXPIRED), expires undecided requests
 *   release-log-checkpoint  signs the log head with KMS (at least daily)
 */

import { awsReleaseDeps } from './deps.js';
import type { ReleaseDeps } from './ports.js';
import { releaseExpiryJob, releaseLogCheckpointJob } from './use-cases.js';

let deps: ReleaseDeps | undefined;
const wired = (): ReleaseDeps => {
  deps ??= awsReleaseDeps();
  return deps;
};

export const runReleaseExpiry = () => releaseExpiryJob(wired());
export const runReleaseLogCheckpoint = () => releaseLogCheckpointJob(wired());
