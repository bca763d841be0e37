/** The disclosures dependencies wired to AWS (or the local stack's endpoints). */
import { randomUUID } from 'node:crypto';
import { dynamoAdviceStore } from '../adapters/disclosures-store.js';
import type { DisclosuresDeps } from '../ports/disclosures.js';

export const awsDisclosuresDeps = (): DisclosuresDeps => ({
  advice: dynamoAdviceStore(),
  now: () => new Date(),
  newId: () => `adv-${randomUUID()}`,
});
