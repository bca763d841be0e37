import '../staff-notices/env.js';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
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
} from '../../../functions/adapters/counters.js';
import { noteStaffInArea } from '../../../functions/adapters/staff-register.js';
import type { ComplianceReport, RegisteredRecording } from '../../../functions/domain/compliance.js';
import type { NotificationMethod } from '../../../functions/domain/recording.js';
import { installFakeRegisters } from '../staff-notices/fake-registers.js';
import { invoke } from '../support/http.js';

const ddb = mockClient(DynamoDBDocumentClient);
const { handler } = await import('../../../functions/reports/handler.js');

const PERIOD = { serviceArea: 'revenues', from: '2025-01-01', to: '2025-12-31' };
const IG = { staffId: 'ig-1', groups: ['role:ig-officer'] };
const DAY = 86_400_000;
const at = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

const call = (
  recordingId: string,
  startedAt: string,
  method: NotificationMethod,
  flags: { abuse?: boolean; verification?: boolean } = {},
  serviceArea = 'revenues',
): RegisteredRecording => ({
  recordingId,
  serviceArea,
  startedAt,
  extension: '2001',
  agentId: `agent-of-${recordingId}`,
  notification: method === 'advance-notice' ? { method, evidenceRef: 'letter-1' } : { method },
  abuseReminder: flags.abuse ?? false,
  verificationReminder: flags.verification ?? false,
});

/**
 * Seeds through the write-time functions other capabilities call. Hand-computed answers for revenues,
 * 2025-01-01..2025-12-31, are in the test below; each line says whether it counts.
 */
