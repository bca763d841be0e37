/**
 * Release use cases (policy s.6). Each one: load, ask the domain for the transition, do the side effect
 * (copy / delete / presign), persist conditionally on the state and version read, append to the
 * Release of Recording Log. A lost race re-reads and reports the domain's refusal for the new state.
 */

import { buildReleasePackage, requireReleaseAdvice } from '../disclosures/release-hooks.js';
import {
  type Destination,
  EXTERNAL_RELEASE_APPROVERS,
  INTERNAL_RELEASE_AREA_APPROVERS,
  INTERNAL_RELEASE_CORPORATE_APPROVERS,
  mayApproveRelease,
} from '../domain/approvers.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PolicyRefusalError,
  ValidationError,
} from '../domain/errors.js';
import { type ChainLink, verifyChain } from '../domain/hash-chain.js';
import {
  approve,
  complete,
  expireCopy,
  expireRequest,
  isReleaseOverseer,
  issueLink,
  logPayload,
  mayRequestFor,
  mayViewRelease,
  RELEASE_STATES,
  REQUESTER_GRANT_RULE,
  type Refusal,
  type Release,
  type ReleaseLogEvent,
  type ReleaseLogPayload,
  type ReleasePurpose,
  type ReleaseState,
  reject,
  releaseCopyKey,
  request,
  requesterAreaNeeded,
  type Transition,
} from '../domain/release.js';
import {
  CHECKPOINT_CHAIN,
  type CheckpointPayload,
  checkpointMessage,
  ENTRY_CHAIN,
  SIGNING_ALGORITHM,
} from '../domain/release-log-format.js';
import { areasWith, hasAnyRole, isIngestClient, type Principal, SYSTEM_ACTORS } from '../domain/roles.js';
import { describeSchedule2 } from '../domain/schedule2.js';
import { type CursorShape, decodeCursor, encodeCursor } from '../platform/page-cursor.js';
import { retrying } from '../platform/retry.js';
import type { RecordingRef, ReleaseDeps, ReleaseQuery } from '../ports/release.js';

const toError = (refusal: Refusal): Error => {
  if (refusal.kind === 'conflict') return new ConflictError(refusal.reason, refusal.rule);
  if (refusal.kind === 'forbidden') return new ForbiddenError(refusal.rule, refusal.reason);
  return new PolicyRefusalError(refusal.rule, refusal.reason);
};

const decided = (t: Transition): Release => {
  if (!t.ok) throw toError(t);
  return t.next;
};

const load = async (deps: ReleaseDeps, releaseId: string): Promise<Release> => {
  const release = await deps.releases.get(releaseId);
  if (!release) throw new NotFoundError(`release ${releaseId}`);
  return release;
};

/** Signs the head every `checkpointEvery` entries. */
const checkpointIfDue = async (deps: ReleaseDeps, link: ChainLink<ReleaseLogPayload>) => {
  if (link.seq % deps.config.checkpointEvery === 0) await signHead(deps, { seq: link.seq, hash: link.hash });
  return link;
};

/** The log no longer extends its newest anchored checkpoint (cut, rebuilt or edited): nothing is signed. */
export class ReleaseLogTamperedError extends Error {}

/**
 * The newest checkpoint anchored in the archive must still hold in the table: its row, the entry it
 * signed (same hash) and every entry after it linking up from there. Otherwise signing the current head
 * would attest a cut or rebuilt log.
 */
const checkAnchorHolds = async (deps: ReleaseDeps) => {
  const anchored = await deps.anchors.newest();
  if (!anchored) return undefined;
  const { headSeq, headHash } = anchored.payload;
  const rows = await deps.log.checkpoints();
  if (!rows.some((c) => c.seq === anchored.seq && c.hash === anchored.hash))
    throw new ReleaseLogTamperedError(
      `checkpoint seq ${anchored.seq} anchored in the archive is missing from the table (rows deleted?)`,
    );
  const [signed] = await deps.log.entriesAfter(headSeq - 1, 1);
  if (signed?.seq !== headSeq || signed.hash !== headHash)
    throw new ReleaseLogTamperedError(
      `entry seq ${headSeq}, signed in anchored checkpoint seq ${anchored.seq}, is ${signed?.seq === headSeq ? 'rewritten' : 'gone (entries cut off)'}`,
    );
  const after = verifyChain(await deps.log.entriesAfter(headSeq, Number.POSITIVE_INFINITY), {
    seq: headSeq,
    hash: headHash,
  });
  if (!after.ok) throw new ReleaseLogTamperedError(`entry seq ${after.firstBadSeq}: ${after.reason}`);
  return anchored;
};

