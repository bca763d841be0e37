/** The deletion job wired to DynamoDB and S3 (imported only when the job runs). */

import { SWEEPER_DELETIONS_METRIC } from '../../declarations/metrics.js';
import { metric } from '../platform/metrics.js';
import { type DeletionSweepSummary, sweepDeletions } from './deletion.js';
import { awsDeletionSweepDeps, deletionSweepConfigFromEnv } from './deps.js';
import type { SweeperEvent } from './event.js';

const config = deletionSweepConfigFromEnv();

export const runDeletion = (
  event: SweeperEvent,
  now: () => Date = () => new Date(),
): Promise<DeletionSweepSummary> =>
  sweepDeletions(awsDeletionSweepDeps(now), {
    maxRecordings: event.maxRecordings ?? config.maxRecordings,
    ...(event.fromDay ? { fromDay: event.fromDay } : {}),
  }).then((summary) => {
    metric(SWEEPER_DELETIONS_METRIC, {}, summary.deleted);
    return summary;
  });
