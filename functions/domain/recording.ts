/**
 * A recording as the catalogue holds it (one item per recording, keyed by `recordingId`).
 * Caller numbers are never stored in clear: `callerHash` is a KMS HMAC of the E.164 number,
 * `callerLast3` its last three digits for display.
 */
export const RECORDING_STATUSES = ['PENDING', 'ARCHIVED', 'QUARANTINED', 'DELETED', 'EXPIRED'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

export const NOTIFICATION_METHODS = ['announcement', 'agent-statement', 'advance-notice', 'none'] as const;
export type NotificationMethod = (typeof NOTIFICATION_METHODS)[number];

export const AUDIO_FORMATS = ['wav', 'mp3', 'ogg', 'flac', 'm4a'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

export interface DeletionCertificate {
  /** staff id, or `system:sweeper` / `system:s3-lifecycle` */
  readonly by: string;
  readonly at: string;
  /** e.g. `s7.delete-after-24-months`, `s6.nominated-delete` */
  readonly rule: string;
  readonly reason: string;
  readonly archiveKey: string;
  readonly versionId?: string;
  readonly sha256: string;
}

export interface Recording {
  readonly recordingId: string;
  /** The telephony platform's call id: the idempotency key of registration. */
  readonly callId: string;
  readonly serviceArea: string;
  readonly extension: string;
  readonly direction: 'inbound' | 'outbound';
  /** ISO 8601, UTC. */
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationSeconds: number;
  readonly agentId: string;
  readonly callerHash?: string;
  readonly callerLast3?: string;
  readonly callerWithheld: boolean;
  readonly notification: { method: NotificationMethod; evidenceRef?: string };
  readonly abuseReminder: boolean;
  readonly verificationReminder: boolean;
  readonly pci: { pausedSegments: { fromSecond: number; toSecond: number }[]; cardDataCaptured: boolean };
  readonly audio: { format: AudioFormat; sizeBytes: number; sha256: string };
  readonly status: RecordingStatus;
  readonly statusAt: string;
  readonly registeredAt: string;
  readonly archivedAt?: string;
  readonly archiveKey?: string;
  readonly archiveVersionId?: string;
  /** Object Lock retain-until: call start + 12 months. */
  readonly retainUntil: string;
  /** call start + 24 months; `deleteDay` (YYYY-MM-DD) indexes it for the sweeper while not deleted. */
  readonly deleteAfter: string;
  readonly deleteDay?: string;
  /** Active holds covering this recording (kept atomically by the hold functions). */
  readonly holdCount: number;
  /**
   * Registered past its 24-month point because this IG hold covered it (s.7); the ingest worker asks
   * the hold functions to apply it once the recording is archived.
   */
  readonly admittedUnderHold?: string;
  readonly quarantine?: { reason: string; detail: string; at: string; key: string };
  readonly deletion?: DeletionCertificate;
}

/** A catalogue search (GET /recordings), answered newest first through the most selective index. */
export interface RecordingSearch {
  /** Service areas the caller may search; results outside them are never returned. */
  readonly areas: readonly string[];
  /** Required unless callerHash, extension or agentId picks an index. */
  readonly serviceArea?: string;
  readonly callerHash?: string;
  readonly extension?: string;
  readonly agentId?: string;
  readonly status?: RecordingStatus;
  /** ISO 8601 UTC bounds on startedAt, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface RecordingPage {
  readonly items: Recording[];
  readonly cursor?: string;
}
