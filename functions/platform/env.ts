/**
 * Environment access. Call these at module scope so a missing variable fails the cold start with the
 * variable's name, not a request halfway through.
 */
import { type BucketId, bucketEnvVar } from '../../declarations/buckets.js';
import { type TableId, tableEnvVar } from '../../declarations/tables.js';

export class MissingEnvironmentError extends Error {
  constructor(name: string, expected = 'set') {
    super(`\`${name}\` environment variable is not ${expected}`);
  }
}

/** The variable's value at this moment, undefined when unset or empty (read live: tests change some). */
export const optionalEnv = (name: string): string | undefined => process.env[name] || undefined;

/** The whole environment, for code that takes one as an argument so that tests can pass their own. */
export const environment = (): Readonly<Record<string, string | undefined>> => process.env;

export const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new MissingEnvironmentError(name);
  return value;
};

export const intEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new MissingEnvironmentError(name, 'a positive integer');
  return value;
};

export const tableName = (id: TableId): string => requireEnv(tableEnvVar(id));
export const bucketName = (id: BucketId): string => requireEnv(bucketEnvVar(id));
