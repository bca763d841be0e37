/** Environment for the staff-notice and compliance tests; import before loading a handler. */
import { AUDIT, REGISTERS } from './fake-registers.js';

Object.assign(process.env, {
  LOG_LEVEL: 'silent',
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'AKIATESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  TABLE_REGISTERS: REGISTERS,
  TABLE_AUDIT_LOG: AUDIT,
  TABLE_HOLDS: 'holds-table',
  TABLE_CATALOGUE: 'catalogue-table',
  TOPIC_STAFF_NOTICES_ARN: 'arn:aws:sns:eu-west-2:000000000000:staff-notices',
});
delete process.env.AWS_SESSION_TOKEN;
