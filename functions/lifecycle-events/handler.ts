/** EventBridge "Object Deleted" events from the archive bucket → catalogue DELETED + certificate. */

import { dynamoRecordings } from '../adapters/catalogue-store.js';
import {
  type LifecycleOutcome,
  recordLifecycleDeletion,
  type S3ObjectDeletedEvent,
} from './lifecycle-deletion.js';

const recordings = dynamoRecordings();

export const handler = (event: S3ObjectDeletedEvent): Promise<LifecycleOutcome> =>
  recordLifecycleDeletion({ recordings, now: () => new Date() }, event);
