/**
 * The 24-month deletion sweep (policy s.7: "deleted after 24 months unless retained").
 *
 * Steps, from the cursor's day up to today, through the catalogue's deletion-day index (never a scan):
 *   1. skip anything held (holdCount > 0) or not archived;
 *   2. catalogue ARCHIVED → DELETED with a certificate, guarded by holdCount = 0 and delete-after ≤ now in
 *      the same conditional write (a hold placed meanwhile wins), plus a deletion record for the report;
 *   3. delete the object version (no governance bypass: the 12-month lock expired a year ago);
 *   4. drop the recording from the index. A run interrupted between 2 and 4 finds it DELETED there and
 *      finishes 3 and 4.
 * Work per run is bounded (recordings and days); the cursor makes the next run resume where this stopped.
 */
import { log } from '../adapters/log.js';
import {
  addDays,
  dayOf,
  deletionCertificate,
  type HoldsStore,
  type ObjectLockPort,
  type Page,
  type RecordingFacts,
  type SweepCursor,
  sweeperMayDelete,
} from '../domain/holds.js';

export interface DeletionSweepDeps {
  readonly store: HoldsStore;
  readonly objects: ObjectLockPort;
  readonly now: () => Date;
}

export interface DeletionSweepOptions {
  /** Most recordings examined in one run. */
  readonly maxRecordings?: number;
  /** Most deletion days walked in one run. */
  readonly maxDays?: number;
  /** Where to start when there is no cursor yet (the earliest day a recording can fall due). */
  readonly startDay?: string;
  /** Start here instead of the cursor (operator re-sweep, e.g. after a migration of old recordings). */
  readonly fromDay?: string;
}

export interface DeletionSweepSummary {
  readonly fromDay: string;
  readonly cursor: SweepCursor;
  readonly examined: number;
  readonly deleted: number;
  readonly skippedHeld: number;
  readonly skippedNotDue: number;
  readonly lostRace: number;
  readonly resumed: number;
  readonly errors: number;
  /** true when the sweep reached today with budget left: nothing due remains. */
  readonly caughtUp: boolean;
}

export const DEFAULT_START_DAY = '2020-01-01';
const PAGE_SIZE = 100;
const PREFETCH_DAYS = 16;

export const sweepDeletions = async (
  deps: DeletionSweepDeps,
  options: DeletionSweepOptions = {},
): Promise<DeletionSweepSummary> => {
  const maxRecordings = options.maxRecordings ?? 2000;
  const maxDays = options.maxDays ?? 1000;
  const now = deps.now();
  const nowIso = now.toISOString();
  const today = dayOf(now);
  const start: SweepCursor = options.fromDay
    ? { day: options.fromDay }
    : ((await deps.store.getCursor()) ?? { day: options.startDay ?? DEFAULT_START_DAY });

  let day = start.day;
  let next = start.next;
  let budget = maxRecordings;
  let daysLeft = maxDays;
  let stuckDay: string | undefined;
  let caughtUp = false;
  const counts = {
    examined: 0,
    deleted: 0,
    skippedHeld: 0,
    skippedNotDue: 0,
    lostRace: 0,
    resumed: 0,
    errors: 0,
  };

  const finishObject = async (
    recordingId: string,
    key: string | undefined,
    versionId: string | undefined,
  ) => {
    if (key) await deps.objects.deleteVersion(key, versionId);
    await deps.store.clearDeleteDay(recordingId);
  };

  // Empty days cost one query each: read the first page of the next few days at once.
  const prefetched = new Map<string, Promise<Page<RecordingFacts>>>();
  const firstPage = (d: string, limit: number) => {
    for (let i = 0, ahead = d; i < PREFETCH_DAYS && ahead <= today; i += 1, ahead = addDays(ahead, 1)) {
      if (!prefetched.has(ahead)) prefetched.set(ahead, deps.store.dueOnDay(ahead, nowIso, limit));
    }
    const page = prefetched.get(d) as Promise<Page<RecordingFacts>>;
    prefetched.delete(d);
    return page;
  };

  while (budget > 0 && daysLeft > 0) {
    if (day > today) {
      day = today;
      next = undefined;
      caughtUp = true;
      break;
    }
    const limit = Math.min(budget, PAGE_SIZE);
    const page = next ? await deps.store.dueOnDay(day, nowIso, limit, next) : await firstPage(day, limit);
    // A prefetched page read with a larger budget than is left: leave the day to the next run.
    if (page.items.length > budget) break;
    for (const rec of page.items) {
      budget -= 1;
      counts.examined += 1;
      try {
        if (rec.status === 'DELETED') {
          await finishObject(
            rec.recordingId,
            rec.deletion?.archiveKey ?? rec.archiveKey,
            rec.archiveVersionId,
          );
          counts.resumed += 1;
        } else if (rec.holdCount > 0) {
          counts.skippedHeld += 1;
        } else if (!sweeperMayDelete(rec, now)) {
          counts.skippedNotDue += 1;
        } else if (await deps.store.markDeleted(rec, deletionCertificate(rec, now, 'sweeper'), nowIso)) {
          await finishObject(rec.recordingId, rec.archiveKey, rec.archiveVersionId);
          counts.deleted += 1;
        } else {
          counts.lostRace += 1;
        }
      } catch (error) {
        counts.errors += 1;
        stuckDay ??= day;
        log.error('deletion sweep: recording not finished, the next run retries it', {
          recordingId: rec.recordingId,
          day,
          error,
        });
      }
    }
    if (page.next) {
      next = page.next;
      continue;
    }
    next = undefined;
    if (day === today) {
      caughtUp = true;
      break;
    }
    day = addDays(day, 1);
    daysLeft -= 1;
  }
  // Settle prefetches this run did not need.
  await Promise.allSettled(prefetched.values());

  const cursor: SweepCursor = stuckDay ? { day: stuckDay } : next ? { day, next } : { day };
  await deps.store.putCursor(cursor);
  const summary: DeletionSweepSummary = {
    fromDay: start.day,
    cursor,
    ...counts,
    caughtUp: caughtUp && !stuckDay,
  };
  log.info('deletion sweep finished', { job: 'deletion', ...summary });
  return summary;
};
