/** A DynamoDB stream record of a log table → the stored link, without its index keys. */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { streamEntryOf } from '../../../functions/adapters/stream-records.js';
import { nextLink } from '../../../functions/domain/hash-chain.js';

const TABLES = { 'crs-audit': 'auditLog', 'crs-release-log': 'releaseLog' } as const;
const link = nextLink('audit#03', undefined, { actor: 'u1', filters: { caller: '…555' } }, new Date());
const record = (table: string, item: Record<string, unknown>, eventName = 'INSERT') =>
  ({
    eventName,
    eventSourceARN: `arn:aws:dynamodb:eu-west-2:123456789012:table/${table}/stream/2026-12-02T00:00:00.000`,
    dynamodb: {
      SequenceNumber: '000000000000000000042',
      NewImage: marshall(item),
    },
  }) as unknown as DynamoDBRecord;

describe('streamEntryOf', () => {
  it('reads the link, its table and sequence number, leaving out index keys', () => {
    const entry = streamEntryOf(record('crs-audit', { ...link, gsi2pk: 'ACTOR#u1', gsi2sk: 'x' }), TABLES);

    expect(entry).toEqual({ id: '000000000000000000042', eventName: 'INSERT', table: 'auditLog', link });
  });

  it('gives an image it cannot read no link, so only that record fails', () => {
    const unreadable = record('crs-audit', { ...link });
    (unreadable.dynamodb?.NewImage as Record<string, unknown>).payload = { M: { filters: {} } };

    expect(streamEntryOf(unreadable, TABLES)).toEqual({
      id: '000000000000000000042',
      eventName: 'INSERT',
      table: 'auditLog',
    });
  });

  it('names no table for a stream of another table, and no link for an item that is not one', () => {
    expect(streamEntryOf(record('crs-other', { ...link }), TABLES).table).toBeUndefined();
    expect(streamEntryOf(record('crs-release-log', { pk: 'x' }), TABLES)).toEqual({
      id: '000000000000000000042',
      eventName: 'INSERT',
      table: 'releaseLog',
    });
  });
});
