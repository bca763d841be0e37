/** Lambda entry of the holds API; the routes live in api.ts so tests can inject fakes. */
import { buildHandler } from './api.js';
import { awsHoldDeps } from './deps.js';

export const handler = buildHandler(awsHoldDeps());
