/** In-memory stand-ins for the disclosures ports, with the adapters' semantics. */
import { createHash } from 'node:crypto';
import { ConflictError } from '../../../functions/domain/errors.js';
import type { IgAdvice } from '../../../functions/domain/ig-advice.js';
import type {
  AdviceRepository,
  DisclosuresDeps,
  PackageStore,
} from '../../../functions/ports/disclosures.js';

export const memoryAdvice = (): AdviceRepository & { items: Map<string, IgAdvice> } => {
  const items = new Map<string, IgAdvice>();
  return {
    items,
    async create(advice) {
      if (items.has(advice.adviceId)) throw new ConflictError(`IG advice ${advice.adviceId} already exists`);
      items.set(advice.adviceId, advice);
    },
    get: async (id) => items.get(id),
  };
};

/** Archive objects by key in, package objects by key out; hashes what it "copies". */
export const memoryPackages = (archive = new Map<string, Buffer>()) => {
  const objects = new Map<string, Buffer>();
  const store: PackageStore = {
    async copyHashed(source, key) {
      const bytes = archive.get(source.archiveKey);
      if (!bytes) throw new Error(`NoSuchKey ${source.archiveKey}`);
      objects.set(key, Buffer.from(bytes));
      return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    },
    async putText(key, text) {
      objects.set(key, Buffer.from(text, 'utf8'));
    },
  };
  return { store, archive, objects };
};

export const testDisclosuresDeps = (start = new Date('2026-11-01T10:00:00.000Z')) => {
  let now = start;
  let n = 0;
  const advice = memoryAdvice();
  const deps: DisclosuresDeps = {
    advice,
    now: () => now,
    newId: () => {
      n += 1;
      return `adv-${n}`;
    },
  };
  return {
    deps,
    advice,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
};

/** A Schedule 2 request as a police force fills it in. */
export const SCHEDULE2 = {
  authorisingOfficer: { name: 'J. Smith', rank: 'Inspector' },
  statutoryBasis: 'sch2-part1-para2',
  reference: 'CRIME-2026-0042',
  whyNeeded: 'The call records a threat made to a council officer; it is evidence of the offence.',
  prejudiceWithout: 'Without it the offender may not be identified and prosecuted.',
  dataSubjectMayBeTold: false,
  deliveryMethod: 'secure-link',
} as const;

/** Advice IG has on record, covering external release of `recordingIds` for every agreed purpose. */
export const adviceFor = (recordingIds: string[], changes: Partial<IgAdvice> = {}): IgAdvice => ({
  adviceId: 'IG-1',
  recordings: { kind: 'ids', recordingIds },
  purposes: ['dispute-verification', 'staff-protection', 'other'],
  uses: ['external-release'],
  advice: 'Disclose under Schedule 2 paragraph 2; the request is necessary and proportionate.',
  conditions: ['secure link only'],
  issuedBy: 'ig-1',
  issuedAt: '2026-10-01T00:00:00.000Z',
  expiresAt: '2027-01-01T00:00:00.000Z',
  ...changes,
});
