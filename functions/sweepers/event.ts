/** What the schedule sends the sweepers function, and the shape of a job (its table is jobs.ts). */
import type { Clock } from './clock.js';

export type Job = (event: SweeperEvent, now: Clock) => Promise<unknown>;

export interface SweeperEvent {
  readonly job: string;
  /** deletion: re-sweep from this day instead of the cursor. */
  readonly fromDay?: string;
  readonly maxRecordings?: number;
  /** Local stack only (JOB_CLOCK_OVERRIDE=allow): the instant the job runs at. */
  readonly now?: string;
}
