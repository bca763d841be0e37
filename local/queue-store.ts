/**
 * The queues' and the SNS stand-in's state: messages waiting, in flight and dead-lettered per declared
 * queue, the published SNS messages, kept under `<data>/sqs/state.json` (waiting messages become visible
 * at once after a restart), and "every queue is empty" for `GET /_local/queues?waitForIdle`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { QUEUES, type QueueDeclaration } from './config.js';
import { readJsonState, serialWriter } from './files.js';

export interface EventAttribute {
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

export interface QueueState {
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

/** An SQS/SNS error: `code` for the JSON protocol, `queryCode` for the Query protocol's header. */
export class QueueError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly queryCode = code,
  ) {
    super(message);
  }
}

export const MAX_MESSAGE_BYTES = 256 * 1024;
const KEPT_PUBLISHED = 500;
export const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

export class QueueStore {
  readonly queues = new Map<string, QueueState>();
  private published: PublishedMessage[] = [];
  private readonly save: (value: unknown) => Promise<void>;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(dataDir: string) {
    const path = join(dataDir, 'sqs', 'state.json');
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

  persist(): Promise<void> {
    const queues: PersistedState['queues'] = {};
    for (const [name, q] of this.queues) queues[name] = { messages: q.messages, dlq: q.dlq };
    return this.save({ queues, published: this.published });
  }

  /** The queue a QueueUrl (or name) names; AWS's NonExistentQueue error otherwise. */
  queueFor(url: unknown): QueueState {
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

  /** Stores one new message; the caller hands the queue to its consumer. */
  add(
    queueName: string,
    body: string,
    delaySeconds = 0,
    attributes: Record<string, EventAttribute> = {},
  ): { queue: QueueState; message: StoredMessage } {
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
    return { queue, message };
  }

  /** Keeps an SNS message (the last 500). */
  addPublished(entry: PublishedMessage): void {
    this.published = [...this.published, entry].slice(-KEPT_PUBLISHED);
    void this.persist();
  }

  publishedMessages(): readonly PublishedMessage[] {
    return this.published;
  }

  notifyIdle(): void {
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
}
