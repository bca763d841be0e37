/** Scheduled jobs: `{ job: '<name>' }` → the job's summary (jobs.ts lists them). */
import { log, withInvocationLog } from '../platform/log.js';
import { jobClock } from './clock.js';
import type { Job, SweeperEvent } from './event.js';
import { JOBS } from './jobs.js';

export const buildSweeper =
  (jobs: Readonly<Record<string, Job>>) =>
  async (event: SweeperEvent): Promise<{ job: string; summary: unknown }> => {
    const job = jobs[event?.job];
    if (!job) {
      throw new Error(
        `unknown sweeper job ${JSON.stringify(event?.job)}; known: ${Object.keys(jobs).join(', ')}`,
      );
    }
    const now = jobClock(event);
    const started = Date.now();
    const summary = await job(event, now);
    log.info('sweeper job done', { job: event.job, ms: Date.now() - started });
    return { job: event.job, summary };
  };

/** Every line of a run carries the job's name; the run's id (correlation id) is the Lambda request id. */
export const loggedSweeper = (jobs: Readonly<Record<string, Job>>) =>
  withInvocationLog(buildSweeper(jobs), (event: SweeperEvent) => ({ job: event?.job }));

export const handler = loggedSweeper(JOBS);
