/**
 * Reports API. Each family of reports contributes its routes; add one by spreading its routes below.
 */

import { tableName } from '../adapters/env.js';
import { dynamoHoldsStore } from '../adapters/holds-store.js';
import { httpRouter } from '../http/router.js';
import { complianceRoute } from './compliance-route.js';
import { retentionRoutes } from './retention-reports.js';

const holdsStore = dynamoHoldsStore({ holds: tableName('holds'), catalogue: tableName('catalogue') });

export const handler = httpRouter({
  ...retentionRoutes({ store: holdsStore, now: () => new Date() }),
  'GET /reports/compliance': complianceRoute,
});
