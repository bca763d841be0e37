/** Wires the hold use cases to DynamoDB, S3 and SQS; built once per container. */
import { ENV } from '../../declarations/environment.js';
import { dynamoRecordings } from '../adapters/catalogue-store.js';
import {
  trackHeldRecording,
  trackHold,
  untrackHeldRecording,
  untrackHold,
} from '../adapters/counters-write.js';
import { sqsFanout } from '../adapters/hold-fanout-queue.js';
import { dynamoHoldsStore } from '../adapters/holds-store.js';
import { s3ObjectLock } from '../adapters/object-lock.js';
import { dynamoSweepCursor } from '../adapters/sweep-cursor-store.js';
import { bucketName, requireEnv, tableName } from '../platform/env.js';
import type { HoldDeps } from './use-cases.js';

export const awsHoldDeps = (): HoldDeps => ({
  store: dynamoHoldsStore(tableName('holds')),
  recordings: dynamoRecordings(),
  cursor: dynamoSweepCursor(tableName('holds')),
  counters: { trackHold, untrackHold, trackHeldRecording, untrackHeldRecording },
  objects: s3ObjectLock(bucketName('archive')),
  fanout: sqsFanout(requireEnv(ENV.holdFanoutQueueUrl)),
  now: () => new Date(),
});
