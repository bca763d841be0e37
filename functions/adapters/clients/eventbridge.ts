import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { once } from './once.js';

export const eventBridgeClient = once(() => new EventBridgeClient({}));
