/**
 * Local stand-ins for SQS and SNS on one endpoint (AWS_ENDPOINT_URL_SQS and AWS_ENDPOINT_URL_SNS): this
 * file is the HTTP side and the wiring; each concern lives beside it:
 * - queue-store.ts: messages waiting, in flight and dead-lettered, SNS messages kept, persisted under
 *   `<data>/sqs/`, and "every queue is empty";
 * - sqs-api.ts: the SQS operations (JSON 1.0, `X-Amz-Target: AmazonSQS.<Op>`): SendMessage,
 *   SendMessageBatch, GetQueueUrl, GetQueueAttributes;
 * - sqs-delivery.ts: each queue subscribed to one function (an event source mapping): messages are
 *   delivered as an SQS event in batches; `batchItemFailures` (or a thrown error) makes them visible
 *   again after a short delay; after `maxReceiveCount` receives a message moves to the queue's DLQ;
 * - sns.ts: SNS (Query protocol, form-encoded `Action=Publish`): Publish prints the message and keeps it;
 * - event-bus.ts: EventBridge (JSON 1.1, `AWSEvents.PutEvents`) for the audit bus, when one is given.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StackConfig } from './config.js';
import type { LocalEventBus } from './event-bus.js';
import { BodyTooLargeError, listen, readBody, sendJson, sendText } from './http.js';
import {
  type EventAttribute,
  type PublishedMessage,
  QueueError,
  QueueStore,
  type StoredMessage,
} from './queue-store.js';
import { handleSns } from './sns.js';
import { type SqsOperations, sqsOperations } from './sqs-api.js';
import { type Invoke, QueueConsumers } from './sqs-delivery.js';

export type { PublishedMessage, StoredMessage } from './queue-store.js';
export { md5OfMessageAttributes } from './sqs-api.js';

export interface QueueServiceOptions {
  readonly config: StackConfig;
  readonly invoke: Invoke;
  /** Delay before a failed message is visible again (the visibility timeout, shortened for local use). */
  readonly retryDelayMs?: number;
  /** The EventBridge stand-in served on the same port (`AWSEvents.PutEvents`). */
  readonly eventBus?: LocalEventBus;
}

export class QueueService {
  private readonly store: QueueStore;
  private readonly consumers: QueueConsumers;
  private readonly sqsOperations: SqsOperations;

  constructor(private readonly options: QueueServiceOptions) {
    this.store = new QueueStore(options.config.dataDir);
    this.consumers = new QueueConsumers(this.store, options.invoke, options.retryDelayMs ?? 1000);
    this.sqsOperations = sqsOperations(options.config, this.store, (name, body, delay, attributes) =>
      this.enqueue(name, body, delay, attributes),
    );
  }

  /** Starts the consumers (event source mappings). Until then messages are accepted and kept. */
  start(): void {
    this.consumers.start();
  }

  stop(): Promise<void> {
    this.consumers.stop();
    return this.store.persist();
  }

  /** Adds one message (used by SendMessage and by the S3 emulator's inbox notifications). */
  enqueue(
    queueName: string,
    body: string,
    delaySeconds = 0,
    attributes: Record<string, EventAttribute> = {},
  ): StoredMessage {
    const { queue, message } = this.store.add(queueName, body, delaySeconds, attributes);
    this.consumers.pump(queue);
    return message;
  }

  isIdle(): boolean {
    return this.store.isIdle();
  }

  /** Resolves when every queue is empty (messages delivered or dead-lettered). */
  whenIdle(timeoutMs: number): Promise<boolean> {
    return this.store.whenIdle(timeoutMs);
  }

  snapshot() {
    return this.store.snapshot();
  }

  publishedMessages(): readonly PublishedMessage[] {
    return this.store.publishedMessages();
  }

  private async handleEvents(operation: string, raw: Buffer, res: ServerResponse, requestId: string) {
    const headers = { 'x-amzn-requestid': requestId };
    const type = 'application/x-amz-json-1.1';
    try {
      if (operation !== 'PutEvents' || !this.options.eventBus)
        throw new Error(`${operation} is not supported by the local EventBridge (PutEvents only)`);
      const input = JSON.parse(raw.toString('utf8') || '{}') as Parameters<LocalEventBus['putEvents']>[0];
      sendJson(res, 200, await this.options.eventBus.putEvents(input), headers, type);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, 400, { __type: 'ValidationException', message }, headers, type);
    }
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const target = String(req.headers['x-amz-target'] ?? '');
    let raw: Buffer;
    try {
      raw = await readBody(req, 2 * 1024 * 1024);
    } catch (error) {
      sendJson(res, error instanceof BodyTooLargeError ? 413 : 400, {
        message: 'request body could not be read',
      });
      return;
    }
    if (target.startsWith('AWSEvents.') && this.options.eventBus) {
      await this.handleEvents(target.slice('AWSEvents.'.length), raw, res, requestId);
      return;
    }
    if (target.startsWith('AmazonSQS.')) {
      const operation = target.slice('AmazonSQS.'.length);
      const run = this.sqsOperations[operation];
      try {
        if (!run)
          throw new QueueError(
            'UnsupportedOperation',
            `${operation} is not supported by the local SQS (queues here are consumed by their functions)`,
          );
        const input = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
        sendJson(res, 200, run(input), { 'x-amzn-requestid': requestId }, 'application/x-amz-json-1.0');
      } catch (error) {
        const e =
          error instanceof QueueError
            ? error
            : new QueueError('InvalidParameterValue', error instanceof Error ? error.message : String(error));
        sendJson(
          res,
          400,
          { __type: `com.amazonaws.sqs#${e.code}`, message: e.message },
          { 'x-amzn-requestid': requestId, 'x-amzn-query-error': `${e.queryCode};Sender` },
          'application/x-amz-json-1.0',
        );
      }
      return;
    }
    const reply = handleSns(this.store, raw.toString('utf8'), requestId);
    sendText(res, reply.status, reply.xml, 'text/xml');
  }
}

export interface QueueHandle {
  readonly service: QueueService;
  readonly endpoint: string;
  close(): Promise<void>;
}

export const startQueues = async (options: QueueServiceOptions): Promise<QueueHandle> => {
  const service = new QueueService(options);
  const listening = await listen('sqs', options.config.ports.sqs, (req, res) => {
    service.handle(req, res).catch((error: unknown) => {
      console.error('[sqs] internal error', error);
      if (!res.headersSent) sendJson(res, 500, { __type: 'InternalFailure', message: 'local SQS failed' });
    });
  });
  // Not started here: persisted messages would reach functions before DynamoDB Local answers.
  return {
    service,
    endpoint: `http://127.0.0.1:${listening.port}`,
    close: async () => {
      await service.stop();
      await listening.close();
    },
  };
};

/**
 * Starts the queue consumers once every probe answers, retrying for up to `timeoutMs`; throws naming the
 * dependencies that never did (the stack then stops instead of delivering into a half-started stack).
 */
export const consumersWhenReady = async (
  probes: Readonly<Record<string, () => Promise<unknown>>>,
  consumers: { start(): void },
  timeoutMs = 60_000,
  retryMs = 250,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let failing: string[] = [];
  do {
    const results = await Promise.allSettled(Object.values(probes).map((probe) => probe()));
    failing = Object.keys(probes).filter((_, i) => results[i]?.status === 'rejected');
    if (failing.length === 0) {
      consumers.start();
      return;
    }
    await new Promise((r) => setTimeout(r, retryMs));
  } while (Date.now() < deadline);
  throw new Error(`queue consumers not started: ${failing.join(', ')} did not answer`);
};
