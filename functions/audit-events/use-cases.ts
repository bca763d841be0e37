/**
 * Publishes each new log entry of a stream batch as an audit event. Steps: keep the INSERTs of entry
 * chains (checkpoints and index back-fills are not entries); build one event each; put them on the bus;
 * report the records whose event the bus did not accept, so the stream retries from the first of them
 * (ReportBatchItemFailures). A retried batch may publish an entry again: delivery is at least once, and
 * (chain, seq, hash) identifies a repeat.
 */

import { type AuditEvent, auditEventOf, logKindOf } from '../domain/audit-event.js';
import { log } from '../platform/log.js';
import type { AuditEventDeps, StreamEntry } from '../ports/audit-events.js';

export interface BatchResult {
  readonly batchItemFailures: { itemIdentifier: string }[];
  readonly published: number;
  readonly skipped: number;
}

export const publishStreamEntries = async (
  deps: AuditEventDeps,
  entries: readonly StreamEntry[],
): Promise<BatchResult> => {
  const failures: string[] = [];
  const pending: { entry: StreamEntry; event: AuditEvent }[] = [];
  let skipped = 0;
  for (const entry of entries) {
    if (entry.eventName !== 'INSERT' || !entry.table) {
      skipped += 1;
      continue;
    }
    if (!entry.link) {
      // An INSERT into a log table that is not a link: never expected; retried, then sent to the DLQ.
      log.error('audit stream record is not a log entry', { sequenceNumber: entry.id, table: entry.table });
      failures.push(entry.id);
      continue;
    }
    const kind = logKindOf(entry.table, entry.link.chain);
    if (!kind) {
      skipped += 1;
      continue;
    }
    pending.push({ entry, event: auditEventOf(kind, entry.link, deps.scrub) });
  }
  const accepted = pending.length ? await deps.bus.put(pending.map((p) => p.event)) : [];
  pending.forEach(({ entry, event }, i) => {
    if (accepted[i]) return;
    log.warn('audit event not accepted by the bus; the stream will retry it', {
      sequenceNumber: entry.id,
      chain: event.detail.chain,
      seq: event.detail.seq,
    });
    failures.push(entry.id);
  });
  const published = accepted.filter(Boolean).length;
  log.info('audit events published', { published, failed: failures.length, skipped });
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })), published, skipped };
};
