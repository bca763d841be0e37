/**
 * Release use cases (policy s.6). Each one: load, ask the domain for the transition, do the side effect
 * (copy / delete / presign), persist conditionally on the state and version read, append to the
 * Release of Recording Log. A lost race re-reads and reports the domain's refusal for the new state.
 */

import { buildReleasePackage, requireReleaseAdvice } from '../disclosures/release-hooks.js';
import type { Destination } from '../domain/approvers.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PolicyRefusalError,
  ValidationError,
} from '../domain/errors.js';
import {
  approve,
  complete,
  issueLink,
  logPayload,
  mayRequestFor,
  mayViewRelease,
  REQUESTER_GRANT_RULE,
  type Release,
  type ReleasePurpose,
  reject,
  releaseCopyKey,
  request,
  requesterAreaNeeded,
} from '../domain/release.js';
import { isIngestClient, type Principal } from '../domain/roles.js';
import { describeSchedule2 } from '../domain/schedule2.js';
import { retrying } from '../platform/retry.js';
import type { RecordingRef, ReleaseDeps } from '../ports/release.js';
import { checkpointIfDue } from './use-cases-checkpoints.js';
import {
  copyOpened,
  countApproval,
  decided,
  load,
  persist,
  removeCopy,
  removeStrayCopy,
} from './use-cases-steps.js';

export interface ReleaseRequestInput {
  readonly recordingId: string;
  readonly destination: Destination;
  readonly purpose: ReleasePurpose;
  readonly justification: string;
}

const availableRecording = async (deps: ReleaseDeps, recordingId: string): Promise<RecordingRef> => {
  const recording = await deps.catalogue.get(recordingId);
  if (!recording) throw new NotFoundError(`recording ${recordingId}`);
  if (recording.status !== 'ARCHIVED' || !recording.archiveKey)
    throw new PolicyRefusalError(
      's6.recording-not-available',
      `recording ${recordingId} is ${recording.status}; only an archived recording can be released`,
    );
  return recording;
};

/**
 * Only staff with a grant may ask (s.6, domain/release.ts mayRequestFor). Checked before the catalogue
 * is read wherever the destination says which area: a refusal then tells nothing about the id. For an
 * external agency the recording's own area decides, so an unknown id and a recording of an area where
 * the requester holds no grant get the same 404 with the same body.
 */
const recordingForRequester = async (
  deps: ReleaseDeps,
  principal: Principal,
  input: ReleaseRequestInput,
): Promise<RecordingRef> => {
  const area = requesterAreaNeeded(input.destination);
  if (area !== undefined && !mayRequestFor(principal, area))
    throw new ForbiddenError(
      REQUESTER_GRANT_RULE,
      `a release to ${area} is requested by staff holding a grant in ${area}`,
    );
  if (area === undefined) {
    const recording = await deps.catalogue.get(input.recordingId);
    if (!recording || !mayRequestFor(principal, recording.serviceArea))
      throw new NotFoundError(`recording ${input.recordingId}`);
  }
  return availableRecording(deps, input.recordingId);
};

export const requestRelease = async (
  deps: ReleaseDeps,
  principal: Principal,
  input: ReleaseRequestInput,
): Promise<Release> => {
  if (isIngestClient(principal))
    throw new ForbiddenError(
      's6.officers-only',
      'releases are requested by council officers, not machine clients',
    );
  const recording = await recordingForRequester(deps, principal, input);
  const to = input.destination;
  if (
    to.kind === 'service-area' &&
    to.serviceArea !== recording.serviceArea &&
    !(await deps.serviceAreas.exists(to.serviceArea))
  ) {
    throw new ValidationError(
      'body.destination.serviceArea',
      `service area ${to.serviceArea} is not registered: a release goes to a registered service area (or an external agency)`,
    );
  }
  const release = decided(
    request({
      releaseId: deps.newId(),
      requester: principal,
      recording,
      destination: input.destination,
      purpose: input.purpose,
      justification: input.justification,
      now: deps.now(),
      requestTtlDays: deps.config.requestTtlDays,
    }),
  );
  await requireReleaseAdvice(deps.advice, release, recording, new Date(release.createdAt));
  const d = input.destination;
  const schedule2 = d.kind === 'external-agency' && d.schedule2 ? `; ${describeSchedule2(d.schedule2)}` : '';
  const link = await deps.releases.create(
    release,
    logPayload(release, 'REQUESTED', principal.staffId, `justification: ${input.justification}${schedule2}`),
  );
  await checkpointIfDue(deps, link);
  return release;
};

