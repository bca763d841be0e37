/** The deletion job wired to DynamoDB and S3 (imported only when the job runs). */

import { ENV } from '../../declarations/environment.js';
import { SWEEPER_DELETIONS_METRIC } from '../../declarations/metrics.js';
import { dynamoRecordings } from '../adapters/catalogue-store.js';
import { s3ObjectLock } from '../adapters/object-lock.js';
import { dynamoSweepCursor } from '../adapters/sweep-cursor-store.js';
import { bucketName, intEnv, tableName } from '../platform/env.js';
import { metric } from '../platform/metrics.js';
import { type DeletionSweepSummary, sweepDeletions } from './deletion.js';
import type { SweeperEvent } from './event.js';

const recordings = dynamoRecordings();
const cursor = dynamoSweepCursor(tableName('holds'));
const objects = s3ObjectLock(bucketName('archive'));
const maxRecordings = intEnv(ENV.deletionSweepMaxRecordings, 2000);

export const runDeletion = (
  event: SweeperEvent,
  now: () => Date = () => new Date(),
): Promise<DeletionSweepSummary> =>
  sweepDeletions(
    { recordings, cursor, objects, now },
    {
      maxRecordings: event.maxRecordings ?? maxRecordings,
      ...(event.fromDay ? { fromDay: event.fromDay } : {}),
    },
  ).then((summary) => {
    metric(SWEEPER_DELETIONS_METRIC, {}, summary.deleted);
    return summary;
  });
