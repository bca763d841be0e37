/**
 * The SNS stand-in (Query protocol, form-encoded `Action=Publish`): Publish to a declared topic prints
 * the message and keeps it (the last 500, for `GET /_local/sns`).
 */
import { randomUUID } from 'node:crypto';
import { TOPICS, topicArn } from './config.js';
import { MAX_MESSAGE_BYTES, type PublishedMessage, QueueError, type QueueStore } from './queue-store.js';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

const publish = (store: QueueStore, params: URLSearchParams): string => {
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
  store.addPublished(entry);
  const preview = message.length > 400 ? `${message.slice(0, 400)}… (${message.length} chars)` : message;
  console.log(`[sns] ${arn.split(':').at(-1)}${entry.subject ? ` — ${entry.subject}` : ''}\n${preview}`);
  return entry.messageId;
};

/** One SNS request: the reply's status and XML body. */
export const handleSns = (
  store: QueueStore,
  body: string,
  requestId: string,
): { status: number; xml: string } => {
  const params = new URLSearchParams(body);
  const action = params.get('Action');
  try {
    if (action !== 'Publish')
      throw new QueueError(
        'InvalidAction',
        `${action ?? '(none)'} is not supported by the local SNS (Publish only)`,
      );
    const messageId = publish(store, params);
    return {
      status: 200,
      xml: `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
    };
  } catch (error) {
    const e = error instanceof QueueError ? error : new QueueError('InternalError', String(error));
    const status = e.code === 'NotFound' ? 404 : e.code === 'InternalError' ? 500 : 400;
    const escaped = e.message.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    return {
      status,
      xml: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${escaped}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
};
