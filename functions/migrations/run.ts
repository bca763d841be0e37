/** Runs each index backfill in turn and logs what it updated; the first failure stops the run. */
import { log } from '../platform/log.js';
import type { Backfill } from './deps.js';

export const runBackfills = async (backfills: readonly Backfill[]): Promise<Record<string, number>> => {
  const updated: Record<string, number> = {};
  for (const backfill of backfills) {
    const count = await backfill.run();
    updated[backfill.name] = count;
    log.info('index backfill done', { backfill: backfill.name, table: backfill.table, updated: count });
  }
  return updated;
};
