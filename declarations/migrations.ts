/**
 * What the deploy-time index backfills (functions/adapters/index-backfills.ts) write, shared with the
 * grants of the migrations function (infra/constructs/functions.ts) so that each UpdateItem may set
 * these attributes and no others.
 */
import type { TableId } from './tables.js';

/** Per table: its key attributes and the index keys its backfill sets. */
export const INDEX_BACKFILL_ATTRIBUTES = {
  auditLog: ['chain', 'seq', 'gsi3pk', 'gsi3sk'],
  registers: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
} as const satisfies Partial<Record<TableId, readonly string[]>>;

/** The partition key of the service-area list backfill's done marker (registers table). */
export const SERVICE_AREA_LIST_MARKER = 'MIGRATION#service-area-list';
