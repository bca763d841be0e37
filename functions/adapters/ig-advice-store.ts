/**
 * IG advice records in the disclosures table.
 *   ADVICE#<id> / ADVICE     the advice as IG wrote it; gsi1 = ADVICE / <issuedAt>#<id>
 * Advice is written once and never updated: a change is new advice with a new id.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AdviceRepository } from '../disclosures/ports.js';
import { ConflictError } from '../domain/errors.js';
import type { IgAdvice } from '../domain/ig-advice.js';
import { dynamoDocumentClient } from './clients/dynamodb.js';
import { tableName } from './env.js';

const adviceKey = (adviceId: string) => ({ pk: `ADVICE#${adviceId}`, sk: 'ADVICE' });

export const dynamoAdviceStore = (table = tableName('disclosures')): AdviceRepository => ({
  async create(advice) {
    try {
      await dynamoDocumentClient().send(
        new PutCommand({
          TableName: table,
          Item: {
            ...adviceKey(advice.adviceId),
            gsi1pk: 'ADVICE',
            gsi1sk: `${advice.issuedAt}#${advice.adviceId}`,
            advice,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError(`IG advice ${advice.adviceId} already exists`);
      throw error;
    }
  },
  async get(adviceId) {
    const out = await dynamoDocumentClient().send(
      new GetCommand({ TableName: table, Key: adviceKey(adviceId), ConsistentRead: true }),
    );
    return out.Item?.advice as IgAdvice | undefined;
  },
});
