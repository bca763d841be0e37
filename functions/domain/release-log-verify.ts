/**
 * How a Release of Recording Log export is judged: every link of both chains, every checkpoint signature,
 * each signed head against the entry the export holds at that seq, and the newest checkpoint anchored in
 * the archive. Pure: the SHA-256 of a link and the signature check come in as functions, so `crs
 * verify-log` (node:crypto, release-log-format.ts) and the staff portal (WebCrypto, web/src/log-check.ts) apply
 * exactly these rules.
 */
import { type ChainLink, canonicalJson, verifyChainWith } from './chain-rules.js';
import type { ReleaseLogPayload } from './release.js';

export const ENTRY_CHAIN = 'releases';
export const CHECKPOINT_CHAIN = 'checkpoints';
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256';
export const EXPORT_FORMAT = 'crs-release-log/1';

export interface CheckpointPayload {
  /** The chain whose head is signed. */
  readonly checkpointOf: string;
  readonly headSeq: number;
  readonly headHash: string;
  readonly signedAt: string;
  readonly keyId: string;
  readonly algorithm: string;
  /** Base64 of the DER-encoded ECDSA signature. */
  readonly signature: string;
}

export type EntryLink = ChainLink<ReleaseLogPayload>;
export type CheckpointLink = ChainLink<CheckpointPayload>;

/** The text (UTF-8) KMS signs for a checkpoint. */
export const checkpointText = (
  p: Pick<CheckpointPayload, 'checkpointOf' | 'headSeq' | 'headHash' | 'signedAt'>,
): string =>
  canonicalJson({
    checkpointOf: p.checkpointOf,
    headSeq: p.headSeq,
    headHash: p.headHash,
    signedAt: p.signedAt,
  });

export interface LogExport {
  readonly format: typeof EXPORT_FORMAT;
  readonly entries: EntryLink[];
  readonly checkpoints: CheckpointLink[];
  /** The newest checkpoint anchored in the archive bucket when the export was read (none: empty). */
  readonly anchored: CheckpointLink[];
}

export class ExportFormatError extends Error {}

/** The JSON export (GET /release-log, `crs release-log`); undefined when the text is not JSON. */
export const parseJsonExport = (text: string): LogExport | undefined => {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return undefined;
  let parsed: Partial<LogExport>;
  try {
    parsed = JSON.parse(trimmed) as Partial<LogExport>;
  } catch {
    throw new ExportFormatError('the JSON export is not valid JSON');
  }
  if (!Array.isArray(parsed.entries) || !Array.isArray(parsed.checkpoints))
    throw new ExportFormatError(
      'the JSON export needs `entries` and `checkpoints` arrays (GET /release-log)',
    );
  return {
    format: EXPORT_FORMAT,
    entries: parsed.entries,
    checkpoints: parsed.checkpoints,
    anchored: Array.isArray(parsed.anchored) ? parsed.anchored : [],
  };
};

/** The one file `crs release-log --out` writes (JSON): every entry, then the checkpoints and the anchor. */
export const exportJsonText = (
  entries: readonly EntryLink[],
  checkpoints: readonly CheckpointLink[],
  anchored: readonly CheckpointLink[],
): string =>
  `{"format":"${EXPORT_FORMAT}","complete":true,"entries":[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n],` +
  `"checkpoints":${JSON.stringify(checkpoints)},"anchored":${JSON.stringify(anchored)}}\n`;

export interface Failure {
  /** e.g. `entry seq 7` or `checkpoint seq 2`. */
  readonly entry: string;
  readonly reason: string;
}

export type VerifyResult =
  | { ok: true; entries: number; checkpoints: number; attestedTo: number; unattested: number }
  | { ok: false; failures: Failure[] };

/** Reason of the one failure of an export that nothing signs (refused unless `acceptUnsigned`). */
export const UNSIGNED = 'unsigned';

export interface ExportChecks {
  /** SHA-256 (hex) of `linkMaterial(link)`. */
  readonly hashOf: (link: ChainLink<unknown>) => string;
  /** Whether the checkpoint's signature verifies over `checkpointText(payload)` with the log's key. */
  readonly signatureHolds: (payload: CheckpointPayload) => boolean;
}

export interface ExportVerdict {
  readonly result: VerifyResult;
  /** How far the entries' hash chain holds: the seq of the last entry before the first broken one. */
  readonly chainHoldsTo: number;
  /** The highest entry seq a valid checkpoint signature attests, its hash matching the export's. */
  readonly attestedTo: number;
  /**
   * How far entries are both linked and signed: the highest head a valid checkpoint signs that the
   * unbroken chain from seq 1 reaches (every entry up to it is verified against a signature).
   */
  readonly signedTo: number;
  /** The seq of the first entry that does not verify, when an entry is to blame. */
  readonly firstBadSeq?: number;
}

