/**
 * The registration expiry wired to DynamoDB (run by the sweepers function): only the catalogue and the
 * counters, so the sweepers function loads nothing of the worker's S3 and SQS adapters.
 */
import { markExpired, queryByStatusBefore } from '../adapters/catalogue-store.js';
import { countRegistrationExpired } from '../adapters/counters-write.js';
import type { ExpiryDeps } from '../ports/ingest.js';
import { type ExpiredRegistration, expireStaleRegistrations } from './expire-registrations.js';

export const awsExpiryDeps = (): ExpiryDeps => ({
  catalogue: {
    pendingBefore: (before, cursor) => queryByStatusBefore('PENDING', before, cursor),
    markExpired,
  },
  countExpired: countRegistrationExpired,
});

export const runRegistrationExpiry = (now: Date): Promise<ExpiredRegistration[]> =>
  expireStaleRegistrations(awsExpiryDeps(), { now });