export const approveRelease = async (deps: ReleaseDeps, principal: Principal, releaseId: string) => {
  const current = await load(deps, releaseId);
  const now = deps.now();
  const decide = (r: Release, copyKey = '') =>
    approve(r, { approver: principal, now, copyTtlDays: deps.config.copyTtlDays, copyKey });
  // Decide before touching the catalogue or the bucket: a refused approver causes no side effect.
  decided(decide(current));
  const recording = await availableRecording(deps, current.recordingId);
  // The advice must still be in force when the approver decides, not only when it was requested.
  await requireReleaseAdvice(deps.advice, current, recording, now);
  const key = releaseCopyKey(current.releaseId, current.recordingId, recording.format);
  let next = decided(decide(current, key));
  const expiresAt = next.copy?.expiresAt ?? '';
  // Listed as open before it exists: a crash after the copy and before the state write leaves a copy
  // the compliance report shows (overdue once past its expiry) and the reject/expiry paths delete.
  await copyOpened(deps, next);
  if (next.destination.kind === 'external-agency' && next.copy && recording.archiveKey) {
    // An external agency receives a verifiable package: audio, cover sheet, manifest, signed certificate.
    const built = await buildReleasePackage(
      deps.packages,
      deps.signer,
      next,
      { ...recording, archiveKey: recording.archiveKey },
      principal.staffId,
      now,
    );
    const packageKeys = built.keys.filter((k) => k !== key);
    next = { ...next, copy: { ...next.copy, packageKeys } };
  } else await deps.copies.copy(recording, key, expiresAt);
  try {
    await persist(deps, current, next, decide, {
      event: 'APPROVED',
      actor: principal.staffId,
      detail: `copy ${key} expires ${expiresAt}`,
    });
  } catch (error) {
    // Lost the race: keep the copy only if the winner issued this same release (same key).
    const fresh = await deps.releases.get(releaseId);
    if (fresh?.state !== 'ISSUED') await removeCopy(deps, next);
    throw error;
  }
  await countApproval(deps, next);
  return next;
};

export const rejectRelease = async (
  deps: ReleaseDeps,
  principal: Principal,
  releaseId: string,
  reason: string,
) => {
  const current = await load(deps, releaseId);
  const decide = (r: Release) => reject(r, { approver: principal, now: deps.now(), reason });
  const next = decided(decide(current));
  await persist(deps, current, next, decide, {
    event: 'REJECTED',
    actor: principal.staffId,
    detail: `reason: ${reason}`,
  });
  await removeStrayCopy(deps, next);
  return next;
};

/** Concurrent link requests by one requester each bump the version: retry a lost race this often. */
const LINK_ATTEMPTS = 3;

/** The release changed between this request's read and its conditional write. */
class StaleRelease extends Error {}

/**
 * A link to the released copy. Its LINK_ISSUED entry is written conditionally on the release version
 * read, so a completion or expiry that lands between the read and the write makes this a 409 (the
 * domain's refusal for the new state), never a link logged after COMPLETED. Presigned only after that.
 */
export const issueReleaseLink = async (
  deps: ReleaseDeps,
  principal: Principal,
  releaseId: string,
  correlationId = 'none',
) => {
  const now = deps.now();
  const ttlFor = (expiresAt: string) =>
    Math.max(
      1,
      Math.min(deps.config.linkTtlSeconds, Math.floor((Date.parse(expiresAt) - now.getTime()) / 1000)),
    );
  // Another request moved the release between this one's read and write: read it again and retry.
  const policy = {
    retryable: (error: unknown) => error instanceof StaleRelease,
    retries: LINK_ATTEMPTS - 1,
    exhausted: () => new ConflictError(`release ${releaseId} changed while this request ran; try again`),
  };
  const release = await retrying(policy, async () => {
    const current = await load(deps, releaseId);
    const next = decided(issueLink(current, { actor: principal, now }));
    if (!next.copy) throw new ConflictError(`release ${releaseId} has no copy`);
    const expires = new Date(now.getTime() + ttlFor(next.copy.expiresAt) * 1000).toISOString();
    const entry = logPayload(next, 'LINK_ISSUED', principal.staffId, `link expires ${expires}`);
    const link = await deps.releases.replace(next, current, entry);
    if (!link) throw new StaleRelease();
    await checkpointIfDue(deps, link);
    return next;
  });
  const copy = release.copy as NonNullable<Release['copy']>;
  const ttlSeconds = ttlFor(copy.expiresAt);
  const url = await deps.copies.presignGet(copy.key, ttlSeconds);
  // A package: every file of it, each with its own link (the audio's is `url`).
  const files = [{ name: copy.key.split('/').at(-1) ?? copy.key, url }];
  for (const key of copy.packageKeys ?? [])
    files.push({ name: key.split('/').at(-1) ?? key, url: await deps.copies.presignGet(key, ttlSeconds) });
  const linkExpiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  // Counted at approval; counting again here (a no-op then) repairs a count lost after the approval.
  await countApproval(deps, release);
  await deps.audit({
    actor: principal.staffId,
    recordingId: release.recordingId,
    serviceArea: release.recordingServiceArea,
    purpose: release.purpose.purpose,
    igAdviceRef: release.purpose.igAdviceRef,
    note: `release ${release.releaseId}: link to the released copy, expires ${linkExpiresAt}`,
    correlationId,
  });
  return {
    url,
    linkExpiresAt,
    copyExpiresAt: copy.expiresAt,
    ...(copy.packageKeys ? { files } : {}),
  };
};

export const completeRelease = async (deps: ReleaseDeps, principal: Principal, releaseId: string) => {
  const current = await load(deps, releaseId);
  const decide = (r: Release) => complete(r, { actor: principal, now: deps.now() });
  const next = decided(decide(current));
  // Delete first: if the state write then fails, the release is still ISSUED and completing again is safe.
  await removeCopy(deps, current);
  await persist(deps, current, next, decide, {
    event: 'COMPLETED',
    actor: principal.staffId,
    detail: `copy ${current.copy?.key ?? ''} deleted`,
  });
  return next;
};

export const getRelease = async (deps: ReleaseDeps, principal: Principal, releaseId: string) => {
  const release = await load(deps, releaseId);
  if (!mayViewRelease(principal, release))
    throw new ForbiddenError(
      's6.release-visibility',
      'only the requester, an officer who may approve it, the log keeper or IG may see this release',
    );
  return release;
};
