/**
 * Legal holds (policy s.7), placed, applied, lifted and reviewed by Information Governance.
 *
 * Placing: validate → (retain-until past the 24-month point needs an IG guidance reference) → store the
 * hold → small id lists are applied inline, anything else fans out through the queue:
 *   resolve pages (catalogue index query, 1,000 at a time) → apply pages (100 recordings each).
 * Applying one recording: link + holdCount+1 in one transaction (a retry finds the link and adds nothing),
 * then legal hold ON and tag `retention=hold`. Progress is added once per page id.
 * Lifting: hold → LIFTED (no more applies), then each link: unlink + holdCount-1 in one transaction; the
 * last hold off a recording turns the legal hold OFF and restores `retention=standard`.
 */
import { randomUUID } from 'node:crypto';
import type { ActiveHold, HeldRecording } from '../domain/compliance.js';
import { dayOf } from '../domain/days.js';
import { ConflictError, NotFoundError, PolicyRefusalError } from '../domain/errors.js';
import {
  chunk,
  earliestCallStart,
  FANOUT_PAGE,
  type FanoutMessage,
  type FanoutPort,
  failureReason,
  guidanceRequired,
  type Hold,
  type HoldFailure,
  type HoldProgress,
  type HoldScope,
  type HoldsStore,
  MAX_NAMED_FAILURES,
  type ObjectLockPort,
  type RecordingFacts,
  type RecordingsPort,
  type ReviewOutcome,
  requireIgOfficer,
  type SweepCursorStore,
} from '../domain/holds.js';
import type { Principal } from '../domain/roles.js';

/**
 * The compliance report's lists of active holds and held recordings (functions/adapters/counters-write.ts;
 * the report reads them with counters-read.ts).
 * Each call writes the current state (a put or a delete), so repeating it changes nothing.
 */
export interface HoldCounters {
  trackHold(serviceArea: string, hold: ActiveHold): Promise<void>;
  untrackHold(serviceArea: string, holdId: string): Promise<void>;
  trackHeldRecording(serviceArea: string, held: HeldRecording): Promise<void>;
  untrackHeldRecording(
    serviceArea: string,
    held: Pick<HeldRecording, 'recordingId' | 'holdId' | 'deleteAfter'>,
  ): Promise<void>;
}

export interface HoldDeps {
  /** Holds and their links. */
  readonly store: HoldsStore;
  /** The catalogue: what a hold covers, and its state. */
  readonly recordings: Pick<RecordingsPort, 'getRecording' | 'getRecordings' | 'queryScopePage'>;
  /** Lifting a hold may make an old recording due: the sweeper's cursor goes back to its day. */
  readonly cursor: Pick<SweepCursorStore, 'rewindCursor'>;
  readonly counters: HoldCounters;
  readonly objects: ObjectLockPort;
  readonly fanout: FanoutPort;
  readonly now: () => Date;
  readonly newId?: () => string;
}

/** Id lists up to this size are applied within the request; larger scopes go through the queue. */
export const INLINE_LIMIT = 25;
const APPLY_CONCURRENCY = 8;

/** A hold by id names recordings the catalogue holds and has not deleted; else nothing would be held. */
export const KNOWN_RECORDINGS_RULE = 's7.hold-names-known-recordings';
/** How many offending ids a refusal lists (the whole list could be 1,000 long). */
const LISTED_IDS = 20;

const listIds = (ids: readonly string[]): string =>
  ids.length > LISTED_IDS
    ? `${ids.slice(0, LISTED_IDS).join(', ')} and ${ids.length - LISTED_IDS} more`
    : ids.join(', ');

/** Refuses (422) an id list naming recordings that do not exist or are already deleted, listing them. */
const requireKnownRecordings = (ids: readonly string[], found: readonly RecordingFacts[]): void => {
  const byId = new Map(found.map((r) => [r.recordingId, r]));
  const unknown = ids.filter((id) => !byId.has(id));
  const deleted = ids.filter((id) => byId.get(id)?.status === 'DELETED');
  if (unknown.length === 0 && deleted.length === 0) return;
  const parts = [
    ...(unknown.length ? [`unknown recording ids (${unknown.length}): ${listIds(unknown)}`] : []),
    ...(deleted.length ? [`already deleted (${deleted.length}): ${listIds(deleted)}`] : []),
  ];
  throw new PolicyRefusalError(KNOWN_RECORDINGS_RULE, `nothing was held: ${parts.join('; ')}`);
};

