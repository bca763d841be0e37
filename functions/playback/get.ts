/** GET /recordings/{id}: metadata, retention dates, hold count, notification evidence — no audio. Audited. */
import { audit, authorise, loadRecording, type PlaybackContext } from './context.js';
import { recordingDetail } from './views.js';

export const getUseCase = async (ctx: PlaybackContext, recordingId: string) => {
  const recording = await loadRecording(ctx, 'view', recordingId);
  const target = { recordingId, serviceArea: recording.serviceArea };
  const rule = await authorise(ctx, 'view', target);
  await audit(ctx, { action: 'view', ...target, outcome: 'allowed', rule });
  return recordingDetail(recording);
};
