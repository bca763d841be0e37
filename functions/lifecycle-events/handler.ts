/** EventBridge "Object Deleted" events from the archive bucket → catalogue DELETED + certificate. */

import { withInvocationLog } from '../platform/log.js';
import { awsLifecycleDeps } from './deps.js';
import {
  type LifecycleOutcome,
  recordLifecycleDeletion,
  type S3ObjectDeletedEvent,
} from './lifecycle-deletion.js';

const deps = awsLifecycleDeps();

/** The EventBridge event's id is the correlation id of every line. */
export const handler = withInvocationLog(
  (event: S3ObjectDeletedEvent): Promise<LifecycleOutcome> => recordLifecycleDeletion(deps, event),
  (event) => ({ correlationId: (event as { id?: string })?.id }),
);
