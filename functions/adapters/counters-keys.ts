/**
 * Pre-aggregated counters and small indexed lists for the compliance report, kept current at write
 * time by the code that changes the facts (ingestion, releases, holds, registers). The report then reads
 * only by key — one Query per section, sized by the answer — and never scans.
 *
 * Items in the registers table (pk / sk):
 *   COUNT#<area>        D#<yyyy-mm-dd>                         one item per area and day; each metric an
 *                                                              attribute kept with an atomic ADD
 *   COUNTED#<event>#<id> -                                     idempotency marker (TTL `expiresAt`), written
 *                                                              in the same transaction as the ADD, so a
 *                                                              repeated event (S3 at-least-once) counts once
 *   UNNOTIFIED#<area>   <startedAt>#<recordingId>              calls with notification method `none` (s.5)
 *   OPENCOPY#<area>     <releaseId>                            release copies not yet deleted (s.6)
 *   HOLD#<area>         <holdId>                               active holds covering the area's recordings
 *   HELD#<area>         <deleteAfter>#<recordingId>#<holdId>   held recordings by 24-month point (s.7)
 *   EXTS#<area>         <number>                               the area's extensions as registered (s.4 d–e)
 *
 * The writes are in counters-write.ts (wired into the capabilities that change the facts), the reads in
 * counters-read.ts (the compliance report): a function's bundle holds, and its role is granted, only the side
 * it uses.
 */
import { tableName } from '../platform/env.js';

export const KEYS = {
  counterDay: (area: string, day: string) => ({ pk: `COUNT#${area}`, sk: `D#${day}` }),
  marker: (event: string, id: string) => ({ pk: `COUNTED#${event}#${id}`, sk: '-' }),
  unnotified: (area: string, startedAt: string, recordingId: string) => ({
    pk: `UNNOTIFIED#${area}`,
    sk: `${new Date(startedAt).toISOString()}#${recordingId}`,
  }),
  openCopy: (area: string, releaseId: string) => ({ pk: `OPENCOPY#${area}`, sk: releaseId }),
  hold: (area: string, holdId: string) => ({ pk: `HOLD#${area}`, sk: holdId }),
  held: (area: string, deleteAfter: string, recordingId: string, holdId: string) => ({
    pk: `HELD#${area}`,
    sk: `${new Date(deleteAfter).toISOString()}#${recordingId}#${holdId}`,
  }),
  extension: (area: string, number: string) => ({ pk: `EXTS#${area}`, sk: number }),
} as const;

export const table = () => tableName('registers');
