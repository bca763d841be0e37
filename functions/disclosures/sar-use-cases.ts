/**
 * Subject access requests (UK GDPR Art. 15, DPA 2018), handled by the Corporate Information Governance
 * Unit only. Every search and every disclosure is in the access audit log naming the request; every
 * decision on a recording too; each disclosed recording is an entry in the Release of Recording Log.
 * IG listens only to recordings its request found, for purpose `subject-access` (audited).
 */
import type { AuditEntry } from '../domain/audit.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PolicyRefusalError,
  ValidationError,
} from '../domain/errors.js';
import type { ReleaseLogPayload } from '../domain/release.js';
import { hasAnyRole, hasRole, type Principal } from '../domain/roles.js';
import {
  closeSar,
  disclosable,
  extend,
  inResults,
  londonDay,
  markRecording,
  type Outcome,
  openSar,
  recordSearch,
  SAR_PURPOSE,
  SAR_REPORT_READERS,
  SAR_RULES,
  type SarRecording,
  type SarReport,
  type SubjectAccessRequest,
  sarReport,
  withPackage,
} from '../domain/subject-access-request.js';
import type { SarDeps } from '../ports/subject-access.js';
import { buildPackage } from './package.js';
import type { ExtendBody, MarkBody, OpenBody } from './sar-schemas.js';

/** Every use case here takes `(deps, principal, input)`, as the release slice's do. */
export interface SarRef {
  readonly sarId: string;
}
export interface SarStep extends SarRef {
  readonly correlationId: string;
}
export interface SarRecordingStep extends SarStep {
  readonly recordingId: string;
}

const requireIg = (principal: Principal): void => {
  if (!hasRole(principal, 'ig-officer'))
    throw new ForbiddenError(
      SAR_RULES.igOnly,
      'subject access requests are handled by the Corporate Information Governance Unit (role ig-officer)',
    );
};

const decided = <T>(o: Outcome<T>): T => {
  if (o.ok) return o.value;
  if (o.kind === 'validation') throw new ValidationError(o.field, o.expected);
  if (o.kind === 'conflict') throw new ConflictError(o.reason, o.rule);
  throw new PolicyRefusalError(o.rule, o.reason);
};

const load = async (deps: SarDeps, sarId: string): Promise<SubjectAccessRequest> => {
  const sar = await deps.sars.get(sarId);
  if (!sar) throw new NotFoundError(`subject access request ${sarId}`);
  return sar;
};

const save = async (deps: SarDeps, next: SubjectAccessRequest, before: SubjectAccessRequest) => {
  if (!(await deps.sars.replace(next, before.version)))
    throw new ConflictError(
      `subject access request ${before.sarId} changed while this request ran; try again`,
    );
  return next;
};

/** Never the clear number in a log: its last three digits say enough to the reader. */
const callerFilter = (sar: SubjectAccessRequest): string => sar.callers.map((c) => `…${c.last3}`).join(',');

const auditEntry = (
  sar: SubjectAccessRequest,
  actor: string,
  correlationId: string,
  entry: Pick<AuditEntry, 'action' | 'rule' | 'note'> & Partial<AuditEntry>,
): AuditEntry => ({
  actor,
  purpose: SAR_PURPOSE,
  outcome: 'allowed',
  correlationId,
  ...entry,
  note: `SAR ${sar.sarId}: ${entry.note}`,
});

export const openRequest = async (
  deps: SarDeps,
  principal: Principal,
  input: OpenBody,
): Promise<SubjectAccessRequest> => {
  requireIg(principal);
  const numbers = [...new Set(input.callerNumbers.map((n) => n.replace(/\s+/g, '')))];
  const callers = await Promise.all(
    numbers.map(async (n) => ({ hash: await deps.callers.pseudonymise(n), last3: n.slice(-3) })),
  );
  const sar = decided(
    openSar(
      {
        requester: input.requester,
        identityChecks: input.identityChecks,
        callers,
        from: input.from,
        to: input.to,
        receivedOn: input.receivedOn,
      },
      { sarId: deps.newId(), staffId: principal.staffId, now: deps.now() },
    ),
  );
  await deps.sars.create(sar);
  return sar;
};

export const getRequest = async (deps: SarDeps, principal: Principal, input: SarRef) => {
  requireIg(principal);
  return load(deps, input.sarId);
};

