/**
 * POST /recordings/{id}/playback and /download. Steps: load (404 audited); authorise by the policy table
 * (playback: listener or nominated of the area; download: nominated only; denial audited); only an
 * archived recording has audio (refusal audited); note the listener in the staff register (s.4 a); write
 * the audit entry — if that fails the request fails and no link exists; then presign a GET of the archived version that lives `linkTtlSeconds`.
 */

import { LINKS_METRIC } from '../../declarations/metrics.js';
import { requireAdvice } from '../disclosures/use-cases.js';
import { PolicyRefusalError } from '../domain/errors.js';
import { OTHER_PURPOSE } from '../domain/purposes.js';
import type { Principal } from '../domain/roles.js';
import { contentTypeOf } from '../domain/upload.js';
import { log } from '../platform/log.js';
import { metric } from '../platform/metrics.js';
import { audit, authorise, type Correlated, loadRecording, requestContext } from './context.js';
import type { PlaybackDeps } from './ports.js';
import type { PlaybackBody } from './schemas.js';

export type LinkMode = 'playback' | 'download';

/** The rule of s.6: any purpose outside (a)–(e) needs Corporate IG advice first. */
export const OTHER_PURPOSE_RULE = 's6.other-purpose-needs-ig-advice';

/**
 * Staff this container has already seen on the register, by `staffId#area` (one set per register, i.e.
 * per deps). Once there, a member of staff stays there (nothing removes an area), so later plays skip
 * the register read: one DynamoDB request less on every playback after a listener's first. Bounded so a
 * long-lived container cannot grow it forever.
 */
const seen = new WeakMap<PlaybackDeps, Set<string>>();
const ON_REGISTER_MAX = 10_000;

const noteListener = async (deps: PlaybackDeps, staffId: string, area: string, now: Date): Promise<void> => {
  const key = `${staffId}#${area}`;
  const onRegister = seen.get(deps) ?? new Set<string>();
  seen.set(deps, onRegister);
  if (onRegister.has(key)) return;
  try {
    await deps.noteStaffInArea(staffId, area, now.toISOString().slice(0, 10));
    if (onRegister.size >= ON_REGISTER_MAX) onRegister.clear();
    onRegister.add(key);
  } catch (error) {
    log.warn('staff register not updated', { staffId, error });
  }
};

export const linkUseCase = async (
  deps: PlaybackDeps,
  principal: Principal,
  input: Correlated & { mode: LinkMode; recordingId: string; body: PlaybackBody },
) => {
  const { mode, recordingId, body } = input;
  const ctx = requestContext(deps, principal, input);
  // On a cold process, starts reading one audit shard's head now, so it overlaps the catalogue read
  // that follows; once warm the append needs no read at all.
  deps.audit.warm();
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
      await requireAdvice(deps.advice, body.igAdviceRef, question, deps.now());
    } catch (error) {
      if (error instanceof PolicyRefusalError)
        await audit(ctx, { action: mode, ...target, ...stated, outcome: 'denied', rule: error.rule });
      throw error;
    }
  }
  // Staff who listen hold a grant in the area: the staff-awareness register (s.4 a) must know them even
  // if they never take a recorded call. Runs beside the audit write; a failure costs a log line, not the link.
  const noted = noteListener(deps, principal.staffId, recording.serviceArea, deps.now());
  // The audit entry first: a failure here throws, and no link is ever made.
  const entry = await audit(ctx, { action: mode, ...target, ...stated, outcome: 'allowed', rule });
  await noted;
  const contentType = contentTypeOf(recording.audio.format);
  const disposition = mode === 'playback' ? 'inline' : 'attachment';
  const now = deps.now();
  const url = await deps.archive.presignGet({
    key: recording.archiveKey,
    versionId: recording.archiveVersionId,
    contentType,
    disposition,
    filename: `${recordingId}.${recording.audio.format}`,
    expiresInSeconds: deps.config.linkTtlSeconds,
    now,
  });
  metric(LINKS_METRIC, { mode });
  return {
    recordingId,
    url,
    method: 'GET' as const,
    disposition,
    contentType,
    expiresAt: new Date(now.getTime() + deps.config.linkTtlSeconds * 1000).toISOString(),
    auditSeq: entry.seq,
  };
};
