/** Environment the ingest and registers handlers read at module load (set before importing them). */
export const setIngestEnv = (): void => {
  Object.assign(process.env, {
    LOG_LEVEL: 'silent',
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'AKIATESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    TABLE_CATALOGUE: 'catalogue',
    TABLE_REGISTERS: 'registers',
    TABLE_HOLDS: 'holds',
    BUCKET_INBOX: 'inbox',
    BUCKET_ARCHIVE: 'archive',
    KMS_RECORDINGS_KEY_ID: 'recordings-key',
    KMS_HMAC_KEY_ID: 'hmac-key',
  });
};