/** What IG states when placing a hold: the hold's own fields, before it exists. */
export type PlaceHoldInput = Pick<
  Hold,
  'caseRef' | 'reason' | 'reviewDate' | 'scope' | 'retainUntil' | 'igGuidanceRef'
>;

export type HoldView = Hold & { readonly state: 'applying' | 'complete' | 'lifted' };

export const viewOf = (hold: Hold): HoldView => {
  const p = hold.progress;
  const done = hold.scopeResolved && p.applied + p.failed >= p.matched;
  if (hold.status === 'LIFTED') return { ...hold, state: 'lifted' };
  return { ...hold, state: done ? 'complete' : 'applying' };
};

const activeHold = (hold: Hold): ActiveHold => ({
  holdId: hold.holdId,
  reason: hold.reason,
  placedAt: hold.placedAt,
  reviewDue: hold.reviewDate,
  ...(hold.igGuidanceRef ? { guidanceRef: hold.igGuidanceRef } : {}),
});

/** The service areas a hold covers: the query's area, or the areas of the recordings it names. */
const areasCovered = async (deps: HoldDeps, hold: Hold): Promise<string[]> => {
  if ('query' in hold.scope) return [hold.scope.query.serviceArea];
  const recordings = await deps.recordings.getRecordings(hold.scope.recordingIds);
  return [...new Set(recordings.map((r) => r.serviceArea))];
};

/** Lists the hold (again, with its current review date) under each area it covers. */
const trackHoldAreas = async (deps: HoldDeps, hold: Hold): Promise<void> => {
  for (const area of await areasCovered(deps, hold)) await deps.counters.trackHold(area, activeHold(hold));
};

const untrackHoldAreas = async (deps: HoldDeps, holdId: string): Promise<void> => {
  const hold = await deps.store.getHold(holdId);
  if (!hold) return;
  for (const area of await areasCovered(deps, hold)) await deps.counters.untrackHold(area, holdId);
};

const zero: HoldProgress = { matched: 0, applied: 0, failed: 0, released: 0 };

export const placeHold = async (
  deps: HoldDeps,
  principal: Principal,
  input: PlaceHoldInput,
): Promise<HoldView> => {
  requireIgOfficer(principal);
  const ids = 'recordingIds' in input.scope ? [...new Set(input.scope.recordingIds)] : [];
  const scope: HoldScope = 'recordingIds' in input.scope ? { recordingIds: ids } : input.scope;
  const named = ids.length > 0 ? await deps.recordings.getRecordings(ids) : [];
  requireKnownRecordings(ids, named);
  if (input.retainUntil && !input.igGuidanceRef) {
    const starts = named.map((r) => r.startedAt);
    if (guidanceRequired(input.retainUntil, earliestCallStart(scope, starts))) {
      throw new PolicyRefusalError(
        's7.ig-guidance-beyond-24-months',
        'retainUntil is beyond the 24-month point of a covered recording: give igGuidanceRef (IG guidance is required before keeping recordings longer than 24 months)',
      );
    }
  }
  const now = deps.now();
  const hold: Hold = {
    holdId: deps.newId?.() ?? randomUUID(),
    caseRef: input.caseRef,
    reason: input.reason,
    reviewDate: input.reviewDate,
    scope,
    ...(input.retainUntil ? { retainUntil: input.retainUntil } : {}),
    ...(input.igGuidanceRef ? { igGuidanceRef: input.igGuidanceRef } : {}),
    status: 'ACTIVE',
    placedBy: principal.staffId,
    placedAt: now.toISOString(),
    scopeResolved: 'recordingIds' in scope,
    progress: { ...zero, matched: ids.length },
  };
  await deps.store.createHold(hold);

  if ('query' in scope) {
    // An id list's areas are listed as its recordings are linked (applyPage): no catalogue read here.
    await trackHoldAreas(deps, hold);
    await deps.fanout.send([{ kind: 'resolve', holdId: hold.holdId, page: 0 }]);
  } else if (ids.length <= INLINE_LIMIT) {
    try {
      await applyPage(deps, hold.holdId, 'inline', ids);
    } catch {
      // S3 or a throttled table: the queue retries the same page id, so nothing is counted twice.
      await deps.fanout.send([{ kind: 'apply', holdId: hold.holdId, pageId: 'inline', recordingIds: ids }]);
    }
  } else {
    await deps.fanout.send(
      chunk(ids, FANOUT_PAGE).map((page, i) => ({
        kind: 'apply' as const,
        holdId: hold.holdId,
        pageId: `ids.${i}`,
        recordingIds: page,
      })),
    );
  }
  return viewOf((await deps.store.getHold(hold.holdId)) ?? hold);
};

