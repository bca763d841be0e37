/**
 * The steps the release use cases share: turn a domain refusal into its error, load a release, persist a
 * transition with its log entry (a lost race re-reads and reports the domain's refusal for the new state),
 * and keep the compliance report's figures and the released copies in step with the state.
 */

import { ConflictError, ForbiddenError, NotFoundError, PolicyRefusalError } from '../domain/errors.js';
import {
  logPayload,
  type Refusal,
  type Release,
  type ReleaseLogEvent,
  releaseCopyKey,
  type Transition,
} from '../domain/release.js';
import type { ReleaseDeps } from '../ports/release.js';
import { checkpointIfDue } from './use-cases-checkpoints.js';

export const toError = (refusal: Refusal): Error => {
  if (refusal.kind === 'conflict') return new ConflictError(refusal.reason, refusal.rule);
  if (refusal.kind === 'forbidden') return new ForbiddenError(refusal.rule, refusal.reason);
  return new PolicyRefusalError(refusal.rule, refusal.reason);
};

export const decided = (t: Transition): Release => {
  if (!t.ok) throw toError(t);
  return t.next;
};

export const load = async (deps: ReleaseDeps, releaseId: string): Promise<Release> => {
  const release = await deps.releases.get(releaseId);
  if (!release) throw new NotFoundError(`release ${releaseId}`);
  return release;
};

/**
 * Persists a transition decided on `current` together with its log entry. When another writer got there
 * first, re-reads and throws what the domain says about the fresh state (e.g. "already issued").
 */
export const persist = async (
  deps: ReleaseDeps,
  current: Release,
  next: Release,
  decideAgain: (fresh: Release) => Transition,
  entry: { event: ReleaseLogEvent; actor: string; detail?: string },
): Promise<void> => {
  const link = await deps.releases.replace(
    next,
    current,
    logPayload(next, entry.event, entry.actor, entry.detail),
  );
  if (link) {
    await checkpointIfDue(deps, link);
    return;
  }
  const fresh = await load(deps, current.releaseId);
  const again = decideAgain(fresh);
  throw again.ok
    ? new ConflictError(`release ${current.releaseId} changed while this request ran; try again`)
    : toError(again);
};

// The compliance report's figures (policy s.6): counted and tracked as the facts change.

/** Counts an approved release; the counter counts each release once, so calling it again is safe. */
export const countApproval = async (deps: ReleaseDeps, r: Release): Promise<void> => {
  if (!r.approval) return;
  await deps.counters.countRelease({
    releaseId: r.releaseId,
    serviceArea: r.recordingServiceArea,
    destinationKind: r.destination.kind,
    authoriserId: r.approval.by,
    approvedAt: r.approval.at,
  });
};

export const copyOpened = (deps: ReleaseDeps, r: Release): Promise<void> =>
  deps.counters.copyOpened(r.recordingServiceArea, {
    releaseId: r.releaseId,
    copyExpiresAt: r.copy?.expiresAt ?? '',
    destinationKind: r.destination.kind,
    destination: r.destination.kind === 'service-area' ? r.destination.serviceArea : r.destination.agency,
  });

/**
 * A release that ended without being issued (rejected, request expired) may still have the copy of an
 * approval that crashed between copying and saving ISSUED: delete it and drop it from the open list.
 */
export const removeStrayCopy = async (deps: ReleaseDeps, r: Release): Promise<void> => {
  const recording = await deps.catalogue.get(r.recordingId);
  if (!recording) return; // deleted since: its copy, if any, stays on the report's open list
  const key = releaseCopyKey(r.releaseId, r.recordingId, recording.format);
  await deps.copies.remove(key);
  await deps.counters.copyClosed(r.recordingServiceArea, r.releaseId);
};

/** Deletes the released copy, then drops it from the open copies: both safe to repeat. */
export const removeCopy = async (deps: ReleaseDeps, r: Release): Promise<void> => {
  if (!r.copy) return;
  for (const key of [r.copy.key, ...(r.copy.packageKeys ?? [])]) await deps.copies.remove(key);
  await deps.counters.copyClosed(r.recordingServiceArea, r.releaseId);
};
