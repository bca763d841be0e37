import '../staff-notices/env.js';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { ComplianceReport } from '../../../functions/domain/compliance.js';
import {
  expectHandComputedReport,
  seedCompliance,
  PERIOD as YEAR,
} from '../staff-notices/compliance-seed.js';
import { type FakeRegisters, installFakeRegisters, REGISTERS } from '../staff-notices/fake-registers.js';
import { invoke } from '../support/http.js';

const ddb = mockClient(DynamoDBDocumentClient);
const { handler } = await import('../../../functions/reports/handler.js');

const PERIOD = { serviceArea: 'revenues', ...YEAR };
const IG = { staffId: 'ig-1', groups: ['role:ig-officer'] };
const seed = () => seedCompliance('revenues', 'housing');

let fake: FakeRegisters;
beforeEach(() => {
  ddb.reset();
  fake = installFakeRegisters(ddb);
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
    expectHandComputedReport(r, 'revenues');
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
    const onRegisters = ddb
      .calls()
      .filter((c) => (c.args[0].input as { TableName?: string }).TableName === REGISTERS);
    expect(new Set(onRegisters.map((c) => c.args[0].constructor.name))).toEqual(new Set(['QueryCommand']));
    const keys = onRegisters.map((c) =>
      String((c.args[0].input as { KeyConditionExpression?: string }).KeyConditionExpression),
    );
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
    const registerReads = ddb
      .commandCalls(QueryCommand)
      .filter((c) => c.args[0].input.TableName === REGISTERS);
    expect(registerReads).toHaveLength(0);
    expect(fake.audit.map((l) => l.payload)).toEqual([
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
    expect(fake.audit.map((l) => l.payload)).toEqual([
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
      'customer-notification-none,revenues-r3,2025-03-15T11:00:00.000Z,extension 2001 agent agent-of-r3',
    );
    expect(rows).toContain('releases-by-authoriser,siro-1,2,');
    expect(rows).toContain('extensions-always-recorded-not-paired,2004,,');
    expect(rows).toContain('staff-notices-due,revenues-agent-a,first-use-missing,due since 2025-06-01');
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
