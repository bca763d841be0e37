/** Ingest configuration, read once when a handler module loads; a missing variable fails the cold start. */
import { ENV } from '../../declarations/environment.js';
import { bucketName, intEnv, optionalEnv, requireEnv } from '../platform/env.js';

export interface IngestConfig {
  readonly inboxBucket: string;
  readonly archiveBucket: string;
  readonly kmsKeyId: string;
  readonly uploadLinkTtlSeconds: number;
  readonly retention: { minMonths: number; maxMonths: number };
  /** The archive's Object Lock mode (`archiveLockMode` in cdk.json); the first lock is set in it. */
  readonly archiveLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
}

export const ingestConfigFromEnv = (): IngestConfig => ({
  inboxBucket: bucketName('inbox'),
  archiveBucket: bucketName('archive'),
  kmsKeyId: requireEnv(ENV.kmsRecordingsKeyId),
  uploadLinkTtlSeconds: intEnv(ENV.uploadLinkTtlSeconds, 15 * 60),
  retention: {
    minMonths: intEnv(ENV.retentionMinMonths, 12),
    maxMonths: intEnv(ENV.retentionMaxMonths, 24),
  },
  archiveLockMode: optionalEnv(ENV.archiveLockMode) === 'COMPLIANCE' ? 'COMPLIANCE' : 'GOVERNANCE',
});
