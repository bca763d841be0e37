import { KMSClient } from '@aws-sdk/client-kms';
import { once } from './once.js';
import { traced } from './tracing.js';

export const kmsClient = once(() => traced(new KMSClient({})));
