/**
 * The Release of Recording Log as exported (JSON or CSV) and its offline verification.
 * Pure apart from node:crypto, so the API (export), the CLI (`crs verify-log`) and the tests share it.
 *
 * Two hash chains live in the releaseLog table: `releases` (one link per event) and `checkpoints`
 * (one link per signed head of `releases`). A checkpoint's signature is an ECDSA P-256 / SHA-256 DER
 * signature, made by KMS, over `checkpointMessage(...)`; the verifier needs only the public key.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { type ChainLink, linkHash } from './hash-chain.js';
import { RELEASE_LOG_FIELDS, type ReleaseLogPayload } from './release.js';
import {
  CHECKPOINT_CHAIN,
  type CheckpointLink,
  type CheckpointPayload,
  checkpointText,
  type EntryLink,
  ExportFormatError,
  judgeExport,
  type LogExport,
  parseJsonExport,
  type VerifyResult,
} from './release-log-verify.js';

export {
  CHECKPOINT_CHAIN,
  type CheckpointLink,
  type CheckpointPayload,
  ENTRY_CHAIN,
  type EntryLink,
  ExportFormatError,
  type Failure,
  type LogExport,
  SIGNING_ALGORITHM,
  UNSIGNED,
  type VerifyResult,
} from './release-log-verify.js';

/** The bytes KMS signs for a checkpoint. */
export const checkpointMessage = (
  p: Pick<CheckpointPayload, 'checkpointOf' | 'headSeq' | 'headHash' | 'signedAt'>,
) => Buffer.from(checkpointText(p), 'utf8');

/** The CSV `chain` of a row holding the newest checkpoint anchored in the archive (not a table row). */
export const ANCHORED_ROW = 'anchored';

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

export const parseExport = (text: string): LogExport => parseJsonExport(text) ?? fromCsv(text);

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

const signatureHolds = (p: CheckpointPayload, publicKey: KeyObject): boolean => {
  try {
    return verify('sha256', checkpointMessage(p), publicKey, Buffer.from(p.signature, 'base64'));
  } catch {
    return false;
  }
};

/**
 * Every link, every checkpoint signature, each signed head against the entry the export holds at that
 * seq, and the newest checkpoint anchored in the archive (release-log-verify.ts `judgeExport`, with node:crypto).
 * An export that nothing signs fails as `unsigned` unless `acceptUnsigned`.
 */
export const verifyExport = (
  exp: LogExport,
  publicKey: KeyObject,
  options: { acceptUnsigned?: boolean } = {},
): VerifyResult =>
  judgeExport(exp, { hashOf: linkHash, signatureHolds: (p) => signatureHolds(p, publicKey) }, options).result;
