import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { setIngestEnv } from './env.js';

setIngestEnv();
const { expireStaleRegistrations } = await import('../../../functions/ingest/expire-registrations.js');

const ddb = mockClient(DynamoDBDocumentClient);
const pending = (id: string) => ({
  recordingId: id,
  callId: `call-${id}`,
  serviceArea: 'revenues',
  extension: '4001',
  status: 'PENDING',
  statusAt: '2026-03-09T08:00:00.000Z',
  registeredAt: '2026-03-09T08:00:00.000Z',
  startedAt: '2026-03-09T07:55:00.000Z',
});

describe('expiring registrations never uploaded', () => {
  beforeEach(() => ddb.reset());

  it('expires PENDING registrations older than 24 hours page by page through the byStatus index, never scanning', async () => {
    // Arrange
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [pending('a')], LastEvaluatedKey: { recordingId: 'a' } })
      .resolvesOnce({ Items: [pending('b')] });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    // Act
    const expired = await expireStaleRegistrations(new Date('2026-03-10T09:00:00.000Z'));
    // Assert
    expect(expired.map((e) => e.recordingId)).toEqual(['a', 'b']);
    const query = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({
      IndexName: 'byStatus',
      ExpressionAttributeValues: { ':s': 'PENDING', ':before': '2026-03-09T09:00:00.000Z' },
    });
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({ recordingId: 'a' });
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression: '#s = :pending AND statusAt = :seen',
      ExpressionAttributeValues: { ':expired': 'EXPIRED', ':seen': '2026-03-09T08:00:00.000Z' },
    });
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
    // Each expiry is counted for the compliance report.
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('leaves out a registration whose upload arrived while the sweep ran', async () => {
    ddb.on(QueryCommand).resolves({ Items: [pending('a')] });
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'changed', $metadata: {} }));
    expect(await expireStaleRegistrations(new Date('2026-03-10T09:00:00.000Z'))).toEqual([]);
  });
});
