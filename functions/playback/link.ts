/**
 * POST /recordings/{id}/playback and /download. Steps: load (404 audited); authorise by the policy table
 * (playback: listener or nominated of the area; download: nominated only; denial audited); only an
 * archived recording has audio (refusal audited); note the listener in the staff register (s.4 a); write
 * the audit entry — if that fails the request fails and no link exists; then presign a GET of the archived version that lives `linkTtlSeconds`.
 */

import { LINKS_METRIC } from '../../declarations/metrics.js';
import { dynamoAdviceStore } from '../adapters/disclosures-store.js';
import { presignGet } from '../adapters/playback-objects.js';
import { noteStaffInArea } from '../adapters/staff-register.js';
import { requireAdvice } from '../disclosures/use-cases.js';
import { PolicyRefusalError } from '../domain/errors.js';
import { OTHER_PURPOSE } from '../domain/purposes.js';
import { contentTypeOf } from '../domain/upload.js';
import { log } from '../platform/log.js';
import { metric } from '../platform/metrics.js';
import { audit, authorise, loadRecording, type PlaybackContext, prefetchHead } from './context.js';
import type { PlaybackBody } from './schemas.js';

export type LinkMode = 'playback' | 'download';

/** The rule of s.6: any purpose outside (a)–(e) needs Corporate IG advice first. */
export const OTHER_PURPOSE_RULE = 's6.other-purpose-needs-ig-advice';

/**
 * Staff this container has already seen on the register, by `staffId#area`. Once there, a member of staff
 * stays there (nothing removes an area), so later plays skip the register read: one DynamoDB request less
 * on every playback after a listener's first. Bounded so a long-lived container cannot grow it forever.
 */
const onRegister = new Set<string>();
const ON_REGISTER_MAX = 10_000;

const noteListener = async (staffId: string, area: string, now: Date): Promise<void> => {
  const key = `${staffId}#${area}`;
  if (onRegister.has(key)) return;
  try {
    await noteStaffInArea(staffId, area, now.toISOString().slice(0, 10));
    if (onRegister.size >= ON_REGISTER_MAX) onRegister.clear();
    onRegister.add(key);
  } catch (error) {
    log.warn('staff register not updated', { staffId, error });
  }
};

export const linkUseCase = async (
  requestCtx: PlaybackContext,
  mode: LinkMode,
  recordingId: string,
  body: PlaybackBody,
) => {
  const ctx = prefetchHead(requestCtx);
  const stated = { purpose: body.purpose, igAdviceRef: body.igAdviceRef, note: body.note };
  const recording = await loadRecording(ctx, mode, recordingId, stated);
  const target = { recordingId, serviceArea: recording.serviceArea };
  const rule = await authorise(ctx, mode, target, stated);
  if (body.purpose === OTHER_PURPOSE && !body.igAdviceRef) {
    await audit(ctx, { action: mode, ...target, ...stated, outcome: 'denied', rule: OTHER_PURPOSE_RULE });
    throw new PolicyRefusalError(
      OTHER_PURPOSE_RULE,
      'a purpose other than s.6 (a)–(e) needs the Corporate IG advice reference (igAdviceRef)',
    );
  }
  if (recording.status !== 'ARCHIVED' || !recording.archiveKey) {
    await audit(ctx, {
      action: mode,
      ...target,
      ...stated,
      outcome: 'denied',
      rule: 'recording-not-archived',
    });
    throw new PolicyRefusalError(
      'recording-not-archived',
      `recording ${recordingId} has no audio to play: its status is ${recording.status}`,
    );
  }
  if (body.purpose === OTHER_PURPOSE) {
    // s.6: a purpose outside (a)–(e) needs IG advice on record, in force, for this recording.
    const question = {
      recording: { ...target, startedAt: recording.startedAt },
      purpose: OTHER_PURPOSE,
      use: 'use',
    } as const;
    try {
      await requireAdvice(
        dynamoAdviceStore(ctx.config.disclosuresTable),
        body.igAdviceRef,
        question,
        ctx.now(),
      );
    } catch (error) {
      if (error instanceof PolicyRefusalError)
        await audit(ctx, { action: mode, ...target, ...stated, outcome: 'denied', rule: error.rule });
      throw error;
    }
  }
  // Staff who listen hold a grant in the area: the staff-awareness register (s.4 a) must know them even
  // if they never take a recorded call. Runs beside the audit write; a failure costs a log line, not the link.
  const noted = noteListener(ctx.principal.staffId, recording.serviceArea, ctx.now());
  // The audit entry first: a failure here throws, and no link is ever made.
  const entry = await audit(ctx, { action: mode, ...target, ...stated, outcome: 'allowed', rule });
  await noted;
  const contentType = contentTypeOf(recording.audio.format);
  const disposition = mode === 'playback' ? 'inline' : 'attachment';
  const now = ctx.now();
  const url = await presignGet({
    bucket: ctx.config.archiveBucket,
    key: recording.archiveKey,
    versionId: recording.archiveVersionId,
    contentType,
    disposition,
    filename: `${recordingId}.${recording.audio.format}`,
    expiresInSeconds: ctx.config.linkTtlSeconds,
    now,
  });
  metric(LINKS_METRIC, { mode });
  return {
    recordingId,
    url,
    method: 'GET' as const,
    disposition,
    contentType,
    expiresAt: new Date(now.getTime() + ctx.config.linkTtlSeconds * 1000).toISOString(),
    auditSeq: entry.seq,
  };
};