const signHead = async (deps: ReleaseDeps, head: { seq: number; hash: string }) => {
  await checkAnchorHolds(deps);
  const signedAt = deps.now().toISOString();
  const unsigned = { checkpointOf: ENTRY_CHAIN, headSeq: head.seq, headHash: head.hash, signedAt };
  const { signature, keyId } = await deps.signer.sign(checkpointMessage(unsigned));
  const payload: CheckpointPayload = {
    ...unsigned,
    keyId,
    algorithm: SIGNING_ALGORITHM,
    signature: signature.toString('base64'),
  };
  // The row first: an anchor without its row means the row was deleted.
  const link = await deps.log.appendCheckpoint(payload);
  await deps.anchors.put(link, signedAt);
  return link;
};

/**
 * Persists a transition decided on `current` together with its log entry. When another writer got there
 * first, re-reads and throws what the domain says about the fresh state (e.g. "already issued").
 */
const persist = async (
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
const countApproval = async (deps: ReleaseDeps, r: Release): Promise<void> => {
  if (!r.approval) return;
  await deps.counters.countRelease({
    releaseId: r.releaseId,
    serviceArea: r.recordingServiceArea,
    destinationKind: r.destination.kind,
    authoriserId: r.approval.by,
    approvedAt: r.approval.at,
  });
};

const copyOpened = (deps: ReleaseDeps, r: Release): Promise<void> =>
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
const removeStrayCopy = async (deps: ReleaseDeps, r: Release): Promise<void> => {
  const recording = await deps.catalogue.get(r.recordingId);
  if (!recording) return; // deleted since: its copy, if any, stays on the report's open list
  const key = releaseCopyKey(r.releaseId, r.recordingId, recording.format);
  await deps.copies.remove(key);
  await deps.counters.copyClosed(r.recordingServiceArea, r.releaseId);
};

/** Deletes the released copy, then drops it from the open copies: both safe to repeat. */
const removeCopy = async (deps: ReleaseDeps, r: Release): Promise<void> => {
  if (!r.copy) return;
  for (const key of [r.copy.key, ...(r.copy.packageKeys ?? [])]) await deps.copies.remove(key);
  await deps.counters.copyClosed(r.recordingServiceArea, r.releaseId);
};

// ---------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------
// Listing: the most selective index for the filters and the principal, then the visibility rule.

export interface ReleaseListFilter {
  readonly state?: ReleaseState;
  readonly recordingId?: string;
  readonly requester?: string;
  /** Only the requests the caller may decide now: REQUESTED, and the approver rule says yes. */
  readonly decidable?: boolean;
}

/** Whether `p` may approve or reject `r` now, by the rule approve/reject apply (never their own). */
export const mayDecide = (p: Principal, r: Release): boolean =>
  r.state === 'REQUESTED' &&
  mayApproveRelease({
    approver: p,
    requesterId: r.requesterId,
    recordingServiceArea: r.recordingServiceArea,
    destination: r.destination,
  }).allowed;

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

// ---------------------------------------------------------------------------------------------------
// Sweeper jobs

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

// ---------------------------------------------------------------------------------------------------
// The log

export interface LogFilter {
  readonly releaseId?: string;
  readonly requester?: string;
  readonly event?: ReleaseLogEvent;
  readonly from?: string;
  readonly to?: string;
}

export interface LogPaging {
  /** Entries per page of the full export, 1–1000. */
  readonly limit?: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
}

export const LOG_PAGE_LIMIT = 1000;
/**
 * A page's entries stay under this many bytes, measured as they travel in the Lambda response (the JSON
 * body is escaped once more inside it), well inside its 6 MB cap however long the entries' free text.
 */
export const LOG_PAGE_BYTES = 4_000_000;

/** How many of `entries` fit in `budget` bytes; always at least one, so every page moves on. */
const fitting = (entries: readonly ChainLink<ReleaseLogPayload>[], budget: number): number => {
  let used = 0;
  for (const [n, entry] of entries.entries()) {
    used += Buffer.byteLength(JSON.stringify(JSON.stringify(entry)));
    if (n > 0 && used > budget) return n;
  }
  return entries.length;
};

// A page cursor is the table key of the last entry returned, as DynamoDB's LastEvaluatedKey would be.
const ENTRY_CURSOR: CursorShape = { partition: ['chain', ENTRY_CHAIN], keys: ['chain', 'seq'] };
const CURSOR_FIELD = 'query.cursor';
const CURSOR_EXPECTED = 'a cursor returned by the previous page of GET /release-log';

const afterSeqOf = (cursor: string | undefined): number => {
  if (cursor === undefined) return 0;
  const { seq } = decodeCursor(cursor, ENTRY_CURSOR);
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1)
    throw new ValidationError(CURSOR_FIELD, CURSOR_EXPECTED);
  return seq;
};

