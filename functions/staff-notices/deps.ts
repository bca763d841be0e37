/**
 * The staff-notice dependencies wired to DynamoDB and SNS (or the local stack's): the routes' in the
 * registers function (built once per container), the weekly job's in the sweepers function (the only
 * function bound to the topic; built when the job first runs there).
 */
import { ENV } from '../../declarations/environment.js';
import { snsStaffNoticesTopic } from '../adapters/staff-notices-topic.js';
import { dynamoStaffRegister } from '../adapters/staff-register.js';
import { requireEnv, tableName } from '../platform/env.js';
import type { StaffNoticesDeps, StaffRemindersDeps } from '../ports/staff-notices.js';

export const awsStaffNoticesDeps = (): StaffNoticesDeps => ({
  register: dynamoStaffRegister(tableName('registers')),
  now: () => new Date(),
});

/** `now`: the job's clock (the real time unless the local stack overrides it). */
export const awsStaffRemindersDeps = (now: () => Date): StaffRemindersDeps => ({
  register: dynamoStaffRegister(tableName('registers')),
  topic: snsStaffNoticesTopic(requireEnv(ENV.staffNoticesTopicArn)),
  now,
});
