/** The subject access request dependencies wired to AWS (or the local stack's endpoints). */
import { randomUUID } from 'node:crypto';
import { ENV } from '../../declarations/environment.js';
import { appendAudit } from '../adapters/audit-log.js';
import { dynamoSarStore } from '../adapters/disclosures-store.js';
import { s3PackageStore } from '../adapters/package-store.js';
import { presignGet } from '../adapters/playback-objects.js';
import { dynamoReleaseLog } from '../adapters/release-log.js';
import { catalogueCallerIndex } from '../adapters/sar-catalogue.js';
import { kmsSigner } from '../adapters/signer.js';
import { copyTtlDays } from '../domain/release.js';
import { contentTypeOf } from '../domain/upload.js';
import { bucketName, intEnv, tableName } from '../platform/env.js';
import type { SarDeps } from '../ports/subject-access.js';
import { audioFileName } from './package.js';

/** S3 presigned URLs live at most 7 days. */
const MAX_LINK_SECONDS = 7 * 86_400;

export const awsSarDeps = (): SarDeps => {
  const auditTable = tableName('auditLog');
  const archive = bucketName('archive');
  const releases = bucketName('releases');
  return {
    sars: dynamoSarStore(),
    callers: catalogueCallerIndex(),
    audit: (entry) => appendAudit(auditTable, entry).then(() => undefined),
    releaseLog: dynamoReleaseLog(),
    packages: s3PackageStore(),
    signer: kmsSigner(),
    links: {
      playRecording: (r, ttl) =>
        presignGet({
          bucket: archive,
          key: r.archiveKey,
          versionId: r.archiveVersionId,
          contentType: contentTypeOf(r.format),
          disposition: 'inline',
          filename: audioFileName(r),
          expiresInSeconds: ttl,
        }),
      packageFile: (key, ttl) =>
        presignGet({
          bucket: releases,
          key,
          contentType: 'application/octet-stream',
          disposition: 'attachment',
          filename: key.split('/').at(-1) ?? 'file',
          expiresInSeconds: ttl,
        }),
    },
    config: {
      playbackLinkTtlSeconds: Math.min(intEnv(ENV.playbackLinkTtlSeconds, 300), 900),
      packageTtlDays: copyTtlDays(intEnv(ENV.releaseCopyTtlDays, 30)),
      packageLinkTtlSeconds: Math.min(
        intEnv(ENV.sarPackageLinkTtlSeconds, MAX_LINK_SECONDS),
        MAX_LINK_SECONDS,
      ),
    },
    now: () => new Date(),
    newId: () => `sar-${randomUUID()}`,
  };
};
