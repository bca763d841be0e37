/** The release sweeper jobs: expiry of copies and of undecided requests, and the daily checkpoint. */

import {
  expireCopy,
  expireRequest,
  logPayload,
  type Release,
  type ReleaseLogEvent,
  type Transition,
} from '../domain/release.js';
import { SYSTEM_ACTORS } from '../domain/roles.js';
import type { ReleaseDeps } from '../ports/release.js';
import { checkAnchorHolds, checkpointIfDue, signHead } from './use-cases-checkpoints.js';
import { removeCopy, removeStrayCopy } from './use-cases-steps.js';

const sweep = async (
  deps: ReleaseDeps,
  state: 'REQUESTED' | 'ISSUED',
  step: (r: Release, now: Date) => Transition,
  after: (before: Release, next: Release) => Promise<void>,
  event: ReleaseLogEvent,
): Promise<{ done: number; skipped: number }> => {
  const now = deps.now();
  let done = 0;
  let skipped = 0;
  for (const current of await deps.releases.query(
    { by: 'state', state, dueBefore: now.toISOString() },
    1000,
  )) {
    const t = step(current, now);
    if (!t.ok) {
      skipped += 1;
      continue;
    }
    await after(current, t.next);
    const detail = event === 'EXPIRED' ? `copy ${current.copy?.key ?? ''} deleted` : '';
    const link = await deps.releases.replace(
      t.next,
      current,
      logPayload(t.next, event, SYSTEM_ACTORS.sweeper, detail),
    );
    if (!link) {
      skipped += 1; // decided or completed meanwhile: the other writer logged it
      continue;
    }
    await checkpointIfDue(deps, link);
    done += 1;
  }
  return { done, skipped };
};

/** Deletes copies past expiry (→ EXPIRED) and expires undecided requests (→ REQUEST_EXPIRED). */
export const releaseExpiryJob = async (deps: ReleaseDeps) => {
  const copies = await sweep(
    deps,
    'ISSUED',
    (r, now) => expireCopy(r, { now }),
    (before) => removeCopy(deps, before),
    'EXPIRED',
  );
  const requests = await sweep(
    deps,
    'REQUESTED',
    (r, now) => expireRequest(r, { now }),
    (before) => removeStrayCopy(deps, before),
    'REQUEST_EXPIRED',
  );
  return {
    copiesExpired: copies.done,
    requestsExpired: requests.done,
    skipped: copies.skipped + requests.skipped,
  };
};

/** Signs the head of the log unless the last checkpoint already covers it (run at least daily). */
export const releaseLogCheckpointJob = async (deps: ReleaseDeps) => {
  const head = await deps.log.head();
  if (!head) return { signed: false, reason: 'the log is empty' };
  const last = await deps.log.lastCheckpoint();
  if (last && last.payload.headSeq === head.seq) {
    // Signed, but the anchor may have failed to be written then: write it now.
    const anchored = await checkAnchorHolds(deps);
    const anchoredNow = anchored?.hash !== last.hash;
    if (anchoredNow) await deps.anchors.put(last, last.payload.signedAt);
    return { signed: false, reason: `seq ${head.seq} already signed`, anchoredNow };
  }
  const checkpoint = await signHead(deps, head);
  return { signed: true, headSeq: head.seq, checkpointSeq: checkpoint.seq };
};
