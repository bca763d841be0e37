/**
 * GET /reports/compliance on port fakes: who may read which area's report, that every read and every
 * refusal is audited, the period and area checks, and the CSV answer. The figures themselves, from the
 * hand-computed data set written by the real write-time adapters, and that each section is read by key
 * (no Scan) are proved on DynamoDB Local (test/integration/compliance.test.ts).
 */
import type { AuditEntry } from '../../../functions/domain/audit.js';
import { httpRouter } from '../../../functions/http/router.js';
import type { ComplianceReportPorts } from '../../../functions/reports/compliance.js';
import { complianceRoute } from '../../../functions/reports/compliance-route.js';
import { PERIOD as YEAR } from '../staff-notices/compliance-seed.js';
import { invoke } from '../support/http.js';

process.env.LOG_LEVEL = 'silent';

const PERIOD = { serviceArea: 'revenues', ...YEAR };
const IG = { staffId: 'ig-1', groups: ['role:ig-officer'] };

/** Ports that hold nothing: each read is recorded by name, each audit entry kept. */
const fakePorts = () => {
  const reads: string[] = [];
  const audit: AuditEntry[] = [];
  const read =
    (name: string) =>
    async (..._args: unknown[]) => {
      reads.push(name);
      return [];
    };
  const ports: ComplianceReportPorts = {
    readDayCounters: read('readDayCounters'),
    readUnnotified: read('readUnnotified'),
    readOpenCopies: read('readOpenCopies'),
    readActiveHolds: read('readActiveHolds'),
    readKeptPast24Months: read('readKeptPast24Months'),
    readExtensions: read('readExtensions'),
    listStaffDueBy: read('listStaffDueBy') as ComplianceReportPorts['listStaffDueBy'],
    audit: async (entry) => {
      audit.push(entry);
    },
    now: () => new Date('2026-02-01T10:00:00.000Z'),
  };
  return { ports, reads, audit };
};

let fake: ReturnType<typeof fakePorts>;
let handler: ReturnType<typeof httpRouter>;
beforeEach(() => {
  fake = fakePorts();
  handler = httpRouter({ 'GET /reports/compliance': complianceRoute(fake.ports) });
});

describe('GET /reports/compliance', () => {
  it.each([
    ['a manager of that area', { staffId: 'm', groups: ['area:revenues:manager'] }],
    ['a head of service of that area', { staffId: 'h', groups: ['area:revenues:head-of-service'] }],
    ['the Release Log keeper', { staffId: 'k', groups: ['role:release-log-keeper'] }],
    ['an IG officer', IG],
  ])('is readable by %s', async (_who, persona) => {
    const reply = await invoke(handler, 'GET /reports/compliance', { ...persona, query: PERIOD });
    expect(reply.status).toBe(200);
    expect(fake.reads).toHaveLength(7);
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
    expect(fake.reads).toEqual([]);
    expect(fake.audit).toEqual([
      expect.objectContaining({ actor: persona.staffId, outcome: 'denied', serviceArea: 'revenues' }),
    ]);
  });

  it('audits each read in the audit log, with the period asked for', async () => {
    // Act
    await invoke(handler, 'GET /reports/compliance', {
      ...IG,
      query: PERIOD,
      headers: { 'x-correlation-id': 'corr-12345678' },
    });
    // Assert
    expect(fake.audit).toEqual([
      {
        actor: 'ig-1',
        action: 'search',
        serviceArea: 'revenues',
        filters: { report: 'compliance', from: '2025-01-01', to: '2025-12-31' },
        outcome: 'allowed',
        rule: 'report.compliance-readers',
        correlationId: 'corr-12345678',
      },
    ]);
  });

  it('answers CSV when the client asks for text/csv, as an attachment named for the area and period', async () => {
    // Act
    const reply = await invoke(handler, 'GET /reports/compliance', {
      ...IG,
      query: PERIOD,
      headers: { accept: 'text/csv' },
    });
    // Assert
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/csv/);
    expect(reply.headers['content-disposition']).toBe(
      'attachment; filename="compliance-revenues-2025-01-01-2025-12-31.csv"',
    );
    expect(reply.text.trim().split('\r\n')[0]).toBe('section,item,value,detail');
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
