/**
 * Catalogue reads and the deletion update the playback function needs. Every read uses the table key or
 * one of the catalogue's GSIs (declarations/tables.ts) — never a Scan. The deletion is a single
 * conditional update (status ARCHIVED, no active hold, retain-until passed), so a hold placed at the same
 * moment either lands first (and the delete is refused) or finds the recording already DELETED.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, type QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CATALOGUE_INDEXES } from '../../declarations/tables.js';
import type { DeletionCertificate, Recording, RecordingStatus } from '../domain/recording.js';
import { dynamoDocumentClient } from './clients/dynamodb.js';
import { type CursorShape, decodeCursor, encodeCursor } from './page-cursor.js';

export const getRecording = async (table: string, recordingId: string): Promise<Recording | undefined> => {
  const out = await dynamoDocumentClient().send(
    new GetCommand({ TableName: table, Key: { recordingId }, ConsistentRead: true }),
  );
  return out.Item as Recording | undefined;
};

export interface RecordingSearch {
  /** Service areas the caller may search; results outside them are never returned. */
  readonly areas: readonly string[];
  /** Required unless callerHash, extension or agentId picks an index. */
  readonly serviceArea?: string;
  readonly callerHash?: string;
  readonly extension?: string;
  readonly agentId?: string;
  readonly status?: RecordingStatus;
  /** ISO 8601 UTC bounds on startedAt, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface RecordingPage {
  readonly items: Recording[];
  readonly cursor?: string;
}

type Partition = {
  index: string;
  attribute: 'callerHash' | 'extension' | 'agentId' | 'serviceArea';
  value: string;
};

/** The most selective index the filters allow. */
const partitionFor = (q: RecordingSearch): Partition => {
  if (q.callerHash)
    return { index: CATALOGUE_INDEXES.byCaller, attribute: 'callerHash', value: q.callerHash };
  if (q.extension)
    return { index: CATALOGUE_INDEXES.byExtension, attribute: 'extension', value: q.extension };
  if (q.agentId) return { index: CATALOGUE_INDEXES.byAgent, attribute: 'agentId', value: q.agentId };
  if (q.serviceArea) {
    return { index: CATALOGUE_INDEXES.byServiceArea, attribute: 'serviceArea', value: q.serviceArea };
  }
  throw new Error('searchRecordings needs serviceArea, callerHash, extension or agentId');
};

/**
 * The query for a search, newest first. Built (and its cursor checked → 400) before anything is written,
 * so bad input never reaches the audit log.
 */
export const recordingQuery = (table: string, q: RecordingSearch): QueryCommandInput => {
  const p = partitionFor(q);
  const names: Record<string, string> = { '#pk': p.attribute };
  if (q.from || q.to) names['#started'] = 'startedAt';
  const values: Record<string, unknown> = { ':pk': p.value };
  let keyCondition = '#pk = :pk';
  if (q.from && q.to) {
    keyCondition += ' AND #started BETWEEN :from AND :to';
    Object.assign(values, { ':from': q.from, ':to': q.to });
  } else if (q.from) {
    keyCondition += ' AND #started >= :from';
    values[':from'] = q.from;
  } else if (q.to) {
    keyCondition += ' AND #started <= :to';
    values[':to'] = q.to;
  }
  const filters: string[] = [];
  const equal = (attribute: string, value: string | undefined) => {
    if (value === undefined || attribute === p.attribute) return;
    const n = filters.length;
    names[`#f${n}`] = attribute;
    values[`:f${n}`] = value;
    filters.push(`#f${n} = :f${n}`);
  };
  equal('serviceArea', q.serviceArea);
  equal('extension', q.extension);
  equal('agentId', q.agentId);
  equal('status', q.status);
  if (p.attribute !== 'serviceArea' && q.serviceArea === undefined) {
    // Other indexes span service areas: keep only the caller's.
    names['#area'] = 'serviceArea';
    const placeholders = q.areas.map((area, i) => {
      values[`:area${i}`] = area;
      return `:area${i}`;
    });
    filters.push(`#area IN (${placeholders.join(', ')})`);
  }
  const shape: CursorShape = { partition: [p.attribute, p.value], keys: ['recordingId', 'startedAt'] };
  return {
    TableName: table,
    IndexName: p.index,
    KeyConditionExpression: keyCondition,
    FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
    Limit: q.limit,
    ExclusiveStartKey: q.cursor ? decodeCursor(q.cursor, shape) : undefined,
  };
};

export const searchRecordings = async (query: QueryCommandInput): Promise<RecordingPage> => {
  const out = await dynamoDocumentClient().send(new QueryCommand(query));
  return {
    items: (out.Items ?? []) as Recording[],
    cursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : undefined,
  };
};

/** The conditional update lost: the recording changed (held, deleted, ...) since it was read. */
export class RecordingChangedError extends Error {
  constructor(readonly recordingId: string) {
    super(`recording ${recordingId} changed during the request`);
  }
}

/**
 * ARCHIVED → DELETED with the certificate, only if no hold is active and retain-until has passed; removes
 * deleteDay so the sweeper's sparse index forgets it.
 */
export const markDeleted = async (
  table: string,
  recordingId: string,
  certificate: DeletionCertificate,
): Promise<void> => {
  try {
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: table,
        Key: { recordingId },
        UpdateExpression: 'SET #status = :deleted, statusAt = :at, deletion = :cert REMOVE deleteDay',
        ConditionExpression:
          '#status = :archived AND (attribute_not_exists(holdCount) OR holdCount = :zero) AND retainUntil <= :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':deleted': 'DELETED',
          ':archived': 'ARCHIVED',
          ':zero': 0,
          ':at': certificate.at,
          ':cert': certificate,
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new RecordingChangedError(recordingId);
    throw error;
  }
};

/** Undoes markDeleted when the object itself could not be deleted (e.g. a legal hold on the version). */
export const restoreArchived = async (table: string, before: Recording, deletedAt: string): Promise<void> => {
  await dynamoDocumentClient().send(
    new UpdateCommand({
      TableName: table,
      Key: { recordingId: before.recordingId },
      UpdateExpression: before.deleteDay
        ? 'SET #status = :archived, statusAt = :statusAt, deleteDay = :day REMOVE deletion'
        : 'SET #status = :archived, statusAt = :statusAt REMOVE deletion',
      ConditionExpression: '#status = :deleted AND deletion.#at = :deletedAt',
      ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
      ExpressionAttributeValues: {
        ':archived': 'ARCHIVED',
        ':deleted': 'DELETED',
        ':statusAt': before.statusAt,
        ':deletedAt': deletedAt,
        ...(before.deleteDay ? { ':day': before.deleteDay } : {}),
      },
    }),
  );
};
