/**
 * Deploy-time data migrations, invoked by the stack's trigger once the tables exist (infra/stack.ts):
 * the index backfills, each logged with what it updated. A failure fails the deploy.
 */
import { withInvocationLog } from '../platform/log.js';
import { awsBackfills } from './deps.js';
import { runBackfills } from './run.js';

const backfills = awsBackfills();

export const handler = withInvocationLog(() => runBackfills(backfills));
