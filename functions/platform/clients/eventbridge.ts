import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { once } from './once.js';
import { traced } from './tracing.js';

export const eventBridgeClient = once(() => traced(new EventBridgeClient({})));