const seed = async () => {
  const calls = [
    call('r1', '2025-01-01T00:00:00Z', 'announcement', { abuse: true }), // counts (first instant)
    call('r2', '2025-03-15T10:00:00Z', 'agent-statement', { verification: true }), // counts
    call('r3', '2025-03-15T11:00:00Z', 'none', { abuse: true, verification: true }), // counts, listed
    call('r4', '2025-06-30T23:59:59Z', 'advance-notice'), // counts
    call('r5', '2025-12-31T23:59:59Z', 'none'), // counts (last instant), listed
    call('r8', '2026-01-01T00:30:00+01:00', 'announcement'), // 2025-12-31T23:30Z UTC: counts
    call('r6', '2024-12-31T23:59:59Z', 'none'), // before the period
    call('r7', '2026-01-01T00:00:00Z', 'announcement'), // after the period
    call('h1', '2025-05-05T09:00:00Z', 'none', {}, 'housing'), // another area
  ];
  for (const c of calls) await countRecordingRegistered(c);
  await countRecordingRegistered(calls[2] as RegisteredRecording); // a repeated event counts once

  const q = (subjectId: string, startedAt: string, reason: string, serviceArea = 'revenues') =>
    countQuarantined({ subjectId, serviceArea, startedAt, at: at(0), reason });
  await q('r2', '2025-03-15T10:00:00Z', 'checksum-mismatch');
  await q('r2', '2025-03-15T10:00:00Z', 'checksum-mismatch'); // repeat
  await q('r4', '2025-06-30T23:59:59Z', 'duration-mismatch');
  await q('r9', '2025-08-01T08:00:00Z', 'checksum-mismatch');
  await q('r7', '2026-01-01T00:00:00Z', 'size-mismatch'); // after the period
  await countQuarantined({ subjectId: 'incoming/x', at: '2025-04-04T00:00:00Z', reason: 'no-registration' }); // no area
  await countRegistrationExpired({
    recordingId: 'r10',
    serviceArea: 'revenues',
    startedAt: '2025-02-02T12:00:00Z',
  });
  await countRegistrationExpired({
    recordingId: 'h2',
    serviceArea: 'housing',
    startedAt: '2025-02-02T12:00:00Z',
  });

  const release = (
    releaseId: string,
    approvedAt: string,
    kind: 'service-area' | 'external-agency',
    by: string,
    area = 'revenues',
  ) => countRelease({ releaseId, serviceArea: area, destinationKind: kind, authoriserId: by, approvedAt });
  await release('rel-1', '2025-04-01T10:00:00Z', 'service-area', 'siro-1');
  await release('rel-1', '2025-04-01T10:00:00Z', 'service-area', 'siro-1'); // repeat
  await release('rel-2', '2025-09-09T10:00:00Z', 'external-agency', 'siro-1');
  await release('rel-3', '2025-12-31T23:00:00Z', 'service-area', 'mgr-rev');
  await release('rel-4', '2026-01-02T10:00:00Z', 'service-area', 'mgr-rev'); // after the period
  await release('rel-5', '2025-04-01T10:00:00Z', 'service-area', 'mgr-hou', 'housing');

  await trackReleaseCopyOpened('revenues', {
    releaseId: 'rel-1',
    copyExpiresAt: at(-1),
    destinationKind: 'service-area',
    destination: 'housing',
  });
  await trackReleaseCopyOpened('revenues', {
    releaseId: 'rel-3',
    copyExpiresAt: at(5),
    destinationKind: 'service-area',
    destination: 'planning',
  });
  await trackReleaseCopyOpened('revenues', {
    releaseId: 'rel-2',
    copyExpiresAt: at(-3),
    destinationKind: 'external-agency',
    destination: 'police',
  });
  await trackReleaseCopyClosed('revenues', 'rel-2'); // deleted once used
  await trackReleaseCopyOpened('housing', {
    releaseId: 'rel-5',
    copyExpiresAt: at(-1),
    destinationKind: 'service-area',
  });

  await trackHold('revenues', {
    holdId: 'hold-A',
    placedAt: at(-400),
    reviewDue: at(-1),
    guidanceRef: 'IG-2025-01',
  });
  await trackHold('revenues', { holdId: 'hold-B', placedAt: at(-20), reviewDue: at(10) });
  await trackHold('revenues', { holdId: 'hold-C', placedAt: at(-20), reviewDue: at(-5) });
  await untrackHold('revenues', 'hold-C'); // lifted
  await trackHold('housing', { holdId: 'hold-H', placedAt: at(-20), reviewDue: at(-5) });

  await trackHeldRecording('revenues', {
    recordingId: 'old-1',
    holdId: 'hold-A',
    deleteAfter: at(-2),
    guidanceRef: 'IG-2025-01',
  });
  await trackHeldRecording('revenues', { recordingId: 'old-2', holdId: 'hold-B', deleteAfter: at(30) }); // not yet 24 months
  await trackHeldRecording('revenues', { recordingId: 'old-3', holdId: 'hold-A', deleteAfter: at(-5) });
  await untrackHeldRecording('revenues', { recordingId: 'old-3', holdId: 'hold-A', deleteAfter: at(-5) }); // unlinked

  await trackExtension('revenues', {
    number: '2001',
    mode: 'always',
    marked: true,
    pairedUnrecorded: '2901',
  });
  await trackExtension('revenues', { number: '2901', mode: 'never', marked: false });
  await trackExtension('revenues', { number: '2002', mode: 'on-demand', marked: true });
  await trackExtension('revenues', { number: '2003', mode: 'on-demand', marked: false }); // legacy, unmarked
  await trackExtension('revenues', { number: '2004', mode: 'always', marked: true }); // legacy, no pair
  await trackExtension('revenues', {
    number: '2005',
    mode: 'always',
    marked: true,
    pairedUnrecorded: '2901',
  });
  await trackExtension(
    'housing',
    { number: '2005', mode: 'always', marked: true, pairedUnrecorded: '3901' },
    'revenues',
  ); // moved
  await trackExtension('housing', { number: '3001', mode: 'on-demand', marked: true });

  await noteStaffInArea('agent-a', 'revenues', '2025-06-01');
  await noteStaffInArea('agent-b', 'housing', '2025-06-01');
};

beforeEach(() => {
  ddb.reset();
  installFakeRegisters(ddb);
});

