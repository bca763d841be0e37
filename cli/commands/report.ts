/**
 * `crs report compliance --area <id> --from DAY --to DAY [--csv | --json]`
 *   the compliance report of one service area: a readable summary by default, the API's JSON with
 *   --json, or CSV with --csv (the same rows the API gives for Accept: text/csv, built by the same function).
 * `crs report retention [--json]`
 *   what is overdue for deletion (first), what falls due in the next 30 days, what is held past 24 months.
 * `crs report deletions --from DAY --to DAY [--json]`
 *   the recordings deleted between two days, with their deletion certificates.
 */
import { parseArgs } from 'node:util';
import { type ComplianceReport, complianceReportCsv } from '../../functions/domain/compliance.js';
import { ApiError, call } from '../api-client.js';
import type { CliCommand } from '../command.js';
import { DATE_FORMAT, dayOf } from '../dates.js';

const USAGE = `usage:
  crs report compliance --area <service-area> --from DAY --to DAY [--csv | --json]
  crs report retention [--json]        overdue for deletion, due in 30 days, held past 24 months
  crs report deletions --from DAY --to DAY [--json]   deletions and their certificates
${DATE_FORMAT} (reports count whole days: a date-time gives its UTC day)`;

interface Due {
  recordingId: string;
  serviceArea: string;
  deleteAfter: string;
  held: boolean;
}

export interface RetentionView {
  generatedAt: string;
  overdue?: { total: number; recordings: Due[] };
  dueForDeletion: { from: string; to: string; total: number; recordings: Due[] };
  heldPast24Months: {
    total: number;
    recordings: {
      recordingId: string;
      deleteAfter: string;
      guidanceRefs: string[];
      withoutGuidance: boolean;
    }[];
  };
}

interface DeletionsView {
  from: string;
  to: string;
  total: number;
  byRule: Record<string, number>;
  deletions: {
    recordingId: string;
    serviceArea: string;
    deleteAfter: string;
    certificate: { by: string; at: string; rule: string; reason: string };
  }[];
}

const dueLine = (d: Due) =>
  `  ${d.recordingId}  ${d.serviceArea}  delete after ${d.deleteAfter}${d.held ? '  (held)' : ''}`;

/** The retention report as text: overdue first, as it needs action now. */
export const retentionSummary = (r: RetentionView): string =>
  [
    `Retention report (s.7) — ${r.generatedAt}`,
    '',
    `OVERDUE — past their delete-after date and not deleted: ${r.overdue?.total ?? 0}` +
      ((r.overdue?.total ?? 0) > 0 ? ' (a deletion sweep failed or is behind: check the deletion job)' : ''),
    ...(r.overdue?.recordings ?? []).map(dueLine),
    `Due for deletion ${r.dueForDeletion.from} to ${r.dueForDeletion.to}: ${r.dueForDeletion.total}`,
    ...r.dueForDeletion.recordings.map(dueLine),
    `Held past 24 months: ${r.heldPast24Months.total}`,
    ...r.heldPast24Months.recordings.map(
      (h) =>
        `  ${h.recordingId}  24 months on ${h.deleteAfter}  guidance ${h.withoutGuidance ? 'MISSING' : h.guidanceRefs.join(', ')}`,
    ),
  ].join('\n');

const deletionsSummary = (r: DeletionsView): string =>
  [
    `Deletions ${r.from} to ${r.to}: ${r.total} — ${counts(r.byRule)}`,
    ...r.deletions.map(
      (d) =>
        `  ${d.certificate.at}  ${d.recordingId}  ${d.serviceArea}  by ${d.certificate.by}  ${d.certificate.rule}: ${d.certificate.reason}`,
    ),
  ].join('\n');

const counts = (m: Record<string, number>): string =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

