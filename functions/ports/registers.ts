/**
 * What the register use cases (functions/registers) need from the outside world.
 * functions/registers/deps.ts builds them from the AWS adapters; unit tests pass in-memory fakes
 * (test/unit/registers/fakes.ts). What the adapters send is proved against DynamoDB Local
 * (test/integration/stores.test.ts).
 */

import type { ServiceArea } from '../domain/business-case.js';
import type { ExtensionSummary } from '../domain/compliance.js';
import type { Extension } from '../domain/extension.js';

/** The service-area register (functions/adapters/registers-store.ts). */
export interface ServiceAreaStore {
  get(id: string): Promise<ServiceArea | undefined>;
  /**
   * Writes a service area. With `expectedUpdatedAt`, only over the version read (an approval must not
   * land on a case the registrar changed meanwhile): false when it changed, nothing written.
   */
  put(area: ServiceArea, expectedUpdatedAt?: string): Promise<boolean>;
  /** Every registered service area, by id (one index query). */
  list(): Promise<ServiceArea[]>;
}

/** The extension register, one item per extension (functions/adapters/registers-store.ts). */
export interface ExtensionStore {
  get(number: string): Promise<Extension | undefined>;
  put(extension: Extension): Promise<void>;
}

export interface ExtensionPage {
  readonly items: ExtensionSummary[];
  /** Present when more may follow: the next page's `cursor`. */
  readonly cursor?: string;
}

/**
 * Each service area's list of its extensions, by number (functions/adapters/counters-read.ts, counters-write.ts): what
 * GET /extensions pages through and the compliance report reads (s.4 d–e).
 */
export interface AreaExtensionList {
  /** Lists the extension under `serviceArea`, and takes it off `previousArea`'s list when it moved. */
  track(serviceArea: string, extension: ExtensionSummary, previousArea?: string): Promise<void>;
  /**
   * Up to `limit` of the area's extensions after `cursor`. A cursor that is not one this area's list
   * returned is a ValidationError on `query.cursor`, before anything is read.
   */
  page(serviceArea: string, limit: number, cursor?: string): Promise<ExtensionPage>;
}

export interface RegistersDeps {
  readonly serviceAreas: ServiceAreaStore;
  readonly extensions: ExtensionStore;
  readonly areaExtensions: AreaExtensionList;
  readonly now: () => Date;
}
