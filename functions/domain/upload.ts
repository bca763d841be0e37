/**
 * Admission of a call registration (POST /uploads): the gate of policy s.2 (PCI), s.3 (business case),
 * s.4 (registered recorded extensions) and s.5 (customer notification). Pure: the caller looks up the
 * registers and passes what it found.
 */
import type { ServiceArea } from './business-case.js';
import { PolicyRefusalError, ValidationError } from './errors.js';
import { type Extension, isRecorded } from './extension.js';
import type { AudioFormat, NotificationMethod } from './recording.js';
import { CLOCK_SKEW_MS } from './retention.js';

/** A call may last at most this long (a day-long "call" is a stuck line, not a conversation). */
export const MAX_CALL_SECONDS = 8 * 60 * 60;
/** S3's single PUT / CopyObject limit. */
export const MAX_AUDIO_BYTES = 5_000_000_000;
/** A registration never uploaded expires after this long. */
export const REGISTRATION_TTL_MS = 24 * 60 * 60 * 1000;

export const COMPLIANCE_FLAGS = {
  noCustomerNotification: 's5.no-customer-notification',
} as const;

export interface UploadRequest {
  readonly callId: string;
  readonly serviceArea: string;
  readonly extension: string;
  readonly direction: 'inbound' | 'outbound';
  readonly startedAt: string;
  readonly endedAt: string;
  readonly agentId: string;
  /** E.164 or `withheld`. */
  readonly counterparty: string;
  readonly notification: { method: NotificationMethod; evidenceRef?: string };
  readonly abuseReminder: boolean;
  readonly verificationReminder: boolean;
  readonly pci: { pausedSegments: { fromSecond: number; toSecond: number }[]; cardDataCaptured: boolean };
  readonly audio: { format: AudioFormat; sizeBytes: number; sha256: string };
}

/** Cross-field checks the schema cannot express; throws ValidationError naming the field. */
export const callDurationSeconds = (req: Pick<UploadRequest, 'startedAt' | 'endedAt' | 'pci'>): number => {
  const start = Date.parse(req.startedAt);
  const end = Date.parse(req.endedAt);
  if (!(end > start))
    throw new ValidationError(
      'body.endedAt',
      `must be after startedAt: endedAt − startedAt is the call's length, which the audio must match (within ${DURATION_TOLERANCE_TEXT})`,
    );
  const seconds = (end - start) / 1000;
  if (seconds > MAX_CALL_SECONDS) {
    throw new ValidationError('body.endedAt', `a call may last at most ${MAX_CALL_SECONDS} seconds`);
  }
  req.pci.pausedSegments.forEach((s, i) => {
    if (!(s.toSecond > s.fromSecond) || s.toSecond > seconds) {
      throw new ValidationError(
        `body.pci.pausedSegments.${i}`,
        `fromSecond < toSecond <= call duration (${seconds} s)`,
      );
    }
  });
  return seconds;
};

/** A call cannot have started or ended in the future; `CLOCK_SKEW_MS` allows for clock drift. → 400 */
export const checkCallNotInFuture = (req: Pick<UploadRequest, 'startedAt' | 'endedAt'>, now: Date): void => {
  const latest = now.getTime() + CLOCK_SKEW_MS;
  const skew = `${CLOCK_SKEW_MS / 60_000} minutes`;
  for (const field of ['startedAt', 'endedAt'] as const) {
    if (Date.parse(req[field]) > latest) {
      throw new ValidationError(
        `body.${field}`,
        `must not be in the future (server time ${now.toISOString()}, allowing ${skew} of clock skew)`,
      );
    }
  }
};

export interface Admission {
  readonly durationSeconds: number;
  readonly complianceFlags: readonly string[];
}

/** Decides whether the platform may deposit this call. Refusals say what the platform engineer must fix. */
export const admitUpload = (
  req: UploadRequest,
  area: ServiceArea | undefined,
  extension: Extension | undefined,
): Admission => {
  const durationSeconds = callDurationSeconds(req);
  if (req.pci.cardDataCaptured) {
    throw new PolicyRefusalError(
      's2.pci-card-data',
      'the call captured card data: it must not be stored. Do not upload it; purge it on the platform and tell IT Security',
    );
  }
  if (!area) {
    throw new PolicyRefusalError(
      's3.business-case',
      `service area ${req.serviceArea} is not registered: it needs an approved business case before recording`,
    );
  }
  if (area.status !== 'approved') {
    throw new PolicyRefusalError(
      's3.business-case',
      `service area ${req.serviceArea} has no approved business case (missing: ${area.missing.join('; ')})`,
    );
  }
  if (!extension) {
    throw new PolicyRefusalError(
      's4.extension-not-registered',
      `extension ${req.extension} is not registered as a recorded extension`,
    );
  }
  if (!isRecorded(extension.mode)) {
    throw new PolicyRefusalError(
      's4.extension-not-recorded',
      `extension ${req.extension} is registered as not recorded (mode never): calls on it must not be recorded`,
    );
  }
  if (extension.serviceArea !== req.serviceArea) {
    throw new PolicyRefusalError(
      's4.extension-other-area',
      `extension ${req.extension} belongs to service area ${extension.serviceArea}, not ${req.serviceArea}`,
    );
  }
  const complianceFlags =
    req.notification.method === 'none' ? [COMPLIANCE_FLAGS.noCustomerNotification] : ([] as string[]);
  return { durationSeconds, complianceFlags };
};

/** The last three digits of an E.164 number, for display beside its pseudonym. */
export const last3 = (e164: string): string => e164.slice(-3);

/** The one map of audio format → content type (archive, playback links, release copies, packages). */
export const AUDIO_MIME: Record<AudioFormat, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
};

/** The content type of a stored format; a format this build does not know is served as bytes. */
export const contentTypeOf = (format: string): string =>
  AUDIO_MIME[format as AudioFormat] ?? 'application/octet-stream';

/** Archive key: no personal data — service area / call date (UTC) / recording id. */
export const archiveKeyFor = (
  serviceArea: string,
  startedAt: string,
  recordingId: string,
  format: AudioFormat,
) => {
  const d = new Date(startedAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${serviceArea}/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${recordingId}.${format}`;
};

/** How far the measured duration may be from the registered one before the audio is quarantined. */
export const DURATION_TOLERANCE = { seconds: 5, fraction: 0.05 } as const;
export const DURATION_TOLERANCE_TEXT = '5 s or 5 % of the call, whichever is more';

export const durationTolerance = (declared: number): number =>
  Math.max(DURATION_TOLERANCE.seconds, declared * DURATION_TOLERANCE.fraction);

export const durationMatches = (measured: number, declared: number): boolean =>
  Math.abs(measured - declared) <= durationTolerance(declared);

export const QUARANTINE_REASONS = [
  'no-registration',
  'size-mismatch',
  'checksum-mismatch',
  'format-mismatch',
  'duration-unreadable',
  'duration-mismatch',
  'truncated',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];
