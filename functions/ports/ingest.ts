/**
 * What ingest needs from the outside world: the API that registers calls and reports their progress
 * (functions/ingest/register-call.ts, upload-status.ts), the worker that archives an uploaded recording
 * (functions/ingest/archive-upload.ts) and the sweep that expires registrations never uploaded
 * (functions/ingest/expire-registrations.ts). functions/ingest/api-deps.ts, deps.ts and expiry-deps.ts
 * build them from the AWS adapters; unit tests pass in-memory fakes (test/unit/ingest/fake-ports.ts).
 */
import type { HoldsStore } from '../domain/holds.js';
import type { Recording } from '../domain/recording.js';
import type { ExtensionStore, ServiceAreaStore } from './registers.js';

/** A catalogue entry as ingest reads it: the recording and the flags the gate gave it. */
export type IngestRecording = Recording & { readonly complianceFlags?: readonly string[] };

export interface ArchivedFields {
  readonly archivedAt: string;
  readonly archiveKey: string;
  readonly archiveVersionId?: string;
  readonly deleteDay: string;
}

export interface QuarantineFields {
  readonly reason: string;
  readonly detail: string;
  readonly at: string;
  readonly key: string;
}

/** The recordings catalogue as the worker sees it (functions/adapters/catalogue-store.ts). */
export interface IngestCatalogue {
  getRecording(recordingId: string): Promise<IngestRecording | undefined>;
  /**
   * Takes the recording for one worker: only while PENDING or EXPIRED, and only if no other owner holds
   * an unexpired lease (the same owner may take its own back). False when refused; writes nothing then.
   */
  acquireLease(recordingId: string, owner: string, now: Date, leaseMs: number): Promise<boolean>;
  /** PENDING/EXPIRED → ARCHIVED, dropping the lease; a repeat with the same key is a no-op success. */
  markArchived(recordingId: string, fields: ArchivedFields): Promise<void>;
  /** PENDING/EXPIRED → QUARANTINED, dropping the lease; a repeat is a no-op success. */
  markQuarantined(recordingId: string, quarantine: QuarantineFields): Promise<void>;
}

export interface ObjectHead {
  readonly size: number;
  /** Full-object SHA-256 (base64) when S3 stored one; undefined for composite checksums. */
  readonly sha256?: string;
  readonly versionId?: string;
  readonly contentType?: string;
  readonly metadata: Record<string, string>;
}

export interface CopyInput {
  readonly from: { bucket: string; key: string };
  readonly to: { bucket: string; key: string };
  readonly contentType: string;
  readonly metadata: Record<string, string>;
  readonly kmsKeyId: string;
  readonly tags?: Record<string, string>;
  /** Object Lock retain-until, in `lockMode` (default GOVERNANCE: break-glass can still purge). */
  readonly retainUntil?: Date;
  readonly lockMode?: 'GOVERNANCE' | 'COMPLIANCE';
}

/** The inbox and archive objects (functions/adapters/object-store.ts); whole bodies are only streamed. */
export interface IngestObjects {
  headObject(bucket: string, key: string): Promise<ObjectHead | undefined>;
  /** Streams the object through SHA-256 (base64) in constant memory. */
  hashObject(bucket: string, key: string): Promise<{ sha256: string; size: number }>;
  /** The first `length` bytes (a range GET). */
  readHead(bucket: string, key: string, length: number): Promise<Buffer>;
  /** Server-side copy; the target gets its own SHA-256 checksum, SSE-KMS, tags and lock. */
  copyObject(input: CopyInput): Promise<{ versionId?: string }>;
  putJson(bucket: string, key: string, doc: unknown, kmsKeyId: string): Promise<void>;
  /** Idempotent: deleting a missing key succeeds. */
  deleteObject(bucket: string, key: string): Promise<void>;
}

/** One quarantined upload, for the compliance report's counter. */
export interface QuarantineEvent {
  /** recordingId, or the inbox object key when no registration matched. */
  readonly subjectId: string;
  /** Unknown when no registration matched: counted under `_unregistered`. */
  readonly serviceArea?: string;
  /** The call start when known, else the quarantine time. */
  readonly startedAt?: string;
  readonly at: string;
  readonly reason: string;
}

