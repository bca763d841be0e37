/**
 * Lambda entry of the audit-event publisher: DynamoDB Streams of the access audit log and the Release of
 * Recording Log (NEW_IMAGE, INSERTs) → one EventBridge event per entry on the audit bus.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logTablesFromEnv, streamEntryOf } from '../adapters/stream-records.js';
import { withInvocationLog } from '../platform/log.js';
import { awsAuditEventDeps } from './deps.js';
import { publishStreamEntries } from './use-cases.js';

const deps = awsAuditEventDeps();
const tables = logTablesFromEnv();

export const handler = withInvocationLog(
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const { batchItemFailures } = await publishStreamEntries(
      deps,
      (event.Records ?? []).map((record) => streamEntryOf(record, tables)),
    );
    return { batchItemFailures };
  },
);
