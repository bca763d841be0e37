/**
 * Hold fan-out consumer: resolve pages of a query scope, apply pages of recordings, release rounds of a
 * lifted hold. Every message is safe to redeliver; a failed one is reported in batchItemFailures so SQS
 * retries only that one (then its DLQ).
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { FanoutMessage } from '../domain/holds.js';
import { log, withLogFields } from '../platform/log.js';
import { applyPage, type HoldDeps, releaseMessage, resolvePage } from './use-cases.js';

export const handleMessage = async (deps: HoldDeps, message: FanoutMessage): Promise<void> => {
  switch (message.kind) {
    case 'resolve':
      return resolvePage(deps, message);
    case 'apply':
      await applyPage(deps, message.holdId, message.pageId, message.recordingIds);
      return;
    case 'release':
      return releaseMessage(deps, message);
  }
};

export const buildWorker =
  (deps: HoldDeps) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      await withLogFields({ correlationId: record.messageId, messageId: record.messageId }, async () => {
        try {
          await handleMessage(deps, JSON.parse(record.body) as FanoutMessage);
        } catch (error) {
          log.error('hold fan-out message failed', { messageId: record.messageId, error });
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      });
    }
    return { batchItemFailures };
  };
