/**
 * Scheduled jobs: the sweepers handler (functions/sweepers/handler.ts) takes `{ job }`. Locally every
 * job runs each SWEEP_INTERVAL_SECONDS (default 60; 0 = only on demand), and on demand through
 * `POST /_local/run/{job}`. The job names mirror the schedules the CDK stack deploys; set
 * SWEEP_JOBS=a,b to run others.
 */
import type { InvokeOutcome } from './invoke.js';

export const SCHEDULED_JOBS: readonly string[] = [
  'retention-deletion', // daily: delete recordings past delete-after with no hold (policy s.7)
  'release-copy-expiry', // delete released copies past expiry and log it (s.6)
  'hold-review-reminders', // holds due for review
  'staff-notices-due', // weekly: publish the staff-notice due list to SNS (s.4)
];

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
