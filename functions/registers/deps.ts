/** The register dependencies wired to DynamoDB (or the local stack's); built once per container. */
import { pageExtensions } from '../adapters/counters-read.js';
import { trackExtension } from '../adapters/counters-write.js';
import { dynamoExtensions, dynamoServiceAreas } from '../adapters/registers-store.js';
import { tableName } from '../platform/env.js';
import type { RegistersDeps } from '../ports/registers.js';

export const awsRegistersDeps = (): RegistersDeps => {
  const table = tableName('registers');
  return {
    serviceAreas: dynamoServiceAreas(table),
    extensions: dynamoExtensions(table),
    areaExtensions: { track: trackExtension, page: pageExtensions },
    now: () => new Date(),
  };
};
