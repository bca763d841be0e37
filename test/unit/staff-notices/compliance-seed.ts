/**
 * A compliance data set with hand-computed answers, seeded through the write-time functions the other
 * capabilities call (counters and staff-register adapters), run by the integration test on DynamoDB Local.
 * Ids carry the area so a second seeding (another area) never meets the first one's idempotency markers. `other` is an area whose data must not leak into `area`'s report.
 * Period: 2025-01-01..2025-12-31. State sections are relative to the time of seeding.
 */
import { expect } from '@jest/globals';
import {
  countQuarantined,
  countRecordingRegistered,
  countRegistrationExpired,
  countRelease,
  trackExtension,
  trackHeldRecording,
  trackHold,
  trackReleaseCopyClosed,
  trackReleaseCopyOpened,
  untrackHeldRecording,
  untrackHold,
} from '../../../functions/adapters/counters-write.js';
import { noteStaffInArea } from '../../../functions/adapters/staff-register.js';
import type { ComplianceReport, RegisteredRecording } from '../../../functions/domain/compliance.js';
import type { NotificationMethod } from '../../../functions/domain/recording.js';

export const PERIOD = { from: '2025-01-01', to: '2025-12-31' };
const DAY = 86_400_000;
const at = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

export const seedCompliance = async (area: string, other: string) => {
  const id = (s: string) => `${area}-${s}`;
  const call = (
    recordingId: string,
    startedAt: string,
    method: NotificationMethod,
    flags: { abuse?: boolean; verification?: boolean } = {},
    serviceArea = area,
  ): RegisteredRecording => ({
    recordingId: id(recordingId),
    serviceArea,
    startedAt,
    extension: '2001',
    agentId: `agent-of-${recordingId}`,
    notification: method === 'advance-notice' ? { method, evidenceRef: 'letter-1' } : { method },
    abuseReminder: flags.abuse ?? false,
    verificationReminder: flags.verification ?? false,
  });
  const calls = [
    call('r1', '2025-01-01T00:00:00Z', 'announcement', { abuse: true }), // counts (first instant)
    call('r2', '2025-03-15T10:00:00Z', 'agent-statement', { verification: true }), // counts
    call('r3', '2025-03-15T11:00:00Z', 'none', { abuse: true, verification: true }), // counts, listed
    call('r4', '2025-06-30T23:59:59Z', 'advance-notice'), // counts
    call('r5', '2025-12-31T23:59:59Z', 'none'), // counts (last instant), listed
    call('r8', '2026-01-01T00:30:00+01:00', 'announcement'), // = 2025-12-31T23:30Z: counts
    call('r6', '2024-12-31T23:59:59Z', 'none'), // before the period
    call('r7', '2026-01-01T00:00:00Z', 'announcement'), // after the period
    call('h1', '2025-05-05T09:00:00Z', 'none', {}, other), // another area
  ];
  for (const c of calls) await countRecordingRegistered(c);
  await countRecordingRegistered(calls[2] as RegisteredRecording); // a repeated event counts once

  const q = (subject: string, startedAt: string, reason: string) =>
    countQuarantined({ subjectId: id(subject), serviceArea: area, startedAt, at: at(0), reason });
  await q('r2', '2025-03-15T10:00:00Z', 'checksum-mismatch');
  await q('r2', '2025-03-15T10:00:00Z', 'checksum-mismatch'); // repeat
  await q('r4', '2025-06-30T23:59:59Z', 'duration-mismatch');
  await q('r9', '2025-08-01T08:00:00Z', 'checksum-mismatch');
  await q('r7', '2026-01-01T00:00:00Z', 'size-mismatch'); // after the period
  await countQuarantined({
    subjectId: id('incoming/x'),
    at: '2025-04-04T00:00:00Z',
    reason: 'no-registration',
  }); // no area
  await countRegistrationExpired({
    recordingId: id('r10'),
    serviceArea: area,
    startedAt: '2025-02-02T12:00:00Z',
  });
  await countRegistrationExpired({
    recordingId: id('h2'),
    serviceArea: other,
    startedAt: '2025-02-02T12:00:00Z',
  });

  const release = (
    releaseId: string,
    approvedAt: string,
    kind: 'service-area' | 'external-agency',
    by: string,
    serviceArea = area,
  ) =>
    countRelease({
      releaseId: id(releaseId),
      serviceArea,
      destinationKind: kind,
      authoriserId: by,
      approvedAt,
    });
  await release('rel-1', '2025-04-01T10:00:00Z', 'service-area', 'siro-1');
  await release('rel-1', '2025-04-01T10:00:00Z', 'service-area', 'siro-1'); // repeat
  await release('rel-2', '2025-09-09T10:00:00Z', 'external-agency', 'siro-1');
  await release('rel-3', '2025-12-31T23:00:00Z', 'service-area', 'mgr-rev');
  await release('rel-4', '2026-01-02T10:00:00Z', 'service-area', 'mgr-rev'); // after the period
  await release('rel-5', '2025-04-01T10:00:00Z', 'service-area', 'mgr-hou', other);

  const copy = (
    releaseId: string,
    expiresInDays: number,
    kind: 'service-area' | 'external-agency',
    to: string,
  ) => ({
    releaseId: id(releaseId),
    copyExpiresAt: at(expiresInDays),
    destinationKind: kind,
    destination: to,
  });
  await trackReleaseCopyOpened(area, copy('rel-1', -1, 'service-area', 'housing')); // overdue
  await trackReleaseCopyOpened(area, copy('rel-3', 5, 'service-area', 'planning'));
  await trackReleaseCopyOpened(area, copy('rel-2', -3, 'external-agency', 'police'));
  await trackReleaseCopyClosed(area, id('rel-2')); // deleted once used
  await trackReleaseCopyOpened(other, copy('rel-5', -1, 'service-area', area));

  await trackHold(area, {
    holdId: id('hold-A'),
    placedAt: at(-400),
    reviewDue: at(-1),
    guidanceRef: 'IG-2025-01',
  });
  await trackHold(area, { holdId: id('hold-B'), placedAt: at(-20), reviewDue: at(10) });
  await trackHold(area, { holdId: id('hold-C'), placedAt: at(-20), reviewDue: at(-5) });
  await untrackHold(area, id('hold-C')); // lifted
  await trackHold(other, { holdId: id('hold-H'), placedAt: at(-20), reviewDue: at(-5) });

  const old3 = { recordingId: id('old-3'), holdId: id('hold-A'), deleteAfter: at(-5) };
  await trackHeldRecording(area, {
    recordingId: id('old-1'),
    holdId: id('hold-A'),
    deleteAfter: at(-2),
    guidanceRef: 'IG-2025-01',
  });
  await trackHeldRecording(area, { recordingId: id('old-2'), holdId: id('hold-B'), deleteAfter: at(30) }); // < 24 months
  await trackHeldRecording(area, old3);
  await untrackHeldRecording(area, old3); // unlinked

  await trackExtension(area, { number: '2001', mode: 'always', marked: true, pairedUnrecorded: '2901' });
  await trackExtension(area, { number: '2901', mode: 'never', marked: false });
  await trackExtension(area, { number: '2002', mode: 'on-demand', marked: true });
  await trackExtension(area, { number: '2003', mode: 'on-demand', marked: false }); // legacy, unmarked
  await trackExtension(area, { number: '2004', mode: 'always', marked: true }); // legacy, no pair
  await trackExtension(area, { number: '2005', mode: 'always', marked: true, pairedUnrecorded: '2901' });
  await trackExtension(
    other,
    { number: '2005', mode: 'always', marked: true, pairedUnrecorded: '3901' },
    area,
  ); // moved
  await trackExtension(other, { number: '3001', mode: 'on-demand', marked: true });

  await noteStaffInArea(id('agent-a'), area, '2025-06-01');
  await noteStaffInArea(id('agent-b'), other, '2025-06-01');
};

