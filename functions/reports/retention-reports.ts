/**
 * Retention reports (policy s.7), read by IG and Corporate Customer Services:
 * - deletions between two days, from the deletion certificates (indexed by month, never a scan);
 * - what is overdue: archived, not held, past its delete-after date and still not deleted (a sweep that
 *   failed or fell behind), first, as it needs action now;
 * - what falls due for deletion in the next 30 days (catalogue deletion-day index), and what is held
 *   past its 24-month point, with the holds and IG guidance references that keep it.
 */
import * as z from 'zod';
import { addDays, dayOf } from '../domain/days.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import type { DeletionReport, HoldsStore, RecordingsPort } from '../domain/holds.js';
import { RETENTION_REPORT_READERS } from '../domain/retention.js';
import { hasAnyRole, type Principal } from '../domain/roles.js';
import { type AnyRoute, route } from '../http/router.js';

const MAX_RANGE_DAYS = 366;
const DUE_WINDOW_DAYS = 30;

interface DueRow {
  recordingId: string;
  serviceArea: string;
  deleteAfter: string;
  held: boolean;
}

/** Archived recordings of one deletion day whose delete-after is at or before `until`. */
const dueOn = async (
  store: RetentionReportDeps['recordings'],
  day: string,
  until: string,
): Promise<DueRow[]> => {
  const rows: DueRow[] = [];
  let next: string | undefined;
  do {
    const page = await store.dueOnDay(day, until, 500, next);
    for (const r of page.items)
      if (r.status === 'ARCHIVED')
        rows.push({
          recordingId: r.recordingId,
          serviceArea: r.serviceArea,
          deleteAfter: r.deleteAfter,
          held: r.holdCount > 0,
        });
    next = page.next;
  } while (next);
  return rows;
};

/**
 * Overdue recordings: not held, past delete-after, still archived. Read from the sweep's
 * awaitingDeletion index up to today, so it costs what is due (and held), however long the sweep has
 * been failing or behind.
 */
const overdueRecordings = async (deps: RetentionReportDeps, now: Date): Promise<DueRow[]> => {
  const nowIso = now.toISOString();
  const found: DueRow[] = [];
  let next: string | undefined;
  do {
    const page = await deps.recordings.awaitingDeletion('ARCHIVED', dayOf(now), 500, next);
    for (const r of page.items)
      if (r.holdCount === 0 && r.deleteAfter <= nowIso)
        found.push({
          recordingId: r.recordingId,
          serviceArea: r.serviceArea,
          deleteAfter: r.deleteAfter,
          held: false,
        });
    next = page.next;
  } while (next);
  return found.sort((a, b) => a.deleteAfter.localeCompare(b.deleteAfter));
};

export interface RetentionReportDeps {
  readonly holds: Pick<HoldsStore, 'listActiveHolds' | 'linksOfActiveHold'>;
  readonly recordings: Pick<RecordingsPort, 'dueOnDay' | 'awaitingDeletion'>;
  readonly deletions: DeletionReport;
  readonly now: () => Date;
}

const requireReader = (principal: Principal): void => {
  if (!hasAnyRole(principal, RETENTION_REPORT_READERS)) {
    throw new ForbiddenError(
      's7.retention-reports',
      'retention reports are for Information Governance (ig-officer) and Corporate Customer Services (release-log-keeper)',
    );
  }
};

export const deletionsReport = async (
  deps: RetentionReportDeps,
  principal: Principal,
  from: string,
  to: string,
) => {
  requireReader(principal);
  if (from > to) throw new ValidationError('query.to', 'a day on or after from');
  if (addDays(from, MAX_RANGE_DAYS) < to)
    throw new ValidationError('query.to', `at most ${MAX_RANGE_DAYS} days after from`);
  const deletions = await deps.deletions.deletionsBetween(from, to);
  const byRule: Record<string, number> = {};
  for (const d of deletions) byRule[d.certificate.rule] = (byRule[d.certificate.rule] ?? 0) + 1;
  return { from, to, total: deletions.length, byRule, deletions };
};

/** Recordings kept past their 24-month point by an active hold, with the holds that keep each. */
const heldPastDeletion = async (deps: RetentionReportDeps, now: Date) => {
  const holds = await deps.holds.listActiveHolds();
  // Each hold's links are read side by side; the map below is filled in hold order, as before.
  const linksOf = await Promise.all(holds.map((hold) => deps.holds.linksOfActiveHold(hold.holdId)));
  const held = new Map<
    string,
    {
      recordingId: string;
      deleteAfter: string;
      holds: { holdId: string; caseRef: string; retainUntil?: string; igGuidanceRef?: string }[];
    }
  >();
  holds.forEach((hold, i) => {
    for (const link of linksOf[i] ?? []) {
      if (!link.deleteAfter || new Date(link.deleteAfter) > now) continue;
      const entry = held.get(link.recordingId) ?? {
        recordingId: link.recordingId,
        deleteAfter: link.deleteAfter,
        holds: [],
      };
      entry.holds.push({
        holdId: hold.holdId,
        caseRef: hold.caseRef,
        ...(hold.retainUntil ? { retainUntil: hold.retainUntil } : {}),
        ...(hold.igGuidanceRef ? { igGuidanceRef: hold.igGuidanceRef } : {}),
      });
      held.set(link.recordingId, entry);
    }
  });
  return held;
};

export const retentionReport = async (deps: RetentionReportDeps, principal: Principal) => {
  requireReader(principal);
  const now = deps.now();
  const today = dayOf(now);
  const until = addDays(today, DUE_WINDOW_DAYS);
  const days: string[] = [];
  for (let day = today; day <= until; day = addDays(day, 1)) days.push(day);
  // Independent reads (overdue index, one deletion-day query per day, holds): side by side, not one
  // after another — 33 round trips in a row were most of this report's time, cold or warm.
  const [overdue, dueByDay, held] = await Promise.all([
    overdueRecordings(deps, now),
    Promise.all(days.map((day) => dueOn(deps.recordings, day, '9999-12-31T23:59:59.999Z'))),
    heldPastDeletion(deps, now),
  ]);
  const overdueIds = new Set(overdue.map((r) => r.recordingId));
  const dueSoon = dueByDay.flat().filter((r) => !overdueIds.has(r.recordingId));

  const heldPast24Months = [...held.values()].map((e) => ({
    ...e,
    guidanceRefs: e.holds.flatMap((h) => (h.igGuidanceRef ? [h.igGuidanceRef] : [])),
    withoutGuidance: e.holds.every((h) => !h.igGuidanceRef),
  }));
  return {
    generatedAt: now.toISOString(),
    overdue: { total: overdue.length, recordings: overdue },
    dueForDeletion: { from: today, to: until, total: dueSoon.length, recordings: dueSoon },
    heldPast24Months: { total: heldPast24Months.length, recordings: heldPast24Months },
  };
};

const deletionsQuery = z.object({ from: z.iso.date(), to: z.iso.date() });

/** The retention routes; the reports handler spreads these into its route table. */
export const retentionRoutes = (deps: RetentionReportDeps): Record<string, AnyRoute> => ({
  'GET /reports/deletions': route({
    query: deletionsQuery,
    run: async ({ query, principal }) => ({
      status: 200,
      body: await deletionsReport(deps, principal, query.from, query.to),
    }),
  }),
  'GET /reports/retention': route({
    run: async ({ principal }) => ({ status: 200, body: await retentionReport(deps, principal) }),
  }),
});
