/** The index backfills wired to the deployed tables (names from the environment, read at cold start). */
import { backfillAuditMonths, backfillServiceAreaList } from '../adapters/index-backfills.js';
import { tableName } from '../platform/env.js';

export interface Backfill {
  readonly name: string;
  readonly table: string;
  /** Idempotent; how many items it updated (0 once done). */
  readonly run: () => Promise<number>;
}

export const awsBackfills = (): readonly Backfill[] => {
  const auditLog = tableName('auditLog');
  const registers = tableName('registers');
  return [
    { name: 'audit-months', table: auditLog, run: () => backfillAuditMonths(auditLog) },
    { name: 'service-area-list', table: registers, run: () => backfillServiceAreaList(registers) },
  ];
};
