/**
 * The Release of Recording Log as exported (JSON or CSV) and its offline verification.
 * Pure apart from node:crypto, so the API (export), the CLI (`crs verify-log`) and the tests share it.
 *
 * Two hash chains live in the releaseLog table: `releases` (one link per event) and `checkpoints`
 * (one link per signed head of `releases`). A checkpoint's signature is an ECDSA P-256 / SHA-256 DER
 * signature, made by KMS, over `checkpointMessage(...)`; the verifier needs only the public key.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { type ChainLink, canonicalJson, verifyChain } from '../domain/hash-chain.js';
import { RELEASE_LOG_FIELDS, type ReleaseLogPayload } from '../domain/release.js';

export const ENTRY_CHAIN = 'releases';
export const CHECKPOINT_CHAIN = 'checkpoints';
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256';

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

/** The bytes KMS signs for a checkpoint. */
export const checkpointMessage = (
  p: Pick<CheckpointPayload, 'checkpointOf' | 'headSeq' | 'headHash' | 'signedAt'>,
) =>
  Buffer.from(
    canonicalJson({
      checkpointOf: p.checkpointOf,
      headSeq: p.headSeq,
      headHash: p.headHash,
      signedAt: p.signedAt,
    }),
    'utf8',
  );

/** The CSV `chain` of a row holding the newest checkpoint anchored in the archive (not a table row). */
export const ANCHORED_ROW = 'anchored';

export interface LogExport {
  readonly format: 'crs-release-log/1';
  readonly entries: EntryLink[];
  readonly checkpoints: CheckpointLink[];
  /** The newest checkpoint anchored in the archive bucket when the export was read (none: empty). */
  readonly anchored: CheckpointLink[];
}

// ---------------------------------------------------------------------------------------------------
// CSV

const CHECKPOINT_FIELDS = [
  'checkpointOf',
  'headSeq',
  'headHash',
  'signedAt',
  'keyId',
  'algorithm',
  'signature',
] as const;

export const CSV_COLUMNS = [
  'chain',
  'seq',
  'at',
  ...RELEASE_LOG_FIELDS,
  ...CHECKPOINT_FIELDS,
  'prevHash',
  'hash',
] as const;

const csvCell = (value: unknown): string => {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const rowOf = (link: ChainLink<object>): string => {
  const payload = link.payload as Record<string, unknown>;
  const cells = CSV_COLUMNS.map((column) => {
    if (
      column === 'chain' ||
      column === 'seq' ||
      column === 'at' ||
      column === 'prevHash' ||
      column === 'hash'
    )
      return csvCell(link[column]);
    return csvCell(payload[column]);
  });
  return cells.join(',');
};

/** Entries (in chain order), checkpoints, then the anchored checkpoint (chain `anchored`); one header row. */
export const toCsv = (
  entries: readonly ChainLink<object>[],
  checkpoints: readonly ChainLink<object>[] = [],
  anchored: readonly ChainLink<object>[] = [],
) =>
  `${[
    CSV_COLUMNS.join(','),
    ...entries.map(rowOf),
    ...checkpoints.map(rowOf),
    ...anchored.map((a) => rowOf({ ...a, chain: ANCHORED_ROW })),
  ].join('\r\n')}\r\n`;

/** RFC 4180: quoted cells may hold commas, quotes ("") and line breaks. */
export const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
};

export class ExportFormatError extends Error {}

export const fromCsv = (text: string): LogExport => {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new ExportFormatError('the CSV export is empty');
  const index = new Map(header.map((name, i) => [name, i]));
  for (const column of CSV_COLUMNS)
    if (!index.has(column)) throw new ExportFormatError(`the CSV export has no column ${column}`);
  const entries: EntryLink[] = [];
  const checkpoints: CheckpointLink[] = [];
  const anchored: CheckpointLink[] = [];
  for (const [n, row] of rows.entries()) {
    const get = (column: string): string => row[index.get(column) ?? -1] ?? '';
    const base = {
      chain: get('chain'),
      seq: Number(get('seq')),
      at: get('at'),
      prevHash: get('prevHash'),
      hash: get('hash'),
    };
    if (!Number.isInteger(base.seq)) throw new ExportFormatError(`row ${n + 2}: seq is not a whole number`);
    if (base.chain === CHECKPOINT_CHAIN || base.chain === ANCHORED_ROW) {
      const payload = Object.fromEntries(CHECKPOINT_FIELDS.map((f) => [f, get(f)])) as Record<string, string>;
      (base.chain === ANCHORED_ROW ? anchored : checkpoints).push({
        ...base,
        chain: CHECKPOINT_CHAIN,
        payload: { ...payload, headSeq: Number(payload.headSeq) } as unknown as CheckpointPayload,
      });
    } else {
      const payload = Object.fromEntries(RELEASE_LOG_FIELDS.map((f) => [f, get(f)]));
      entries.push({ ...base, payload: payload as unknown as ReleaseLogPayload });
    }
  }
  return { format: 'crs-release-log/1', entries, checkpoints, anchored };
};

