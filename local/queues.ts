/**
 * Local stand-ins for SQS and SNS on one endpoint (AWS_ENDPOINT_URL_SQS and AWS_ENDPOINT_URL_SNS).
 *
 * SQS (JSON 1.0, `X-Amz-Target: AmazonSQS.<Op>`): SendMessage, SendMessageBatch, GetQueueUrl,
 * GetQueueAttributes. Each queue is subscribed to one function (an event source mapping): messages are
 * delivered as an SQS event in batches; `batchItemFailures` (or a thrown error) makes them visible again
 * after a short delay; after `maxReceiveCount` receives a message moves to the queue's DLQ and a line is
 * logged. Waiting messages and DLQs persist under `<data>/sqs/`.
 *
 * SNS (Query protocol, form-encoded `Action=Publish`): Publish prints the message and keeps it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { FunctionId } from '../declarations/functions.js';
import { redact } from '../functions/adapters/log.js';
import {
  QUEUES,
  type QueueDeclaration,
  queueArn,
  queueUrl,
  REGION,
  type StackConfig,
  TOPICS,
  topicArn,
} from './config.js';
import { readJsonState, serialWriter } from './files.js';
import { BodyTooLargeError, listen, readBody, sendJson, sendText } from './http.js';
import type { InvokeOutcome } from './invoke.js';

type Invoke = (id: FunctionId, event: unknown) => Promise<InvokeOutcome>;

interface EventAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

export interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, EventAttribute>;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  lastError?: string;
}

export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  messageAttributes: Record<string, { DataType: string; StringValue?: string }>;
  publishedAt: string;
}

interface QueueState {
  readonly declaration: QueueDeclaration;
  messages: StoredMessage[];
  dlq: StoredMessage[];
  readonly inFlight: Set<string>;
  batches: number;
  timer?: NodeJS.Timeout;
}

interface PersistedState {
  queues: Record<string, { messages: StoredMessage[]; dlq: StoredMessage[] }>;
  published: PublishedMessage[];
}

const isPersisted = (v: unknown): v is PersistedState =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as PersistedState).queues === 'object' &&
  Array.isArray((v as PersistedState).published);

class QueueError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly queryCode = code,
  ) {
    super(message);
  }
}

const MAX_MESSAGE_BYTES = 256 * 1024;
const KEPT_PUBLISHED = 500;
const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

/** The MD5 SQS returns for message attributes (the SDK may check it). */
export const md5OfMessageAttributes = (attributes: Record<string, EventAttribute>): string => {
  const parts: Buffer[] = [];
  const lengthPrefixed = (data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    parts.push(length, data);
  };
  for (const name of Object.keys(attributes).sort()) {
    const a = attributes[name] as EventAttribute;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(a.dataType, 'utf8'));
    const binary = a.dataType.startsWith('Binary');
    parts.push(Buffer.from([binary ? 2 : 1]));
    lengthPrefixed(
      binary ? Buffer.from(a.binaryValue ?? '', 'base64') : Buffer.from(a.stringValue ?? '', 'utf8'),
    );
  }
  return md5(Buffer.concat(parts));
};

