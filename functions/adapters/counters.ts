/**
 * Both sides of the compliance report's counters, for the callers not yet moved to counters-write.ts /
 * counters-read.ts (ingest, registers). Importing this puts both sides in a bundle, so the function's role
 * needs the grants of both; import the side you use instead.
 */

export { KEYS } from './counters-keys.js';
export * from './counters-read.js';
export * from './counters-write.js';
