/** The release dependencies wired to AWS (or the local stack's endpoints): used by the handler and jobs. */
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../adapters/audit-log.js';
import { s3CheckpointAnchors } from '../adapters/checkpoint-anchors.js';
import { countRelease, trackReleaseCopyClosed, trackReleaseCopyOpened } from '../adapters/counters-write.js';
import { dynamoAdviceStore } from '../adapters/disclosures-store.js';
import { s3PackageStore } from '../adapters/package-store.js';
import { getServiceArea } from '../adapters/registers-store.js';
import { dynamoReleaseLog } from '../adapters/release-log.js';
import { catalogueLookup, dynamoReleaseRepository, s3ReleaseCopies } from '../adapters/release-store.js';
import { kmsSigner } from '../adapters/signer.js';
import { tableName } from '../platform/env.js';
import type { ReleaseDeps } from '../ports/release.js';
import { releaseConfigFromEnv } from './config.js';

export const awsReleaseDeps = (): ReleaseDeps => {
  const auditTable = tableName('auditLog');
  return {
    audit: async (note) => {
      await appendAudit(auditTable, {
        ...note,
        // A release link shares a copy outside the service area; the rule is the approved release.
        action: 'share',
        outcome: 'allowed',
        rule: 's6.approved-release',
      });
    },
    auditLogRead: async ({ allowed, ...read }) => {
      await appendAudit(auditTable, {
        ...read,
        action: 'audit-read',
        outcome: allowed ? 'allowed' : 'denied',
        rule: 's6.release-log-keeper',
      });
    },
    releases: dynamoReleaseRepository(),
    catalogue: catalogueLookup(),
    serviceAreas: { exists: async (id) => (await getServiceArea(id)) !== undefined },
    copies: s3ReleaseCopies(),
    log: dynamoReleaseLog(),
    counters: {
      countRelease,
      copyOpened: trackReleaseCopyOpened,
      copyClosed: trackReleaseCopyClosed,
    },
    signer: kmsSigner(),
    advice: dynamoAdviceStore(),
    packages: s3PackageStore(),
    anchors: s3CheckpointAnchors('release-log'),
    config: releaseConfigFromEnv(),
    now: () => new Date(),
    newId: () => `rel-${randomUUID()}`,
  };
};
