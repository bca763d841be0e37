import { SQSClient } from '@aws-sdk/client-sqs';
import { once } from './once.js';
import { traced } from './tracing.js';

export const sqsClient = once(() => traced(new SQSClient({})));
