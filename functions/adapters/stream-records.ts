/**
 * DynamoDB stream records of the log tables → StreamEntry (ports/audit-events.ts). The record names its
 * table in its event source ARN (`arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ChainLink } from '../domain/hash-chain.js';
import { tableName } from '../platform/env.js';
import type { StreamEntry } from '../ports/audit-events.js';

export type LogTables = Readonly<Record<string, 'auditLog' | 'releaseLog'>>;

/** Physical table name → log table, from the functions' TABLE_* variables. */
export const logTablesFromEnv = (): LogTables => ({
  [tableName('auditLog')]: 'auditLog',
  [tableName('releaseLog')]: 'releaseLog',
});

const tableOfArn = (arn: string | undefined): string | undefined => /:table\/([^/]+)/.exec(arn ?? '')?.[1];

const isLink = (item: Record<string, unknown>): boolean =>
  typeof item.chain === 'string' &&
  typeof item.seq === 'number' &&
  typeof item.at === 'string' &&
  typeof item.prevHash === 'string' &&
  typeof item.hash === 'string' &&
  item.payload !== null &&
  typeof item.payload === 'object';

export const streamEntryOf = (record: DynamoDBRecord, tables: LogTables): StreamEntry => {
  const id = record.dynamodb?.SequenceNumber ?? record.eventID ?? '';
  const table = tables[tableOfArn(record.eventSourceARN) ?? ''];
  const image = record.dynamodb?.NewImage;
  if (!table || !image) return { id, eventName: record.eventName, table };
  let item: Record<string, unknown>;
  try {
    item = unmarshall(image as Record<string, AttributeValue>, { wrapNumbers: false });
  } catch {
    // An image this code cannot read fails its own record (retried, then the DLQ), not the whole batch.
    return { id, eventName: record.eventName, table };
  }
  if (!isLink(item)) return { id, eventName: record.eventName, table };
  // Only the hashed fields: index keys (gsi*) are storage, not part of the entry.
  const { chain, seq, at, payload, prevHash, hash } = item as unknown as ChainLink<Record<string, unknown>>;
  return { id, eventName: record.eventName, table, link: { chain, seq, at, payload, prevHash, hash } };
};