const refuseFilteredPaging = (paging: LogPaging) => {
  const why = 'paging applies to the full export only (no releaseId, requester, event, from or to)';
  if (paging.cursor !== undefined) throw new ValidationError(CURSOR_FIELD, why);
  if (paging.limit !== undefined) throw new ValidationError('query.limit', why);
};

/**
 * A page of the full export: the entries after the cursor, one more read to tell whether another page
 * follows. The last page carries the checkpoints, cut to those that sign an entry already returned (a
 * checkpoint signed after the entries were read would attest an entry the export does not hold).
 */
const readLogPage = async (deps: ReleaseDeps, paging: LogPaging) => {
  const limit = paging.limit ?? LOG_PAGE_LIMIT;
  const afterSeq = afterSeqOf(paging.cursor);
  // Read before the entries: whatever it signed was in the log already, so the export must hold it.
  const anchored = await deps.anchors.newest();
  const read = await deps.log.entriesAfter(afterSeq, limit + 1);
  // Only a page with more entries after it hands out a cursor, so a cursor always has entries after it.
  if (paging.cursor !== undefined && read.length === 0)
    throw new ValidationError(CURSOR_FIELD, CURSOR_EXPECTED);
  const entries = read.slice(0, fitting(read.slice(0, limit), deps.config.logPageBytes ?? LOG_PAGE_BYTES));
  const lastSeq = entries.at(-1)?.seq ?? afterSeq;
  const page = { afterSeq, lastSeq, limit };
  if (read.length > entries.length)
    return {
      complete: false,
      page,
      entries,
      checkpoints: [],
      anchored: [],
      cursor: encodeCursor({ chain: ENTRY_CHAIN, seq: lastSeq }),
    };
  const signed = await deps.log.checkpoints();
  const beyond = signed.findIndex(
    (c) => c.payload.checkpointOf === ENTRY_CHAIN && c.payload.headSeq > lastSeq,
  );
  const checkpoints = beyond === -1 ? signed : signed.slice(0, beyond);
  return { complete: afterSeq === 0, page, entries, checkpoints, anchored: anchored ? [anchored] : [] };
};

const readLog = async (deps: ReleaseDeps, filter: LogFilter, paging: LogPaging) => {
  const full = !filter.releaseId && !filter.requester && !filter.event && !filter.from && !filter.to;
  if (full) return readLogPage(deps, paging);
  refuseFilteredPaging(paging);
  const source = filter.releaseId
    ? await deps.log.entriesOf({ releaseId: filter.releaseId })
    : filter.requester
      ? await deps.log.entriesOf({ requester: filter.requester })
      : await deps.log.entries();
  const entries = source
    .filter((e) => !filter.releaseId || e.payload.releaseId === filter.releaseId)
    .filter((e) => !filter.requester || e.payload.requester === filter.requester)
    .filter((e) => !filter.event || e.payload.event === filter.event)
    .filter((e) => !filter.from || e.at >= filter.from)
    .filter((e) => !filter.to || e.at <= filter.to);
  // Checkpoints travel with the full export only: a filtered view cannot be verified as a chain.
  return { complete: false, entries, checkpoints: [], anchored: [] };
};

/**
 * GET /release-log. A refusal is put on the access audit log, then answered 403. An allowed read is put
 * there after its input has been checked and the page read, before anything is answered: a bad cursor
 * writes nothing, and a read the audit log cannot record answers no log.
 */
export const readReleaseLog = async (
  deps: ReleaseDeps,
  principal: Principal,
  filter: LogFilter,
  paging: LogPaging = {},
  correlationId = '',
) => {
  const asked = Object.entries({ ...filter, ...paging }).filter(([, v]) => v !== undefined);
  const read = {
    actor: principal.staffId,
    filters: {
      log: 'release-of-recording-log',
      ...Object.fromEntries(asked.map(([k, v]) => [k, String(v)])),
    },
    correlationId,
  };
  if (!isReleaseOverseer(principal)) {
    await deps.auditLogRead({ ...read, allowed: false });
    throw new ForbiddenError(
      's6.release-log-keeper',
      'the Release of Recording Log is read by Corporate Customer Services (release-log-keeper) and IG officers',
    );
  }
  const log = await readLog(deps, filter, paging);
  await deps.auditLogRead({ ...read, allowed: true });
  return log;
};

export const releaseLogPublicKey = async (deps: ReleaseDeps) => {
  const { keyId, spkiDer } = await deps.signer.publicKey();
  const b64 = spkiDer.toString('base64');
  const pem = `-----BEGIN PUBLIC KEY-----\n${b64.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----\n`;
  return {
    keyId,
    keySpec: 'ECC_NIST_P256',
    algorithm: SIGNING_ALGORITHM,
    publicKeyPem: pem,
    checkpointChain: CHECKPOINT_CHAIN,
  };
};
