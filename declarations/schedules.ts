/**
 * Scheduled jobs, declared once: the CDK stack turns each into an EventBridge rule; the local stack can
 * run the same jobs on an interval or on demand. The function's event is exactly `{ job }` (the rule's
 * input replaces EventBridge's scheduled-event shape); functions/sweepers/jobs.ts maps names to jobs.
 */
import type { FunctionId } from './functions.js';

export interface ScheduleDeclaration {
  /** A job name known to functions/sweepers/jobs.ts. */
  readonly job: string;
  readonly function: FunctionId;
  /** EventBridge cron fields, UTC. */
  readonly cron: { readonly minute: string; readonly hour: string; readonly weekDay?: string };
  readonly description: string;
}

/** The input EventBridge delivers to the function for a scheduled job. */
export interface ScheduledJobEvent {
  readonly job: string;
}

export const SCHEDULES: readonly ScheduleDeclaration[] = [
  {
    job: 'deletion',
    function: 'sweepers',
    cron: { minute: '0', hour: '2' },
    description: 'Delete recordings past delete-after with no hold (policy s.7)',
  },
  {
    job: 'release-expiry',
    function: 'sweepers',
    cron: { minute: '30', hour: '2' },
    description: 'Delete released copies past expiry; expire undecided release requests (s.6)',
  },
  {
    job: 'expire-registrations',
    function: 'sweepers',
    cron: { minute: '0', hour: '3' },
    description: 'Expire call registrations never uploaded within 24 h',
  },
  {
    job: 'hold-reviews',
    function: 'sweepers',
    cron: { minute: '0', hour: '6' },
    description: 'List holds whose review date has come (s.7)',
  },
  {
    job: 'release-log-checkpoint',
    function: 'sweepers',
    cron: { minute: '50', hour: '23' },
    description: 'Sign the Release of Recording Log head at least daily',
  },
  {
    job: 'audit-log-checkpoint',
    function: 'sweepers',
    cron: { minute: '55', hour: '*' },
    description: 'Sign the access audit log tree head hourly and anchor it in the archive (s.6)',
  },
  {
    job: 'staff-reminders',
    function: 'sweepers',
    cron: { minute: '0', hour: '7', weekDay: 'MON' },
    description: 'Publish the staff-awareness due list to the staff-notices topic (s.4)',
  },
];
