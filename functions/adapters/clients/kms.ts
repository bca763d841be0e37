import { KMSClient } from '@aws-sdk/client-kms';
import { once } from './once.js';

export const kmsClient = once(() => new KMSClient({}));