export const extendRequest = async (deps: SarDeps, principal: Principal, input: SarRef & ExtendBody) => {
  requireIg(principal);
  const sar = await load(deps, input.sarId);
  const next = decided(
    extend(sar, { to: input.to, reason: input.reason, by: principal.staffId, now: deps.now() }),
  );
  return save(deps, next, sar);
};

/**
 * Finds every archived recording of the request's caller number(s) in its date range, in every service
 * area, through the caller index; records one audit entry naming the request (what was searched, how many
 * were found, in which areas) before anything is returned or kept.
 */
export const searchRequest = async (deps: SarDeps, principal: Principal, input: SarStep) => {
  requireIg(principal);
  const sar = await load(deps, input.sarId);
  const found = (
    await Promise.all(sar.callers.map((c) => deps.callers.recordingsOf(c.hash, sar.from, sar.to)))
  ).flat();
  const next = decided(recordSearch(sar, found, { staffId: principal.staffId, now: deps.now() }));
  const areas = [...new Set(next.recordings.map((r) => r.serviceArea))].sort();
  await deps.audit(
    auditEntry(sar, principal.staffId, input.correlationId, {
      action: 'search',
      rule: SAR_RULES.search,
      filters: { sar: sar.sarId, caller: callerFilter(sar), from: sar.from, to: sar.to },
      note: `subject access search found ${next.recordings.length} recording(s)${areas.length ? ` in ${areas.join(', ')}` : ''}`,
    }),
  );
  return save(deps, next, sar);
};

export const markRequestRecording = async (
  deps: SarDeps,
  principal: Principal,
  input: SarRecordingStep & { readonly mark: MarkBody },
) => {
  requireIg(principal);
  const { recordingId, mark } = input;
  const sar = await load(deps, input.sarId);
  const next = decided(
    markRecording(sar, recordingId, mark, { staffId: principal.staffId, now: deps.now() }),
  );
  const rec = next.recordings.find((r) => r.recordingId === recordingId) as SarRecording;
  await deps.audit(
    auditEntry(sar, principal.staffId, input.correlationId, {
      action: 'view',
      rule: SAR_RULES.mark,
      recordingId,
      serviceArea: rec.serviceArea,
      note: `marked ${mark.decision}${mark.exemption ? ` under ${mark.exemption}` : ''}`,
    }),
  );
  return save(deps, next, sar);
};

/** IG listens to a recording its request found (purpose subject-access), audited; nothing else. */
export const playRequestRecording = async (deps: SarDeps, principal: Principal, input: SarRecordingStep) => {
  requireIg(principal);
  const { recordingId, correlationId } = input;
  const sar = await load(deps, input.sarId);
  const found = inResults(sar, recordingId);
  if (!found.ok) {
    await deps.audit(
      auditEntry(sar, principal.staffId, correlationId, {
        action: 'playback',
        rule: found.ok === false && 'rule' in found ? found.rule : SAR_RULES.playback,
        recordingId,
        outcome: 'denied',
        note: 'playback refused: not a recording this request found',
      }),
    );
    decided(found);
  }
  const rec = (found as { value: SarRecording }).value;
  const ttl = deps.config.playbackLinkTtlSeconds;
  const expiresAt = new Date(deps.now().getTime() + ttl * 1000).toISOString();
  await deps.audit(
    auditEntry(sar, principal.staffId, correlationId, {
      action: 'playback',
      rule: SAR_RULES.playback,
      recordingId,
      serviceArea: rec.serviceArea,
      note: `playback to decide the request, link expires ${expiresAt}`,
    }),
  );
  return { url: await deps.links.playRecording(rec, ttl), expiresAt };
};

const packageLinks = async (
  deps: SarDeps,
  sar: SubjectAccessRequest,
  principal: Principal,
  correlationId: string,
) => {
  const pkg = sar.package;
  if (!pkg)
    throw new ConflictError(`subject access request ${sar.sarId} has no package yet`, SAR_RULES.packageFirst);
  const now = deps.now();
  const remaining = Math.floor((Date.parse(pkg.expiresAt) - now.getTime()) / 1000);
  if (remaining <= 0)
    throw new ConflictError(
      `the package of ${sar.sarId} expired at ${pkg.expiresAt}`,
      'dpa.sar-package-expired',
    );
  const ttl = Math.min(deps.config.packageLinkTtlSeconds, remaining);
  const linkExpiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
  for (const recordingId of pkg.recordingIds) {
    const rec = sar.recordings.find((r) => r.recordingId === recordingId);
    await deps.audit(
      auditEntry(sar, principal.staffId, correlationId, {
        action: 'share',
        rule: SAR_RULES.disclosure,
        recordingId,
        serviceArea: rec?.serviceArea,
        note: `disclosed to the data subject in package ${pkg.packageId}, link expires ${linkExpiresAt}`,
      }),
    );
  }
  const files = [];
  for (const key of pkg.keys)
    files.push({ name: key.split('/').at(-1) ?? key, url: await deps.links.packageFile(key, ttl) });
  return { packageId: pkg.packageId, files, linkExpiresAt, packageExpiresAt: pkg.expiresAt };
};

