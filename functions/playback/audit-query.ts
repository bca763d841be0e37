/**
 * GET /audit: IG officers and the Release of Recording Log keeper read the audit log by recording, actor
 * and time. The read itself is audited (and a refused read too).
 */
import { auditQuery, queryAudit } from '../adapters/audit-log.js';
import { audit, authorise, type PlaybackContext } from './context.js';
import type { AuditQueryParams } from './schemas.js';

export const auditQueryUseCase = async (ctx: PlaybackContext, q: AuditQueryParams) => {
  const filters = Object.fromEntries(
    Object.entries({ recordingId: q.recordingId, actor: q.actor, from: q.from, to: q.to }).filter(
      ([, v]) => v !== undefined,
    ),
  ) as Record<string, string>;
  const rule = await authorise(ctx, 'audit-read', {}, { filters });
  const plan = auditQuery(ctx.config.auditTable, { ...q }, ctx.now());
  await audit(ctx, { action: 'audit-read', filters, outcome: 'allowed', rule });
  const page = await queryAudit(plan);
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