export const summary = (r: ComplianceReport): string => {
  const d = r.staffNoticesDue;
  const lines = [
    `Compliance report — ${r.serviceArea}, ${r.period.from} to ${r.period.to} (state as of ${r.asOf})`,
    '',
    `Customers told (s.5): ${r.customerNotification.recordings} recordings — ${counts(r.customerNotification.byMethod)}`,
    ...r.customerNotification.none.map(
      (n) => `  not told: ${n.recordingId} ${n.startedAt} ext ${n.extension} agent ${n.agentId}`,
    ),
    `Reminders given (s.5): abuse ${r.customerReminders.abuse}, verification ${r.customerReminders.verification}`,
    `Quarantined: ${r.quarantine.total} — ${counts(r.quarantine.byReason)}; expired registrations ${r.quarantine.expiredRegistrations}`,
    `Releases (s.6): ${r.releases.total} — ${counts(r.releases.byDestinationKind)}`,
    `  by authoriser: ${counts(r.releases.byAuthoriser)}`,
    `  open copies ${r.releases.openCopies.length}, overdue ${r.releases.overdueCopies.length}${r.releases.overdueCopies.map((c) => ` ${c.releaseId}`).join('')}`,
    `Holds (s.7): active ${r.holds.active.length}, due for review ${r.holds.dueForReview.length}, recordings kept past 24 months ${r.holds.keptPast24Months.length}`,
    ...r.holds.keptPast24Months.map(
      (k) =>
        `  kept: ${k.recordingId} (24 months on ${k.deleteAfter}) hold ${k.holdId} guidance ${k.guidanceRef ?? 'MISSING'}`,
    ),
    `Extensions (s.4 d–e): ${r.extensions.recorded} recorded, ${r.extensions.marked} marked, ${r.extensions.pairedWithUnrecorded} paired with a non-recorded extension`,
    ...(r.extensions.recordedNotMarked.length
      ? [`  not marked: ${r.extensions.recordedNotMarked.join(', ')}`]
      : []),
    ...(r.extensions.alwaysRecordedNotPaired.length
      ? [`  always recorded, no pair: ${r.extensions.alwaysRecordedNotPaired.join(', ')}`]
      : []),
    `Staff notices due (s.4): first use missing ${d.firstUseMissing.length}, reminder overdue ${d.reminderOverdue.length}, due by ${d.horizon} ${d.reminderDueSoon.length}`,
  ];
  return lines.join('\n');
};

const fail = (error: unknown): number => {
  if (error instanceof ApiError) {
    console.error(`crs report: ${error.message}`);
    return error.status === 403 ? 3 : 1;
  }
  throw error;
};

export const command: CliCommand = {
  summary: 'reports: compliance of a service area (s.4–s.7), retention and deletions (s.7)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        area: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        csv: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const [which] = positionals;
    try {
      if (which === 'retention') {
        const reply = await call<RetentionView>('GET', '/reports/retention');
        console.log(values.json ? JSON.stringify(reply.json, null, 2) : retentionSummary(reply.json));
        return 0;
      }
      if (which === 'deletions' && values.from && values.to) {
        const query = new URLSearchParams({ from: dayOf('from', values.from), to: dayOf('to', values.to) });
        const reply = await call<DeletionsView>('GET', `/reports/deletions?${query}`);
        console.log(values.json ? JSON.stringify(reply.json, null, 2) : deletionsSummary(reply.json));
        return 0;
      }
      if (which !== 'compliance' || !values.area || !values.from || !values.to) {
        console.error(USAGE);
        return 2;
      }
      const query = new URLSearchParams({
        serviceArea: values.area,
        from: dayOf('from', values.from),
        to: dayOf('to', values.to),
      });
      const reply = await call<ComplianceReport>('GET', `/reports/compliance?${query}`);
      if (values.csv) process.stdout.write(complianceReportCsv(reply.json));
      else if (values.json) console.log(JSON.stringify(reply.json, null, 2));
      else console.log(summary(reply.json));
      return 0;
    } catch (error) {
      return fail(error);
    }
  },
};
