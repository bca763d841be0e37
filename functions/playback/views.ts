/** What the API shows of a recording: never the caller pseudonym, never audio. */
import type { Recording } from '../domain/recording.js';

export const recordingSummary = (r: Recording) => ({
  recordingId: r.recordingId,
  serviceArea: r.serviceArea,
  extension: r.extension,
  direction: r.direction,
  startedAt: r.startedAt,
  endedAt: r.endedAt,
  durationSeconds: r.durationSeconds,
  agentId: r.agentId,
  caller: r.callerWithheld ? 'withheld' : r.callerLast3 ? `…${r.callerLast3}` : undefined,
  status: r.status,
  holdCount: r.holdCount ?? 0,
});

export const recordingDetail = (r: Recording) => ({
  ...recordingSummary(r),
  callId: r.callId,
  statusAt: r.statusAt,
  registeredAt: r.registeredAt,
  archivedAt: r.archivedAt,
  notification: r.notification,
  abuseReminder: r.abuseReminder,
  verificationReminder: r.verificationReminder,
  pci: { pausedSegments: r.pci?.pausedSegments ?? [] },
  audio: r.audio,
  retention: { retainUntil: r.retainUntil, deleteAfter: r.deleteAfter },
  deletion: r.deletion,
});
