/**
 * No Scan on any request path: every endpoint, with every filter combination that picks a different
 * query, runs through the real adapters against SDK clients that answer every command with a canned reply
 * (no imitation of DynamoDB: nothing is stored). No ScanCommand may be sent, and every Query names a key
 * condition on the table or on an index the table declares.
 */
import { DynamoDBClient, ScanCommand as RawScanCommand } from '@aws-sdk/client-dynamodb';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ROUTES, routeKey } from '../../../declarations/routes.js';
import { TABLES } from '../../../declarations/tables.js';
import { type EventOptions, invoke } from '../support/http.js';
import { AUDIT, CATALOGUE, loadHandler } from './env.js';
import { recording } from './fake-deps.js';

const ddb = mockClient(DynamoDBDocumentClient);
const raw = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);

const EVERYONE = {
  staffId: 'ops',
  groups: ['area:revenues:nominated', 'area:housing:listener', 'role:ig-officer'],
};

const CALLS: [string, EventOptions][] = [
  ['GET /recordings', { query: { serviceArea: 'revenues' } }],
  [
    'GET /recordings',
    { query: { serviceArea: 'revenues', from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } },
  ],
  ['GET /recordings', { query: { serviceArea: 'revenues', status: 'ARCHIVED' } }],
  ['GET /recordings', { query: { caller: '+441234567890' } }],
  ['GET /recordings', { query: { extension: '4001', from: '2024-01-01T00:00:00Z' } }],
  ['GET /recordings', { query: { agent: 'agent-1', to: '2025-01-01T00:00:00Z' } }],
  ['GET /recordings', { query: { serviceArea: 'housing', agent: 'agent-1', caller: '+441234567890' } }],
  ['GET /recordings/{id}', { params: { id: 'rec-a' } }],
  ['GET /recordings/{id}', { params: { id: 'missing' } }],
  ['POST /recordings/{id}/playback', { params: { id: 'rec-a' }, body: { purpose: 'training' } }],
  ['POST /recordings/{id}/download', { params: { id: 'rec-a' }, body: { purpose: 'training' } }],
  ['DELETE /recordings/{id}', { params: { id: 'rec-a' }, body: { reason: 'duplicate recording' } }],
  ['DELETE /recordings/{id}', { params: { id: 'rec-held' }, body: { reason: 'duplicate recording' } }],
  ['GET /audit', { query: {} }],
  ['GET /audit', { query: { from: '2024-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' } }],
  ['GET /audit', { query: { from: '2024-01-01T00:00:00Z' } }],
  ['GET /audit', { query: { to: '2025-01-01T00:00:00Z', limit: '1' } }],
  ['GET /audit', { query: { recordingId: 'rec-a', actor: 'ops' } }],
  ['GET /audit', { query: { actor: 'ops', from: '2024-01-01T00:00:00Z' } }],
  ['GET /audit/export', { query: { limit: '2' } }],
];

const declaredIndexes = (table: string): (string | undefined)[] => {
  const id = table === CATALOGUE ? 'catalogue' : table === AUDIT ? 'auditLog' : undefined;
  const decl = TABLES.find((t) => t.id === id);
  return [undefined, ...(decl?.indexes.map((i) => i.indexName) ?? [])];
};

describe('no Scan on any request path', () => {
  let handler: Awaited<ReturnType<typeof loadHandler>>;
  beforeAll(async () => {
    handler = await loadHandler();
  });

  it('covers every playback route in the route table', () => {
    const mine = ROUTES.filter((r) => r.function === 'playback').map(routeKey);
    expect(new Set(CALLS.map(([key]) => key))).toEqual(new Set(mine));
  });

  it('sends no ScanCommand and queries only by key or declared index, across every endpoint', async () => {
    // Arrange: canned replies; two recordings exist, one of them held.
    ddb.reset();
    raw.reset();
    s3.reset();
    kms.reset();
    ddb.onAnyCommand().resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetCommand, { TableName: CATALOGUE, Key: { recordingId: 'rec-a' } }).resolves({
      Item: recording({ recordingId: 'rec-a' }),
    });
    ddb.on(GetCommand, { TableName: CATALOGUE, Key: { recordingId: 'rec-held' } }).resolves({
      Item: recording({ recordingId: 'rec-held', holdCount: 1 }),
    });
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array([9]) });
    s3.onAnyCommand().resolves({});
    // Act
    const statuses: number[] = [];
    for (const [key, options] of CALLS)
      statuses.push((await invoke(handler, key, { ...EVERYONE, ...options })).status);
    // Assert
    expect(
      CALLS.filter((_, i) => (statuses[i] ?? 0) >= 500).map(([k, o]) => `${k} ${JSON.stringify(o)}`),
    ).toEqual([]);
    expect(ddb.commandCalls(ScanCommand)).toEqual([]);
    expect(raw.commandCalls(RawScanCommand)).toEqual([]);
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      expect(q.KeyConditionExpression).toBeDefined();
      expect(declaredIndexes(String(q.TableName))).toContain(q.IndexName);
    }
  });
});
