/**
 * The access audit log as exported (GET /audit/export, `crs audit-log`) and its offline verification
 * (`crs verify-audit`). Pure apart from node:crypto, so the API, the CLI and the tests share it.
 *
 * An export holds every entry of every audit chain (grouped by chain, in seq order), the table's chain of
 * signed checkpoints, and `anchored`: the newest checkpoint read from the Object Lock archive, not from
 * the table, so whoever can edit the table cannot make it disappear.
 */
import { type KeyObject, verify } from 'node:crypto';
import { type AuditLink, isAuditChain } from '../domain/audit.js';
import { type AuditCheckpointPayload, auditCheckpointMessage, treeHead } from '../domain/audit-checkpoint.js';
import { type ChainLink, verifyChain } from '../domain/hash-chain.js';
import type { Failure } from '../domain/release-log-format.js';

export const AUDIT_EXPORT_FORMAT = 'crs-audit-log/1';

export type AuditCheckpointLink = ChainLink<AuditCheckpointPayload>;

export interface AuditExport {
  readonly format: typeof AUDIT_EXPORT_FORMAT;
  readonly entries: AuditLink[];
  readonly checkpoints: AuditCheckpointLink[];
  /** The newest checkpoint anchored in the archive when the export began (none: empty). */
  readonly anchored: AuditCheckpointLink[];
}

export class AuditExportFormatError extends Error {}

export const parseAuditExport = (text: string): AuditExport => {
  const parsed = JSON.parse(text) as Partial<AuditExport>;
  if (
    parsed.format !== AUDIT_EXPORT_FORMAT ||
    !Array.isArray(parsed.entries) ||
    !Array.isArray(parsed.checkpoints) ||
    !Array.isArray(parsed.anchored)
  )
    throw new AuditExportFormatError(
      `not an access audit log export: expected format ${AUDIT_EXPORT_FORMAT} with entries, checkpoints ` +
        'and anchored arrays (crs audit-log --out <file>)',
    );
  return parsed as AuditExport;
};

export type AuditVerifyResult =
  | {
      readonly ok: true;
      readonly entries: number;
      readonly chains: number;
      readonly checkpoints: number;
      /** Entries covered by the newest verified checkpoint. */
      readonly attested: number;
      readonly signed: boolean;
    }
  | { readonly ok: false; readonly failures: Failure[] };

const signatureHolds = (p: AuditCheckpointPayload, key: KeyObject): boolean => {
  try {
    return verify('sha256', auditCheckpointMessage(p), key, Buffer.from(p.signature, 'base64'));
  } catch {
    return false;
  }
};

/**
 * Checks every chain link, every checkpoint (signature, the Merkle root of its heads, each head against
 * the entries), and that the newest anchored checkpoint is in the export and matches it. An export with
 * nothing signed is not OK unless `acceptUnsigned`.
 */
export const verifyAuditExport = (
  exp: AuditExport,
  publicKey: KeyObject,
  options: { acceptUnsigned?: boolean } = {},
): AuditVerifyResult => {
  const failures: Failure[] = [];
  const chains = new Map<string, AuditLink[]>();
  for (const link of exp.entries) {
    if (!isAuditChain(link.chain)) {
      failures.push({ entry: `entry ${link.chain} seq ${link.seq}`, reason: 'belongs to no audit chain' });
      continue;
    }
    chains.set(link.chain, [...(chains.get(link.chain) ?? []), link]);
  }
  for (const [chain, links] of chains) {
    const verdict = verifyChain(links);
    if (!verdict.ok)
      failures.push({
        entry: `entry ${chain} seq ${verdict.firstBadSeq} (position ${verdict.position + 1} of that chain)`,
        reason: verdict.reason,
      });
  }
  const cpChain = verifyChain(exp.checkpoints);
  if (!cpChain.ok) failures.push({ entry: `checkpoint seq ${cpChain.firstBadSeq}`, reason: cpChain.reason });

  const hashAt = (chain: string, seq: number) => chains.get(chain)?.find((l) => l.seq === seq)?.hash;
  let attested = 0;
  let signed = false;
  const check = (cp: AuditCheckpointLink, name: string): boolean => {
    const p = cp.payload;
    if (!signatureHolds(p, publicKey)) {
      failures.push({
        entry: name,
        reason: 'signature does not verify with the public key (forged or altered checkpoint)',
      });
      return false;
    }
    if (treeHead(p.heads).rootHash !== p.rootHash) {
      failures.push({ entry: name, reason: 'its shard heads do not hash to the signed tree root (altered)' });
      return false;
    }
    let fits = true;
    for (const head of p.heads) {
      const found = hashAt(head.chain, head.seq);
      if (found === head.hash) continue;
      fits = false;
      failures.push({
        entry: `entry ${head.chain} seq ${head.seq}`,
        reason: found
          ? `its hash differs from the one signed in ${name}: an entry of ${head.chain} up to seq ${head.seq} was rewritten`
          : `missing, but ${name} (signed ${p.signedAt}) attests ${head.chain} up to it (entries removed from the end?)`,
      });
    }
    if (fits) {
      signed = true;
      attested = Math.max(attested, p.entries);
    }
    return fits;
  };
  for (const cp of exp.checkpoints) check(cp, `checkpoint seq ${cp.seq}`);
  const newest = exp.anchored[0];
  if (newest) {
    const name = `checkpoint seq ${newest.seq} anchored in the archive`;
    if (check(newest, name) && !exp.checkpoints.some((c) => c.seq === newest.seq && c.hash === newest.hash))
      failures.push({
        entry: name,
        reason: 'is not among the checkpoints in the export (checkpoint rows deleted or the chain rebuilt)',
      });
  }
  if (failures.length > 0) return { ok: false, failures };
  if (!signed && !options.acceptUnsigned)
    return {
      ok: false,
      failures: [
        {
          entry: 'the export',
          reason: `unsigned: no signed checkpoint covers any of its ${exp.entries.length} entries`,
        },
      ],
    };
  return {
    ok: true,
    entries: exp.entries.length,
    chains: chains.size,
    checkpoints: exp.checkpoints.length,
    attested,
    signed,
  };
};
