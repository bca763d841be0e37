/**
 * The 24-month deletion sweep (policy s.7: "deleted after 24 months unless retained").
 *
 * Reads the catalogue's awaitingDeletion index (never a scan, never a walk over days): it holds only
 * recordings with a deleteDay, so a run costs what it changes, however long since the last run.
 *   0. DELETED recordings still in the index are deletions a run stopped between 2 and 4: finish 3 and 4;
 *   1. ARCHIVED ones due by today: skip anything held (holdCount > 0) or not yet past delete-after;
 *   2. catalogue ARCHIVED → DELETED with a certificate, guarded by holdCount = 0 and delete-after ≤ now in
 *      the same conditional write (a hold placed meanwhile wins), plus a deletion record for the report;
 *   3. delete the object version (no governance bypass: the 12-month lock expired a year ago);
 *   4. drop the recording from the index (REMOVE deleteDay).
 * Work per run is bounded (recordings); the cursor makes the next run go on where this one stopped, and
 * a run that finds nothing left after the cursor starts again from the top next time (held recordings
 * past due are read by every full pass: they stay in the index until deleted).
 */

import { dayOf } from '../domain/days.js';
import {
  deletionCertificate,
  type ObjectLockPort,
  type RecordingFacts,
  type RecordingsPort,
  type SweepCursor,
  type SweepCursorStore,
  sweeperMayDelete,
} from '../domain/holds.js';
import { log } from '../platform/log.js';

export interface DeletionSweepDeps {
  readonly recordings: Pick<RecordingsPort, 'awaitingDeletion' | 'markDeleted' | 'clearDeleteDay'>;
  readonly cursor: Pick<SweepCursorStore, 'getCursor' | 'putCursor'>;
  readonly objects: ObjectLockPort;
  readonly now: () => Date;
}

export interface DeletionSweepOptions {
  /** Most recordings examined in one run. */
  readonly maxRecordings?: number;
  /** Only recordings due on or after this day (operator re-sweep of a range); default: all. */
  readonly fromDay?: string;
}

export interface DeletionSweepSummary {
  readonly fromDay?: string;
  readonly cursor: SweepCursor;
  readonly examined: number;
  readonly deleted: number;
  readonly skippedHeld: number;
  readonly skippedNotDue: number;
  readonly lostRace: number;
  readonly resumed: number;
  readonly errors: number;
  /** Index pages read: what the run cost in queries. */
  readonly queries: number;
  /** true when the sweep read everything due with budget left and finished it: nothing due remains. */
  readonly caughtUp: boolean;
}

const PAGE_SIZE = 100;

export const sweepDeletions = async (
  deps: DeletionSweepDeps,
  options: DeletionSweepOptions = {},
): Promise<DeletionSweepSummary> => {
  const maxRecordings = options.maxRecordings ?? 2000;
  const now = deps.now();
  const today = dayOf(now);
  const { fromDay } = options;
  const saved = fromDay ? undefined : await deps.cursor.getCursor();

  let budget = maxRecordings;
  const counts = {
    examined: 0,
    deleted: 0,
    skippedHeld: 0,
    skippedNotDue: 0,
    lostRace: 0,
    resumed: 0,
    errors: 0,
    queries: 0,
  };

  const finishObject = async (
    recordingId: string,
    key: string | undefined,
    versionId: string | undefined,
  ) => {
    if (key) await deps.objects.deleteVersion(key, versionId);
    await deps.recordings.clearDeleteDay(recordingId);
  };

  const attempt = async (rec: RecordingFacts, work: () => Promise<void>) => {
    budget -= 1;
    counts.examined += 1;
    try {
      await work();
    } catch (error) {
      counts.errors += 1;
      log.error('deletion sweep: recording not finished, the next run retries it', {
        recordingId: rec.recordingId,
        deleteDay: rec.deleteDay,
        error,
      });
    }
  };

  /** Reads `status` pages from `token` while budget lasts; the token where it stopped, if any. */
  const sweep = async (
    status: 'ARCHIVED' | 'DELETED',
    token: string | undefined,
    each: (rec: RecordingFacts) => Promise<void>,
  ): Promise<string | undefined> => {
    let next = token;
    while (budget > 0) {
      counts.queries += 1;
      const page = await deps.recordings.awaitingDeletion(
        status,
        today,
        Math.min(budget, PAGE_SIZE),
        next,
        fromDay,
      );
      for (const rec of page.items) await attempt(rec, () => each(rec));
      next = page.next;
      if (!next) return undefined;
    }
    return next;
  };

  // 0. Deletions an earlier run left half done.
  const unfinished = await sweep('DELETED', undefined, async (rec) => {
    await finishObject(rec.recordingId, rec.deletion?.archiveKey ?? rec.archiveKey, rec.archiveVersionId);
    counts.resumed += 1;
  });
  // 1–4. What is due, from where the last run stopped.
  const left = await sweep('ARCHIVED', unfinished ? undefined : saved?.next, async (rec) => {
    if (rec.holdCount > 0) counts.skippedHeld += 1;
    else if (!sweeperMayDelete(rec, now)) counts.skippedNotDue += 1;
    else if (
      await deps.recordings.markDeleted(rec, deletionCertificate(rec, now, 'sweeper'), 'deleteAfter')
    ) {
      await finishObject(rec.recordingId, rec.archiveKey, rec.archiveVersionId);
      counts.deleted += 1;
    } else counts.lostRace += 1;
  });
  // Budget spent on unfinished deletions: the due ones keep their place for the next run.
  const resumeAt = unfinished ? saved?.next : left;

  const cursor: SweepCursor = resumeAt ? { day: today, next: resumeAt } : { day: today };
  await deps.cursor.putCursor(cursor);
  const summary: DeletionSweepSummary = {
    ...(fromDay ? { fromDay } : {}),
    cursor,
    ...counts,
    caughtUp: !unfinished && !left && counts.errors === 0,
  };
  log.info('deletion sweep finished', { job: 'deletion', ...summary });
  return summary;
};
