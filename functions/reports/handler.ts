/**
 * Reports API. Each family of reports contributes its routes; add one by spreading its routes below.
 */

import { awaitingDeletion, dueOnDay } from '../adapters/catalogue-store.js';
import { deletionsBetween } from '../adapters/deletion-records.js';
import { dynamoHoldsStore } from '../adapters/holds-store.js';
import { httpRouter } from '../http/router.js';
import { tableName } from '../platform/env.js';
import { complianceRoute } from './compliance-route.js';
import { retentionRoutes } from './retention-reports.js';

export const handler = httpRouter({
  ...retentionRoutes({
    holds: dynamoHoldsStore(tableName('holds')),
    recordings: { dueOnDay, awaitingDeletion },
    deletions: { deletionsBetween },
    now: () => new Date(),
  }),
  'GET /reports/compliance': complianceRoute,
});
