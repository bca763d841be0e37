/** GET /recordings/{id}: metadata, retention dates, hold count, notification evidence — no audio. Audited. */
import type { Principal } from '../domain/roles.js';
import { audit, authorise, type Correlated, loadRecording, requestContext } from './context.js';
import type { PlaybackDeps } from './ports.js';
import { recordingDetail } from './views.js';

export const getUseCase = async (
  deps: PlaybackDeps,
  principal: Principal,
  input: Correlated & { recordingId: string },
) => {
  const ctx = requestContext(deps, principal, input);
  const { recordingId } = input;
  const recording = await loadRecording(ctx, 'view', recordingId);
  const target = { recordingId, serviceArea: recording.serviceArea };
  const rule = await authorise(ctx, 'view', target);
  await audit(ctx, { action: 'view', ...target, outcome: 'allowed', rule });
  return recordingDetail(recording);
};
