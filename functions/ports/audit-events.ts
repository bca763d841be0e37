/**
 * What publishing audit events (functions/audit-events) needs from the outside world.
 * functions/audit-events/deps.ts builds it from the EventBridge and stream adapters.
 */

import type { AuditEvent } from '../domain/audit-event.js';
import type { ChainLink } from '../domain/hash-chain.js';

/** One record of a table's change stream, as the stream adapter reads it. */
export interface StreamEntry {
  /** The record's stream sequence number: what a partial batch failure names. */
  readonly id: string;
  /** INSERT, MODIFY or REMOVE; only INSERTs are new entries (the logs are append-only). */
  readonly eventName?: string;
  /** The log table the record came from, undefined for any other table. */
  readonly table?: 'auditLog' | 'releaseLog';
  /** The stored link (new image); undefined when the record has none or it is not a link. */
  readonly link?: ChainLink<Readonly<Record<string, unknown>>>;
}

export interface AuditEventBus {
  /** Puts the events; per event, whether the bus accepted it (a refused one is retried by the stream). */
  put(events: readonly AuditEvent[]): Promise<readonly boolean[]>;
}

export interface AuditEventDeps {
  readonly bus: AuditEventBus;
  readonly scrub: (text: string) => string;
}
