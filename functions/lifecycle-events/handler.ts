/** EventBridge "Object Deleted" events from the archive bucket → catalogue DELETED + certificate. */

import { tableName } from '../adapters/env.js';
import { dynamoHoldsStore } from '../adapters/holds-store.js';
import { withInvocationLog } from '../adapters/log.js';
import {
  type LifecycleOutcome,
  recordLifecycleDeletion,
  type S3ObjectDeletedEvent,
} from './lifecycle-deletion.js';

const store = dynamoHoldsStore({ holds: tableName('holds'), catalogue: tableName('catalogue') });

/** The EventBridge event's id is the correlation id of every line. */
export const handler = withInvocationLog(
  (event: S3ObjectDeletedEvent): Promise<LifecycleOutcome> =>
    recordLifecycleDeletion({ store, now: () => new Date() }, event),
  (event) => ({ correlationId: (event as { id?: string })?.id }),
);
