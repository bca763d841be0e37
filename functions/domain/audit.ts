/**
 * The audit log of every access to a recording (policy s.6: access is controlled and accountable).
 * Each entry is the payload of one hash-chain link (hash-chain.ts), so the link adds the sequence number,
 * time, previous entry's hash and its own hash. Denied attempts are entries too, naming the rule.
 */
import type { AccessAction } from './access.js';
import type { ChainLink } from './hash-chain.js';

/**
 * The single chain every entry went to before the log was sharded. Its entries stay where they are and
 * are read, checkpointed and verified with the shards; nothing new is appended to it.
 */
export const AUDIT_CHAIN = 'audit';

/**
 * Appends spread over this many independent hash chains (shards), so writers rarely meet on one chain's
 * next sequence number and throughput grows with the shard count. A scheduled job folds the shard heads
 * into one signed checkpoint (domain/audit-checkpoint.ts). Changing the number leaves old shards readable
 * only if it grows: lower shards keep their names.
 */
export const AUDIT_SHARD_COUNT = 64;

export const auditShard = (n: number): string => `audit#${String(n).padStart(2, '0')}`;

/** Every chain of the access audit log: the pre-sharding chain, then the shards. */
export const AUDIT_CHAINS: readonly string[] = [
  AUDIT_CHAIN,
  ...Array.from({ length: AUDIT_SHARD_COUNT }, (_, n) => auditShard(n)),
];

export const isAuditChain = (chain: string): boolean => AUDIT_CHAINS.includes(chain);

/** The chain of signed checkpoints of the audit log (one link per signed tree head). */
export const AUDIT_CHECKPOINT_CHAIN = 'audit-checkpoints';

export type AuditOutcome = 'allowed' | 'denied';

export interface AuditEntry {
  readonly actor: string;
  readonly action: AccessAction;
  readonly recordingId?: string;
  readonly serviceArea?: string;
  readonly purpose?: string;
  readonly igAdviceRef?: string;
  readonly note?: string;
  /** Delete: the reason given. */
  readonly reason?: string;
  /** Search and audit reads: the filters used (never a clear caller number). */
  readonly filters?: Readonly<Record<string, string>>;
  readonly outcome: AuditOutcome;
  /** The policy rule that allowed or denied the action. */
  readonly rule: string;
  readonly correlationId: string;
}

export type AuditLink = ChainLink<AuditEntry>;

/** Index keys: gsi1 = one recording's entries, gsi2 = one actor's, gsi3 = one UTC month's; all by time. */
export const auditIndexKeys = (
  entry: Pick<AuditEntry, 'recordingId' | 'actor'>,
  link: { at: string; seq: number },
): Record<string, string> => {
  const sk = `${link.at}#${String(link.seq).padStart(12, '0')}`;
  return {
    ...(entry.recordingId ? { gsi1pk: `REC#${entry.recordingId}`, gsi1sk: sk } : {}),
    gsi2pk: `ACTOR#${entry.actor}`,
    gsi2sk: sk,
    gsi3pk: auditMonthKey(auditMonth(link.at)),
    gsi3sk: sk,
  };
};

/** The UTC month (`yyyy-mm`) of an ISO 8601 UTC time such as an entry's `at`. */
export const auditMonth = (at: string): string => at.slice(0, 7);

/** The partition of the month index (gsi3) holding one month's entries. */
export const auditMonthKey = (month: string): string => `AUDIT#${month}`;

/** The month before a `yyyy-mm` month. */
export const previousMonth = (month: string): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1
    ? `${String(year - 1).padStart(4, '0')}-12`
    : `${String(year).padStart(4, '0')}-${String(m - 1).padStart(2, '0')}`;
};

/** A read of the access audit log (GET /audit) by recording, actor and time. */
export interface AuditQuery {
  readonly recordingId?: string;
  readonly actor?: string;
  /** ISO 8601 bounds on the entry time, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface AuditPage {
  readonly entries: AuditLink[];
  readonly cursor?: string;
}
