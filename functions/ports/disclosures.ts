/**
 * What the disclosures use cases (functions/disclosures) need from the outside world.
 * functions/disclosures/deps.ts builds them from the AWS adapters; unit tests pass in-memory fakes
 * (test/unit/disclosures/fakes.ts).
 */
import type { IgAdvice } from '../domain/ig-advice.js';

/** Reads advice by id: all that the release and playback functions need of it. */
export interface AdviceLookup {
  get(adviceId: string): Promise<IgAdvice | undefined>;
}

export interface AdviceRepository extends AdviceLookup {
  /** Stores new advice; fails (ConflictError) when the id exists. Advice is never edited: IG issues new. */
  create(advice: IgAdvice): Promise<void>;
}

export interface DisclosuresDeps {
  readonly advice: AdviceRepository;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** Where a package is written (the releases bucket, under the package's own prefix). */
export interface PackageStore {
  /**
   * Streams the archived object into `key`, hashing the bytes on the way (never the whole file in
   * memory); returns the SHA-256 (hex) and size of what was written.
   */
  copyHashed(
    source: { readonly archiveKey: string; readonly archiveVersionId?: string },
    key: string,
    contentType: string,
  ): Promise<{ sha256: string; size: number }>;
  putText(key: string, text: string, contentType: string): Promise<void>;
}

/** Signs with the asymmetric KMS key (the Release of Recording Log's signer). */
export interface PackageSigner {
  sign(message: Buffer): Promise<{ signature: Buffer; keyId: string }>;
}
