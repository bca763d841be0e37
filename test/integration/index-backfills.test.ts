/**
 * The deploy-time migrations function on DynamoDB Local, over tables of this file's own (support.ts
 * ownTable): audit entries and service areas written as they were before their index keys existed are
 * invisible to the month-window read and to GET /service-areas' list; one run of the function's handler
 * gives them their keys, and a second run updates nothing.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { tableEnvVar } from '../../declarations/tables.js';
import { auditQuery, queryAudit } from '../../functions/adapters/audit-log.js';
import {
  dynamoServiceAreas,
  registerKeys,
  serviceAreaListKeys,
} from '../../functions/adapters/registers-store.js';
import { AUDIT_CHAIN, type AuditEntry, auditIndexKeys } from '../../functions/domain/audit.js';
import { nextLink } from '../../functions/domain/hash-chain.js';
import { closeClients, dynamo, ownTable, stack } from './support.js';

jest.setTimeout(120_000); // budgeted for a loaded 2-core machine

let auditLog: string;
let registers: string;
let handler: (event: unknown, context: Context) => Promise<Record<string, number>>;

const entry = (i: number): AuditEntry => ({
  actor: 'staff-revenues-listener',
  action: 'playback',
  recordingId: `backfill-rec-${i}`,
  outcome: 'allowed',
  rule: 's6.playback-within-service-area',
  correlationId: `backfill-${i}`,
});
const AT = ['2024-03-01T09:00:00.000Z', '2024-03-15T10:00:00.000Z', '2024-04-02T11:00:00.000Z'];
const MARCH = { from: '2024-03-01T00:00:00.000Z', to: '2024-03-31T23:59:59.999Z', limit: 50 };
const NOW = new Date('2024-05-01T00:00:00.000Z');

const area = (id: string, listed: boolean) => ({
  ...registerKeys.area(id),
  ...(listed ? serviceAreaListKeys(id) : {}),
  kind: 'service-area',
  id,
  name: id,
});

const run = () => handler({}, { awsRequestId: 'migrations-test', functionName: 'migrations' } as Context);

beforeAll(async () => {
  auditLog = await ownTable('auditLog');
  registers = await ownTable('registers');
  // The adapters in this process talk to the stack's emulators; the function reads its tables' names.
  Object.assign(process.env, stack().env, {
    LOG_LEVEL: 'silent',
    [tableEnvVar('auditLog')]: auditLog,
    [tableEnvVar('registers')]: registers,
  });
  ({ handler } = await import('../../functions/migrations/handler.js'));

  // Arrange (shared): three audit entries of the pre-sharding chain without month keys (as written before
  // gsi3), two areas without list keys (before the list) and one with them.
  let head: ReturnType<typeof nextLink<AuditEntry>> | undefined;
  for (const [i, at] of AT.entries()) {
    head = nextLink(AUDIT_CHAIN, head, entry(i), new Date(at));
    const { gsi3pk: _pk, gsi3sk: _sk, ...oldKeys } = auditIndexKeys(entry(i), head);
    await dynamo().send(new PutCommand({ TableName: auditLog, Item: { ...oldKeys, ...head } }));
  }
  for (const [id, listed] of [
    ['old-area-a', false],
    ['old-area-b', false],
    ['new-area', true],
  ] as const) {
    await dynamo().send(new PutCommand({ TableName: registers, Item: area(id, listed) }));
  }
}, 180_000);

afterAll(closeClients);

describe('the migrations function on tables from before their index keys', () => {
  it('gives old entries and areas their index keys once, so window reads and the area list see them', async () => {
    // Arrange: before the run, neither read sees the old items.
    const marchBefore = await queryAudit(auditQuery(auditLog, MARCH, NOW));
    const listedBefore = await dynamoServiceAreas(registers).list();

    // Act
    const first = await run();
    const second = await run();

    // Assert
    expect(marchBefore.entries).toEqual([]);
    expect(listedBefore.map((a) => a.id)).toEqual(['new-area']);
    expect(first).toEqual({ 'audit-months': 3, 'service-area-list': 2 });
    expect(second).toEqual({ 'audit-months': 0, 'service-area-list': 0 });
    const march = await queryAudit(auditQuery(auditLog, MARCH, NOW));
    expect(march.entries.map((e) => e.at)).toEqual([AT[1], AT[0]]);
    const listed = await dynamoServiceAreas(registers).list();
    expect(listed.map((a) => a.id)).toEqual(['new-area', 'old-area-a', 'old-area-b']);
  });
});