const lockOn = async (objects: ObjectLockPort, rec: RecordingFacts): Promise<void> => {
  if (!rec.archiveKey) return;
  await objects.setLegalHold(rec.archiveKey, rec.archiveVersionId, true);
  await objects.setRetentionTag(rec.archiveKey, rec.archiveVersionId, 'hold');
};

/** Applies one page of recordings; safe to repeat (the queue redelivers a page whose S3 calls failed). */
export const applyPage = async (
  deps: HoldDeps,
  holdId: string,
  pageId: string,
  recordingIds: readonly string[],
): Promise<{ applied: number; failed: number }> => {
  let applied = 0;
  let failed = 0;
  const failures: HoldFailure[] = [];
  const at = deps.now().toISOString();
  // Read once, on the first link: the report lists the hold with its review date and guidance.
  let holdRead: Promise<Hold | undefined> | undefined;
  const areas = new Set<string>();
  const queue = [...recordingIds];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const result = await deps.store.applyToRecording(holdId, id, at);
      if (result.outcome === 'applied' || result.outcome === 'already') {
        const rec = result.recording;
        await lockOn(deps.objects, rec);
        holdRead ??= deps.store.getHold(holdId);
        const hold = await holdRead;
        if (hold && !areas.has(rec.serviceArea)) {
          areas.add(rec.serviceArea);
          await deps.counters.trackHold(rec.serviceArea, activeHold(hold));
        }
        await deps.counters.trackHeldRecording(rec.serviceArea, {
          recordingId: rec.recordingId,
          holdId,
          deleteAfter: rec.deleteAfter,
          ...(hold?.igGuidanceRef ? { guidanceRef: hold.igGuidanceRef } : {}),
        });
        applied += 1;
      } else {
        failed += 1;
        if (failures.length < MAX_NAMED_FAILURES)
          failures.push({
            recordingId: id,
            reason: failureReason(
              result.outcome,
              result.outcome === 'not-archived' ? result.status : undefined,
            ),
          });
      }
    }
  };
  // A few at a time: each is a transaction plus two S3 calls; the page is counted once all are done.
  await Promise.all(Array.from({ length: APPLY_CONCURRENCY }, worker));
  await deps.store.addProgress(holdId, pageId, { applied, failed }, false, failures);
  return { applied, failed };
};

/** One page of a query scope: count it, queue its apply pages and the next resolve page. */
export const resolvePage = async (
  deps: HoldDeps,
  message: Extract<FanoutMessage, { kind: 'resolve' }>,
): Promise<void> => {
  const hold = await deps.store.getHold(message.holdId);
  if (hold?.status !== 'ACTIVE' || !('query' in hold.scope)) return;
  const page = await deps.recordings.queryScopePage(hold.scope.query, message.next);
  await deps.store.addProgress(
    hold.holdId,
    `resolve.${message.page}`,
    { matched: page.items.length },
    page.next === undefined,
  );
  const messages: FanoutMessage[] = chunk(page.items, FANOUT_PAGE).map((ids, i) => ({
    kind: 'apply',
    holdId: hold.holdId,
    pageId: `r${message.page}.${i}`,
    recordingIds: ids,
  }));
  if (page.next)
    messages.push({ kind: 'resolve', holdId: hold.holdId, page: message.page + 1, next: page.next });
  await deps.fanout.send(messages);
};

/** Takes one hold off one recording; the last hold off turns the legal hold off again. */
const releaseOne = async (deps: HoldDeps, holdId: string, recordingId: string): Promise<boolean> => {
  // Off the report's held list before the unlink: a retry still finds the link and does this again.
  const linked = await deps.recordings.getRecording(recordingId);
  if (linked)
    await deps.counters.untrackHeldRecording(linked.serviceArea, {
      recordingId,
      holdId,
      deleteAfter: linked.deleteAfter,
    });
  const result = await deps.store.releaseFromRecording(holdId, recordingId);
  if (result.outcome !== 'released') return false;
  const rec = result.recording;
  // A recording the S3 lifecycle already removed has no object left to unlock.
  if (rec.holdCount > 0 || !rec.archiveKey || rec.status === 'DELETED') return true;
  await deps.objects.setLegalHold(rec.archiveKey, rec.archiveVersionId, false);
  await deps.objects.setRetentionTag(rec.archiveKey, rec.archiveVersionId, 'standard');
  // A hold placed while this one was being lifted must not lose its S3 legal hold.
  const after = await deps.recordings.getRecording(recordingId);
  if (after && after.holdCount > 0) await lockOn(deps.objects, after);
  else if (rec.deleteDay && new Date(rec.deleteAfter) <= deps.now())
    await deps.cursor.rewindCursor(rec.deleteDay);
  return true;
};

