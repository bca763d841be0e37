/**
 * Signed checkpoints of the sharded access audit log, as transparency logs make them: the head
 * (seq, hash) of every non-empty audit chain is a leaf of a Merkle tree (RFC 6962 tree hash, leaves in
 * chain-name order); the checkpoint signs the tree's root with the KMS signing key. The heads travel
 * with the signature, so a verifier recomputes the root and then checks each shard's head against the
 * entries it holds: an edited, removed, reordered or cut-off entry at or below a signed head fails.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './hash-chain.js';

export const AUDIT_CHECKPOINT_OF = 'audit' as const;

export interface ShardHead {
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
}

export interface AuditCheckpointPayload {
  readonly checkpointOf: typeof AUDIT_CHECKPOINT_OF;
  /** Every non-empty audit chain's head, in chain-name order: the tree's leaves. */
  readonly heads: readonly ShardHead[];
  /** Hex RFC 6962 Merkle tree hash over `heads`. */
  readonly rootHash: string;
  /** Entries attested: the sum of the heads' sequence numbers. */
  readonly entries: number;
  readonly signedAt: string;
  readonly keyId: string;
  readonly algorithm: string;
  /** Base64 of the DER-encoded ECDSA P-256 / SHA-256 signature over auditCheckpointMessage. */
  readonly signature: string;
}

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** RFC 6962: leaf = SHA-256(0x00 || leaf data), the data being the head's canonical JSON. */
export const leafHash = (head: ShardHead): Buffer =>
  sha256(
    Buffer.from([0]),
    Buffer.from(canonicalJson({ chain: head.chain, seq: head.seq, hash: head.hash }), 'utf8'),
  );

/** RFC 6962 Merkle tree hash of leaf hashes; the empty tree hashes the empty string. */
export const merkleRoot = (leaves: readonly Buffer[]): Buffer => {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0] as Buffer;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(Buffer.from([1]), merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
};

/** The heads in leaf order (chain name), empty chains left out. */
export const sortedHeads = (heads: readonly ShardHead[]): ShardHead[] =>
  heads
    .filter((h) => h.seq > 0)
    .map((h) => ({ chain: h.chain, seq: h.seq, hash: h.hash }))
    .sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));

export const treeHead = (heads: readonly ShardHead[]) => {
  const sorted = sortedHeads(heads);
  return {
    heads: sorted,
    rootHash: merkleRoot(sorted.map(leafHash)).toString('hex'),
    entries: sorted.reduce((n, h) => n + h.seq, 0),
  };
};

/** The bytes KMS signs: the root, the tree size and when; the heads are bound through the root. */
export const auditCheckpointMessage = (
  p: Pick<AuditCheckpointPayload, 'checkpointOf' | 'rootHash' | 'heads' | 'entries' | 'signedAt'>,
): Buffer =>
  Buffer.from(
    canonicalJson({
      checkpointOf: p.checkpointOf,
      rootHash: p.rootHash,
      treeSize: p.heads.length,
      entries: p.entries,
      signedAt: p.signedAt,
    }),
    'utf8',
  );

/**
 * What must hold before a new checkpoint is signed: every head of the newest anchored checkpoint is still
 * in the log with the same hash. `current` gives, per chain, the hash now stored at that seq (undefined:
 * gone). Returns the first mismatch, or undefined when the log still extends the anchored one.
 */
export const anchoredHeadMismatch = (
  anchored: readonly ShardHead[],
  current: (head: ShardHead) => string | undefined,
): { head: ShardHead; found?: string } | undefined => {
  for (const head of anchored) {
    const found = current(head);
    if (found !== head.hash) return { head, found };
  }
  return undefined;
};
