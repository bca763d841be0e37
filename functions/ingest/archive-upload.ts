/**
 * Archive one uploaded object (one S3 record of an inbox event). Every step is safe to repeat, and a
 * crash between any two steps followed by redelivery ends in one archived object and one catalogue entry:
 *  1. find the registration; none → quarantine (`no-registration`);
 *     already ARCHIVED/QUARANTINED → finish the tail (remove the inbox object) and stop;
 *  2. take a lease on the catalogue entry (conditional write; a duplicate event waits and retries) —
 *     sent beside the read of step 1, as its condition repeats the read's checks;
 *  3. check size, then SHA-256: S3's stored full-object checksum (HeadObject ChecksumMode=ENABLED) when
 *     present — the presigned PUT made S3 verify it on upload — else stream-hash the body (emulators);
 *  4. range-GET the first 64 KiB and confirm container and duration against the registration, and that
 *     the container declares no more bytes than the object holds (else quarantine `truncated`);
 *  5. server-side copy into `archive` (Object Lock GOVERNANCE until call start + 12 months — for a call
 *     older than that, a short lock ending by delete-after: domain/retention.ts archiveLockUntil — tag
 *     retention=standard, SHA-256, SSE-KMS) unless a previous attempt already left the same object there;
 *  6. catalogue → ARCHIVED (conditional); 6b. a call registered past 24 months under an IG hold: ask the
 *     hold functions (their fan-out queue) to apply that hold, again on any redelivery; 7. delete the
 *     inbox object.
 * Bad audio is moved to `quarantine/<id>` with `quarantine/<id>.reason.json`, catalogue → QUARANTINED.
 */
import { INBOX_PREFIX } from '../../declarations/buckets.js';
import { QUARANTINED_METRIC } from '../../declarations/metrics.js';
import { archiveLockUntil } from '../domain/retention.js';
import {
  AUDIO_MIME,
  archiveKeyFor,
  DURATION_TOLERANCE_TEXT,
  durationMatches,
  durationTolerance,
  type QuarantineReason,
} from '../domain/upload.js';
import { log } from '../platform/log.js';
import { metric } from '../platform/metrics.js';
import type { ArchiveDeps } from '../ports/ingest.js';
import { PROBE_BYTES, probeAudio } from './audio-probe.js';
import { handled } from './handled.js';

/** S3 answers checksums in base64; registrations carry them in hex. */
const hexToBase64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

export type ArchiveOutcome =
  | { outcome: 'archived'; recordingId: string; archiveKey: string }
  | { outcome: 'quarantined'; recordingId: string; reason: QuarantineReason }
  | { outcome: 'already-done'; recordingId: string; status: string }
  | { outcome: 'ignored'; key: string; why: string };

/** Retryable: the message fails, SQS redelivers it later (and, after maxReceiveCount, moves it to the DLQ). */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

export interface ArchiveInput {
  readonly bucket: string;
  readonly key: string;
  /** Lease owner: the SQS message id, so a redelivery of the same message can resume after a crash. */
  readonly attemptId: string;
  readonly now?: Date;
}

const LEASE_MS = 6 * 60 * 1000; // > the worker's 300 s timeout
const RECORDING_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const quarantineKeys = (id: string) => ({
  object: `${INBOX_PREFIX.quarantine}${id}`,
  reason: `${INBOX_PREFIX.quarantine}${id}.reason.json`,
});