/**
 * An export that nothing signs fails as `unsigned` unless `acceptUnsigned`. The anchored checkpoint must
 * verify, be among the export's checkpoints (else checkpoint rows were deleted or the chain rebuilt) and
 * sign an entry the export holds (else entries were cut off the end).
 */
export const judgeExport = (
  exp: LogExport,
  checks: ExportChecks,
  options: { acceptUnsigned?: boolean } = {},
): ExportVerdict => {
  const failures: Failure[] = [];
  const badSeqs: number[] = [];
  const strays = exp.entries.filter((e) => e.chain !== ENTRY_CHAIN);
  for (const stray of strays) {
    failures.push({ entry: `entry seq ${stray.seq}`, reason: `belongs to unknown chain ${stray.chain}` });
    badSeqs.push(stray.seq);
  }

  const chain = verifyChainWith(checks.hashOf, exp.entries);
  const chainHoldsTo = chain.ok
    ? (exp.entries.at(-1)?.seq ?? 0)
    : (exp.entries[chain.position - 1]?.seq ?? 0);
  if (!chain.ok) {
    failures.push({
      entry: `entry seq ${chain.firstBadSeq} (row ${chain.position + 1})`,
      reason: chain.reason,
    });
    badSeqs.push(chain.firstBadSeq);
  }
  const cpChain = verifyChainWith(checks.hashOf, exp.checkpoints);
  if (!cpChain.ok)
    failures.push({
      entry: `checkpoint seq ${cpChain.firstBadSeq} (checkpoint row ${cpChain.position + 1})`,
      reason: cpChain.reason,
    });

  const bySeq = new Map(exp.entries.map((e) => [e.seq, e]));
  const lastSeq = exp.entries.at(-1)?.seq ?? 0;
  let attestedTo = 0;
  const signedHeads: number[] = [];
  for (const cp of exp.checkpoints) {
    const p = cp.payload;
    const name = `checkpoint seq ${cp.seq}`;
    if (!checks.signatureHolds(p)) {
      failures.push({
        entry: name,
        reason: 'signature does not verify with the public key (forged or altered checkpoint)',
      });
      continue;
    }
    if (p.checkpointOf !== ENTRY_CHAIN) continue;
    const attested = bySeq.get(p.headSeq);
    if (!attested) {
      failures.push({
        entry: `entry seq ${p.headSeq}`,
        reason: `missing, but ${name} (signed ${p.signedAt}) attests the chain up to it (entries removed from the end?)`,
      });
      badSeqs.push(p.headSeq);
    } else if (attested.hash !== p.headHash) {
      failures.push({
        entry: `entry seq ${p.headSeq}`,
        reason: `its hash differs from the one signed in ${name}: an entry in seq ${attestedTo + 1}–${p.headSeq} was rewritten`,
      });
      badSeqs.push(attestedTo + 1);
    } else {
      attestedTo = Math.max(attestedTo, p.headSeq);
      signedHeads.push(p.headSeq);
    }
  }
  const anchored = exp.anchored[0];
  if (anchored) {
    const name = `checkpoint seq ${anchored.seq} anchored in the archive (signed ${anchored.payload.signedAt})`;
    const signedEntry = bySeq.get(anchored.payload.headSeq);
    if (!checks.signatureHolds(anchored.payload))
      failures.push({ entry: name, reason: 'signature does not verify with the public key (forged)' });
    else if (!signedEntry || signedEntry.hash !== anchored.payload.headHash) {
      failures.push({
        entry: `entry seq ${anchored.payload.headSeq}`,
        reason: `${signedEntry ? 'differs from' : 'missing, but signed in'} ${name}: the log was cut off or rebuilt`,
      });
      badSeqs.push(anchored.payload.headSeq);
    } else if (!exp.checkpoints.some((c) => c.seq === anchored.seq && c.hash === anchored.hash))
      failures.push({
        entry: name,
        reason: 'is not among the checkpoints in the export (checkpoint rows deleted or the chain rebuilt)',
      });
  }
  const firstBadSeq = badSeqs.length ? Math.min(...badSeqs) : undefined;
  const reach = Math.min(chainHoldsTo, (firstBadSeq ?? Number.POSITIVE_INFINITY) - 1);
  const verdict = (result: VerifyResult): ExportVerdict => ({
    result,
    chainHoldsTo,
    attestedTo,
    signedTo: Math.max(0, ...signedHeads.filter((h) => h <= reach)),
    ...(firstBadSeq === undefined ? {} : { firstBadSeq }),
  });
  if (failures.length > 0) return verdict({ ok: false, failures });
  if (attestedTo === 0 && !options.acceptUnsigned)
    return verdict({
      ok: false,
      failures: [
        {
          entry: 'the export',
          reason: `${UNSIGNED}: no signed checkpoint covers any of its ${exp.entries.length} entries`,
        },
      ],
    });
  return verdict({
    ok: true,
    entries: exp.entries.length,
    checkpoints: exp.checkpoints.length,
    attestedTo,
    unattested: lastSeq - attestedTo,
  });
};
