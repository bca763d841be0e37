/** EventBridge "Object Deleted" events from the archive bucket → catalogue DELETED + certificate. */

import { dynamoRecordings } from '../adapters/catalogue-store.js';
import { withInvocationLog } from '../platform/log.js';
import {
  type LifecycleOutcome,
  recordLifecycleDeletion,
  type S3ObjectDeletedEvent,
} from './lifecycle-deletion.js';

const recordings = dynamoRecordings();

/** The EventBridge event's id is the correlation id of every line. */
export const handler = withInvocationLog(
  (event: S3ObjectDeletedEvent): Promise<LifecycleOutcome> =>
    recordLifecycleDeletion({ recordings, now: () => new Date() }, event),
  (event) => ({ correlationId: (event as { id?: string })?.id }),
);
