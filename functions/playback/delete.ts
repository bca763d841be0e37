/**
 * DELETE /recordings/{id}. Steps: load (404 audited); authorise (nominated only; denial audited);
 * refuse (audited) unless ARCHIVED, retain-until passed (s.7, 12 months) and no hold active; audit the
 * deletion; flip the catalogue to DELETED with the certificate and write the deletion record
 * GET /reports/deletions lists, in one conditional transaction (the sweeper's `markDeleted`; a hold placed
 * meanwhile makes it fail → 422); delete the object version; if the archive refuses (e.g. a legal hold on
 * the version), restore the catalogue entry and take the record back, and report the refusal; else drop
 * the recording from the deletion-day index. A failure between the transaction and the object delete
 * leaves the recording DELETED in that index, so the sweeper finishes the object's deletion.
 */

import { ConflictError, PolicyRefusalError } from '../domain/errors.js';
import type { DeletionCertificate, Recording } from '../domain/recording.js';
import { mayDelete } from '../domain/retention.js';
import type { Principal } from '../domain/roles.js';
import {
  audit,
  authorise,
  type Correlated,
  loadRecording,
  type PlaybackContext,
  requestContext,
} from './context.js';
import type { PlaybackDeps } from './ports.js';
import type { DeleteBody } from './schemas.js';

export const DELETE_RULE = 's6.nominated-delete';

/** Why this recording may not be deleted now, or undefined. */
const refusal = (recording: Recording, now: Date): { rule: string; message: string } | undefined => {
  if (recording.status === 'DELETED') return { rule: 'already-deleted', message: 'already deleted' };
  if (recording.status !== 'ARCHIVED' || !recording.archiveKey) {
    return {
      rule: 'recording-not-archived',
      message: `status is ${recording.status}; only archived recordings are deleted here`,
    };
  }
  const holds = recording.holdCount ?? 0;
  if (holds > 0) {
    return {
      rule: 's7.no-deletion-under-hold',
      message: `${holds} hold(s) active: a held recording is never deleted`,
    };
  }
  if (!mayDelete(now, new Date(recording.retainUntil), holds)) {
    return {
      rule: 's7.retain-12-months',
      message: `recordings are kept 12 months: this one may not be deleted before ${recording.retainUntil}`,
    };
  }
  return undefined;
};

const refuse = async (
  ctx: PlaybackContext,
  recording: Recording,
  reason: string,
  why: { rule: string; message: string },
) => {
  await audit(ctx, {
    action: 'delete',
    recordingId: recording.recordingId,
    serviceArea: recording.serviceArea,
    reason,
    outcome: 'denied',
    rule: why.rule,
  });
  if (why.rule === 'already-deleted')
    throw new ConflictError(`recording ${recording.recordingId} is ${why.message}`);
  throw new PolicyRefusalError(why.rule, why.message);
};

export const deleteUseCase = async (
  deps: PlaybackDeps,
  principal: Principal,
  input: Correlated & { recordingId: string; body: DeleteBody },
) => {
  const ctx = requestContext(deps, principal, input);
  const { recordingId, body } = input;
  const recording = await loadRecording(ctx, 'delete', recordingId, { reason: body.reason });
  const target = { recordingId, serviceArea: recording.serviceArea };
  const rule = await authorise(ctx, 'delete', target, { reason: body.reason });
  const now = deps.now();
  const why = refusal(recording, now);
  if (why) return refuse(ctx, recording, body.reason, why);
  await audit(ctx, { action: 'delete', ...target, reason: body.reason, outcome: 'allowed', rule });
  const certificate: DeletionCertificate = {
    by: principal.staffId,
    at: now.toISOString(),
    rule: DELETE_RULE,
    reason: body.reason,
    archiveKey: recording.archiveKey as string,
    versionId: recording.archiveVersionId,
    sha256: recording.audio.sha256,
  };
  if (!(await deps.catalogue.markDeleted(recording, certificate))) {
    const current = (await deps.catalogue.get(recordingId)) ?? recording;
    return refuse(
      ctx,
      current,
      body.reason,
      refusal(current, now) ?? {
        rule: 'concurrent-change',
        message: 'the recording changed meanwhile; try again',
      },
    );
  }
  let deleted: 'deleted' | 'refused';
  try {
    deleted = await deps.archive.deleteVersion(certificate.archiveKey, certificate.versionId);
  } catch (error) {
    await deps.catalogue.restoreArchived(recording, certificate);
    throw error;
  }
  if (deleted === 'refused') {
    await deps.catalogue.restoreArchived(recording, certificate);
    return refuse(ctx, recording, body.reason, {
      rule: 's7.object-locked',
      message: 'the archive refused to delete this version (legal hold or retention on the object)',
    });
  }
  await deps.catalogue.clearDeleteDay(recordingId);
  return { recordingId, status: 'DELETED' as const, deletion: certificate };
};
