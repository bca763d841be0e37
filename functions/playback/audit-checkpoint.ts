/**
 * The `audit-log-checkpoint` job (declarations/schedules.ts): folds the head of every audit shard
 * into a Merkle tree head, signs it with the KMS signing key, appends it to the `audit-checkpoints`
 * chain and anchors it in the Object Lock archive. Steps:
 *   1. The newest anchored checkpoint must still hold: each head it signed is in the table with the same
 *      hash, the entries after it still link up from it, and its checkpoint row is still there.
 *      Otherwise the log was cut, rebuilt or edited: refuse to sign (the job fails, the alarm fires).
 *   2. Nothing new since the last checkpoint: sign nothing (but anchor the last one if it never was).
 *   3. Sign the tree head, append it to the checkpoint chain, then anchor it.
 */

import { AUDIT_CHECKPOINT_CHAIN, type AuditLink } from '../domain/audit.js';
import {
  AUDIT_CHECKPOINT_OF,
  type AuditCheckpointPayload,
  auditCheckpointMessage,
  type ShardHead,
  treeHead,
} from '../domain/audit-checkpoint.js';
import type { ChainLink } from '../domain/hash-chain.js';
import { verifyChain } from '../domain/hash-chain.js';
import type { Signer } from '../ports/release.js';

export type AuditCheckpointLink = ChainLink<AuditCheckpointPayload>;

export interface AuditCheckpointPorts {
  heads(): Promise<ShardHead[]>;
  hashAt(chain: string, seq: number): Promise<string | undefined>;
  /** Every link of `chain` after `afterSeq`, in order. */
  linksAfter(chain: string, afterSeq: number): Promise<AuditLink[]>;
  lastCheckpoint(): Promise<AuditCheckpointLink | undefined>;
  appendCheckpoint(payload: AuditCheckpointPayload, at: Date): Promise<AuditCheckpointLink>;
  readonly anchors: {
    put(doc: AuditCheckpointLink, signedAt: string): Promise<void>;
    newest(): Promise<AuditCheckpointLink | undefined>;
  };
  readonly signer: Signer;
  now(): Date;
}

/** The log no longer extends its newest anchored checkpoint: nothing is signed over it. */
export class AuditLogTamperedError extends Error {}

const checkStillHolds = async (ports: AuditCheckpointPorts, anchored: AuditCheckpointLink) => {
  const row = await ports.hashAt(AUDIT_CHECKPOINT_CHAIN, anchored.seq);
  if (row !== anchored.hash)
    throw new AuditLogTamperedError(
      `checkpoint seq ${anchored.seq} anchored in the archive is ${row ? 'different' : 'missing'} in the table`,
    );
  for (const head of anchored.payload.heads) {
    const hash = await ports.hashAt(head.chain, head.seq);
    if (hash !== head.hash)
      throw new AuditLogTamperedError(
        `${head.chain} seq ${head.seq}, signed in anchored checkpoint seq ${anchored.seq}, is ` +
          `${hash ? 'rewritten' : 'gone (entries cut off)'}`,
      );
    const after = verifyChain(await ports.linksAfter(head.chain, head.seq), head);
    if (!after.ok) throw new AuditLogTamperedError(`${head.chain} seq ${after.firstBadSeq}: ${after.reason}`);
  }
};

export const auditCheckpointJob = async (ports: AuditCheckpointPorts) => {
  const anchored = await ports.anchors.newest();
  if (anchored) await checkStillHolds(ports, anchored);
  const tree = treeHead(await ports.heads());
  if (tree.heads.length === 0) return { signed: false, reason: 'the audit log is empty' };
  const last = await ports.lastCheckpoint();
  if (last && last.payload.rootHash === tree.rootHash) {
    const anchoredNow = anchored?.hash !== last.hash;
    if (anchoredNow) await ports.anchors.put(last, last.payload.signedAt);
    return { signed: false, reason: `tree head ${tree.rootHash} already signed`, anchoredNow };
  }
  const at = ports.now();
  const unsigned = { checkpointOf: AUDIT_CHECKPOINT_OF, ...tree, signedAt: at.toISOString() };
  const { signature, keyId } = await ports.signer.sign(auditCheckpointMessage(unsigned));
  const payload: AuditCheckpointPayload = {
    ...unsigned,
    keyId,
    algorithm: 'ECDSA_SHA_256',
    signature: signature.toString('base64'),
  };
  // The row first: an anchor whose row is missing means the row was deleted.
  const link = await ports.appendCheckpoint(payload, at);
  await ports.anchors.put(link, payload.signedAt);
  return { signed: true, checkpointSeq: link.seq, entries: tree.entries, shards: tree.heads.length };
};
