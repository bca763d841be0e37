/** The audit checkpoint job wired to DynamoDB, KMS and the archive bucket (run by the sweepers function). */
import {
  appendAuditCheckpoint,
  auditChainLinks,
  auditHashAt,
  auditHeads,
  lastAuditCheckpoint,
} from '../adapters/audit-log.js';
import { s3CheckpointAnchors } from '../adapters/checkpoint-anchors.js';
import { kmsSigner } from '../adapters/signer.js';
import { tableName } from '../platform/env.js';
import {
  type AuditCheckpointLink,
  type AuditCheckpointPorts,
  auditCheckpointJob,
} from './audit-checkpoint.js';

export const awsAuditCheckpointPorts = (): AuditCheckpointPorts => {
  const table = tableName('auditLog');
  return {
    heads: () => auditHeads(table),
    hashAt: (chain, seq) => auditHashAt(table, chain, seq),
    linksAfter: (chain, afterSeq) => auditChainLinks(table, chain, afterSeq),
    lastCheckpoint: () => lastAuditCheckpoint(table),
    appendCheckpoint: (payload, at) => appendAuditCheckpoint(table, payload, at),
    anchors: s3CheckpointAnchors<AuditCheckpointLink>('audit-log'),
    signer: kmsSigner(),
    now: () => new Date(),
  };
};

export const runAuditCheckpoint = () => auditCheckpointJob(awsAuditCheckpointPorts());
