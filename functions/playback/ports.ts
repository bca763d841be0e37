/**
 * What the playback use cases need from the outside world. deps.ts wires the AWS adapters once per
 * container; unit tests pass in-memory fakes (test/unit/playback/fake-deps.ts).
 */

import type { AuditEntry, AuditLink, AuditPage, AuditQuery } from '../domain/audit.js';
import type { DeletionCertificate, Recording, RecordingPage, RecordingSearch } from '../domain/recording.js';
import type { AdviceLookup } from '../ports/disclosures.js';
import type { AuditCheckpointLink } from './audit-export.js';

/** The recordings catalogue as playback sees it (functions/adapters/catalogue-store.ts). */
export interface PlaybackCatalogue {
  get(recordingId: string): Promise<Recording | undefined>;
  /**
   * Checks the search (a bad cursor → ValidationError) without reading anything, and returns the read to
   * run later: bad input never reaches the audit log.
   */
  prepareSearch(q: RecordingSearch): () => Promise<RecordingPage>;
  /**
   * ARCHIVED + no active hold + retain-until passed → DELETED with the certificate and its deletion
   * record, in one write; false when a guard failed (a hold landed, already deleted, ...).
   */
  markDeleted(recording: Recording, certificate: DeletionCertificate): Promise<boolean>;
  /** Undoes `markDeleted` (back to ARCHIVED, the deletion record taken back) when the object stayed. */
  restoreArchived(recording: Recording, certificate: DeletionCertificate): Promise<void>;
  /** The object is gone: drop the recording from the deletion-day index. */
  clearDeleteDay(recordingId: string): Promise<void>;
}

/** The access audit log (functions/adapters/audit-log.ts). */
export interface PlaybackAuditLog {
  /** Appends one entry; AuditUnavailableError (503) when it cannot be recorded. */
  append(entry: AuditEntry, now: () => Date): Promise<AuditLink>;
  /** Starts reading a shard head if none is known yet, to overlap it with the request's reads. */
  warm(): void;
  /** Checks the query (a bad cursor → ValidationError) and returns the read to run later. */
  prepareQuery(q: AuditQuery, now: Date): () => Promise<AuditPage>;
  /** Up to `limit` links of `chain` after `afterSeq`, in seq order. */
  linksAfter(chain: string, afterSeq: number, limit: number): Promise<AuditLink[]>;
  checkpoints(): Promise<AuditCheckpointLink[]>;
  /** The newest checkpoint anchored in the archive signed at or before `notAfter`. */
  newestAnchored(notAfter: string): Promise<AuditCheckpointLink | undefined>;
}

export interface AudioLink {
  readonly key: string;
  readonly versionId?: string;
  readonly contentType: string;
  readonly disposition: 'inline' | 'attachment';
  readonly filename: string;
  readonly expiresInSeconds: number;
  /** The signing time; the link lives `expiresInSeconds` from it. */
  readonly now: Date;
}

/** The archive bucket's recording objects (functions/adapters/playback-objects.ts). */
export interface PlaybackArchive {
  presignGet(link: AudioLink): Promise<string>;
  /**
   * Deletes one object version: 'refused' when the archive will not (legal hold or retention on the
   * object); any other failure throws.
   */
  deleteVersion(key: string, versionId: string | undefined): Promise<'deleted' | 'refused'>;
}

export interface PlaybackConfig {
  readonly linkTtlSeconds: number;
}

export interface PlaybackDeps {
  readonly catalogue: PlaybackCatalogue;
  readonly audit: PlaybackAuditLog;
  readonly archive: PlaybackArchive;
  /** IG advice, read when a playback is for purpose `other`. */
  readonly advice: AdviceLookup;
  /** The staff-awareness register (s.4 a): notes a member of staff in an area on `day`. */
  readonly noteStaffInArea: (staffId: string, area: string, day: string) => Promise<void>;
  /** The ingest HMAC of a caller number. */
  readonly pseudonymise: (e164: string) => Promise<string>;
  readonly config: PlaybackConfig;
  readonly now: () => Date;
}
