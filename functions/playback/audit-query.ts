/**
 * GET /audit: IG officers and the Release of Recording Log keeper read the audit log by recording, actor
 * and time. The read itself is audited (and a refused read too).
 */
import { AUDIT_CHAINS, type AuditLink } from '../domain/audit.js';
import { ValidationError } from '../domain/errors.js';
import type { Principal } from '../domain/roles.js';
import { AUDIT_EXPORT_FORMAT, type AuditCheckpointLink } from './audit-export.js';
import { audit, authorise, type Correlated, requestContext } from './context.js';
import type { PlaybackDeps } from './ports.js';
import type { AuditExportParams, AuditQueryParams } from './schemas.js';

export const auditQueryUseCase = async (
  deps: PlaybackDeps,
  principal: Principal,
  input: Correlated & { query: AuditQueryParams },
) => {
  const ctx = requestContext(deps, principal, input);
  const q = input.query;
  const filters = Object.fromEntries(
    Object.entries({ recordingId: q.recordingId, actor: q.actor, from: q.from, to: q.to }).filter(
      ([, v]) => v !== undefined,
    ),
  ) as Record<string, string>;
  const rule = await authorise(ctx, 'audit-read', {}, { filters });
  const read = deps.audit.prepareQuery({ ...q }, deps.now());
  await audit(ctx, { action: 'audit-read', filters, outcome: 'allowed', rule });
  const page = await read();
  return {
    entries: page.entries.map((link) => ({
      seq: link.seq,
      at: link.at,
      ...link.payload,
      prevHash: link.prevHash,
      hash: link.hash,
    })),
    cursor: page.cursor,
  };
};

// ---------------------------------------------------------------------------------------------------
// GET /audit/export: the whole log, chain by chain, in pages; the last page carries the checkpoints.

interface ExportCursor {
  /** Index in AUDIT_CHAINS, the last seq returned there, and when the export began. */
  readonly c: number;
  readonly s: number;
  readonly t: string;
}

const CURSOR_EXPECTED = 'a cursor returned by the previous page of GET /audit/export';

const decodeExportCursor = (cursor: string): ExportCursor => {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as ExportCursor;
    const ok =
      Number.isSafeInteger(parsed.c) &&
      parsed.c >= 0 &&
      parsed.c < AUDIT_CHAINS.length &&
      Number.isSafeInteger(parsed.s) &&
      parsed.s >= 0 &&
      typeof parsed.t === 'string' &&
      !Number.isNaN(Date.parse(parsed.t));
    if (ok) return { c: parsed.c, s: parsed.s, t: new Date(parsed.t).toISOString() };
  } catch {
    // answered below
  }
  throw new ValidationError('query.cursor', CURSOR_EXPECTED);
};

const encodeExportCursor = (c: ExportCursor) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

/**
 * One page of the export. The checkpoints and the newest anchored checkpoint (read from the archive
 * bucket, not the table) travel with the last page, limited to those signed when the export began: each
 * signs heads that existed then, so every page read after holds them unless entries were cut.
 */
export const auditExportUseCase = async (
  deps: PlaybackDeps,
  principal: Principal,
  input: Correlated & { query: AuditExportParams },
) => {
  const ctx = requestContext(deps, principal, input);
  const q = input.query;
  const filters: Record<string, string> = { log: 'access-audit-log-export' };
  if (q.cursor) filters.cursor = q.cursor;
  const rule = await authorise(ctx, 'audit-read', {}, { filters });
  const at = q.cursor ? decodeExportCursor(q.cursor) : { c: 0, s: 0, t: deps.now().toISOString() };
  await audit(ctx, { action: 'audit-read', filters, outcome: 'allowed', rule });
  const entries: AuditLink[] = [];
  let { c, s } = at;
  while (c < AUDIT_CHAINS.length && entries.length < q.limit) {
    const links = await deps.audit.linksAfter(AUDIT_CHAINS[c] as string, s, q.limit - entries.length);
    entries.push(...links);
    if (entries.length < q.limit) {
      c += 1;
      s = 0;
    } else s = links.at(-1)?.seq ?? s;
  }
  if (c < AUDIT_CHAINS.length)
    return { format: AUDIT_EXPORT_FORMAT, entries, cursor: encodeExportCursor({ c, s, t: at.t }) };
  const signedBy = (cp: AuditCheckpointLink) => cp.payload.signedAt <= at.t;
  const [checkpoints, anchored] = await Promise.all([
    deps.audit.checkpoints(),
    deps.audit.newestAnchored(at.t),
  ]);
  return {
    format: AUDIT_EXPORT_FORMAT,
    asOf: at.t,
    entries,
    checkpoints: checkpoints.filter(signedBy),
    anchored: anchored ? [anchored] : [],
  };
};
