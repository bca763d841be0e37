/**
 * The compliance report (policy s.4, s.5, s.6, s.7 on one page) as pure functions: what each write-time
 * event adds to the pre-aggregated day counters, who may read the report, and how the report is put
 * together from the counters and the small indexed lists the adapters read.
 *
 * Counting rules (decisions where the issue is silent):
 * - Recording figures (notification method, reminders, quarantine, expired registrations) are counted on
 *   the UTC day the call started, so a report for a period covers the calls of that period.
 * - Releases are counted on the UTC day they were approved, by destination kind and by authoriser.
 * - Open / overdue release copies, active holds, holds due for review, recordings kept past 24 months,
 *   extensions and staff notices due are the state at the time the report is made (`asOf`).
 */

import { ForbiddenError, ValidationError } from './errors.js';
import { NOTIFICATION_METHODS, type NotificationMethod, type Recording } from './recording.js';
import { hasAnyGrant, hasAnyRole, type Principal } from './roles.js';
import type { DueList } from './staff-notices.js';

/** Longest period one report may cover (three years and a leap day). */
export const MAX_REPORT_DAYS = 1097;

export const METRIC = {
  recordings: 'recordings',
  notification: (m: NotificationMethod) => `notification:${m}`,
  abuseReminder: 'reminder:abuse',
  verificationReminder: 'reminder:verification',
  quarantined: (reason: string) => `quarantined:${reason}`,
  registrationExpired: 'registration-expired',
  release: (destinationKind: string) => `release:${destinationKind}`,
  releaseBy: (authoriserId: string) => `release-by:${authoriserId}`,
} as const;

export type Metrics = Record<string, number>;

export const DESTINATION_KINDS = ['service-area', 'external-agency'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** The UTC day (YYYY-MM-DD) of an ISO instant. */
export const utcDay = (iso: string): string => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new ValidationError('timestamp', `an ISO 8601 instant, got ${iso}`);
  return new Date(t).toISOString().slice(0, 10);
};

export type RegisteredRecording = Pick<
  Recording,
  | 'recordingId'
  | 'serviceArea'
  | 'startedAt'
  | 'extension'
  | 'agentId'
  | 'notification'
  | 'abuseReminder'
  | 'verificationReminder'
>;

/** What a registered call adds to its service area's day. */
export const registrationMetrics = (r: RegisteredRecording): Metrics => {
  const m: Metrics = { [METRIC.recordings]: 1, [METRIC.notification(r.notification.method)]: 1 };
  if (r.abuseReminder) m[METRIC.abuseReminder] = 1;
  if (r.verificationReminder) m[METRIC.verificationReminder] = 1;
  return m;
};

export const quarantineMetrics = (reason: string): Metrics => ({ [METRIC.quarantined(reason)]: 1 });
export const expiryMetrics = (): Metrics => ({ [METRIC.registrationExpired]: 1 });
export const releaseMetrics = (destinationKind: DestinationKind, authoriserId: string): Metrics => ({
  [METRIC.release(destinationKind)]: 1,
  [METRIC.releaseBy(authoriserId)]: 1,
});

/** Adds metric maps (day counters → period totals). */
export const sumMetrics = (days: readonly Metrics[]): Metrics => {
  const total: Metrics = {};
  for (const day of days) for (const [k, v] of Object.entries(day)) total[k] = (total[k] ?? 0) + v;
  return total;
};

