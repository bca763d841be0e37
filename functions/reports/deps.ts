/** The reports dependencies wired to DynamoDB (or the local stack's); built once per container. */
import { appendAudit } from '../adapters/audit-log.js';
import { awaitingDeletion, dueOnDay } from '../adapters/catalogue-store.js';
import {
  readActiveHolds,
  readDayCounters,
  readExtensions,
  readKeptPast24Months,
  readOpenCopies,
  readUnnotified,
} from '../adapters/counters-read.js';
import { deletionsBetween } from '../adapters/deletion-records.js';
import { dynamoHoldsStore } from '../adapters/holds-store.js';
import { listStaffDueBy } from '../adapters/staff-register.js';
import { tableName } from '../platform/env.js';
import type { ComplianceReportPorts } from './compliance.js';
import type { RetentionReportDeps } from './retention-reports.js';

export interface ReportsDeps {
  readonly retention: RetentionReportDeps;
  readonly compliance: ComplianceReportPorts;
}

export const awsComplianceDeps = (): ComplianceReportPorts => ({
  readDayCounters,
  readUnnotified,
  readOpenCopies,
  readActiveHolds,
  readKeptPast24Months,
  readExtensions,
  listStaffDueBy,
  audit: (entry) => appendAudit(tableName('auditLog'), entry),
  now: () => new Date(),
});

export const awsReportsDeps = (): ReportsDeps => ({
  retention: {
    holds: dynamoHoldsStore(tableName('holds')),
    recordings: { dueOnDay, awaitingDeletion },
    deletions: { deletionsBetween },
    now: () => new Date(),
  },
  compliance: awsComplianceDeps(),
});