/**
 * The package of the recordings marked disclose (audio, cover sheet, manifest, KMS-signed certificate),
 * one Release of Recording Log entry per recording, the request updated, one audit entry per recording
 * disclosed; then the links.
 */
export const packageRequest = async (deps: SarDeps, principal: Principal, input: SarStep) => {
  requireIg(principal);
  const sar = await load(deps, input.sarId);
  const recordings = decided(disclosable(sar));
  const now = deps.now();
  const packageId = `${sar.sarId}-pkg`;
  const recipient = `the data subject (${sar.requester.name})`;
  const built = await buildPackage(deps.packages, deps.signer, {
    packageId,
    kind: 'subject-access',
    prefix: `subject-access/${sar.sarId}/`,
    disclosure: {
      purpose: 'subject access request (UK GDPR Article 15, Data Protection Act 2018)',
      requester: recipient,
      recipient,
      authoriser: principal.staffId,
      reference: sar.requester.reference ?? sar.sarId,
    },
    recordings,
    now,
  });
  for (const r of recordings)
    await deps.releaseLog.append(
      logEntry(sar, r, principal.staffId, packageId, built.certificate.manifestSha256),
    );
  const expiresAt = new Date(now.getTime() + deps.config.packageTtlDays * 86_400_000).toISOString();
  const next = await save(
    deps,
    withPackage(sar, {
      packageId,
      keys: built.keys,
      manifestSha256: built.certificate.manifestSha256,
      recordingIds: recordings.map((r) => r.recordingId),
      createdBy: principal.staffId,
      createdAt: now.toISOString(),
      expiresAt,
    }),
    sar,
  );
  return { request: next, ...(await packageLinks(deps, next, principal, input.correlationId)) };
};

/** The Release of Recording Log entry of one disclosed recording (the four fields policy s.6 names). */
export const logEntry = (
  sar: SubjectAccessRequest,
  r: SarRecording,
  authoriser: string,
  packageId: string,
  manifestSha256: string,
): ReleaseLogPayload => ({
  event: 'SAR_DISCLOSED',
  releaseId: sar.sarId,
  actor: authoriser,
  purpose: `${SAR_PURPOSE} (UK GDPR Art. 15)`,
  requester: `data subject (SAR ${sar.sarId})`,
  recordingDateTime: r.startedAt,
  authoriser,
  recordingId: r.recordingId,
  destination: `data-subject:${sar.sarId}`,
  detail: `package ${packageId}, manifest sha256 ${manifestSha256}`,
});

/** Fresh download links to the package (audited as a disclosure, once per recording). */
export const requestPackageLinks = async (deps: SarDeps, principal: Principal, input: SarStep) => {
  requireIg(principal);
  return packageLinks(deps, await load(deps, input.sarId), principal, input.correlationId);
};

export const closeRequest = async (
  deps: SarDeps,
  principal: Principal,
  input: SarRef & { readonly note: string },
) => {
  requireIg(principal);
  const sar = await load(deps, input.sarId);
  return save(
    deps,
    decided(closeSar(sar, { note: input.note, by: principal.staffId, now: deps.now() })),
    sar,
  );
};

/** Open requests by due date, overdue ones, and requests closed per month over the last `months`. */
export const subjectAccessReport = async (
  deps: SarDeps,
  principal: Principal,
  input: { readonly months: number },
): Promise<SarReport> => {
  if (!hasAnyRole(principal, SAR_REPORT_READERS))
    throw new ForbiddenError(
      SAR_RULES.reportReaders,
      'subject access reports are for IG officers and the Release of Recording Log keeper',
    );
  const now = deps.now();
  const since = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (input.months - 1), 1),
  ).toISOString();
  const [open, closed] = await Promise.all([deps.sars.listOpen(), deps.sars.listClosedSince(since)]);
  return sarReport(open, closed, londonDay(now));
};