/** The totals of the metrics named `<prefix><key>`, by key. */
const byPrefix = (m: Metrics, prefix: string): Record<string, number> =>
  Object.fromEntries(
    Object.entries(m)
      .filter(([k, v]) => k.startsWith(prefix) && v !== 0)
      .map(([k, v]) => [k.slice(prefix.length), v] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

// --- who may read -------------------------------------------------------------------------------------

export const mayReadComplianceReport = (p: Principal, serviceArea: string): boolean =>
  hasAnyRole(p, ['ig-officer', 'release-log-keeper']) ||
  hasAnyGrant(p, serviceArea, ['manager', 'head-of-service']);

export const assertMayReadComplianceReport = (p: Principal, serviceArea: string): void => {
  if (!mayReadComplianceReport(p, serviceArea)) {
    throw new ForbiddenError(
      'report.compliance-readers',
      `the compliance report of ${serviceArea} is for IG officers, the Release Log keeper, and that service area's manager or head of service`,
    );
  }
};

// --- the period ---------------------------------------------------------------------------------------

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export const checkPeriod = (from: string, to: string): { from: string; to: string; days: number } => {
  for (const [field, value] of [
    ['query.from', from],
    ['query.to', to],
  ] as const) {
    const parsed = Date.parse(`${value}T00:00:00Z`);
    if (
      !DAY_RE.test(value) ||
      Number.isNaN(parsed) ||
      new Date(parsed).toISOString().slice(0, 10) !== value
    ) {
      throw new ValidationError(field, 'a calendar day as YYYY-MM-DD');
    }
  }
  if (from > to) throw new ValidationError('query.to', `on or after from (${from})`);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_REPORT_DAYS) {
    throw new ValidationError('query.to', `at most ${MAX_REPORT_DAYS} days after from`);
  }
  return { from, to, days };
};

// --- the inputs the adapters read (all by key or index, sized by the answer) ----------------------------

export interface UnnotifiedRecording {
  readonly recordingId: string;
  readonly startedAt: string;
  readonly extension: string;
  readonly agentId: string;
}

export interface OpenCopy {
  readonly releaseId: string;
  readonly copyExpiresAt: string;
  readonly destinationKind: DestinationKind;
  readonly destination?: string;
}

export interface ActiveHold {
  readonly holdId: string;
  readonly reason?: string;
  readonly placedAt: string;
  readonly reviewDue: string;
  readonly guidanceRef?: string;
}

export interface HeldRecording {
  readonly recordingId: string;
  readonly holdId: string;
  /** The recording's 24-month point. */
  readonly deleteAfter: string;
  readonly guidanceRef?: string;
}

export interface ExtensionSummary {
  readonly number: string;
  readonly mode: 'always' | 'on-demand' | 'never';
  readonly marked: boolean;
  readonly pairedUnrecorded?: string;
}

export interface ReportInputs {
  readonly serviceArea: string;
  readonly from: string;
  readonly to: string;
  /** ISO instant the state sections are taken at. */
  readonly asOf: string;
  /** Day counters of the period (one map per day that had any event). */
  readonly days: readonly Metrics[];
  readonly unnotified: readonly UnnotifiedRecording[];
  readonly openCopies: readonly OpenCopy[];
  readonly holds: readonly ActiveHold[];
  /** Held recordings whose 24-month point is on or before asOf. */
  readonly keptPast24Months: readonly HeldRecording[];
  readonly extensions: readonly ExtensionSummary[];
  readonly staffNoticesDue: DueList;
}

export interface ComplianceReport {
  readonly serviceArea: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly asOf: string;
  readonly customerNotification: {
    readonly recordings: number;
    readonly byMethod: Record<NotificationMethod, number>;
    readonly none: readonly UnnotifiedRecording[];
  };
  readonly customerReminders: { readonly abuse: number; readonly verification: number };
  readonly quarantine: {
    readonly total: number;
    readonly byReason: Record<string, number>;
    readonly expiredRegistrations: number;
  };
  readonly releases: {
    readonly total: number;
    readonly byDestinationKind: Record<DestinationKind, number>;
    readonly byAuthoriser: Record<string, number>;
    readonly openCopies: readonly OpenCopy[];
    readonly overdueCopies: readonly OpenCopy[];
  };
  readonly holds: {
    readonly active: readonly ActiveHold[];
    readonly dueForReview: readonly ActiveHold[];
    readonly keptPast24Months: readonly HeldRecording[];
  };
  readonly extensions: {
    readonly registered: number;
    readonly recorded: number;
    readonly marked: number;
    readonly recordedNotMarked: readonly string[];
    readonly alwaysRecorded: number;
    readonly pairedWithUnrecorded: number;
    readonly alwaysRecordedNotPaired: readonly string[];
  };
  readonly staffNoticesDue: DueList;
}

export const buildComplianceReport = (i: ReportInputs): ComplianceReport => {
  const t = sumMetrics(i.days);
  const byMethod = Object.fromEntries(
    NOTIFICATION_METHODS.map((m) => [m, t[METRIC.notification(m)] ?? 0]),
  ) as Record<NotificationMethod, number>;
  const quarantined = byPrefix(t, 'quarantined:');
  const byDestinationKind = Object.fromEntries(
    DESTINATION_KINDS.map((k) => [k, t[METRIC.release(k)] ?? 0]),
  ) as Record<DestinationKind, number>;
  const asOfMs = Date.parse(i.asOf);
  const byExpiry = (a: OpenCopy, b: OpenCopy) =>
    a.copyExpiresAt.localeCompare(b.copyExpiresAt) || a.releaseId.localeCompare(b.releaseId);
  const recorded = i.extensions.filter((e) => e.mode !== 'never');
  const always = recorded.filter((e) => e.mode === 'always');
  const holds = [...i.holds].sort(
    (a, b) => a.reviewDue.localeCompare(b.reviewDue) || a.holdId.localeCompare(b.holdId),
  );
  return {
    serviceArea: i.serviceArea,
    period: { from: i.from, to: i.to },
    asOf: i.asOf,
    customerNotification: {
      recordings: t[METRIC.recordings] ?? 0,
      byMethod,
      none: [...i.unnotified].sort(
        (a, b) => a.startedAt.localeCompare(b.startedAt) || a.recordingId.localeCompare(b.recordingId),
      ),
    },
    customerReminders: {
      abuse: t[METRIC.abuseReminder] ?? 0,
      verification: t[METRIC.verificationReminder] ?? 0,
    },
    quarantine: {
      total: Object.values(quarantined).reduce((a, b) => a + b, 0),
      byReason: quarantined,
      expiredRegistrations: t[METRIC.registrationExpired] ?? 0,
    },
    releases: {
      total: Object.values(byDestinationKind).reduce((a, b) => a + b, 0),
      byDestinationKind,
      byAuthoriser: byPrefix(t, 'release-by:'),
      openCopies: [...i.openCopies].sort(byExpiry),
      overdueCopies: i.openCopies.filter((c) => Date.parse(c.copyExpiresAt) < asOfMs).sort(byExpiry),
    },
    holds: {
      active: holds,
      dueForReview: holds.filter((h) => Date.parse(h.reviewDue) <= asOfMs),
      keptPast24Months: [...i.keptPast24Months].sort(
        (a, b) => a.deleteAfter.localeCompare(b.deleteAfter) || a.recordingId.localeCompare(b.recordingId),
      ),
    },
    extensions: {
      registered: i.extensions.length,
      recorded: recorded.length,
      marked: recorded.filter((e) => e.marked).length,
      recordedNotMarked: recorded
        .filter((e) => !e.marked)
        .map((e) => e.number)
        .sort(),
      alwaysRecorded: always.length,
      pairedWithUnrecorded: recorded.filter((e) => e.pairedUnrecorded).length,
      alwaysRecordedNotPaired: always
        .filter((e) => !e.pairedUnrecorded)
        .map((e) => e.number)
        .sort(),
    },
    staffNoticesDue: i.staffNoticesDue,
  };
};

// --- CSV ----------------------------------------------------------------------------------------------

const csvCell = (v: unknown): string => {
  const s = v === undefined || v === null ? '' : String(v);
  // Quote when needed; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** One row per figure or listed item: section, item, value, detail. */
export const complianceReportCsv = (r: ComplianceReport): string => {
  const rows: unknown[][] = [['section', 'item', 'value', 'detail']];
  const add = (section: string, item: string, value: unknown, detail = '') =>
    rows.push([section, item, value, detail]);
  add('report', 'serviceArea', r.serviceArea);
  add('report', 'from', r.period.from);
  add('report', 'to', r.period.to);
  add('report', 'asOf', r.asOf);
  add('customer-notification', 'recordings', r.customerNotification.recordings);
  for (const [m, n] of Object.entries(r.customerNotification.byMethod)) add('customer-notification', m, n);
  for (const u of r.customerNotification.none)
    add(
      'customer-notification-none',
      u.recordingId,
      u.startedAt,
      `extension ${u.extension} agent ${u.agentId}`,
    );
  add('customer-reminders', 'abuse', r.customerReminders.abuse);
  add('customer-reminders', 'verification', r.customerReminders.verification);
  add('quarantine', 'total', r.quarantine.total);
  for (const [k, n] of Object.entries(r.quarantine.byReason)) add('quarantine', k, n);
  add('quarantine', 'expiredRegistrations', r.quarantine.expiredRegistrations);
  add('releases', 'total', r.releases.total);
  for (const [k, n] of Object.entries(r.releases.byDestinationKind)) add('releases-by-destination', k, n);
  for (const [k, n] of Object.entries(r.releases.byAuthoriser)) add('releases-by-authoriser', k, n);
  for (const c of r.releases.openCopies)
    add('releases-open-copy', c.releaseId, c.copyExpiresAt, c.destination ?? c.destinationKind);
  for (const c of r.releases.overdueCopies)
    add('releases-overdue-copy', c.releaseId, c.copyExpiresAt, c.destination ?? c.destinationKind);
  for (const h of r.holds.active) add('holds-active', h.holdId, h.reviewDue, h.guidanceRef ?? '');
  for (const h of r.holds.dueForReview)
    add('holds-due-for-review', h.holdId, h.reviewDue, h.guidanceRef ?? '');
  for (const k of r.holds.keptPast24Months)
    add(
      'kept-past-24-months',
      k.recordingId,
      k.deleteAfter,
      `hold ${k.holdId} guidance ${k.guidanceRef ?? ''}`,
    );
  const e = r.extensions;
  add('extensions', 'registered', e.registered);
  add('extensions', 'recorded', e.recorded);
  add('extensions', 'marked', e.marked);
  add('extensions', 'alwaysRecorded', e.alwaysRecorded);
  add('extensions', 'pairedWithUnrecorded', e.pairedWithUnrecorded);
  for (const n of e.recordedNotMarked) add('extensions-recorded-not-marked', n, '');
  for (const n of e.alwaysRecordedNotPaired) add('extensions-always-recorded-not-paired', n, '');
  const d = r.staffNoticesDue;
  for (const s of [...d.firstUseMissing, ...d.reminderOverdue, ...d.reminderDueSoon])
    add('staff-notices-due', s.staffId, s.reason, `due since ${s.dueSince}`);
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
};
