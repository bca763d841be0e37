/**
 * Register a call (POST /uploads):
 *  1. only the telephony platform (scope crs/ingest) may register;
 *  2. a call id seen before answers from its record: same body → same recording, other body → 409;
 *  3. otherwise the gate (PCI, business case, extension) admits or refuses with the rule; a call dated
 *     in the future (beyond 5 minutes of clock skew) is a 400; a call already past its 24-month point
 *     (s.7) is refused unless an active IG hold's query covers it (the hold is applied once archived);
 *  4. the caller number is pseudonymised (KMS HMAC + last 3 digits), never stored in clear (asked for
 *     beside the reads of step 2, used only once the call is admitted);
 *  5. idempotency record + PENDING catalogue entry are written in one conditional transaction, so
 *     concurrent duplicates end with one recording;
 *  6. the compliance counters (reports) and the staff register (first-use notices) hear of the call;
 *     both are idempotent, so a replay repeats them to cover a crash right after step 5;
 *  7. the reply carries a presigned PUT for `incoming/<recordingId>` (no personal data in the key).
 */
import { createHash, randomUUID } from 'node:crypto';
import { INBOX_PREFIX } from '../../declarations/buckets.js';
import { UPLOADS_METRIC } from '../../declarations/metrics.js';
import { ConflictError, ForbiddenError, PolicyRefusalError } from '../domain/errors.js';
import { holdCoversCall } from '../domain/holds.js';
import { callAge, PAST_DELETION_RULE, retentionDates } from '../domain/retention.js';
import { isIngestClient, type Principal } from '../domain/roles.js';
import { AUDIO_MIME, admitUpload, checkCallNotInFuture, last3 } from '../domain/upload.js';
import { metric } from '../platform/metrics.js';
import type { CallRecord, IngestApiDeps, IngestRecording, PresignedPut } from '../ports/ingest.js';
import { handled } from './handled.js';
import type { UploadBody } from './schema.js';

export interface UploadAnswer {
  readonly recordingId: string;
  readonly callId: string;
  readonly status: IngestRecording['status'];
  readonly complianceFlags: readonly string[];
  readonly upload: PresignedPut;
}

export const requireIngestClient = (principal: Principal): void => {
  if (!isIngestClient(principal)) {
    throw new ForbiddenError('ingest.scope', 'only the telephony platform (scope crs/ingest) may do this');
  }
};

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

export const bodyHashOf = (body: UploadBody): string =>
  createHash('sha256').update(canonical(body)).digest('hex');

export const inboxKeyOf = (recordingId: string): string => `${INBOX_PREFIX.incoming}${recordingId}`;

/** Side registers that must hear of every registered call; each write is idempotent, so side by side. */
const announce = async (deps: IngestApiDeps, recording: IngestRecording): Promise<void> => {
  await Promise.all([
    deps.countRegistered(recording),
    deps.noteStaffInArea(recording.agentId, recording.serviceArea, recording.startedAt.slice(0, 10)),
  ]);
};

const answer = async (deps: IngestApiDeps, recording: IngestRecording, now: Date): Promise<UploadAnswer> => ({
  recordingId: recording.recordingId,
  callId: recording.callId,
  status: recording.status,
  complianceFlags: recording.complianceFlags ?? [],
  upload: await deps.presignPut({
    bucket: deps.config.inboxBucket,
    key: inboxKeyOf(recording.recordingId),
    contentType: AUDIO_MIME[recording.audio.format],
    contentLength: recording.audio.sizeBytes,
    sha256Hex: recording.audio.sha256,
    kmsKeyId: deps.config.kmsKeyId,
    expiresInSeconds: deps.config.uploadLinkTtlSeconds,
    now,
  }),
});

/**
 * s.7: a call already past its 24-month point is due for deletion the moment it arrives, so it is taken
 * only when it is "retained for a specific purpose": an active hold whose catalogue query covers it.
 * Holds are placed by IG officers alone (with their guidance reference when kept past 24 months), so the
 * platform cannot vouch for an old call itself. Returns the covering hold's id, or refuses.
 */
