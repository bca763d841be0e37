/**
 * Ingest configuration, read once when a handler module loads; a missing variable fails the cold start.
 * Apart from deps.ts so the ingest API loads it without the worker's S3 and SQS adapters.
 */
import { ENV } from '../../declarations/environment.js';
import { bucketName, intEnv, optionalEnv, requireEnv } from '../platform/env.js';
import type { IngestConfig } from '../ports/ingest.js';

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
