/**
 * The registers table: service areas (business cases) and extensions, one item each.
 * Keys: `AREA#<id>` / `AREA`, `EXT#<number>` / `EXT`. Call idempotency records (`CALL#<callId>`) are
 * written by catalogue-store together with the catalogue entry they point at.
 * Every service area also carries gsi1 = `SERVICE-AREAS` / `<id>`, so the register lists by one Query.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ServiceArea } from '../domain/business-case.js';
import type { Extension } from '../domain/extension.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { isConditionFailure } from '../platform/conditions.js';
import { tableName } from '../platform/env.js';
import { queryAll } from '../platform/query-all.js';

export const registerKeys = {
  area: (id: string) => ({ pk: `AREA#${id}`, sk: 'AREA' }),
  extension: (number: string) => ({ pk: `EXT#${number}`, sk: 'EXT' }),
  call: (callId: string) => ({ pk: `CALL#${callId}`, sk: 'CALL' }),
} as const;

/** The service-area list: one gsi1 partition holding every area, sorted by id. */
export const SERVICE_AREA_LIST = { index: 'gsi1', partition: 'SERVICE-AREAS' } as const;
export const serviceAreaListKeys = (id: string) => ({ gsi1pk: SERVICE_AREA_LIST.partition, gsi1sk: id });

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, gsi1pk: _g1, gsi1sk: _s1, ...rest } = item;
  return rest as T;
};

export const registersTable = (): string => tableName('registers');

export const getServiceArea = async (id: string): Promise<ServiceArea | undefined> => {
  const out = await dynamoDocumentClient().send(
    new GetCommand({ TableName: registersTable(), Key: registerKeys.area(id), ConsistentRead: true }),
  );
  return strip<ServiceArea>(out.Item);
};

/**
 * Writes a service area. With `expectedUpdatedAt`, only over the version read (an approval must not
 * land on a case the registrar changed meanwhile): returns false when it changed.
 */
export const putServiceArea = async (area: ServiceArea, expectedUpdatedAt?: string): Promise<boolean> => {
  try {
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: registersTable(),
        Item: {
          ...registerKeys.area(area.id),
          ...serviceAreaListKeys(area.id),
          kind: 'service-area',
          ...area,
        },
        ...(expectedUpdatedAt !== undefined
          ? {
              ConditionExpression: 'updatedAt = :expected',
              ExpressionAttributeValues: { ':expected': expectedUpdatedAt },
            }
          : {}),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/** Every registered service area, by id (a council has tens: one Query, no paging needed). */
export const listServiceAreas = async (): Promise<ServiceArea[]> => {
  const items = await queryAll({
    TableName: registersTable(),
    IndexName: SERVICE_AREA_LIST.index,
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': SERVICE_AREA_LIST.partition },
  });
  return items.map((item) => strip<ServiceArea>(item) as ServiceArea);
};

export const getExtension = async (number: string): Promise<Extension | undefined> => {
  const out = await dynamoDocumentClient().send(
    new GetCommand({
      TableName: registersTable(),
      Key: registerKeys.extension(number),
      ConsistentRead: true,
    }),
  );
  return strip<Extension>(out.Item);
};

export const putExtension = async (extension: Extension): Promise<void> => {
  await dynamoDocumentClient().send(
    new PutCommand({
      TableName: registersTable(),
      Item: { ...registerKeys.extension(extension.number), kind: 'extension', ...extension },
    }),
  );
};

export interface CallRecord {
  readonly callId: string;
  readonly recordingId: string;
  /** SHA-256 of the canonical registration body: a replay with another body is a conflict. */
  readonly bodyHash: string;
  readonly registeredAt: string;
}

export const getCallRecord = async (callId: string): Promise<CallRecord | undefined> => {
  const out = await dynamoDocumentClient().send(
    new GetCommand({ TableName: registersTable(), Key: registerKeys.call(callId), ConsistentRead: true }),
  );
  return strip<CallRecord>(out.Item);
};

/** The transaction item that writes a call's idempotency record once (catalogue-store.ts registerCall). */
export const callRecordPut = (call: CallRecord) => ({
  Put: {
    TableName: registersTable(),
    Item: { ...registerKeys.call(call.callId), kind: 'call', ...call } as Record<string, unknown>,
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});