/** The hand-computed report of `area` for PERIOD (fields as in ComplianceReport). */
export const expectedCompliance = (area: string) => {
  const id = (s: string) => `${area}-${s}`;
  return {
    recordings: 6,
    byMethod: { announcement: 2, 'agent-statement': 1, 'advance-notice': 1, none: 2 },
    none: [
      [id('r3'), '2025-03-15T11:00:00.000Z', 'agent-of-r3'],
      [id('r5'), '2025-12-31T23:59:59.000Z', 'agent-of-r5'],
    ],
    reminders: { abuse: 2, verification: 2 },
    quarantine: {
      total: 3,
      byReason: { 'checksum-mismatch': 2, 'duration-mismatch': 1 },
      expiredRegistrations: 1,
    },
    releasesTotal: 3,
    byDestinationKind: { 'service-area': 2, 'external-agency': 1 },
    byAuthoriser: { 'mgr-rev': 1, 'siro-1': 2 },
    openCopies: [id('rel-1'), id('rel-3')],
    overdueCopies: [id('rel-1')],
    activeHolds: [id('hold-A'), id('hold-B')],
    holdsDue: [id('hold-A')],
    kept: [[id('old-1'), id('hold-A'), 'IG-2025-01']],
    extensions: {
      registered: 5,
      recorded: 4,
      marked: 3,
      recordedNotMarked: ['2003'],
      alwaysRecorded: 2,
      pairedWithUnrecorded: 1,
      alwaysRecordedNotPaired: ['2004'],
    },
    firstUseMissing: [id('agent-a')],
  };
};

/** Asserts every section of `r` against the hand-computed report of `area` (expectedCompliance). */
export const expectHandComputedReport = (r: ComplianceReport, area: string): void => {
  const e = expectedCompliance(area);
  expect(r.customerNotification.recordings).toBe(e.recordings);
  expect(r.customerNotification.byMethod).toEqual(e.byMethod);
  expect(r.customerNotification.none.map((n) => [n.recordingId, n.startedAt, n.agentId])).toEqual(e.none);
  expect(r.customerReminders).toEqual(e.reminders);
  expect(r.quarantine).toEqual(e.quarantine);
  expect(r.releases.total).toBe(e.releasesTotal);
  expect(r.releases.byDestinationKind).toEqual(e.byDestinationKind);
  expect(r.releases.byAuthoriser).toEqual(e.byAuthoriser);
  expect(r.releases.openCopies.map((c) => c.releaseId)).toEqual(e.openCopies);
  expect(r.releases.overdueCopies.map((c) => c.releaseId)).toEqual(e.overdueCopies);
  expect(r.holds.active.map((h) => h.holdId)).toEqual(e.activeHolds);
  expect(r.holds.dueForReview.map((h) => h.holdId)).toEqual(e.holdsDue);
  expect(r.holds.keptPast24Months.map((k) => [k.recordingId, k.holdId, k.guidanceRef])).toEqual(e.kept);
  expect(r.extensions).toEqual(e.extensions);
  expect(r.staffNoticesDue.firstUseMissing.map((s) => s.staffId)).toEqual(e.firstUseMissing);
};
