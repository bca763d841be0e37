/**
 * What the release use cases (functions/release) need from the outside world. functions/release/deps.ts
 * builds them from the AWS adapters; unit tests pass in-memory fakes (test/unit/release/fakes.ts).
 */

import type { DestinationKind, OpenCopy } from '../domain/compliance.js';
import type { ChainLink } from '../domain/hash-chain.js';
import type { Release, ReleaseLogPayload, ReleaseState } from '../domain/release.js';
import type { CheckpointPayload } from '../domain/release-log-format.js';
import type { AdviceLookup, PackageStore } from './disclosures.js';

export interface RecordingRef {
  readonly recordingId: string;
  readonly serviceArea: string;
  readonly startedAt: string;
  readonly status: string;
  readonly archiveKey?: string;
  readonly archiveVersionId?: string;
  readonly format: string;
}

export type ReleaseQuery =
  | { by: 'requester'; requesterId: string }
  | { by: 'area'; serviceArea: string }
  | { by: 'state'; state: ReleaseState; dueBefore?: string }
  | { by: 'recording'; recordingId: string };

export interface ReleaseRepository {
  /**
   * Stores a new release and appends its log entry in one transaction: no release without its entry.
   * Fails (ConflictError) when the id exists.
   */
  create(release: Release, entry: ReleaseLogPayload): Promise<ChainLink<ReleaseLogPayload>>;
  get(releaseId: string): Promise<Release | undefined>;
  /**
   * Writes `next` and appends `entry` to the log in one transaction, only if the stored item still has
   * `expected`'s state and version; undefined (nothing written) otherwise. No state change goes unlogged.
   */
  replace(
    next: Release,
    expected: Pick<Release, 'state' | 'version'>,
    entry: ReleaseLogPayload,
  ): Promise<ChainLink<ReleaseLogPayload> | undefined>;
  /** One index query (never a scan). For `state` with `dueBefore`: REQUESTED/ISSUED due by that time. */
  query(q: ReleaseQuery, limit: number): Promise<Release[]>;
}

export interface RecordingCatalogue {
  get(recordingId: string): Promise<RecordingRef | undefined>;
}

export interface ReleaseCopies {
  /** Copies the archived object to `key` in the releases bucket (SSE-KMS). Safe to repeat. */
  copy(recording: RecordingRef, key: string, expiresAt: string): Promise<void>;
  /** Deletes the copy; deleting a missing object succeeds. */
  remove(key: string): Promise<void>;
  presignGet(key: string, ttlSeconds: number): Promise<string>;
  exists(key: string): Promise<boolean>;
}

export interface ReleaseLogStore {
  append(payload: ReleaseLogPayload): Promise<ChainLink<ReleaseLogPayload>>;
  appendCheckpoint(payload: CheckpointPayload): Promise<ChainLink<CheckpointPayload>>;
  entries(): Promise<ChainLink<ReleaseLogPayload>[]>;
  /** Up to `limit` entries with seq > `afterSeq`, in seq order, reading no more of the chain than that. */
  entriesAfter(afterSeq: number, limit: number): Promise<ChainLink<ReleaseLogPayload>[]>;
  entriesOf(filter: { releaseId: string } | { requester: string }): Promise<ChainLink<ReleaseLogPayload>[]>;
  checkpoints(): Promise<ChainLink<CheckpointPayload>[]>;
  head(): Promise<{ seq: number; hash: string } | undefined>;
  lastCheckpoint(): Promise<ChainLink<CheckpointPayload> | undefined>;
}

/**
 * Signed checkpoints anchored outside the log's table (the Object Lock archive bucket,
 * functions/adapters/checkpoint-anchors.ts), so cutting or rebuilding the log in the table is detected.
 */
export interface CheckpointAnchorStore<T> {
  put(doc: T, signedAt: string): Promise<void>;
  /** The newest anchored checkpoint, or the newest signed at or before `notAfter`. */
  newest(notAfter?: string): Promise<T | undefined>;
}

export interface Signer {
  /** ECDSA_SHA_256 over the raw message; returns the DER signature. */
  sign(message: Buffer): Promise<{ signature: Buffer; keyId: string }>;
  publicKey(): Promise<{ keyId: string; spkiDer: Buffer }>;
}

export interface ReleaseConfig {
  readonly copyTtlDays: number;
  readonly requestTtlDays: number;
  readonly linkTtlSeconds: number;
  /** Sign the head every N entries. */
  readonly checkpointEvery: number;
  /** Bytes of entries per page of GET /release-log (default LOG_PAGE_BYTES; tests set it small). */
  readonly logPageBytes?: number;
}

/** One line in the audit log of access to recordings (functions/adapters/audit-log.ts). */
export interface ReleaseAuditNote {
  readonly actor: string;
  readonly recordingId: string;
  readonly serviceArea: string;
  readonly purpose: string;
  readonly igAdviceRef?: string;
  readonly note: string;
  readonly correlationId: string;
}

/** A read of the Release of Recording Log (or a refused one), for the audit log of access. */
export interface LogReadNote {
  readonly actor: string;
  /** What was asked for: `log` names the log, then the filters and paging given. */
  readonly filters: Readonly<Record<string, string>>;
  readonly allowed: boolean;
  readonly correlationId: string;
}

/** The compliance report's counters and open-copy list (functions/adapters/counters-write.ts). */
export interface ReleaseCounters {
  /** Counts the approval once per release however often it is called; false when already counted. */
  countRelease(event: {
    readonly releaseId: string;
    readonly serviceArea: string;
    readonly destinationKind: DestinationKind;
    readonly authoriserId: string;
    readonly approvedAt: string;
  }): Promise<boolean>;
  /** The released copy exists (a put: repeating it changes nothing). */
  copyOpened(serviceArea: string, copy: OpenCopy): Promise<void>;
  /** The released copy is gone (a delete: repeating it changes nothing). */
  copyClosed(serviceArea: string, releaseId: string): Promise<void>;
}

export interface ReleaseDeps {
  /** Records a released copy being handed out (a link) in the recordings' audit log. */
  readonly audit: (note: ReleaseAuditNote) => Promise<void>;
  /** Records who read the Release of Recording Log (it lists recordings and requesters), or was refused. */
  readonly auditLogRead: (note: LogReadNote) => Promise<void>;
  readonly releases: ReleaseRepository;
  readonly catalogue: RecordingCatalogue;
  /** The registered service areas: a release goes only to one that exists. */
  readonly serviceAreas: { exists(serviceArea: string): Promise<boolean> };
  readonly copies: ReleaseCopies;
  readonly log: ReleaseLogStore;
  readonly counters: ReleaseCounters;
  readonly signer: Signer;
  /** The IG advice a release cites (functions/disclosures). */
  readonly advice: AdviceLookup;
  /** Where an external release's verifiable package is written. */
  readonly packages: PackageStore;
  /** Where each signed checkpoint is anchored, outside the releaseLog table. */
  readonly anchors: CheckpointAnchorStore<ChainLink<CheckpointPayload>>;
  readonly config: ReleaseConfig;
  readonly now: () => Date;
  readonly newId: () => string;
}
