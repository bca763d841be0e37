/** GET /uploads/{callId}: where the platform's recording is in the pipeline (no personal data returned). */
import { NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/roles.js';
import type { IngestApiDeps } from '../ports/ingest.js';
import { requireIngestClient } from './register-call.js';

export interface UploadStatus {
  readonly callId: string;
  readonly recordingId: string;
  readonly status: string;
  readonly statusAt: string;
  readonly registeredAt: string;
  readonly archivedAt?: string;
  /** Call start + 24 months (s.7): when the recording is deleted unless a hold keeps it. */
  readonly deleteAfter: string;
  /** The IG hold an old call (past 24 months) was registered under. */
  readonly admittedUnderHold?: string;
  readonly quarantine?: { reason: string; detail: string };
}

export const uploadStatus = async (
  { registrations }: Pick<IngestApiDeps, 'registrations'>,
  principal: Principal,
  { callId }: { callId: string },
): Promise<UploadStatus> => {
  requireIngestClient(principal);
  const call = await registrations.getCallRecord(callId);
  const recording = call && (await registrations.getRecording(call.recordingId));
  if (!call || !recording) throw new NotFoundError(`call ${callId}`);
  return {
    callId,
    recordingId: recording.recordingId,
    status: recording.status,
    statusAt: recording.statusAt,
    registeredAt: recording.registeredAt,
    ...(recording.archivedAt ? { archivedAt: recording.archivedAt } : {}),
    deleteAfter: recording.deleteAfter,
    ...(recording.admittedUnderHold ? { admittedUnderHold: recording.admittedUnderHold } : {}),
    ...(recording.quarantine
      ? { quarantine: { reason: recording.quarantine.reason, detail: recording.quarantine.detail } }
      : {}),
  };
};
