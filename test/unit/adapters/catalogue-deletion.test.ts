import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { markDeleted, recordArchiveDeletion } from '../../../functions/adapters/catalogue-store.js';
import type { RecordingFacts } from '../../../functions/domain/holds.js';
import type { DeletionCertificate } from '../../../functions/domain/recording.js';

const ddb = mockClient(DynamoDBDocumentClient);
Object.assign(process.env, { TABLE_CATALOGUE: 'catalogue-table', TABLE_HOLDS: 'holds-table' });
const recording: RecordingFacts = {
  recordingId: 'r1',
  serviceArea: 'revenues',
  startedAt: '2026-01-01T00:00:00.000Z',
  deleteAfter: '2028-01-01T00:00:00.000Z',
  status: 'ARCHIVED',
  audio: { format: 'wav', sizeBytes: 1000, sha256: 'a'.repeat(64) },
  archiveKey: 'revenues/2026/01/01/r1.wav',
  archiveVersionId: 'v1',
  holdCount: 0,
};
const certificate: DeletionCertificate = {
  by: 'system:sweeper',
  at: '2028-01-02T03:00:00.000Z',
  rule: 's7.delete-after-24-months',
  reason: 'past delete-after, no hold',
  archiveKey: 'revenues/2026/01/01/r1.wav',
  versionId: 'v1',
  sha256: 'a'.repeat(64),
};

/** Every placeholder a request names must appear in one of its expressions, as DynamoDB insists. */
const unusedPlaceholders = (update: Record<string, unknown>): string[] => {
  const text = `${update.UpdateExpression} ${update.ConditionExpression}`;
  return [
    ...Object.keys(update.ExpressionAttributeNames as object),
    ...Object.keys(update.ExpressionAttributeValues as object),
  ].filter((p) => !new RegExp(`${p}(?![A-Za-z0-9_])`).test(text));
};

const sentTransaction = () => {
  const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
  return {
    update: items[0]?.Update as Record<string, unknown>,
    put: items[1]?.Put as Record<string, unknown>,
  };
};

describe('catalogue store: certified deletions', () => {
  beforeEach(() => ddb.reset());

  it('marks a due, unheld recording deleted and writes its deletion record in one transaction', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});
    // Act
    const done = await markDeleted(recording, certificate, 'deleteAfter');
    // Assert
    expect(done).toBe(true);
    const { update, put } = sentTransaction();
    expect(update.ConditionExpression).toMatch(/#status = :archived/);
    expect(update.ConditionExpression).toMatch(/holdCount = :zero/);
    expect(update.ConditionExpression).toMatch(/#floor <= :at/);
    expect(update.ExpressionAttributeNames).toMatchObject({ '#floor': 'deleteAfter' });
    expect(update.UpdateExpression).not.toMatch(/REMOVE deleteDay/);
    expect(update.ExpressionAttributeValues).toMatchObject({ ':deleted': 'DELETED', ':cert': certificate });
    expect(unusedPlaceholders(update)).toEqual([]);
    expect(put).toMatchObject({
      TableName: 'holds-table',
      Item: { pk: 'DELETIONS#2028-01', recordingId: 'r1' },
    });
  });

  it('records a lifecycle deletion once, removing the recording from the deletion-day index', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const done = await recordArchiveDeletion(recording, { ...certificate, by: 'system:s3-lifecycle' });
    expect(done).toBe(true);
    const { update, put } = sentTransaction();
    expect(update.ConditionExpression).toBe('attribute_exists(recordingId) AND #status <> :deleted');
    expect(update.UpdateExpression).toMatch(/REMOVE deleteDay/);
    expect(unusedPlaceholders(update)).toEqual([]);
    expect(put).toMatchObject({ Item: { pk: 'DELETIONS#2028-01', recordingId: 'r1' } });
  });

  it('answers false, not an error, when the condition no longer holds (held, or already deleted)', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    await expect(markDeleted(recording, certificate, 'retainUntil')).resolves.toBe(false);
    await expect(recordArchiveDeletion(recording, certificate)).resolves.toBe(false);
  });
});