/** Releases up to `pages` pages of a lifted hold's links; true when none are left. */
export const releaseRound = async (
  deps: HoldDeps,
  holdId: string,
  round: number,
  pages = 10,
): Promise<boolean> => {
  let released = 0;
  let finished = false;
  for (let i = 0; i < pages; i += 1) {
    const ids = await deps.store.linkedRecordings(holdId, FANOUT_PAGE);
    if (ids.length === 0) {
      finished = true;
      break;
    }
    for (const id of ids) if (await releaseOne(deps, holdId, id)) released += 1;
  }
  await deps.store.addProgress(holdId, `release.${round}`, { released });
  return finished;
};

export const liftHold = async (
  deps: HoldDeps,
  principal: Principal,
  holdId: string,
  reason: string,
): Promise<HoldView> => {
  requireIgOfficer(principal);
  const hold = await deps.store.getHold(holdId);
  if (!hold) throw new NotFoundError(`hold ${holdId}`);
  if (hold.status !== 'ACTIVE') throw new ConflictError(`hold ${holdId} is already lifted`);
  const lifted = { by: principal.staffId, at: deps.now().toISOString(), reason };
  if (!(await deps.store.markLifted(holdId, lifted)))
    throw new ConflictError(`hold ${holdId} is already lifted`);
  await untrackHoldAreas(deps, holdId);
  if (hold.progress.applied <= INLINE_LIMIT) {
    let finished = false;
    for (let round = 0; !finished && round < 3; round += 1)
      finished = await releaseRound(deps, holdId, round, 1);
    if (!finished) await deps.fanout.send([{ kind: 'release', holdId, round: 3 }]);
  } else {
    await deps.fanout.send([{ kind: 'release', holdId, round: 0 }]);
  }
  return viewOf((await deps.store.getHold(holdId)) as Hold);
};

export const releaseMessage = async (
  deps: HoldDeps,
  message: Extract<FanoutMessage, { kind: 'release' }>,
): Promise<void> => {
  const finished = await releaseRound(deps, message.holdId, message.round);
  // Again once every link is off: a page applied while the lift ran may have listed the hold again.
  if (finished) await untrackHoldAreas(deps, message.holdId);
  if (!finished)
    await deps.fanout.send([{ kind: 'release', holdId: message.holdId, round: message.round + 1 }]);
};

export const reviewHold = async (
  deps: HoldDeps,
  principal: Principal,
  holdId: string,
  input: { outcome: ReviewOutcome; nextReview?: string; note?: string },
): Promise<HoldView> => {
  requireIgOfficer(principal);
  const hold = await deps.store.getHold(holdId);
  if (!hold) throw new NotFoundError(`hold ${holdId}`);
  if (hold.status !== 'ACTIVE')
    throw new ConflictError(`hold ${holdId} is lifted; there is nothing to review`);
  const now = deps.now();
  if (input.outcome === 'continue' && (!input.nextReview || input.nextReview <= dayOf(now))) {
    throw new PolicyRefusalError('s7.hold-review', 'a continued hold needs nextReview, a date after today');
  }
  await deps.store.recordReview(holdId, {
    by: principal.staffId,
    at: now.toISOString(),
    outcome: input.outcome,
    ...(input.outcome === 'continue' && input.nextReview ? { nextReview: input.nextReview } : {}),
    ...(input.note ? { note: input.note } : {}),
  });
  if (input.outcome === 'lift') return liftHold(deps, principal, holdId, `review: ${input.note ?? 'lift'}`);
  const reviewed = (await deps.store.getHold(holdId)) as Hold;
  await trackHoldAreas(deps, reviewed);
  return viewOf(reviewed);
};

export const getHold = async (deps: HoldDeps, principal: Principal, holdId: string): Promise<HoldView> => {
  requireIgOfficer(principal);
  const hold = await deps.store.getHold(holdId);
  if (!hold) throw new NotFoundError(`hold ${holdId}`);
  return viewOf(hold);
};

export const listHolds = async (
  deps: HoldDeps,
  principal: Principal,
  dueForReview: boolean,
): Promise<HoldView[]> => {
  requireIgOfficer(principal);
  const holds = await deps.store.listActiveHolds(dueForReview ? dayOf(deps.now()) : undefined);
  return holds.map(viewOf);
};
