/** The release dependencies wired to AWS (or the local stack's endpoints): used by the handler and jobs. */
import { randomUUID } from 'node:crypto';
import { dynamoReleaseLog } from '../adapters/release-log.js';
import { catalogueLookup, dynamoReleaseRepository, s3ReleaseCopies } from '../adapters/release-store.js';
import { kmsSigner } from '../adapters/signer.js';
import { releaseConfigFromEnv } from './config.js';
import type { ReleaseDeps } from './ports.js';

export const awsReleaseDeps = (): ReleaseDeps => ({
  releases: dynamoReleaseRepository(),
  catalogue: catalogueLookup(),
  copies: s3ReleaseCopies(),
  log: dynamoReleaseLog(),
  signer: kmsSigner(),
  config: releaseConfigFromEnv(),
  now: () => new Date(),
  newId: () => `rel-${randomUUID()}`,
});
