/**
 * Scheduled jobs, from declarations/schedules.ts (the same list the CDK stack turns into
 * EventBridge rules): locally every job runs each SWEEP_INTERVAL_SECONDS (default 60; 0 = only on
 * demand), and any job runs at once through `POST /_local/run/{job}`. The event is `{ job }`, as the
 * rules deliver it. SWEEP_JOBS=a,b limits the interval to those jobs.
 */
import type { FunctionId } from '../declarations/functions.js';
import { SCHEDULES } from '../declarations/schedules.js';
import type { InvokeOutcome } from './invoke.js';

export const SCHEDULED_JOBS: readonly string[] = SCHEDULES.map((s) => s.job);

/** The function a job runs in; a name not in the schedule goes to the sweepers (which rejects it). */
export const functionForJob = (job: string): FunctionId =>
  SCHEDULES.find((s) => s.job === job)?.function ?? 'sweepers';

export const jobsFromEnv = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): readonly string[] =>
  env.SWEEP_JOBS
    ? env.SWEEP_JOBS.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : SCHEDULED_JOBS;

export interface Scheduler {
  stop(): void;
}

export const startScheduler = (
  intervalSeconds: number,
  jobs: readonly string[],
  run: (job: string) => Promise<InvokeOutcome>,
): Scheduler => {
  if (intervalSeconds <= 0) return { stop: () => undefined };
  let running = false;
  let reportedMissing = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const job of jobs) {
        const outcome = await run(job);
        if (outcome.ok) continue;
        if (outcome.kind === 'missing' || outcome.kind === 'no-handler') {
          if (!reportedMissing) console.log(`[schedule] jobs idle: ${outcome.message}`);
          reportedMissing = true;
          return;
        }
        console.error(`[schedule] ${job} failed (${outcome.kind}): ${outcome.message}`);
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalSeconds * 1000);
  return { stop: () => clearInterval(timer) };
};
