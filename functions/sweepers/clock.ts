/**
 * The time a scheduled job runs at. Deployed: always the real time. The local stack (and only it, through
 * JOB_CLOCK_OVERRIDE=allow) may put `now` in the job's event to show the 12- and 24-month rules acting
 * without waiting; time then runs on from that instant for the length of the job.
 */
import { ENV } from '../../declarations/environment.js';
import { environment } from '../platform/env.js';

export type Clock = () => Date;

export class JobClockError extends Error {}

export const jobClock = (
  event: { readonly now?: unknown } | undefined,
  env: Readonly<Record<string, string | undefined>> = environment(),
  real: Clock = () => new Date(),
): Clock => {
  if (event?.now === undefined) return real;
  if (env[ENV.jobClockOverride] !== 'allow')
    throw new JobClockError(
      `event.now is honoured only where ${ENV.jobClockOverride}=allow (the local stack); a deployed job runs at the real time`,
    );
  const at = typeof event.now === 'string' ? Date.parse(event.now) : Number.NaN;
  if (Number.isNaN(at))
    throw new JobClockError(`event.now: expected an ISO 8601 date-time, got ${JSON.stringify(event.now)}`);
  const offset = at - real().getTime();
  return () => new Date(real().getTime() + offset);
};
