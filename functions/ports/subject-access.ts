/**
 * What the subject access request use cases (functions/disclosures/sar-*.ts) need from the outside world.
 * functions/disclosures/sar-deps.ts builds them from the AWS adapters; unit tests pass in-memory fakes
 * (test/unit/disclosures/sar-fakes.ts).
 */
import type { AuditEntry } from '../domain/audit.js';
import type { ReleaseLogPayload } from '../domain/release.js';
import type { SarRecording, SubjectAccessRequest } from '../domain/subject-access-request.js';
import type { PackageSigner, PackageStore } from './disclosures.js';

export interface SarRepository {
  /** Stores a new request; fails (ConflictError) when the id exists. */
  create(sar: SubjectAccessRequest): Promise<void>;
  get(sarId: string): Promise<SubjectAccessRequest | undefined>;
  /** Writes `next` only if the stored request still has `expectedVersion`; false (nothing written) otherwise. */
  replace(next: SubjectAccessRequest, expectedVersion: number): Promise<boolean>;
  /** Every open request (one index query). */
  listOpen(): Promise<SubjectAccessRequest[]>;
  /** Requests closed at or after `since` (ISO 8601; one index query). */
  listClosedSince(since: string): Promise<SubjectAccessRequest[]>;
}

/** The caller index the ingest function writes (catalogue `byCaller`, keyed by the caller's HMAC). */
export interface CallerIndex {
  /** The HMAC pseudonym of an E.164 number, with the same KMS key ingest uses. */
  pseudonymise(e164: string): Promise<string>;
  /** Every archived recording of that pseudonym started within [from, to], in every service area. */
  recordingsOf(callerHash: string, from: string, to: string): Promise<Omit<SarRecording, 'mark'>[]>;
}

export interface SarLinks {
  /** A short-lived inline link to one archived recording (IG listening within the request). */
  playRecording(recording: SarRecording, ttlSeconds: number): Promise<string>;
  /** A download link to one package file in the releases bucket. */
  packageFile(key: string, ttlSeconds: number): Promise<string>;
}

export interface SarConfig {
  /** Lifetime of IG's playback link (the playback function's setting). */
  readonly playbackLinkTtlSeconds: number;
  /** How long the package's files are kept for the requester to fetch (the release copy's setting). */
  readonly packageTtlDays: number;
  /** Lifetime of the package's download links (at most 7 days: S3's presigned-URL limit). */
  readonly packageLinkTtlSeconds: number;
}

export interface SarDeps {
  readonly sars: SarRepository;
  readonly callers: CallerIndex;
  /** Appends one entry to the access audit log (fails closed: AuditUnavailableError). */
  readonly audit: (entry: AuditEntry) => Promise<void>;
  /** The Release of Recording Log: each disclosed recording is an entry, like any release. */
  readonly releaseLog: { append(payload: ReleaseLogPayload): Promise<unknown> };
  readonly packages: PackageStore;
  readonly signer: PackageSigner;
  readonly links: SarLinks;
  readonly config: SarConfig;
  readonly now: () => Date;
  readonly newId: () => string;
}