export const archiveUpload = async (deps: ArchiveDeps, input: ArchiveInput): Promise<ArchiveOutcome> => {
  const { config } = deps;
  const now = input.now ?? new Date();
  if (input.bucket !== config.inboxBucket || !input.key.startsWith(INBOX_PREFIX.incoming)) {
    return { outcome: 'ignored', key: input.key, why: 'not an inbox upload' };
  }
  const recordingId = input.key.slice(INBOX_PREFIX.incoming.length);
  const { catalogue: cat, objects: obj } = deps;

  const quarantine = async (
    reason: QuarantineReason,
    detail: string,
    registered?: { serviceArea: string; startedAt: string },
  ) => {
    const keys = quarantineKeys(recordingId);
    const head = await obj.headObject(config.inboxBucket, input.key);
    if (head) {
      await obj.copyObject({
        from: { bucket: config.inboxBucket, key: input.key },
        to: { bucket: config.inboxBucket, key: keys.object },
        contentType: head.contentType ?? 'application/octet-stream',
        metadata: { 'recording-id': recordingId, 'quarantine-reason': reason },
        kmsKeyId: config.kmsKeyId,
      });
    }
    const at = now.toISOString();
    await obj.putJson(
      config.inboxBucket,
      keys.reason,
      {
        recordingId,
        reason,
        detail,
        at,
        sourceKey: input.key,
        quarantineKey: keys.object,
        registered: registered !== undefined,
      },
      config.kmsKeyId,
    );
    if (registered) await cat.markQuarantined(recordingId, { reason, detail, at, key: keys.object });
    await deps.countQuarantined({
      subjectId: registered ? recordingId : input.key,
      ...(registered ? { serviceArea: registered.serviceArea, startedAt: registered.startedAt } : {}),
      at,
      reason,
    });
    await obj.deleteObject(config.inboxBucket, input.key);
    metric(QUARANTINED_METRIC, { reason });
    log.warn('recording quarantined', { recordingId, reason, detail });
    return { outcome: 'quarantined' as const, recordingId, reason };
  };

  // The reads below decide nothing until the lease is held, so they start beside the catalogue read
  // rather than after it: fewer round trips in a row on every upload (each one is ~10–50 ms).
  const recordingRead = RECORDING_ID.test(recordingId) ? cat.getRecording(recordingId) : undefined;
  // The lease too: its condition (the entry exists, PENDING or EXPIRED, no other live lease) is the same
  // check the read below makes, so it is taken only where the read would have taken it; elsewhere it
  // fails and writes nothing. One round trip fewer in a row on every upload.
  const leased = recordingRead
    ? handled(cat.acquireLease(recordingId, input.attemptId, now, LEASE_MS))
    : undefined;
  const inboxHead = handled(obj.headObject(config.inboxBucket, input.key));
  const probeBytes = handled(obj.readHead(config.inboxBucket, input.key, PROBE_BYTES));
  // The header is parsed as soon as its bytes and the object's size are in, while the lease and the
  // archive HEAD are still on their way (CPU beside I/O); its result is looked at only after the size
  // and checksum checks below, as before.
  // (No inbox object: nothing below looks at it.)
  const probed = handled(
    Promise.all([probeBytes, inboxHead]).then(([bytes, inbox]) => probeAudio(bytes, inbox?.size ?? 0)),
  );
  const recording = await recordingRead;
  if (!recording) {
    if (!(await inboxHead)) return { outcome: 'ignored', key: input.key, why: 'object already gone' };
    return quarantine('no-registration', `no registration for ${input.key}`);
  }
  if (
    recording.status === 'ARCHIVED' ||
    recording.status === 'QUARANTINED' ||
    recording.status === 'DELETED'
  ) {
    // A duplicate or late event: the work is done; only the inbox object may be left behind (and a
    // crash after step 6 may have left the hold request unsent: send it again, it is idempotent).
    if (recording.status === 'ARCHIVED' && recording.admittedUnderHold) {
      await deps.requestHold(recording.admittedUnderHold, recordingId);
    }
    await obj.deleteObject(config.inboxBucket, input.key);
    return { outcome: 'already-done', recordingId, status: recording.status };
  }
  const declared = recording.audio;
  const archiveKey = archiveKeyFor(recording.serviceArea, recording.startedAt, recordingId, declared.format);
  const archivedHead = handled(obj.headObject(config.archiveBucket, archiveKey));
  if (!(await leased)) {
    throw new RetryLaterError(`recording ${recordingId} is being processed by another message`);
  }

  /** Steps 6 and 6b. */
  const settle = async (versionId: string | undefined): Promise<ArchiveOutcome> => {
    await cat.markArchived(recordingId, {
      archivedAt: now.toISOString(),
      archiveKey,
      ...(versionId ? { archiveVersionId: versionId } : {}),
      deleteDay: recording.deleteAfter.slice(0, 10),
    });
    if (recording.admittedUnderHold) await deps.requestHold(recording.admittedUnderHold, recordingId);
    metric('RecordingsArchived', { serviceArea: recording.serviceArea });
    return { outcome: 'archived', recordingId, archiveKey };
  };
  const reg = { serviceArea: recording.serviceArea, startedAt: recording.startedAt };
  const head = await inboxHead;
  const existing = await archivedHead;
  // Only a verified upload is ever copied with the registered SHA-256 in its metadata.
  const alreadyCopied = existing !== undefined && existing.metadata.sha256 === declared.sha256;
  if (!head) {
    // A previous attempt copied the verified audio and removed the inbox object, but its catalogue write
    // (which runs beside that removal) did not land: finish it.
    if (alreadyCopied) return settle(existing.versionId);
    throw new RetryLaterError(`inbox object ${input.key} not found while ${recording.status}`);
  }
  if (head.size !== declared.sizeBytes) {
    return quarantine('size-mismatch', `uploaded ${head.size} bytes, registered ${declared.sizeBytes}`, reg);
  }
  const expected = hexToBase64(declared.sha256);
  const actual = head.sha256 ?? (await obj.hashObject(config.inboxBucket, input.key)).sha256;
  if (actual !== expected) {
    return quarantine(
      'checksum-mismatch',
      `SHA-256 ${actual} does not match the registered ${expected}`,
      reg,
    );
  }
  const { format, container, durationSeconds, truncated } = await probed;
  if (format !== declared.format) {
    return quarantine(
      'format-mismatch',
      `registered ${declared.format}, found ${container ?? 'no known audio container'}`,
      reg,
    );
  }
  if (truncated) {
    return quarantine(
      'truncated',
      `the ${container} header declares more audio than the ${head.size} bytes uploaded (${truncated})`,
      reg,
    );
  }
  if (durationSeconds === undefined) {
    return quarantine('duration-unreadable', 'the duration cannot be read from the audio header', reg);
  }
  if (!durationMatches(durationSeconds, recording.durationSeconds)) {
    return quarantine(
      'duration-mismatch',
      `audio lasts ${durationSeconds.toFixed(1)} s, registered ${recording.durationSeconds} s (endedAt − startedAt); ` +
        `allowed difference ${durationTolerance(recording.durationSeconds)} s (${DURATION_TOLERANCE_TEXT})`,
      reg,
    );
  }

  const copied = alreadyCopied
    ? { versionId: existing.versionId }
    : await obj.copyObject({
        from: { bucket: config.inboxBucket, key: input.key },
        to: { bucket: config.archiveBucket, key: archiveKey },
        contentType: AUDIO_MIME[declared.format],
        metadata: { 'recording-id': recordingId, sha256: declared.sha256 },
        kmsKeyId: config.kmsKeyId,
        tags: { retention: 'standard' },
        retainUntil: archiveLockUntil(new Date(recording.retainUntil), new Date(recording.deleteAfter), now),
        lockMode: config.archiveLockMode,
      });
  // Steps 6–7 side by side: whichever fails, a redelivery finishes the rest (ARCHIVED → `already-done`
  // resends the hold request and removes the inbox object; inbox gone + verified copy → settle above).
  const [outcome] = await Promise.all([
    settle(copied.versionId),
    obj.deleteObject(config.inboxBucket, input.key),
  ]);
  metric('ArchivedBytes', {}, head.size, 'Bytes');
  return outcome;
};
