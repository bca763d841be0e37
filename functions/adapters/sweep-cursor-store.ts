/**
 * The deletion sweeper's resume point, one item in the holds table: SWEEPER#deletion / CURSOR.
 * Implements SweepCursorStore (functions/domain/holds.ts).
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SweepCursor, SweepCursorStore } from '../domain/holds.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { isConditionFailure } from '../platform/conditions.js';

const CURSOR_KEY = { pk: 'SWEEPER#deletion', sk: 'CURSOR' };

export const dynamoSweepCursor = (table: string): SweepCursorStore => ({
  async getCursor() {
    const out = await dynamoDocumentClient().send(
      new GetCommand({ TableName: table, Key: CURSOR_KEY, ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return out.Item.next
      ? { day: out.Item.day as string, next: out.Item.next as string }
      : { day: out.Item.day as string };
  },

  async putCursor(cursor: SweepCursor) {
    await dynamoDocumentClient().send(
      new PutCommand({ TableName: table, Item: { ...CURSOR_KEY, ...cursor } }),
    );
  },

  async rewindCursor(day) {
    try {
      await dynamoDocumentClient().send(
        new UpdateCommand({
          TableName: table,
          Key: CURSOR_KEY,
          UpdateExpression: 'SET #day = :day REMOVE #next',
          ConditionExpression: 'attribute_exists(pk) AND #day > :day',
          ExpressionAttributeNames: { '#day': 'day', '#next': 'next' },
          ExpressionAttributeValues: { ':day': day },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  },
});