const holdKeepingOldCall = async (deps: IngestApiDeps, body: UploadBody, now: Date): Promise<string> => {
  const { config } = deps;
  const covering = (await deps.holds.listActiveHolds()).find((h) => holdCoversCall(h, body));
  if (covering) return covering.holdId;
  const { deleteAfter } = retentionDates(new Date(body.startedAt), config.retention);
  throw new PolicyRefusalError(
    PAST_DELETION_RULE,
    `the call started ${new Date(body.startedAt).toISOString()}: it was due for deletion on ${deleteAfter.toISOString()} ` +
      `(policy s.7: recordings are deleted after ${config.retention.maxMonths} months) and is not registered. ` +
      `To keep it, Information Governance must first place a hold whose query covers service area ${body.serviceArea} ` +
      `and this start time, with its IG guidance reference (as of ${now.toISOString()} no active hold does)`,
  );
};

const replay = async (deps: IngestApiDeps, call: CallRecord, bodyHash: string, now: Date) => {
  if (call.bodyHash !== bodyHash) {
    throw new ConflictError(
      `call id ${call.callId} is already registered with different metadata; use a new call id or resend the original body`,
    );
  }
  const recording = await deps.registrations.getRecording(call.recordingId);
  if (!recording) throw new Error(`call ${call.callId} points at missing recording ${call.recordingId}`);
  await announce(deps, recording);
  return answer(deps, recording, now);
};

export const registerCall = async (
  deps: IngestApiDeps,
  principal: Principal,
  body: UploadBody,
  now = new Date(),
): Promise<UploadAnswer> => {
  const { config, registrations } = deps;
  requireIngestClient(principal);
  const bodyHash = bodyHashOf(body);
  // The call record, the registers the gate reads and the caller's pseudonym (KMS), side by side: one
  // round trip instead of three in a row. A replay or a refused call drops the reads and the pseudonym
  // unused (never stored; a KMS failure then fails nothing), which costs less than the waits.
  const withheld = body.counterparty === 'withheld';
  const pseudonym = withheld ? undefined : handled(deps.pseudonymise(body.counterparty));
  const [seen, area, extension] = await Promise.all([
    registrations.getCallRecord(body.callId),
    deps.areas.get(body.serviceArea),
    deps.extensions.get(body.extension),
  ]);
  if (seen) return replay(deps, seen, bodyHash, now);

  checkCallNotInFuture(body, now);
  const admission = admitUpload(body, area, extension);
  const startedAt = new Date(body.startedAt);
  const keptByHold =
    callAge(startedAt, now, config.retention) === 'past-deletion'
      ? await holdKeepingOldCall(deps, body, now)
      : undefined;
  const callerHash = await pseudonym;

  const recordingId = randomUUID();
  const { retainUntil, deleteAfter } = retentionDates(startedAt, config.retention);
  const at = now.toISOString();
  const recording: IngestRecording = {
    recordingId,
    callId: body.callId,
    serviceArea: body.serviceArea,
    extension: body.extension,
    direction: body.direction,
    startedAt: startedAt.toISOString(),
    endedAt: new Date(body.endedAt).toISOString(),
    durationSeconds: admission.durationSeconds,
    agentId: body.agentId,
    ...(callerHash ? { callerHash, callerLast3: last3(body.counterparty) } : {}),
    callerWithheld: withheld,
    notification: body.notification,
    abuseReminder: body.abuseReminder,
    verificationReminder: body.verificationReminder,
    pci: body.pci,
    audio: body.audio,
    status: 'PENDING',
    statusAt: at,
    registeredAt: at,
    retainUntil: retainUntil.toISOString(),
    deleteAfter: deleteAfter.toISOString(),
    holdCount: 0,
    ...(keptByHold ? { admittedUnderHold: keptByHold } : {}),
    complianceFlags: admission.complianceFlags,
  };
  const call: CallRecord = { callId: body.callId, recordingId, bodyHash, registeredAt: at };
  if (await registrations.register(call, recording)) {
    await announce(deps, recording);
    metric(UPLOADS_METRIC);
    return answer(deps, recording, now);
  }

  // A concurrent request with the same call id won the conditional write: answer as a replay.
  const winner = await registrations.getCallRecord(body.callId);
  if (!winner)
    throw new Error(`registration of call ${body.callId} failed its condition but no record exists`);
  return replay(deps, winner, bodyHash, now);
};
