/**
 * Scheduled job of the staff-notice slice, run by the sweepers function (registered in
 * functions/sweepers/jobs.ts):
 *   staff-reminders  publishes the week's due list to the staff-notices topic
 */
import type { StaffRemindersDeps } from '../ports/staff-notices.js';
import { awsStaffRemindersDeps } from './deps.js';
import { staffRemindersJob } from './reminders-job.js';

let deps: StaffRemindersDeps | undefined;

/** `now`: the job's clock (the real time unless the local stack overrides it). */
export const runStaffReminders = (now: () => Date = () => new Date()) => {
  deps ??= awsStaffRemindersDeps(now);
  return staffRemindersJob({ ...deps, now });
};
