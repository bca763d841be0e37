/** The lifecycle-event dependencies wired to the catalogue; built once per container. */
import { dynamoRecordings } from '../adapters/catalogue-store.js';
import type { LifecycleDeps } from './lifecycle-deletion.js';

export const awsLifecycleDeps = (): LifecycleDeps => ({
  recordings: dynamoRecordings(),
  now: () => new Date(),
});
