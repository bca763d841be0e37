/** The deletion sweep wired to DynamoDB and S3 (built when the job first runs in a container). */
import { ENV } from '../../declarations/environment.js';
import { dynamoRecordings } from '../adapters/catalogue-store.js';
import { s3ObjectLock } from '../adapters/object-lock.js';
import { dynamoSweepCursor } from '../adapters/sweep-cursor-store.js';
import { bucketName, intEnv, tableName } from '../platform/env.js';
import type { DeletionSweepDeps } from './deletion.js';

export interface DeletionSweepConfig {
  /** Most recordings one run examines unless the event says otherwise. */
  readonly maxRecordings: number;
}

export const deletionSweepConfigFromEnv = (): DeletionSweepConfig => ({
  maxRecordings: intEnv(ENV.deletionSweepMaxRecordings, 2000),
});

export const awsDeletionSweepDeps = (now: () => Date): DeletionSweepDeps => ({
  recordings: dynamoRecordings(),
  cursor: dynamoSweepCursor(tableName('holds')),
  objects: s3ObjectLock(bucketName('archive')),
  now,
});
