/**
 * The disclosures table, and the one module that reads or writes it:
 *   ADVICE#<id> / ADVICE     IG advice as IG wrote it; gsi1 = ADVICE / <issuedAt>#<id>. Written once and
 *                            never updated: a change is new advice with a new id.
 *   SAR#<id> / SAR           a subject access request; `version` guards every update (optimistic concurrency)
 *     while open:            gsi1 = SAR#OPEN / <dueDate>#<id>       (open requests by due date)
 *     once closed:           gsi2 = SAR#CLOSED / <closedAt>#<id>    (requests closed, by time)
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors.js';
import type { IgAdvice } from '../domain/ig-advice.js';
import type { SubjectAccessRequest } from '../domain/subject-access-request.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { isConditionFailure } from '../platform/conditions.js';
import { tableName } from '../platform/env.js';
import { queryAll } from '../platform/query-all.js';
import type { AdviceRepository } from '../ports/disclosures.js';
import type { SarRepository } from '../ports/subject-access.js';

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
      if (isConditionFailure(error)) throw new ConflictError(`IG advice ${advice.adviceId} already exists`);
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

// --- subject access requests ----------------------------------------------------------------------

const sarKey = (sarId: string) => ({ pk: `SAR#${sarId}`, sk: 'SAR' });

const item = (sar: SubjectAccessRequest) => ({
  ...sarKey(sar.sarId),
  version: sar.version,
  ...(sar.state === 'OPEN'
    ? { gsi1pk: 'SAR#OPEN', gsi1sk: `${sar.dueDate}#${sar.sarId}` }
    : { gsi2pk: 'SAR#CLOSED', gsi2sk: `${sar.closed?.at ?? ''}#${sar.sarId}` }),
  sar,
});

export const dynamoSarStore = (table = tableName('disclosures')): SarRepository => ({
  async create(sar) {
    try {
      await dynamoDocumentClient().send(
        new PutCommand({
          TableName: table,
          Item: item(sar),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConflictError(`subject access request ${sar.sarId} already exists`);
      throw error;
    }
  },
  async get(sarId) {
    const out = await dynamoDocumentClient().send(
      new GetCommand({ TableName: table, Key: sarKey(sarId), ConsistentRead: true }),
    );
    return out.Item?.sar as SubjectAccessRequest | undefined;
  },
  async replace(next, expectedVersion) {
    try {
      await dynamoDocumentClient().send(
        new PutCommand({
          TableName: table,
          Item: item(next),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
  async listOpen() {
    const items = await queryAll({
      TableName: table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'SAR#OPEN' },
    });
    return items.map((i) => i.sar as SubjectAccessRequest);
  },
  async listClosedSince(since) {
    const items = await queryAll({
      TableName: table,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :since',
      ExpressionAttributeValues: { ':pk': 'SAR#CLOSED', ':since': since },
    });
    return items.map((i) => i.sar as SubjectAccessRequest);
  },
});
