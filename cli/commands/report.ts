/**
 * `crs report compliance --area <id> --from YYYY-MM-DD --to YYYY-MM-DD [--csv | --json]`
 * Prints the compliance report of one service area: a readable summary by default, the API's JSON with
 * --json, or CSV with --csv (the same rows the API gives for Accept: text/csv, built by the same function).
 */
import { parseArgs } from 'node:util';
import { type ComplianceReport, complianceReportCsv } from '../../functions/domain/compliance.js';
import { ApiError, call } from '../api-client.js';
import type { CliCommand } from '../command.js';

const USAGE =
  'usage: crs report compliance --area <service-area> --from YYYY-MM-DD --to YYYY-MM-DD [--csv | --json]';

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

export const command: CliCommand = {
  summary: 'compliance report of a service area (s.4–s.7), as text, JSON or CSV',
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
    if (positionals[0] !== 'compliance' || !values.area || !values.from || !values.to) {
      console.error(USAGE);
      return 2;
    }
    const query = new URLSearchParams({ serviceArea: values.area, from: values.from, to: values.to });
    try {
      const reply = await call<ComplianceReport>('GET', `/reports/compliance?${query}`);
      if (values.csv) process.stdout.write(complianceReportCsv(reply.json));
      else if (values.json) console.log(JSON.stringify(reply.json, null, 2));
      else console.log(summary(reply.json));
      return 0;
    } catch (error) {
      if (error instanceof ApiError) {
        console.error(`crs report: ${error.message}`);
        return error.status === 403 ? 3 : 1;
      }
      throw error;
    }
  },
};
