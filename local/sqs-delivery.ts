/**
 * The queues' consumers, as Lambda event source mappings: each declared queue delivers its visible
 * messages to its function as an SQS event, in batches of `batchSize`, `concurrency` at a time.
 * `batchItemFailures` (or a thrown error) makes the failed messages visible again after `retryDelayMs`
 * (the deployed visibility timeout is minutes); after `maxReceiveCount` receives a message moves to the
 * queue's DLQ and a line is logged. Nothing is delivered until start().
 */
import type { FunctionId } from '../declarations/functions.js';
import { redact } from '../functions/platform/log.js';
import { queueArn, REGION } from './config.js';
import type { InvokeOutcome } from './invoke.js';
import type { QueueState, QueueStore, StoredMessage } from './queue-store.js';

export type Invoke = (id: FunctionId, event: unknown) => Promise<InvokeOutcome>;

export class QueueConsumers {
  private stopped = false;
  /** Consumers deliver only once start() is called: the stack calls it when every dependency answers. */
  private started = false;

  constructor(
    private readonly store: QueueStore,
    private readonly invoke: Invoke,
    private readonly retryDelayMs: number,
  ) {}

  start(): void {
    this.started = true;
    for (const queue of this.store.queues.values()) this.pump(queue);
  }

  stop(): void {
    this.stopped = true;
    for (const queue of this.store.queues.values()) clearTimeout(queue.timer);
  }

  /** Delivers batches while there are visible messages and free concurrency. */
  pump(queue: QueueState): void {
    if (this.stopped || !this.started) return;
    clearTimeout(queue.timer);
    queue.timer = undefined;
    const now = Date.now();
    while (queue.batches < queue.declaration.concurrency) {
      const batch = queue.messages
        .filter((m) => m.visibleAt <= now && !queue.inFlight.has(m.messageId))
        .slice(0, queue.declaration.batchSize);
      if (batch.length === 0) break;
      queue.batches++;
      for (const m of batch) queue.inFlight.add(m.messageId);
      void this.deliver(queue, batch).finally(() => {
        queue.batches--;
        this.pump(queue);
      });
    }
    const waiting = queue.messages.filter((m) => !queue.inFlight.has(m.messageId));
    if (waiting.length) {
      const next = Math.min(...waiting.map((m) => m.visibleAt));
      queue.timer = setTimeout(() => this.pump(queue), Math.max(0, next - Date.now()) + 5);
    } else if (queue.inFlight.size === 0) {
      this.store.notifyIdle();
    }
  }

  private async deliver(queue: QueueState, batch: StoredMessage[]): Promise<void> {
    const now = Date.now();
    const { declaration } = queue;
    const event = {
      Records: batch.map((m) => {
        m.receiveCount++;
        m.firstReceivedAt ??= now;
        return {
          messageId: m.messageId,
          receiptHandle: Buffer.from(`${m.messageId}:${m.receiveCount}`).toString('base64'),
          body: m.body,
          attributes: {
            ApproximateReceiveCount: String(m.receiveCount),
            SentTimestamp: String(m.sentAt),
            SenderId: 'AIDALOCALSTACKSENDER',
            ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
          },
          messageAttributes: m.messageAttributes,
          md5OfBody: m.md5OfBody,
          eventSource: 'aws:sqs',
          eventSourceARN: queueArn(declaration.name),
          awsRegion: REGION,
        };
      }),
    };
    const outcome = await this.invoke(declaration.function, event);
    let failed: Set<string>;
    let reason = '';
    if (outcome.ok) {
      const reported =
        (outcome.value as { batchItemFailures?: { itemIdentifier?: unknown }[] } | undefined)
          ?.batchItemFailures ?? [];
      const ids = reported.map((f) => String(f.itemIdentifier ?? ''));
      // As Lambda does: an identifier that is not in the batch fails the whole batch.
      const unknownId = ids.some((id) => !batch.some((m) => m.messageId === id));
      failed = new Set(unknownId ? batch.map((m) => m.messageId) : ids);
      reason = unknownId
        ? 'batchItemFailures named a message not in the batch'
        : 'reported in batchItemFailures';
    } else {
      failed = new Set(batch.map((m) => m.messageId));
      reason = `${outcome.kind}: ${outcome.message}`;
      if (outcome.kind !== 'missing')
        console.error(redact(`[sqs] ${declaration.name} → ${declaration.function} failed (${reason})`));
    }
    const done = new Set(batch.filter((m) => !failed.has(m.messageId)).map((m) => m.messageId));
    queue.messages = queue.messages.filter((m) => !done.has(m.messageId));
    for (const m of batch) {
      queue.inFlight.delete(m.messageId);
      if (!failed.has(m.messageId)) continue;
      m.lastError = reason;
      if (m.receiveCount >= declaration.maxReceiveCount) {
        queue.messages = queue.messages.filter((x) => x.messageId !== m.messageId);
        queue.dlq.push(m);
        console.error(
          redact(
            `[sqs] message ${m.messageId} moved to ${declaration.name}-dlq after ${m.receiveCount} receives (${reason})`,
          ),
        );
      } else {
        m.visibleAt = Date.now() + this.retryDelayMs;
      }
    }
    await this.store.persist();
  }
}
