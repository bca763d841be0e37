/** Every item of a DynamoDB Query, following LastEvaluatedKey page by page; or the first `max` items. */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from './clients/dynamodb.js';

export const queryAll = async (
  input: QueryCommandInput,
  max = Number.POSITIVE_INFINITY,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    // With `max`, each request asks only for what is still missing (a response may stop short at 1 MB).
    const limit = Number.isFinite(max) ? { Limit: max - items.length } : {};
    const page = await dynamoDocumentClient().send(
      new QueryCommand({ ...input, ...limit, ExclusiveStartKey }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && items.length < max);
  return items;
};
