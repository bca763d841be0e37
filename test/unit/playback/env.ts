/** Environment the playback handler reads at cold start; import before loading the handler. */
export const CATALOGUE = 'catalogue-table';
export const AUDIT = 'audit-table';

Object.assign(process.env, {
  LOG_LEVEL: 'silent',
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'AKIATESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  TABLE_CATALOGUE: CATALOGUE,
  TABLE_AUDIT_LOG: AUDIT,
  TABLE_HOLDS: 'holds-table',
  TABLE_REGISTERS: 'registers-table',
  TABLE_DISCLOSURES: 'disclosures-table',
  BUCKET_ARCHIVE: 'archive-bucket',
  KMS_HMAC_KEY_ID: 'alias/test-hmac',
});
delete process.env.AWS_SESSION_TOKEN;
delete process.env.PLAYBACK_LINK_TTL_SECONDS;

export const loadHandler = async () => (await import('../../../functions/playback/handler.js')).handler;
