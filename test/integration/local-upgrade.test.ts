/**
 * `npm start` on a data directory from before the audit month index (gsi3): DynamoDB Local of its own,
 * on a throwaway directory, with the audit table as it was then and an entry in it. ensureTables adds
 * the index and gives the old entry its month keys; the chain still verifies; a second start does nothing.
 * Likewise service areas registered before the service-area list get its keys, once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  registerKeys,
  SERVICE_AREA_LIST,
  serviceAreaListKeys,
} from '../../functions/adapters/registers-store.js';
import { AUDIT_CHAIN, type AuditEntry, auditIndexKeys } from '../../functions/domain/audit.js';
import { nextLink, verifyChain } from '../../functions/domain/hash-chain.js';
import { tableName } from '../../local/config.js';
import { type DynamoHandle, ensureTables, startDynamo } from '../../local/dynamodb.js';

const AUDIT_TABLE = 'crs-local-auditLog';
const S = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });

const entry = (i: number): AuditEntry => ({
  actor: 'staff-revenues-listener',
  action: 'playback',
  recordingId: `rec-${i}`,
  outcome: 'allowed',
  rule: 's6.playback-within-service-area',
  correlationId: `old-${i}`,
});

let dir: string;
let dynamo: DynamoHandle;
const doc = () => DynamoDBDocumentClient.from(dynamo.client);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crs-upgrade-'));
  dynamo = startDynamo(dir, await freePort());
  await dynamo.ready;
}, 180_000);

afterAll(async () => {
  await dynamo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a local data directory from before the audit month index', () => {
  it('gains the index and the old entries their month keys, and the chain still verifies', async () => {
    // Arrange: the audit table with gsi1 and gsi2 only, and two entries written without month keys.
    const gsi = (i: number) => ({
      IndexName: `gsi${i}`,
      KeySchema: [
        { AttributeName: `gsi${i}pk`, KeyType: 'HASH' as const },
        { AttributeName: `gsi${i}sk`, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    });
    await dynamo.client.send(
      new CreateTableCommand({
        TableName: AUDIT_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          S('chain'),
          { AttributeName: 'seq', AttributeType: 'N' },
          ...['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map(S),
        ],
        KeySchema: [
          { AttributeName: 'chain', KeyType: 'HASH' },
          { AttributeName: 'seq', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [gsi(1), gsi(2)],
      }),
    );
    const links = [];
    let head: ReturnType<typeof nextLink<AuditEntry>> | undefined;
    for (const [i, at] of ['2025-12-31T23:00:00.000Z', '2026-01-02T08:00:00.000Z'].entries()) {
      head = nextLink(AUDIT_CHAIN, head, entry(i), new Date(at));
      links.push(head);
      const { gsi3pk: _pk, gsi3sk: _sk, ...oldKeys } = auditIndexKeys(entry(i), head);
      await doc().send(new PutCommand({ TableName: AUDIT_TABLE, Item: { ...oldKeys, ...head } }));
    }
    // Act
    const first = await ensureTables(dynamo.client);
    const second = await ensureTables(dynamo.client);
    // Assert
    expect(first).toEqual(
      expect.arrayContaining([
        `added index ${AUDIT_TABLE}.gsi3`,
        `added index keys to 2 items of ${AUDIT_TABLE}`,
      ]),
    );
    expect(second).toEqual([]);
    const described = await dynamo.client.send(new DescribeTableCommand({ TableName: AUDIT_TABLE }));
    expect(described.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual([
      'gsi1',
      'gsi2',
      'gsi3',
    ]);
    const december = await doc().send(
      new QueryCommand({
        TableName: AUDIT_TABLE,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': 'AUDIT#2025-12' },
      }),
    );
    expect(december.Items?.map((i) => i.gsi3sk)).toEqual([
      `2025-12-31T23:00:00.000Z#${'1'.padStart(12, '0')}`,
    ]);
    const stored = await doc().send(
      new QueryCommand({
        TableName: AUDIT_TABLE,
        KeyConditionExpression: '#c = :c',
        ExpressionAttributeNames: { '#c': 'chain' },
        ExpressionAttributeValues: { ':c': AUDIT_CHAIN },
      }),
    );
    expect(verifyChain((stored.Items ?? []) as never)).toMatchObject({ ok: true, count: 2 });
  }, 180_000);
});

describe('a local data directory from before the service-area list', () => {
  it('gives areas registered before it their list keys once, so GET /service-areas lists them', async () => {
    // Arrange: the tables exist (the test above made them); an area as the service-area store wrote it
    // before the list keys, one written since, and no record that the backfill ran.
    const registers = tableName('registers');
    await ensureTables(dynamo.client);
    await doc().send(
      new DeleteCommand({ TableName: registers, Key: { pk: 'MIGRATION#service-area-list', sk: '-' } }),
    );
    await doc().send(
      new PutCommand({
        TableName: registers,
        Item: { ...registerKeys.area('old-area'), kind: 'service-area', id: 'old-area', name: 'Old' },
      }),
    );
    await doc().send(
      new PutCommand({
        TableName: registers,
        Item: {
          ...registerKeys.area('new-area'),
          ...serviceAreaListKeys('new-area'),
          kind: 'service-area',
          id: 'new-area',
          name: 'New',
        },
      }),
    );
    // Act
    const first = await ensureTables(dynamo.client);
    const second = await ensureTables(dynamo.client);
    // Assert
    expect(first).toEqual([`added index keys to 1 items of ${registers}`]);
    expect(second).toEqual([]);
    const listed = await doc().send(
      new QueryCommand({
        TableName: registers,
        IndexName: SERVICE_AREA_LIST.index,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': SERVICE_AREA_LIST.partition },
      }),
    );
    expect(listed.Items?.map((i) => i.id)).toEqual(['new-area', 'old-area']);
  }, 180_000);
});
