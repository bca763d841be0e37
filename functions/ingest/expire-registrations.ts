/**
 * Registrations never uploaded expire after 24 h (PENDING → EXPIRED) and are reported. Called by the
 * sweepers on a schedule (expiry-deps.ts wires it). Reads the byStatus index page by page (never a Scan); each transition is
 * conditional on the entry being unchanged since it was read, so an upload racing the sweep wins.
 * A late upload of an EXPIRED registration is still archived by the worker: nothing is dropped.
 */
import { REGISTRATION_TTL_MS } from '../domain/upload.js';
import { log } from '../platform/log.js';
import { metric } from '../platform/metrics.js';
import type { ExpiryDeps } from '../ports/ingest.js';

export interface ExpiredRegistration {
  readonly recordingId: string;
  readonly callId: string;
  readonly serviceArea: string;
  readonly extension: string;
  readonly registeredAt: string;
}

export const expireStaleRegistrations = async (
  deps: ExpiryDeps,
  input: { readonly now: Date },
): Promise<ExpiredRegistration[]> => {
  const { now } = input;
  const before = new Date(now.getTime() - REGISTRATION_TTL_MS).toISOString();
  const expired: ExpiredRegistration[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await deps.catalogue.pendingBefore(before, cursor);
    for (const r of page.items) {
      if (await deps.catalogue.markExpired(r.recordingId, r.statusAt, now.toISOString())) {
        // Counted after the transition: a crash in between loses one count, never counts twice.
        await deps.countExpired(r);
        expired.push({
          recordingId: r.recordingId,
          callId: r.callId,
          serviceArea: r.serviceArea,
          extension: r.extension,
          registeredAt: r.registeredAt,
        });
      }
    }
    cursor = page.cursor;
  } while (cursor);
  if (expired.length > 0) {
    metric('RegistrationsExpired', {}, expired.length);
    log.warn('registrations expired without an upload', { count: expired.length, expired });
  }
  return expired;
};
