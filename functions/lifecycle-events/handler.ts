/** EventBridge "Object Deleted" events from the archive bucket → catalogue DELETED + certificate. */

import { tableName } from '../adapters/env.js';
import { dynamoHoldsStore } from '../adapters/holds-store.js';
import {
  type LifecycleOutcome,
  recordLifecycleDeletion,
  type S3ObjectDeletedEvent,
} from './lifecycle-deletion.js';

const store = dynamoHoldsStore({ holds: tableName('holds'), catalogue: tableName('catalogue') });

export const handler = (event: S3ObjectDeletedEvent): Promise<LifecycleOutcome> =>
  recordLifecycleDeletion({ store, now: () => new Date() }, event);