export interface IngestConfig {
  readonly inboxBucket: string;
  readonly archiveBucket: string;
  readonly kmsKeyId: string;
  readonly uploadLinkTtlSeconds: number;
  readonly retention: { minMonths: number; maxMonths: number };
  /** The archive's Object Lock mode (`archiveLockMode` in cdk.json); the first lock is set in it. */
  readonly archiveLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
}

/** The ingest worker's dependencies. */
export interface ArchiveDeps {
  readonly catalogue: IngestCatalogue;
  readonly objects: IngestObjects;
  /** The compliance report's quarantine counter (idempotent per subject). */
  readonly countQuarantined: (event: QuarantineEvent) => Promise<unknown>;
  /** Asks the hold functions to apply a hold to an archived recording (idempotent per recording). */
  readonly requestHold: (holdId: string, recordingId: string) => Promise<void>;
  readonly config: IngestConfig;
}

/** The catalogue as the registration expiry sees it. */
export interface ExpiryCatalogue {
  /** One page of registrations PENDING since before `before` (byStatus index, never a Scan). */
  pendingBefore(
    before: string,
    cursor?: Record<string, unknown>,
  ): Promise<{ items: IngestRecording[]; cursor?: Record<string, unknown> }>;
  /** PENDING → EXPIRED only if nothing touched it since it was read (statusAt unchanged); false if not. */
  markExpired(recordingId: string, seenStatusAt: string, at: string): Promise<boolean>;
}

/** The registration expiry's dependencies (a sweepers job). */
export interface ExpiryDeps {
  readonly catalogue: ExpiryCatalogue;
  /** The compliance report's expiry counter (idempotent per recording). */
  readonly countExpired: (
    r: Pick<Recording, 'recordingId' | 'serviceArea' | 'startedAt'>,
  ) => Promise<unknown>;
}

/** A call's idempotency record (functions/adapters/registers-store.ts). */
export interface CallRecord {
  readonly callId: string;
  readonly recordingId: string;
  /** SHA-256 of the canonical registration body: a replay with another body is a conflict. */
  readonly bodyHash: string;
  readonly registeredAt: string;
}

/** The registrations as the ingest API sees them (registers-store.ts call records, catalogue-store.ts). */
export interface RegistrationStore {
  getCallRecord(callId: string): Promise<CallRecord | undefined>;
  getRecording(recordingId: string): Promise<IngestRecording | undefined>;
  /**
   * The call record and the PENDING catalogue entry in one conditional transaction: false (nothing
   * written) when the call id is already registered, so concurrent duplicates end with one recording.
   */
  register(call: CallRecord, recording: IngestRecording): Promise<boolean>;
}

export interface PresignPutInput {
  readonly bucket: string;
  readonly key: string;
  readonly contentType: string;
  readonly contentLength: number;
  readonly sha256Hex: string;
  readonly kmsKeyId: string;
  readonly expiresInSeconds: number;
  readonly now?: Date;
}

export interface PresignedPut {
  readonly url: string;
  readonly method: 'PUT';
  /** Headers the uploader must send exactly as given (they are signed). */
  readonly headers: Record<string, string>;
  readonly expiresAt: string;
}

/** The ingest API's dependencies (POST /uploads, GET /uploads/{callId}). */
export interface IngestApiDeps {
  readonly registrations: RegistrationStore;
  /** The registers the gate reads (functions/ports/registers.ts). */
  readonly areas: Pick<ServiceAreaStore, 'get'>;
  readonly extensions: Pick<ExtensionStore, 'get'>;
  /** Active IG holds: read only for a call already past its 24-month point (s.7). */
  readonly holds: Pick<HoldsStore, 'listActiveHolds'>;
  /** The caller number's pseudonym (KMS HMAC, functions/adapters/pseudonymise.ts). */
  readonly pseudonymise: (e164: string) => Promise<string>;
  /** The compliance report's registration counter (idempotent per recording). */
  readonly countRegistered: (r: IngestRecording) => Promise<unknown>;
  /** The staff register's first-use note (s.4, idempotent per staff member and area). */
  readonly noteStaffInArea: (staffId: string, area: string, day: string) => Promise<unknown>;
  /** A presigned PUT covering type, length, SHA-256 and SSE-KMS (functions/adapters/upload-link.ts). */
  readonly presignPut: (input: PresignPutInput) => Promise<PresignedPut>;
  readonly config: IngestConfig;
}