const toEventAttributes = (input: unknown): Record<string, EventAttribute> => {
  const out: Record<string, EventAttribute> = {};
  if (!input || typeof input !== 'object') return out;
  for (const [name, raw] of Object.entries(input as Record<string, Record<string, unknown>>)) {
    const dataType = String(raw.DataType ?? '');
    if (!dataType) throw new QueueError('InvalidParameterValue', `message attribute ${name} has no DataType`);
    out[name] = {
      ...(raw.StringValue !== undefined ? { stringValue: String(raw.StringValue) } : {}),
      ...(raw.BinaryValue !== undefined ? { binaryValue: String(raw.BinaryValue) } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType,
    };
  }
  return out;
};

export interface QueueServiceOptions {
  readonly config: StackConfig;
  readonly invoke: Invoke;
  /** Delay before a failed message is visible again (the visibility timeout, shortened for local use). */
  readonly retryDelayMs?: number;
}

export class QueueService {
  private readonly queues = new Map<string, QueueState>();
  private published: PublishedMessage[] = [];
  private readonly save: (value: unknown) => Promise<void>;
  private stopped = false;
  /** Consumers deliver only once start() is called: the stack calls it when every dependency answers. */
  private started = false;
  private readonly retryDelayMs: number;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly options: QueueServiceOptions) {
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    const path = join(options.config.dataDir, 'sqs', 'state.json');
    this.save = serialWriter(path);
    const persisted = readJsonState(path, isPersisted);
    for (const declaration of Object.values(QUEUES) as QueueDeclaration[]) {
      const stored = persisted?.queues[declaration.name];
      this.queues.set(declaration.name, {
        declaration,
        messages: (stored?.messages ?? []).map((m) => ({ ...m, visibleAt: Date.now() })),
        dlq: stored?.dlq ?? [],
        inFlight: new Set(),
        batches: 0,
      });
    }
    this.published = persisted?.published ?? [];
  }

  /** Starts the consumers (event source mappings). Until then messages are accepted and kept. */
  start(): void {
    this.started = true;
    for (const queue of this.queues.values()) this.pump(queue);
  }

  stop(): Promise<void> {
    this.stopped = true;
    for (const queue of this.queues.values()) clearTimeout(queue.timer);
    return this.persist();
  }

  private persist(): Promise<void> {
    const queues: PersistedState['queues'] = {};
    for (const [name, q] of this.queues) queues[name] = { messages: q.messages, dlq: q.dlq };
    return this.save({ queues, published: this.published });
  }

  private queueFor(url: unknown): QueueState {
    const name = typeof url === 'string' ? url.split('/').filter(Boolean).at(-1) : undefined;
    const queue = name ? this.queues.get(name) : undefined;
    if (!queue) {
      throw new QueueError(
        'QueueDoesNotExist',
        'The specified queue does not exist.',
        'AWS.SimpleQueueService.NonExistentQueue',
      );
    }
    return queue;
  }

  /** Adds one message (used by SendMessage and by the S3 emulator's inbox notifications). */
  enqueue(
    queueName: string,
    body: string,
    delaySeconds = 0,
    attributes: Record<string, EventAttribute> = {},
  ): StoredMessage {
    const queue = this.queues.get(queueName);
    if (!queue) throw new QueueError('QueueDoesNotExist', `no local queue ${queueName}`);
    const now = Date.now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      messageAttributes: attributes,
      sentAt: now,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
    };
    queue.messages.push(message);
    void this.persist();
    this.pump(queue);
    return message;
  }

  private validateSend(body: unknown, delay: unknown): { body: string; delay: number } {
    if (typeof body !== 'string' || body.length === 0) {
      throw new QueueError('MissingParameter', 'The request must contain the parameter MessageBody.');
    }
    if (Buffer.byteLength(body) > MAX_MESSAGE_BYTES) {
      throw new QueueError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
      );
    }
    const seconds = delay === undefined ? 0 : Number(delay);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 900) {
      throw new QueueError('InvalidParameterValue', 'DelaySeconds must be 0 to 900');
    }
    return { body, delay: seconds };
  }

  private readonly sqsOperations: Record<
    string,
    (input: Record<string, unknown>) => Record<string, unknown>
  > = {
    SendMessage: (input) => {
      const queue = this.queueFor(input.QueueUrl);
      const { body, delay } = this.validateSend(input.MessageBody, input.DelaySeconds);
      const attributes = toEventAttributes(input.MessageAttributes);
      const message = this.enqueue(queue.declaration.name, body, delay, attributes);
      return {
        MessageId: message.messageId,
        MD5OfMessageBody: message.md5OfBody,
        ...(Object.keys(attributes).length
          ? { MD5OfMessageAttributes: md5OfMessageAttributes(attributes) }
          : {}),
      };
    },
    SendMessageBatch: (input) => {
      const queue = this.queueFor(input.QueueUrl);
      const entries = Array.isArray(input.Entries) ? (input.Entries as Record<string, unknown>[]) : [];
      if (entries.length === 0)
        throw new QueueError(
          'EmptyBatchRequest',
          'There should be at least one SendMessageBatchRequestEntry in the request.',
        );
      if (entries.length > 10)
        throw new QueueError(
          'TooManyEntriesInBatchRequest',
          `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
        );
      const ids = entries.map((e) => String(e.Id));
      if (new Set(ids).size !== ids.length)
        throw new QueueError(
          'BatchEntryIdsNotDistinct',
          'Two or more batch entries in the request have the same Id.',
        );
      const total = entries.reduce((n, e) => n + Buffer.byteLength(String(e.MessageBody ?? '')), 0);
      if (total > MAX_MESSAGE_BYTES)
        throw new QueueError('BatchRequestTooLong', 'Batch requests cannot be longer than 262144 bytes.');
      const Successful: Record<string, unknown>[] = [];
      const Failed: Record<string, unknown>[] = [];
      for (const entry of entries) {
        try {
          const { body, delay } = this.validateSend(entry.MessageBody, entry.DelaySeconds);
          const attributes = toEventAttributes(entry.MessageAttributes);
          const message = this.enqueue(queue.declaration.name, body, delay, attributes);
          Successful.push({
            Id: entry.Id,
            MessageId: message.messageId,
            MD5OfMessageBody: message.md5OfBody,
            ...(Object.keys(attributes).length
              ? { MD5OfMessageAttributes: md5OfMessageAttributes(attributes) }
              : {}),
          });
        } catch (error) {
          if (!(error instanceof QueueError)) throw error;
          Failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
        }
      }
      return { Successful, Failed };
    },
    GetQueueUrl: (input) => {
      const queue = this.queueFor(String(input.QueueName ?? ''));
      return { QueueUrl: queueUrl(this.options.config, queue.declaration.name) };
    },
    GetQueueAttributes: (input) => {
      const queue = this.queueFor(input.QueueUrl);
      const now = Date.now();
      return {
        Attributes: {
          QueueArn: queueArn(queue.declaration.name),
          ApproximateNumberOfMessages: String(
            queue.messages.filter((m) => m.visibleAt <= now && !queue.inFlight.has(m.messageId)).length,
          ),
          ApproximateNumberOfMessagesNotVisible: String(queue.inFlight.size),
          ApproximateNumberOfMessagesDelayed: String(
            queue.messages.filter((m) => m.visibleAt > now && m.receiveCount === 0).length,
          ),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: queueArn(`${queue.declaration.name}-dlq`),
            maxReceiveCount: queue.declaration.maxReceiveCount,
          }),
        },
      };
    },
  };

  /** Delivers batches while there are visible messages and free concurrency. */
  private pump(queue: QueueState): void {
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
      this.notifyIdle();
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
    const outcome = await this.options.invoke(declaration.function, event);
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
    await this.persist();
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  isIdle(): boolean {
    return [...this.queues.values()].every((q) => q.messages.length === 0 && q.inFlight.size === 0);
  }

  /** Resolves when every queue is empty (messages delivered or dead-lettered). */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  snapshot() {
    const now = Date.now();
    return [...this.queues.values()].map((q) => ({
      name: q.declaration.name,
      function: q.declaration.function,
      waiting: q.messages.filter((m) => !q.inFlight.has(m.messageId) && m.visibleAt <= now).length,
      delayed: q.messages.filter((m) => !q.inFlight.has(m.messageId) && m.visibleAt > now).length,
      inFlight: q.inFlight.size,
      dlq: q.dlq.map((m) => ({
        messageId: m.messageId,
        receiveCount: m.receiveCount,
        lastError: m.lastError,
        body: m.body,
      })),
    }));
  }

  publishedMessages(): readonly PublishedMessage[] {
    return this.published;
  }

  private publish(params: URLSearchParams): string {
    const arn = params.get('TopicArn') ?? params.get('TargetArn') ?? '';
    const known = Object.values(TOPICS).map(topicArn);
    if (!known.includes(arn)) throw new QueueError('NotFound', 'Topic does not exist');
    const message = params.get('Message');
    if (!message) throw new QueueError('InvalidParameter', 'Invalid parameter: Empty message');
    if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES)
      throw new QueueError('InvalidParameter', 'Invalid parameter: Message too long');
    const messageAttributes: PublishedMessage['messageAttributes'] = {};
    for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i++) {
      messageAttributes[params.get(`MessageAttributes.entry.${i}.Name`) ?? ''] = {
        DataType: params.get(`MessageAttributes.entry.${i}.Value.DataType`) ?? 'String',
        ...(params.has(`MessageAttributes.entry.${i}.Value.StringValue`)
          ? { StringValue: params.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '' }
          : {}),
      };
    }
    const entry: PublishedMessage = {
      messageId: randomUUID(),
      topicArn: arn,
      ...(params.get('Subject') ? { subject: params.get('Subject') ?? '' } : {}),
      message,
      messageAttributes,
      publishedAt: new Date().toISOString(),
    };
    this.published = [...this.published, entry].slice(-KEPT_PUBLISHED);
    void this.persist();
    const preview = message.length > 400 ? `${message.slice(0, 400)}… (${message.length} chars)` : message;
    console.log(`[sns] ${arn.split(':').at(-1)}${entry.subject ? ` — ${entry.subject}` : ''}\n${preview}`);
    return entry.messageId;
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
    const params = new URLSearchParams(raw.toString('utf8'));
    const action = params.get('Action');
    const xmlns = 'http://sns.amazonaws.com/doc/2010-03-31/';
    try {
      if (action !== 'Publish')
        throw new QueueError(
          'InvalidAction',
          `${action ?? '(none)'} is not supported by the local SNS (Publish only)`,
        );
      const messageId = this.publish(params);
      sendText(
        res,
        200,
        `<PublishResponse xmlns="${xmlns}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
        'text/xml',
      );
    } catch (error) {
      const e = error instanceof QueueError ? error : new QueueError('InternalError', String(error));
      const status = e.code === 'NotFound' ? 404 : e.code === 'InternalError' ? 500 : 400;
      const escaped = e.message.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      sendText(
        res,
        status,
        `<ErrorResponse xmlns="${xmlns}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${escaped}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        'text/xml',
      );
    }
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
