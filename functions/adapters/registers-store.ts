/**
 * The registers table: service areas (business cases) and extensions, one item each.
 * Keys: `AREA#<id>` / `AREA`, `EXT#<number>` / `EXT`. Call idempotency records (`CALL#<callId>`) are
 * written by catalogue-store together with the catalogue entry they point at.
 * Every service area also carries gsi1 = `SERVICE-AREAS` / `<id>`, so the register lists by one Query.
 * Ports: `ServiceAreaStore`, `ExtensionStore` (functions/ports/registers.ts).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ServiceArea } from '../domain/business-case.js';
import type { Extension } from '../domain/extension.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { isConditionFailure } from '../platform/conditions.js';
import { tableName } from '../platform/env.js';
import { queryAll } from '../platform/query-all.js';
import type { CallRecord } from '../ports/ingest.js';
import type { ExtensionStore, ServiceAreaStore } from '../ports/registers.js';

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

const getItem = async <T>(table: string, Key: Record<string, string>): Promise<T | undefined> => {
  const out = await dynamoDocumentClient().send(
    new GetCommand({ TableName: table, Key, ConsistentRead: true }),
  );
  return strip<T>(out.Item);
};

/** The service-area register in `table`. */
export const dynamoServiceAreas = (table: string): ServiceAreaStore => ({
  get: (id) => getItem<ServiceArea>(table, registerKeys.area(id)),
  put: async (area, expectedUpdatedAt) => {
    try {
      await dynamoDocumentClient().send(
        new PutCommand({
          TableName: table,
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
  },
  // A council has tens of areas: one Query, no paging needed.
  list: async () => {
    const items = await queryAll({
      TableName: table,
      IndexName: SERVICE_AREA_LIST.index,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': SERVICE_AREA_LIST.partition },
    });
    return items.map((item) => strip<ServiceArea>(item) as ServiceArea);
  },
});

/** The extension register in `table`. */
export const dynamoExtensions = (table: string): ExtensionStore => ({
  get: (number) => getItem<Extension>(table, registerKeys.extension(number)),
  put: async (extension) => {
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: table,
        Item: { ...registerKeys.extension(extension.number), kind: 'extension', ...extension },
      }),
    );
  },
});

/** One service area, read where the table is named by the environment (ingest, release). */
export const getServiceArea = (id: string): Promise<ServiceArea | undefined> =>
  dynamoServiceAreas(registersTable()).get(id);

/** One extension, read where the table is named by the environment (ingest). */
export const getExtension = (number: string): Promise<Extension | undefined> =>
  dynamoExtensions(registersTable()).get(number);

export const getCallRecord = (callId: string): Promise<CallRecord | undefined> =>
  getItem<CallRecord>(registersTable(), registerKeys.call(callId));

/** The transaction item that writes a call's idempotency record once (catalogue-store.ts registerCall). */
export const callRecordPut = (call: CallRecord) => ({
  Put: {
    TableName: registersTable(),
    Item: { ...registerKeys.call(call.callId), kind: 'call', ...call } as Record<string, unknown>,
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});
