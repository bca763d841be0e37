import type { Release } from '../../../functions/domain/release.js';

/** A release of rec-1 (revenues) to housing, asked by req-1 on 1 November 2026, open for 14 days. */
export const aRelease = (r: Partial<Release> = {}): Release => ({
  releaseId: 'rel-1',
  recordingId: 'rec-1',
  recordingServiceArea: 'revenues',
  recordingStartedAt: '2026-10-01T09:30:00.000Z',
  destination: { kind: 'service-area', serviceArea: 'housing' },
  purpose: { purpose: 'dispute-verification' },
  justification: 'complaint 123',
  requesterId: 'req-1',
  state: 'REQUESTED',
  version: 1,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  requestExpiresAt: '2026-11-15T10:00:00.000Z',
  ...r,
});