export const parseExport = (text: string): LogExport => {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as Partial<LogExport>;
    if (!Array.isArray(parsed.entries) || !Array.isArray(parsed.checkpoints))
      throw new ExportFormatError(
        'the JSON export needs `entries` and `checkpoints` arrays (GET /release-log)',
      );
    return {
      format: 'crs-release-log/1',
      entries: parsed.entries,
      checkpoints: parsed.checkpoints,
      anchored: Array.isArray(parsed.anchored) ? parsed.anchored : [],
    };
  }
  return fromCsv(text);
};

// ---------------------------------------------------------------------------------------------------
// Verification

/** Accepts a PEM, base64 SPKI DER, or the JSON document of GET /release-log/public-key. */
export const parsePublicKey = (text: string): KeyObject => {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const doc = JSON.parse(trimmed) as { publicKeyPem?: string; publicKey?: string };
    const inner = doc.publicKeyPem ?? doc.publicKey;
    if (!inner) throw new ExportFormatError('the public key document has no publicKeyPem');
    return parsePublicKey(inner);
  }
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
  return createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
};

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

const signatureHolds = (p: CheckpointPayload, publicKey: KeyObject): boolean => {
  try {
    return verify('sha256', checkpointMessage(p), publicKey, Buffer.from(p.signature, 'base64'));
  } catch {
    return false;
  }
};

/**
 * Every link, every checkpoint signature, each signed head against the entry the export holds at that
 * seq, and the newest checkpoint anchored in the archive: it must verify, be among the export's
 * checkpoints (else checkpoint rows were deleted or the chain rebuilt) and sign an entry the export holds
 * (else entries were cut off the end). An export that nothing signs fails as `unsigned` unless
 * `acceptUnsigned`.
 */
export const verifyExport = (
  exp: LogExport,
  publicKey: KeyObject,
  options: { acceptUnsigned?: boolean } = {},
): VerifyResult => {
  const failures: Failure[] = [];
  const strays = exp.entries.filter((e) => e.chain !== ENTRY_CHAIN);
  for (const stray of strays)
    failures.push({ entry: `entry seq ${stray.seq}`, reason: `belongs to unknown chain ${stray.chain}` });

  const chain = verifyChain(exp.entries);
  if (!chain.ok)
    failures.push({
      entry: `entry seq ${chain.firstBadSeq} (row ${chain.position + 1})`,
      reason: chain.reason,
    });
  const cpChain = verifyChain(exp.checkpoints);
  if (!cpChain.ok)
    failures.push({
      entry: `checkpoint seq ${cpChain.firstBadSeq} (checkpoint row ${cpChain.position + 1})`,
      reason: cpChain.reason,
    });

  const bySeq = new Map(exp.entries.map((e) => [e.seq, e]));
  const lastSeq = exp.entries.at(-1)?.seq ?? 0;
  let attestedTo = 0;
  for (const cp of exp.checkpoints) {
    const p = cp.payload;
    const name = `checkpoint seq ${cp.seq}`;
    if (!signatureHolds(p, publicKey)) {
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
    } else if (attested.hash !== p.headHash) {
      failures.push({
        entry: `entry seq ${p.headSeq}`,
        reason: `its hash differs from the one signed in ${name}: an entry in seq ${attestedTo + 1}–${p.headSeq} was rewritten`,
      });
    } else attestedTo = Math.max(attestedTo, p.headSeq);
  }
  const anchored = exp.anchored[0];
  if (anchored) {
    const name = `checkpoint seq ${anchored.seq} anchored in the archive (signed ${anchored.payload.signedAt})`;
    const signedEntry = bySeq.get(anchored.payload.headSeq);
    if (!signatureHolds(anchored.payload, publicKey))
      failures.push({ entry: name, reason: 'signature does not verify with the public key (forged)' });
    else if (!signedEntry || signedEntry.hash !== anchored.payload.headHash)
      failures.push({
        entry: `entry seq ${anchored.payload.headSeq}`,
        reason: `${signedEntry ? 'differs from' : 'missing, but signed in'} ${name}: the log was cut off or rebuilt`,
      });
    else if (!exp.checkpoints.some((c) => c.seq === anchored.seq && c.hash === anchored.hash))
      failures.push({
        entry: name,
        reason: 'is not among the checkpoints in the export (checkpoint rows deleted or the chain rebuilt)',
      });
  }
  if (failures.length > 0) return { ok: false, failures };
  if (attestedTo === 0 && !options.acceptUnsigned)
    return {
      ok: false,
      failures: [
        {
          entry: 'the export',
          reason: `${UNSIGNED}: no signed checkpoint covers any of its ${exp.entries.length} entries`,
        },
      ],
    };
  return {
    ok: true,
    entries: exp.entries.length,
    checkpoints: exp.checkpoints.length,
    attestedTo,
    unattested: lastSeq - attestedTo,
  };
};
