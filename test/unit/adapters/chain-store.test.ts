import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { appendLink } from '../../../functions/adapters/chain-store.js';
import { nextLink } from '../../../functions/domain/hash-chain.js';

const ddb = mockClient(DynamoDBDocumentClient);

describe('chain store', () => {
  beforeEach(() => ddb.reset());

  it('starts a chain at sequence 1 and writes only if the key is new', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).resolves({});
    // Act
    const link = await appendLink(
      'audit-table',
      'audit',
      { action: 'playback' },
      { indexAttributes: { gsi1pk: 'REC#1' } },
    );
    // Assert
    expect(link.seq).toBe(1);
    const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(#s)');
    expect(put?.Item).toMatchObject({ chain: 'audit', seq: 1, gsi1pk: 'REC#1', hash: link.hash });
  });

  it('re-reads the head and links to the winner when another writer took the sequence number', async () => {
    // Arrange: first read sees seq 1; the put of seq 2 loses; second read sees the winner at seq 2.
    const first = nextLink('audit', undefined, { a: 1 }, new Date('2026-01-01T00:00:00Z'));
    const winner = nextLink('audit', first, { a: 2 }, new Date('2026-01-01T00:00:01Z'));
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [first] })
      .resolves({ Items: [winner] });
    ddb
      .on(PutCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'taken', $metadata: {} }))
      .resolves({});
    // Act
    const link = await appendLink('audit-table', 'audit', { a: 3 });
    // Assert
    expect(link.seq).toBe(3);
    expect(link.prevHash).toBe(winner.hash);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(2);
  });

  it('does not retry errors other than a lost race', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).rejects(new Error('throttled'));
    await expect(appendLink('audit-table', 'audit', {})).rejects.toThrow('throttled');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);
  });
});
