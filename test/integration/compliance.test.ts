/**
 * The compliance report and the staff awareness register on the local stack, driven over HTTP.
 * The hand-computed data set (test/unit/staff-notices/compliance-seed.ts) is written with the real
 * write-time adapters into DynamoDB Local, under a service area of its own so other tests cannot change
 * the answer; the report is then read through the gateway as the personas would.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { ComplianceReport } from '../../functions/domain/compliance.js';
import { complianceReport } from '../../functions/reports/compliance.js';
import { awsComplianceDeps } from '../../functions/reports/deps.js';
import { CREDENTIALS, REGION } from '../../local/config.js';
import { expectHandComputedReport, PERIOD, seedCompliance } from '../unit/staff-notices/compliance-seed.js';
import { localStack, seedRecordings } from './holds-support.js';
import { api, closeClients, publishedMessages, runJob, stack, table, watchDynamo } from './support.js';

const AREA = `cit-${Date.now().toString(36)}`;
const OTHER = `${AREA}-other`;
const query = (serviceArea: string) => `serviceArea=${serviceArea}&from=${PERIOD.from}&to=${PERIOD.to}`;
const ALL = { purpose: true, uses: true, retention: true, businessCallsOnly: true };
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  // The adapters in this process talk to the stack's DynamoDB Local, as the handlers do.
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: stack().endpoints.dynamodb,
    TABLE_REGISTERS: table('registers'),
    LOG_LEVEL: 'silent',
  });
  await seedCompliance(AREA, OTHER);
}, 120_000);

afterAll(closeClients);
afterEach(() => {
  jest.restoreAllMocks();
});

describe('GET /reports/compliance on the local stack', () => {
  it('matches the hand-computed figure in every section', async () => {
    // Act
    const reply = await api('ig-officer').get<ComplianceReport>(`/reports/compliance?${query(AREA)}`);
    // Assert
    expect(reply.status).toBe(200);
    const r = reply.json;
    expectHandComputedReport(r, AREA);
  });

  it('answers CSV for Accept: text/csv', async () => {
    const reply = await api('ig-officer').get(`/reports/compliance?${query(AREA)}`, { accept: 'text/csv' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = reply.text.trim().split('\r\n');
    expect(rows[0]).toBe('section,item,value,detail');
    expect(rows).toContain('customer-notification,none,2,');
    expect(rows).toContain(
      `customer-notification-none,${AREA}-r3,2025-03-15T11:00:00.000Z,extension 2001 agent agent-of-r3`,
    );
    expect(rows).toContain('releases-by-authoriser,siro-1,2,');
    expect(rows).toContain('extensions-always-recorded-not-paired,2004,,');
    expect(rows).toContain(`staff-notices-due,${AREA}-agent-a,first-use-missing,due since 2025-06-01`);
  });

  it('reads every section with queries on the registers table, never a Scan', async () => {
    // Arrange: the use case in this process on the stores the handler uses (its audit entry kept aside)
    const { sent } = watchDynamo();
    const ig = { staffId: 'ig-1', grants: {}, roles: ['ig-officer' as const], scopes: [] };
    const ports = { ...awsComplianceDeps(), audit: async () => undefined };
    // Act
    const report = await complianceReport(ports, ig, { serviceArea: AREA, ...PERIOD, correlationId: 'c-1' });
    // Assert
    expectHandComputedReport(report, AREA);
    const onRegisters = sent.filter((c) => c.input.TableName === table('registers'));
    expect(onRegisters.map((c) => c.command)).toEqual(Array(7).fill('QueryCommand'));
    expect(sent.filter((c) => /Scan/.test(c.command))).toEqual([]);
  });

  it("lets a manager read their own area's report but not another area's", async () => {
    // Act
    const own = await api('revenues-manager').get(`/reports/compliance?${query('revenues')}`);
    const other = await api('housing-manager').get(`/reports/compliance?${query('revenues')}`);
    const listener = await api('revenues-listener').get(`/reports/compliance?${query('revenues')}`);
    // Assert
    expect(own.status).toBe(200);
    expect(other.status).toBe(403);
    expect(other.json).toMatchObject({ rule: 'report.compliance-readers' });
    expect(listener.status).toBe(403);
  });
});

describe('staff awareness notices on the local stack', () => {
  const overdue = `${AREA}-overdue`;

  it('records a notice, lists who is due, and the weekly job publishes the list to the topic', async () => {
    // Arrange: told 13 months ago, so the 12-monthly reminder is overdue
    const recorded = await api('registrar').post('/staff-notices', {
      staffId: overdue,
      kind: 'first-use',
      date: day(-396),
      toldBy: 'staff-revenues-manager',
      checklist: ALL,
      serviceArea: AREA,
    });
    expect(recorded.status).toBe(201);
    // Act
    const due = await api('registrar').get(`/staff-notices/due?serviceArea=${AREA}`);
    const job = await runJob('staff-reminders');
    // Assert
    expect(due.status).toBe(200);
    expect(due.json.firstUseMissing.map((s: { staffId: string }) => s.staffId)).toEqual([`${AREA}-agent-a`]);
    expect(due.json.reminderOverdue.map((s: { staffId: string }) => s.staffId)).toEqual([overdue]);
    expect(job.status).toBe(200);
    const messages = (await publishedMessages()).map((m) => m.message).join('\n');
    expect(messages).toContain(`- ${overdue} (${AREA}): 12-monthly reminder overdue`);
    expect(messages).toContain(`- ${AREA}-agent-a (${AREA}): no first-use notice recorded`);
  });

  it('refuses a manager the due list of another area, and a first-use notice that skipped s.4 items', async () => {
    const due = await api('housing-manager').get('/staff-notices/due?serviceArea=revenues');
    const partial = await api('registrar').post('/staff-notices', {
      staffId: `${AREA}-partial`,
      kind: 'first-use',
      date: day(0),
      toldBy: 'x',
      checklist: { ...ALL, businessCallsOnly: false },
    });
    expect(due.status).toBe(403);
    expect(partial.status).toBe(422);
    expect(partial.json).toMatchObject({ rule: 's4.f-business-calls-only' });
  });
});

describe('release and hold sections, fed by the release and hold routes', () => {
  const today = day(0);
  const report = async () => {
    const reply = await api('ig-officer').get<ComplianceReport>(
      `/reports/compliance?serviceArea=revenues&from=${today}&to=${today}`,
    );
    expect(reply.status).toBe(200);
    return reply.json;
  };

  it('shows an approved release and a placed hold, and drops the copy and the hold once they end', async () => {
    // Arrange: a revenues call from 2024, past its 24-month point, archived.
    const recordingId = `${AREA}-held`;
    await seedRecordings(localStack(), [
      { recordingId, serviceArea: 'revenues', startedAt: '2024-01-10T10:00:00.000Z' },
    ]);
    const before = await report();
    // Act: hold it, then release it to housing.
    const hold = await api('ig-officer').post('/holds', {
      caseRef: `IT-${AREA}`,
      reason: 'compliance report test',
      reviewDate: day(-1),
      scope: { recordingIds: [recordingId] },
      igGuidanceRef: `IG-${AREA}`,
    });
    const requested = await api('housing-listener').post('/releases', {
      recordingId,
      destination: { kind: 'service-area', serviceArea: 'housing' },
      purpose: 'dispute-verification',
      justification: 'Complaint C-2 escalated to housing',
    });
    const releaseId = requested.json.releaseId as string;
    const approved = await api('revenues-manager').post(`/releases/${releaseId}/approve`);
    const during = await report();
    const completed = await api('housing-listener').post(`/releases/${releaseId}/complete`);
    const lifted = await api('ig-officer').delete(`/holds/${hold.json.holdId}`, { reason: 'case closed' });
    const after = await report();
    // Assert
    expect([hold.status, requested.status, approved.status]).toEqual([201, 201, 200]);
    expect([completed.status, lifted.status]).toEqual([200, 200]);
    const holdId = hold.json.holdId as string;
    expect(during.releases.total).toBe(before.releases.total + 1);
    expect(during.releases.byDestinationKind['service-area']).toBe(
      before.releases.byDestinationKind['service-area'] + 1,
    );
    expect(during.releases.byAuthoriser['staff-revenues-manager']).toBe(
      (before.releases.byAuthoriser['staff-revenues-manager'] ?? 0) + 1,
    );
    expect(during.releases.openCopies).toContainEqual(
      expect.objectContaining({ releaseId, destinationKind: 'service-area', destination: 'housing' }),
    );
    expect(during.holds.active).toContainEqual(
      expect.objectContaining({ holdId, reviewDue: day(-1), guidanceRef: `IG-${AREA}` }),
    );
    expect(during.holds.dueForReview.map((h) => h.holdId)).toContain(holdId);
    expect(during.holds.keptPast24Months).toContainEqual(
      expect.objectContaining({ recordingId, holdId, guidanceRef: `IG-${AREA}` }),
    );
    expect(after.releases.total).toBe(during.releases.total);
    expect(after.releases.openCopies.map((c) => c.releaseId)).not.toContain(releaseId);
    expect(after.holds.active.map((h) => h.holdId)).not.toContain(holdId);
    expect(after.holds.keptPast24Months.map((k) => k.recordingId)).not.toContain(recordingId);
  }, 120_000);
});
