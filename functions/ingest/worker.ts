/**
 * Ingest worker: SQS messages carrying inbox S3 events. Each message succeeds or fails on its own
 * (ReportBatchItemFailures): only failed messages are retried, and one that keeps failing reaches the
 * DLQ after maxReceiveCount, its reason logged at every attempt.
 */
import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { log, withInvocationLog, withLogFields } from '../platform/log.js';
import { type ArchiveOutcome, archiveUpload } from './archive-upload.js';
import { awsIngestDeps } from './deps.js';

const deps = awsIngestDeps();

interface S3EventRecord {
  s3?: { bucket?: { name?: string }; object?: { key?: string } };
}

/** S3 keys in event notifications are URL-encoded with `+` for spaces. */
const decodeKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

export const processMessage = async (record: SQSRecord): Promise<ArchiveOutcome[]> => {
  const body = JSON.parse(record.body) as { Event?: string; Records?: S3EventRecord[] };
  if (body.Event === 's3:TestEvent') return [];
  const outcomes: ArchiveOutcome[] = [];
  for (const s3record of body.Records ?? []) {
    const bucket = s3record.s3?.bucket?.name;
    const key = s3record.s3?.object?.key;
    if (!bucket || !key) throw new Error('S3 event record without bucket or key');
    outcomes.push(await archiveUpload(deps, { bucket, key: decodeKey(key), attemptId: record.messageId }));
  }
  return outcomes;
};

const processBatch = async (event: SQSEvent) =>
  Promise.allSettled(
    event.Records.map((record) =>
      // Every line about a message carries its id as the correlation id (S3 events carry none of ours).
      withLogFields({ correlationId: record.messageId, messageId: record.messageId }, async () => {
        try {
          const outcomes = await processMessage(record);
          log.info('ingest message processed', { messageId: record.messageId, outcomes });
          return outcomes;
        } catch (error) {
          log.error('ingest message failed; it will be retried, then dead-lettered', {
            messageId: record.messageId,
            receiveCount: record.attributes?.ApproximateReceiveCount,
            error,
          });
          throw error;
        }
      }),
    ),
  );

export const handler = withInvocationLog(
  middy<SQSEvent>({ timeoutEarlyInMillis: 0 })
    .use(sqsPartialBatchFailure({ logger: () => undefined }))
    .handler(processBatch),
);
