/**
 * The event a SIEM receives for each entry of the access audit log and of the Release of Recording Log
 * (docs/audit-event.schema.json describes it; README "Audit events to the SIEM").
 *
 * The event carries the entry's chain, sequence number, time, previous hash and own hash, so the SIEM
 * copy can be checked against the chain (`GET /audit/export`, `GET /release-log`): same (chain, seq) →
 * same hash. Deliveries are at least once: (chain, seq) is the event's identity, and a repeat carries the
 * same hash. Checkpoint chains are not published (they are anchored in the archive instead).
 *
 * Caller numbers are never stored in clear (a search keeps the last three digits), but free-text fields
 * (a note, a reason, a release's detail) are whatever staff typed: every string of the entry is scrubbed
 * of phone numbers and tokens as log lines are. A scrubbed entry names the fields in `redacted`; its hash
 * still identifies the stored entry, but recomputing it from the event needs the entry from the export.
 */
import { isAuditChain } from './audit.js';
import type { ChainLink } from './hash-chain.js';
import { ENTRY_CHAIN } from './release-log-format.js';

export const EVENT_SOURCE = 'crs.audit';
export const EVENT_SCHEMA = 'crs-audit-event/1';

export const DETAIL_TYPES = {
  accessAudit: 'AccessAuditEntry',
  releaseLog: 'ReleaseLogEntry',
} as const;

export type LogKind = keyof typeof DETAIL_TYPES;

export interface AuditEventDetail {
  readonly schema: typeof EVENT_SCHEMA;
  readonly log: 'access-audit' | 'release-of-recording';
  readonly chain: string;
  readonly seq: number;
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly entry: Readonly<Record<string, unknown>>;
  /** Entry fields that were scrubbed (their stored text differs); absent when none was. */
  readonly redacted?: readonly string[];
}

export interface AuditEvent {
  readonly detailType: (typeof DETAIL_TYPES)[LogKind];
  readonly time: string;
  readonly detail: AuditEventDetail;
}

/** Which log a link belongs to, or undefined for links that are not published (checkpoints). */
export const logKindOf = (table: 'auditLog' | 'releaseLog', chain: string): LogKind | undefined => {
  if (table === 'auditLog') return isAuditChain(chain) ? 'accessAudit' : undefined;
  return chain === ENTRY_CHAIN ? 'releaseLog' : undefined;
};

export const auditEventOf = (
  kind: LogKind,
  link: ChainLink<Readonly<Record<string, unknown>>>,
  scrub: (text: string) => string,
): AuditEvent => {
  const redacted: string[] = [];
  // Every string at any depth (free text, search filters): the entry's shape is the log's, not ours.
  const clean = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      const scrubbed = scrub(value);
      if (scrubbed !== value) redacted.push(path);
      return scrubbed;
    }
    if (Array.isArray(value)) return value.map((v, i) => clean(v, `${path}.${i}`));
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, `${path}.${k}`)]));
    return value;
  };
  const entry = clean(link.payload, 'entry') as Record<string, unknown>;
  return {
    detailType: DETAIL_TYPES[kind],
    time: link.at,
    detail: {
      schema: EVENT_SCHEMA,
      log: kind === 'accessAudit' ? 'access-audit' : 'release-of-recording',
      chain: link.chain,
      seq: link.seq,
      at: link.at,
      prevHash: link.prevHash,
      hash: link.hash,
      entry,
      ...(redacted.length ? { redacted } : {}),
    },
  };
};
