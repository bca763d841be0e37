/** Lambda entry of the hold fan-out consumer (QUEUE_HOLD_FANOUT_URL); the logic lives in fanout.ts. */
import { withInvocationLog } from '../platform/log.js';
import { awsHoldDeps } from './deps.js';
import { buildWorker } from './fanout.js';

export const handler = withInvocationLog(buildWorker(awsHoldDeps()));
