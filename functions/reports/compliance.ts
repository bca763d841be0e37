/**
 * The compliance report (GET /reports/compliance, `crs report compliance`): policy s.4–s.7 for one
 * service area on one page.
 * 1. Check the period and that the reader may see this area's report; audit the read or the refusal
 *    (the report lists recording ids).
 * 2. Read every section by key in parallel: day counters of the period, the `none`-notification list of
 *    the period, open release copies, active holds, held recordings past their 24-month point, the area's
 *    extensions and the staff due list. Each read is one Query sized by what it returns — no scan.
 * 3. Assemble (pure) and answer JSON, or CSV when the client asks for text/csv.
 */

import type {
  readActiveHolds,
  readDayCounters,
  readExtensions,
  readKeptPast24Months,
  readOpenCopies,
  readUnnotified,
} from '../adapters/counters-read.js';
import type { listStaffDueBy } from '../adapters/staff-register.js';
import type { AuditEntry } from '../domain/audit.js';
import {
  assertMayReadComplianceReport,
  buildComplianceReport,
  type ComplianceReport,
  checkPeriod,
  mayReadComplianceReport,
} from '../domain/compliance.js';
import { dayOf } from '../domain/days.js';
import type { Principal } from '../domain/roles.js';
import { dueHorizon, dueList } from '../domain/staff-notices.js';

export interface ComplianceReportPorts {
  readonly readDayCounters: typeof readDayCounters;
  readonly readUnnotified: typeof readUnnotified;
  readonly readOpenCopies: typeof readOpenCopies;
  readonly readActiveHolds: typeof readActiveHolds;
  readonly readKeptPast24Months: typeof readKeptPast24Months;
  readonly readExtensions: typeof readExtensions;
  readonly listStaffDueBy: typeof listStaffDueBy;
  /** The report lists recording ids, so each read (and each refusal) is an entry in the audit log. */
  readonly audit: (entry: AuditEntry) => Promise<unknown>;
  readonly now: () => Date;
}

export interface ComplianceQuery {
  readonly serviceArea: string;
  readonly from: string;
  readonly to: string;
  readonly correlationId: string;
}

export const complianceReport = async (
  ports: ComplianceReportPorts,
  principal: Principal,
  q: ComplianceQuery,
): Promise<ComplianceReport> => {
  const now = ports.now();
  const { from, to } = checkPeriod(q.from, q.to);
  const area = q.serviceArea;
  const allowed = mayReadComplianceReport(principal, area);
  await ports.audit({
    actor: principal.staffId,
    action: 'search',
    serviceArea: area,
    filters: { report: 'compliance', from, to },
    outcome: allowed ? 'allowed' : 'denied',
    rule: 'report.compliance-readers',
    correlationId: q.correlationId,
  });
  assertMayReadComplianceReport(principal, area);
  const asOf = now.toISOString();
  const today = dayOf(now);
  const [days, unnotified, openCopies, holds, keptPast24Months, extensions, staffDue] = await Promise.all([
    ports.readDayCounters(area, from, to),
    ports.readUnnotified(area, from, to),
    ports.readOpenCopies(area),
    ports.readActiveHolds(area),
    ports.readKeptPast24Months(area, asOf),
    ports.readExtensions(area),
    ports.listStaffDueBy(dueHorizon(today), area),
  ]);
  return buildComplianceReport({
    serviceArea: area,
    from,
    to,
    asOf,
    days,
    unnotified,
    openCopies,
    holds,
    keptPast24Months,
    extensions,
    staffNoticesDue: dueList(staffDue, today),
  });
};
