/**
 * S3 lifecycle expiry (the 24-month backstop for objects tagged `retention=standard`) → the catalogue
 * shows DELETED with a certificate, exactly as if the sweeper had deleted it. EventBridge delivers
 * at least once and in any order: the catalogue write is conditional on the recording not being DELETED
 * already, so a repeat (or the delete-marker and the permanent deletion of one object) changes nothing.
 */

import { deletionCertificate, type RecordingsPort, recordingIdFromArchiveKey } from '../domain/holds.js';
import { log } from '../platform/log.js';

export interface S3ObjectDeletedDetail {
  readonly bucket?: { readonly name?: string };
  readonly object?: { readonly key?: string; readonly 'version-id'?: string };
  readonly 'deletion-type'?: string;
  readonly reason?: string;
}

export interface S3ObjectDeletedEvent {
  readonly 'detail-type'?: string;
  readonly source?: string;
  readonly time?: string;
  readonly detail?: S3ObjectDeletedDetail;
}

export type LifecycleOutcome = 'recorded' | 'already-deleted' | 'not-lifecycle' | 'unknown-object';

const isLifecycle = (detail: S3ObjectDeletedDetail): boolean =>
  [detail.reason, detail['deletion-type']].some(
    (v) => typeof v === 'string' && v.startsWith('Lifecycle Expiration'),
  );

export interface LifecycleDeps {
  readonly recordings: Pick<RecordingsPort, 'getRecording' | 'recordArchiveDeletion'>;
  readonly now: () => Date;
}

export const recordLifecycleDeletion = async (
  deps: LifecycleDeps,
  event: S3ObjectDeletedEvent,
): Promise<LifecycleOutcome> => {
  const detail = event.detail ?? {};
  if (event['detail-type'] !== 'Object Deleted' || !isLifecycle(detail)) return 'not-lifecycle';
  // S3 event keys are URL-encoded (spaces as '+').
  const key = decodeURIComponent((detail.object?.key ?? '').replace(/\+/g, ' '));
  const recordingId = recordingIdFromArchiveKey(key);
  const recording = recordingId ? await deps.recordings.getRecording(recordingId) : undefined;
  if (!recording || recording.archiveKey !== key) {
    log.warn('lifecycle deletion of an object the catalogue does not know', { key });
    return 'unknown-object';
  }
  if (recording.holdCount > 0) {
    // The lifecycle rule only expires retention=standard objects; a held one expiring is a defect to see.
    log.error('lifecycle expired a recording the catalogue shows as held', { recordingId, key });
  }
  const at = event.time ? new Date(event.time) : deps.now();
  const certificate = deletionCertificate(recording, at, 'lifecycle', detail.object?.['version-id']);
  const recorded = await deps.recordings.recordArchiveDeletion(recording, certificate);
  log.info('lifecycle deletion', { recordingId, recorded });
  return recorded ? 'recorded' : 'already-deleted';
};
