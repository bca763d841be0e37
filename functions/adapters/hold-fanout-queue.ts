/**
 * The hold fan-out queue (FanoutPort): messages go out in batches of ten; the entries SQS refused are
 * re-sent after the one backoff (platform/retry.ts), five times at most.
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { FanoutMessage, FanoutPort } from '../domain/holds.js';
import { chunk } from '../domain/holds.js';
import { sqsClient } from '../platform/clients/sqs.js';
import { backoff } from '../platform/retry.js';

export const sqsFanout = (queueUrl: string): FanoutPort => ({
  async send(messages: readonly FanoutMessage[]) {
    for (const batch of chunk(messages, 10)) {
      let entries = batch.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) }));
      for (let attempt = 0; entries.length > 0; attempt += 1) {
        const out = await sqsClient().send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        if (failed.size > 0 && attempt >= 5) {
          throw new Error(
            `could not enqueue ${failed.size} hold fan-out messages: ${JSON.stringify(out.Failed)}`,
          );
        }
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length > 0) await backoff(attempt);
      }
    }
  },
});
