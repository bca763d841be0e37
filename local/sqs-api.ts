/**
 * The SQS API (JSON 1.0, `X-Amz-Target: AmazonSQS.<Op>`): SendMessage (with DelaySeconds, message
 * attributes and their MD5), SendMessageBatch, GetQueueUrl, GetQueueAttributes. ReceiveMessage and
 * DeleteMessage are not offered: the functions consume the queues (sqs-delivery.ts).
 */
import { queueArn, queueUrl, type StackConfig } from './config.js';
import {
  type EventAttribute,
  MAX_MESSAGE_BYTES,
  md5,
  QueueError,
  type QueueStore,
  type StoredMessage,
} from './queue-store.js';

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

const validateSend = (body: unknown, delay: unknown): { body: string; delay: number } => {
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
};

export type SqsOperations = Record<string, (input: Record<string, unknown>) => Record<string, unknown>>;

/** The operations by name; `enqueue` stores a message and hands it to its queue's consumer. */
export const sqsOperations = (
  config: StackConfig,
  store: QueueStore,
  enqueue: (
    queueName: string,
    body: string,
    delaySeconds: number,
    attributes: Record<string, EventAttribute>,
  ) => StoredMessage,
): SqsOperations => ({
  SendMessage: (input) => {
    const queue = store.queueFor(input.QueueUrl);
    const { body, delay } = validateSend(input.MessageBody, input.DelaySeconds);
    const attributes = toEventAttributes(input.MessageAttributes);
    const message = enqueue(queue.declaration.name, body, delay, attributes);
    return {
      MessageId: message.messageId,
      MD5OfMessageBody: message.md5OfBody,
      ...(Object.keys(attributes).length
        ? { MD5OfMessageAttributes: md5OfMessageAttributes(attributes) }
        : {}),
    };
  },
  SendMessageBatch: (input) => {
    const queue = store.queueFor(input.QueueUrl);
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
        const { body, delay } = validateSend(entry.MessageBody, entry.DelaySeconds);
        const attributes = toEventAttributes(entry.MessageAttributes);
        const message = enqueue(queue.declaration.name, body, delay, attributes);
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
    const queue = store.queueFor(String(input.QueueName ?? ''));
    return { QueueUrl: queueUrl(config, queue.declaration.name) };
  },
  GetQueueAttributes: (input) => {
    const queue = store.queueFor(input.QueueUrl);
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
});
