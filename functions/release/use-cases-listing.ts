/** Listing releases: the most selective index for the filters and the principal, then the visibility rule. */

import {
  EXTERNAL_RELEASE_APPROVERS,
  INTERNAL_RELEASE_AREA_APPROVERS,
  INTERNAL_RELEASE_CORPORATE_APPROVERS,
} from '../domain/approvers.js';
import {
  isReleaseOverseer,
  mayApprove,
  mayViewRelease,
  RELEASE_STATES,
  type Release,
  type ReleaseState,
} from '../domain/release.js';
import { areasWith, hasAnyRole, type Principal } from '../domain/roles.js';
import type { ReleaseDeps, ReleaseQuery } from '../ports/release.js';

export interface ReleaseListFilter {
  readonly state?: ReleaseState;
  readonly recordingId?: string;
  readonly requester?: string;
  /** Only the requests the caller may decide now: REQUESTED, and the approver rule says yes. */
  readonly decidable?: boolean;
}

/** Whether `p` may approve or reject `r` now, by the rule approve/reject apply (never their own). */
export const mayDecide = (p: Principal, r: Release): boolean => r.state === 'REQUESTED' && mayApprove(p, r);

const CORPORATE_APPROVERS = [
  ...new Set([...INTERNAL_RELEASE_CORPORATE_APPROVERS, ...EXTERNAL_RELEASE_APPROVERS]),
];

export const plannedQueries = (p: Principal, f: ReleaseListFilter): ReleaseQuery[] => {
  if (f.recordingId) return [{ by: 'recording', recordingId: f.recordingId }];
  if (f.requester) return [{ by: 'requester', requesterId: f.requester }];
  if (isReleaseOverseer(p) || hasAnyRole(p, CORPORATE_APPROVERS)) {
    const states = f.decidable ? ['REQUESTED' as const] : f.state ? [f.state] : RELEASE_STATES;
    return states.map((state) => ({ by: 'state', state }));
  }
  return [
    // A queue of decidable requests never holds the caller's own.
    ...(f.decidable ? [] : [{ by: 'requester', requesterId: p.staffId } as const]),
    ...areasWith(p, INTERNAL_RELEASE_AREA_APPROVERS).map(
      (serviceArea): ReleaseQuery => ({ by: 'area', serviceArea }),
    ),
  ];
};

export const listReleases = async (
  deps: ReleaseDeps,
  principal: Principal,
  filter: ReleaseListFilter,
  limit = 100,
): Promise<Release[]> => {
  const found = new Map<string, Release>();
  for (const q of plannedQueries(principal, filter)) {
    for (const r of await deps.releases.query(q, limit)) found.set(r.releaseId, r);
  }
  return [...found.values()]
    .filter((r) => mayViewRelease(principal, r))
    .filter((r) => !filter.state || r.state === filter.state)
    .filter((r) => !filter.recordingId || r.recordingId === filter.recordingId)
    .filter((r) => !filter.requester || r.requesterId === filter.requester)
    .filter((r) => !filter.decidable || mayDecide(principal, r))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .slice(0, limit);
};
