/**
 * Index keys that items written before their index was declared lack. Each backfill is idempotent and
 * cheap once done, so it runs on every local start (local/dynamodb.ts) and on every deploy that changes
 * the migrations function (functions/migrations). Each returns how many items it updated.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { SERVICE_AREA_LIST_MARKER } from '../../declarations/migrations.js';
import { AUDIT_CHAIN, auditIndexKeys } from '../domain/audit.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { type RetryPolicy, retrying } from '../platform/retry.js';
import { serviceAreaListKeys } from './registers-store.js';

/** A backfill writes item after item: a throttled or briefly failing write is tried again. */
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
]);
const BACKFILL_RETRY: RetryPolicy = {
  retryable: (error) => THROTTLED.has((error as { name?: string })?.name ?? ''),
  retries: 8,
};

type Client = Pick<DynamoDBDocumentClient, 'send'>;
type Key = Record<string, unknown>;

/**
 * The audit log's month index (gsi3) came after its first entries: entries without gsi3pk/gsi3sk are
 * never seen by a time-window read. They get them here (index keys are not part of the hashed content,
 * so the chain still verifies). The oldest entry is updated last, so one Limit-1 read of it tells
 * whether anything is left — also after a run that stopped half-way.
 */
export const backfillAuditMonths = async (
  table: string,
  client: Client = dynamoDocumentClient(),
): Promise<number> => {
  const chain = {
    TableName: table,
    KeyConditionExpression: '#c = :c',
    ExpressionAttributeValues: { ':c': AUDIT_CHAIN },
  };
  const first = await retrying(BACKFILL_RETRY, () =>
    client.send(new QueryCommand({ ...chain, ExpressionAttributeNames: { '#c': 'chain' }, Limit: 1 })),
  );
  if (!first.Items?.[0] || first.Items[0].gsi3pk) return 0;
  let updated = 0;
  let start: Key | undefined;
  do {
    const page = await retrying(BACKFILL_RETRY, () =>
      client.send(
        new QueryCommand({
          ...chain,
          ExpressionAttributeNames: { '#c': 'chain', '#pk': 'gsi3pk' },
          FilterExpression: 'attribute_not_exists(#pk)',
          ScanIndexForward: false,
          ExclusiveStartKey: start,
        }),
      ),
    );
    for (const item of page.Items ?? []) {
      const payload = (item.payload ?? {}) as { actor?: unknown; recordingId?: unknown };
      const keys = auditIndexKeys(
        {
          actor: String(payload.actor),
          recordingId: typeof payload.recordingId === 'string' ? payload.recordingId : undefined,
        },
        { at: String(item.at), seq: Number(item.seq) },
      );
      await retrying(BACKFILL_RETRY, () =>
        client.send(
          new UpdateCommand({
            TableName: table,
            Key: { chain: item.chain, seq: item.seq },
            UpdateExpression: 'SET #pk = :pk, #sk = :sk',
            ExpressionAttributeNames: { '#pk': 'gsi3pk', '#sk': 'gsi3sk' },
            ExpressionAttributeValues: { ':pk': keys.gsi3pk, ':sk': keys.gsi3sk },
          }),
        ),
      );
      updated += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return updated;
};

/** Written once the service-area list backfill has finished: later runs read it instead of scanning. */
export const SERVICE_AREA_LIST_DONE = { pk: SERVICE_AREA_LIST_MARKER, sk: '-' } as const;

/**
 * The service-area list (gsi1 = SERVICE-AREAS / <id>) came after the first areas: areas from before are
 * not listed by GET /service-areas. One scan gives them their list keys, then the marker item records
 * that it is done. The only Scan in the system, run by the migrations function and the local stack.
 */
export const backfillServiceAreaList = async (
  table: string,
  client: Client = dynamoDocumentClient(),
): Promise<number> => {
  const done = await retrying(BACKFILL_RETRY, () =>
    client.send(new GetCommand({ TableName: table, Key: SERVICE_AREA_LIST_DONE, ConsistentRead: true })),
  );
  if (done.Item) return 0;
  let updated = 0;
  let start: Key | undefined;
  do {
    const page = await retrying(BACKFILL_RETRY, () =>
      client.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: 'sk = :area AND attribute_not_exists(gsi1pk)',
          ExpressionAttributeValues: { ':area': 'AREA' },
          ProjectionExpression: 'pk, sk, id',
          ExclusiveStartKey: start,
        }),
      ),
    );
    for (const item of page.Items ?? []) {
      const keys = serviceAreaListKeys(String(item.id));
      await retrying(BACKFILL_RETRY, () =>
        client.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk',
            ExpressionAttributeValues: { ':pk': keys.gsi1pk, ':sk': keys.gsi1sk },
          }),
        ),
      );
      updated += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  await retrying(BACKFILL_RETRY, () =>
    client.send(new PutCommand({ TableName: table, Item: { ...SERVICE_AREA_LIST_DONE } })),
  );
  return updated;
};
