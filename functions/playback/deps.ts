/** The playback dependencies wired to AWS (or the local stack's endpoints); built once per container. */
import { ENV } from '../../declarations/environment.js';
import {
  appendAudit,
  auditCheckpoints,
  auditLinksAfter,
  auditQuery,
  queryAudit,
  warmAudit,
} from '../adapters/audit-log.js';
import {
  clearDeleteDay,
  getRecording,
  markDeleted,
  recordingQuery,
  restoreArchived,
  searchRecordings,
} from '../adapters/catalogue-store.js';
import { s3CheckpointAnchors } from '../adapters/checkpoint-anchors.js';
import { dynamoAdviceStore } from '../adapters/disclosures-store.js';
import { deleteObjectVersion, presignGet } from '../adapters/playback-objects.js';
import { pseudonymiseNumber } from '../adapters/pseudonymise.js';
import { noteStaffInArea } from '../adapters/staff-register.js';
import { bucketName, intEnv, tableName } from '../platform/env.js';
import type { AuditCheckpointLink } from './audit-export.js';
import type { PlaybackConfig, PlaybackDeps } from './ports.js';

export const DEFAULT_LINK_TTL_SECONDS = 300;

export const playbackConfigFromEnv = (): PlaybackConfig => ({
  linkTtlSeconds: intEnv(ENV.playbackLinkTtlSeconds, DEFAULT_LINK_TTL_SECONDS),
});

/** S3 answers 403 when Object Lock (a legal hold or retention on the version) refuses the delete. */
const isRefusal = (error: unknown): boolean =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403;

export const awsPlaybackDeps = (): PlaybackDeps => {
  const auditTable = tableName('auditLog');
  const archiveBucket = bucketName('archive');
  const anchors = s3CheckpointAnchors<AuditCheckpointLink>('audit-log', archiveBucket);
  return {
    catalogue: {
      get: getRecording,
      prepareSearch: (q) => {
        const query = recordingQuery(q);
        return () => searchRecordings(query);
      },
      markDeleted: (recording, certificate) => markDeleted(recording, certificate, 'retainUntil'),
      restoreArchived,
      clearDeleteDay,
    },
    audit: {
      append: (entry, now) => appendAudit(auditTable, entry, now),
      warm: () => warmAudit(auditTable),
      prepareQuery: (q, now) => {
        const plan = auditQuery(auditTable, q, now);
        return () => queryAudit(plan);
      },
      linksAfter: (chain, afterSeq, limit) => auditLinksAfter(auditTable, chain, afterSeq, limit),
      checkpoints: () => auditCheckpoints(auditTable),
      newestAnchored: (notAfter) => anchors.newest(notAfter),
    },
    archive: {
      presignGet: (link) => presignGet({ bucket: archiveBucket, ...link }),
      deleteVersion: async (key, versionId) => {
        try {
          await deleteObjectVersion(archiveBucket, key, versionId);
          return 'deleted';
        } catch (error) {
          if (isRefusal(error)) return 'refused';
          throw error;
        }
      },
    },
    advice: dynamoAdviceStore(tableName('disclosures')),
    noteStaffInArea: async (staffId, area, day) => {
      await noteStaffInArea(staffId, area, day);
    },
    pseudonymise: pseudonymiseNumber,
    config: playbackConfigFromEnv(),
    now: () => new Date(),
  };
};
