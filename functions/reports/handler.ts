/**
 * Reports API. Each family of reports contributes its routes; add one by spreading its routes below.
 */
import { httpRouter } from '../http/router.js';
import { complianceRoute } from './compliance-route.js';
import { awsReportsDeps } from './deps.js';
import { retentionRoutes } from './retention-reports.js';

const deps = awsReportsDeps();

export const handler = httpRouter({
  ...retentionRoutes(deps.retention),
  'GET /reports/compliance': complianceRoute(deps.compliance),
});