describe('GET /reports/compliance', () => {
  it('matches the hand-computed figure in every section on seeded data', async () => {
    // Arrange
    await seed();
    // Act
    const reply = await invoke<ComplianceReport>(handler, 'GET /reports/compliance', {
      ...IG,
      query: PERIOD,
    });
    // Assert
    expect(reply.status).toBe(200);
    const r = reply.json;
    expect(r.period).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(r.customerNotification.recordings).toBe(6);
    expect(r.customerNotification.byMethod).toEqual({
      announcement: 2,
      'agent-statement': 1,
      'advance-notice': 1,
      none: 2,
    });
    expect(r.customerNotification.none.map((n) => [n.recordingId, n.startedAt, n.agentId])).toEqual([
      ['r3', '2025-03-15T11:00:00.000Z', 'agent-of-r3'],
      ['r5', '2025-12-31T23:59:59.000Z', 'agent-of-r5'],
    ]);
    expect(r.customerReminders).toEqual({ abuse: 2, verification: 2 });
    expect(r.quarantine).toEqual({
      total: 3,
      byReason: { 'checksum-mismatch': 2, 'duration-mismatch': 1 },
      expiredRegistrations: 1,
    });
    expect(r.releases.total).toBe(3);
    expect(r.releases.byDestinationKind).toEqual({ 'service-area': 2, 'external-agency': 1 });
    expect(r.releases.byAuthoriser).toEqual({ 'mgr-rev': 1, 'siro-1': 2 });
    expect(r.releases.openCopies.map((c) => c.releaseId)).toEqual(['rel-1', 'rel-3']);
    expect(r.releases.overdueCopies.map((c) => c.releaseId)).toEqual(['rel-1']);
    expect(r.holds.active.map((h) => h.holdId)).toEqual(['hold-A', 'hold-B']);
    expect(r.holds.dueForReview.map((h) => h.holdId)).toEqual(['hold-A']);
    expect(r.holds.keptPast24Months.map((k) => [k.recordingId, k.holdId, k.guidanceRef])).toEqual([
      ['old-1', 'hold-A', 'IG-2025-01'],
    ]);
    expect(r.extensions).toEqual({
      registered: 5,
      recorded: 4,
      marked: 3,
      recordedNotMarked: ['2003'],
      alwaysRecorded: 2,
      pairedWithUnrecorded: 1,
      alwaysRecordedNotPaired: ['2004'],
    });
    expect(r.staffNoticesDue.firstUseMissing.map((s) => s.staffId)).toEqual(['agent-a']);
    expect([...r.staffNoticesDue.reminderOverdue, ...r.staffNoticesDue.reminderDueSoon]).toEqual([]);
  });

  it('reads every figure with indexed queries: no Scan is ever sent', async () => {
    // Arrange
    await seed();
    ddb.resetHistory();
    // Act
    const reply = await invoke(handler, 'GET /reports/compliance', { ...IG, query: PERIOD });
    // Assert
    expect(reply.status).toBe(200);
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
    const sent = ddb.calls().map((c) => c.args[0].constructor.name);
    expect(new Set(sent)).toEqual(new Set(['QueryCommand']));
    const keys = ddb.commandCalls(QueryCommand).map((c) => String(c.args[0].input.KeyConditionExpression));
    expect(keys).toHaveLength(7);
    for (const k of keys) expect(k).toMatch(/^(pk|gsi1pk) = :pk/);
  });

  it.each([
    ['a manager of that area', { staffId: 'm', groups: ['area:revenues:manager'] }],
    ['a head of service of that area', { staffId: 'h', groups: ['area:revenues:head-of-service'] }],
    ['the Release Log keeper', { staffId: 'k', groups: ['role:release-log-keeper'] }],
    ['an IG officer', IG],
  ])('is readable by %s', async (_who, persona) => {
    const reply = await invoke(handler, 'GET /reports/compliance', { ...persona, query: PERIOD });
    expect(reply.status).toBe(200);
  });

  it.each([
    ['a manager of another area', { staffId: 'm', groups: ['area:housing:manager'] }],
    [
      'a listener of that area',
      { staffId: 'l', groups: ['area:revenues:listener', 'area:revenues:nominated'] },
    ],
    ['the SIRO', { staffId: 's', groups: ['role:siro'] }],
  ])('refuses %s with 403 and reads nothing', async (_who, persona) => {
    const reply = await invoke(handler, 'GET /reports/compliance', { ...persona, query: PERIOD });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ rule: 'report.compliance-readers' });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers CSV when the client asks for text/csv', async () => {
    // Arrange
    await seed();
    // Act
    const reply = await invoke(handler, 'GET /reports/compliance', {
      ...IG,
      query: PERIOD,
      headers: { accept: 'text/csv' },
    });
    // Assert
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/csv/);
    const rows = reply.text.trim().split('\r\n');
    expect(rows[0]).toBe('section,item,value,detail');
    expect(rows).toContain('customer-notification,none,2,');
    expect(rows).toContain(
      'customer-notification-none,r3,2025-03-15T11:00:00.000Z,extension 2001 agent agent-of-r3',
    );
    expect(rows).toContain('releases-by-authoriser,siro-1,2,');
    expect(rows).toContain('extensions-always-recorded-not-paired,2004,,');
    expect(rows).toContain('staff-notices-due,agent-a,first-use-missing,due since 2025-06-01');
  });

  it.each([
    [{ ...PERIOD, to: '2024-12-31' }, 'query.to'],
    [{ ...PERIOD, from: '2025-13-01' }, 'query.from'],
    [{ ...PERIOD, to: '2030-01-01' }, 'query.to'],
    [{ from: PERIOD.from, to: PERIOD.to }, 'query.serviceArea'],
  ])('refuses a bad query with 400 naming the field (%#)', async (query, field) => {
    const reply = await invoke(handler, 'GET /reports/compliance', {
      ...IG,
      query: query as Record<string, string>,
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ field });
  });
});
