/**
 * Reports for Information Governance and managers: compliance (per service area and period), retention
 * (overdue, due for deletion, held past 24 months) and deletions (certificates by rule). Figures as
 * tables with a chart beside them, and a CSV download of each. The API decides who reads which.
 */
import { useEffect, useState } from 'preact/hooks';
import { type Bar, ReportFigures, toCsv } from '../chart';
import type { Problem } from '../refusals';
import { useSession } from '../session';
import { Button, day, Field, Heading, ProblemBox, problemOf, Select, saveText, Table, when } from '../ui';

const bars = (record: Record<string, number>, names: Record<string, string> = {}): Bar[] =>
  Object.entries(record).map(([k, v]) => ({ label: names[k] ?? k, value: v }));

const monthAgo = () => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
const today = () => new Date().toISOString().slice(0, 10);

export const Reports = () => {
  const { me } = useSession();
  const a = me.actions;
  return (
    <>
      <Heading>Reports</Heading>
      <ul class="govuk-list govuk-list--spaced">
        {a.readComplianceReport === 'all' || a.readComplianceReport.length ? (
          <li>
            <a class="govuk-link" href="#/reports/compliance">
              Compliance report
            </a>{' '}
            — how callers were told, quarantined calls, releases, holds and extensions of a service area
          </li>
        ) : null}
        {a.readRetentionReports ? (
          <>
            <li>
              <a class="govuk-link" href="#/reports/retention">
                Retention report
              </a>{' '}
              — recordings overdue or due for deletion, and those held past 24 months
            </li>
            <li>
              <a class="govuk-link" href="#/reports/deletions">
                Deletions report
              </a>{' '}
              — recordings deleted in a period, by rule
            </li>
          </>
        ) : null}
      </ul>
    </>
  );
};

// ---------------------------------------------------------------------------------------------------

interface ComplianceReport {
  readonly serviceArea: string;
  readonly period: { from: string; to: string };
  readonly asOf: string;
  readonly customerNotification: {
    recordings: number;
    byMethod: Record<string, number>;
    none: readonly { recordingId: string; startedAt: string; extension: string; agentId: string }[];
  };
  readonly customerReminders: { abuse: number; verification: number };
  readonly quarantine: { total: number; byReason: Record<string, number>; expiredRegistrations: number };
  readonly releases: {
    total: number;
    byDestinationKind: Record<string, number>;
    openCopies: readonly unknown[];
    overdueCopies: readonly { releaseId: string; copyExpiresAt: string; destination?: string }[];
  };
  readonly holds: {
    active: readonly unknown[];
    dueForReview: readonly { holdId: string; reviewDue: string; reason?: string }[];
    keptPast24Months: readonly unknown[];
  };
  readonly extensions: {
    registered: number;
    recorded: number;
    marked: number;
    recordedNotMarked: readonly string[];
    alwaysRecorded: number;
    pairedWithUnrecorded: number;
    alwaysRecordedNotPaired: readonly string[];
  };
}

const METHOD: Record<string, string> = {
  announcement: 'Recorded announcement',
  'agent-statement': 'Agent told the caller',
  'advance-notice': 'Told in advance',
  none: 'Not told',
};

export const ComplianceReportPage = () => {
  const { api, me } = useSession();
  const scope = me.actions.readComplianceReport;
  const [form, setForm] = useState({
    serviceArea: scope === 'all' ? (me.actions.play[0] ?? '') : (scope[0] ?? ''),
    from: monthAgo(),
    to: today(),
  });
  const [report, setReport] = useState<ComplianceReport | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const q = () => new URLSearchParams({ serviceArea: form.serviceArea.trim(), from: form.from, to: form.to });

  const run = async () => {
    try {
      setProblem(null);
      setReport(await api.get<ComplianceReport>(`/reports/compliance?${q()}`));
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  const csv = async () => {
    try {
      const { text } = await api.text(`/reports/compliance?${q()}`, 'text/csv');
      saveText(`compliance-${form.serviceArea}-${form.from}-${form.to}.csv`, text, 'text/csv');
    } catch (error) {
      setProblem(problemOf(error));
    }
  };

  return (
    <>
      <a href="#/reports" class="govuk-back-link">
        Back to reports
      </a>
      <Heading>Compliance report</Heading>
      {problem ? <ProblemBox problem={problem} /> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        {scope === 'all' ? (
          <Field
            id="report-area"
            label="Service area"
            width="govuk-input--width-20"
            value={form.serviceArea}
            onInput={set('serviceArea')}
          />
        ) : (
          <Select
            id="report-area"
            label="Service area"
            value={form.serviceArea}
            options={scope.map((s) => [s, s] as const)}
            onChange={set('serviceArea')}
          />
        )}
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <Field id="report-from" label="From (date)" type="date" value={form.from} onInput={set('from')} />
          </div>
          <div class="govuk-grid-column-one-half">
            <Field id="report-to" label="To (date)" type="date" value={form.to} onInput={set('to')} />
          </div>
        </div>
        <div class="portal-actions">
          <Button type="submit">Show report</Button>
          <Button secondary onClick={() => void csv()}>
            Download CSV
          </Button>
        </div>
      </form>
      {report ? (
        <div data-testid="compliance-report">
          <h2 class="govuk-heading-m">
            {report.serviceArea}, {day(report.period.from)} to {day(report.period.to)}
          </h2>
          <p class="govuk-body-s">As of {when(report.asOf)}.</p>
          <ReportFigures
            caption={`How callers were told (${report.customerNotification.recordings} recordings)`}
            head={['How', 'Recordings']}
            bars={bars(report.customerNotification.byMethod, METHOD)}
            testid="by-method"
          />
          {report.customerNotification.none.length ? (
            <Table
              caption="Recordings where the caller was not told"
              head={['Recording', 'Call', 'Extension', 'Agent']}
              rows={report.customerNotification.none.map((r) => [
                r.recordingId,
                when(r.startedAt),
                r.extension,
                r.agentId,
              ])}
            />
          ) : null}
          <ReportFigures
            caption="Reminders given to callers"
            head={['Reminder', 'Calls']}
            bars={[
              { label: 'Abusive behaviour', value: report.customerReminders.abuse },
              { label: 'Identity verification', value: report.customerReminders.verification },
            ]}
            testid="reminders"
          />
          <ReportFigures
            caption={`Quarantined calls (${report.quarantine.total}; ${report.quarantine.expiredRegistrations} registrations expired)`}
            head={['Reason', 'Calls']}
            bars={bars(report.quarantine.byReason)}
            testid="quarantine"
          />
          <ReportFigures
            caption={`Releases (${report.releases.total}; ${report.releases.overdueCopies.length} copies overdue for deletion)`}
            head={['Released to', 'Releases']}
            bars={bars(report.releases.byDestinationKind, {
              'service-area': 'Another service area',
              'external-agency': 'An external agency',
            })}
            testid="releases"
          />
          <ReportFigures
            caption="Holds"
            head={['Holds', 'Number']}
            bars={[
              { label: 'Active', value: report.holds.active.length },
              { label: 'Due for review', value: report.holds.dueForReview.length },
              { label: 'Recordings kept past 24 months', value: report.holds.keptPast24Months.length },
            ]}
            testid="holds-figures"
          />
          <ReportFigures
            caption="Extensions"
            head={['Extensions', 'Number']}
            bars={[
              { label: 'Registered', value: report.extensions.registered },
              { label: 'Recorded', value: report.extensions.recorded },
              { label: 'Marked as recorded', value: report.extensions.marked },
              { label: 'Always recorded', value: report.extensions.alwaysRecorded },
              { label: 'Paired with an unrecorded one', value: report.extensions.pairedWithUnrecorded },
            ]}
            testid="extensions-figures"
          />
          {report.extensions.recordedNotMarked.length ? (
            <p class="govuk-body">
              Recorded but not marked (s.4 d): {report.extensions.recordedNotMarked.join(', ')}.
            </p>
          ) : null}
          {report.extensions.alwaysRecordedNotPaired.length ? (
            <p class="govuk-body">
              Always recorded with no unrecorded extension to use instead (s.4 e):{' '}
              {report.extensions.alwaysRecordedNotPaired.join(', ')}.
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
};

// ---------------------------------------------------------------------------------------------------

interface DueRow {
  readonly recordingId: string;
  readonly serviceArea: string;
  readonly deleteAfter: string;
}
interface RetentionReport {
  readonly generatedAt: string;
  readonly overdue: { total: number; recordings: readonly DueRow[] };
  readonly dueForDeletion: { from: string; to: string; total: number; recordings: readonly DueRow[] };
  readonly heldPast24Months: {
    total: number;
    recordings: readonly {
      recordingId: string;
      deleteAfter: string;
      holds: readonly { holdId: string; caseRef: string }[];
      guidanceRefs: readonly string[];
      withoutGuidance: boolean;
    }[];
  };
}

const byArea = (rows: readonly DueRow[]): Bar[] => {
  const n: Record<string, number> = {};
  for (const r of rows) n[r.serviceArea] = (n[r.serviceArea] ?? 0) + 1;
  return bars(n);
};

export const RetentionReportPage = () => {
  const { api } = useSession();
  const [report, setReport] = useState<RetentionReport | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    api
      .get<RetentionReport>('/reports/retention')
      .then(setReport)
      .catch((e: unknown) => setProblem(problemOf(e)));
  }, []);
  const csv = (r: RetentionReport) =>
    saveText(
      `retention-${r.generatedAt.slice(0, 10)}.csv`,
      toCsv([
        ['list', 'recordingId', 'serviceArea', 'deleteAfter', 'holds', 'guidance'],
        ...r.overdue.recordings.map((x) => ['overdue', x.recordingId, x.serviceArea, x.deleteAfter, '', '']),
        ...r.dueForDeletion.recordings.map((x) => [
          'due',
          x.recordingId,
          x.serviceArea,
          x.deleteAfter,
          '',
          '',
        ]),
        ...r.heldPast24Months.recordings.map((x) => [
          'held-past-24-months',
          x.recordingId,
          '',
          x.deleteAfter,
          x.holds.map((h) => h.caseRef).join(' '),
          x.guidanceRefs.join(' '),
        ]),
      ]),
      'text/csv',
    );
  return (
    <>
      <a href="#/reports" class="govuk-back-link">
        Back to reports
      </a>
      <Heading>Retention report</Heading>
      {problem ? <ProblemBox problem={problem} /> : null}
      {report ? (
        <div data-testid="retention-report">
          <p class="govuk-body-s">As of {when(report.generatedAt)}.</p>
          <Button secondary onClick={() => csv(report)}>
            Download CSV
          </Button>
          <ReportFigures
            caption="Summary"
            head={['List', 'Recordings']}
            bars={[
              { label: 'Overdue for deletion', value: report.overdue.total },
              { label: `Due by ${day(report.dueForDeletion.to)}`, value: report.dueForDeletion.total },
              { label: 'Held past 24 months', value: report.heldPast24Months.total },
            ]}
            testid="retention-summary"
          />
          {report.dueForDeletion.total ? (
            <ReportFigures
              caption="Due for deletion, by service area"
              head={['Service area', 'Recordings']}
              bars={byArea(report.dueForDeletion.recordings)}
              testid="due-by-area"
            />
          ) : null}
          {report.overdue.total ? (
            <Table
              caption="Overdue for deletion"
              head={['Recording', 'Service area', 'Delete after']}
              rows={report.overdue.recordings.map((r) => [r.recordingId, r.serviceArea, day(r.deleteAfter)])}
            />
          ) : null}
          {report.heldPast24Months.total ? (
            <Table
              caption="Held past 24 months"
              head={['Recording', 'Delete after', 'Holds', 'IG guidance']}
              rows={report.heldPast24Months.recordings.map((r) => [
                r.recordingId,
                day(r.deleteAfter),
                r.holds.map((h) => h.caseRef).join(', '),
                r.withoutGuidance ? 'none — needs IG guidance' : r.guidanceRefs.join(', '),
              ])}
            />
          ) : null}
        </div>
      ) : problem ? null : (
        <p class="govuk-body">Loading…</p>
      )}
    </>
  );
};

// ---------------------------------------------------------------------------------------------------

interface DeletionsReport {
  readonly from: string;
  readonly to: string;
  readonly total: number;
  readonly byRule: Record<string, number>;
  readonly deletions: readonly {
    recordingId: string;
    serviceArea: string;
    deleteAfter: string;
    certificate: { rule: string; at: string; by: string; reason: string };
  }[];
}

const RULE: Record<string, string> = {
  's7.delete-after-24-months': 'Deleted after 24 months',
  's7.lifecycle-backstop-24-months': 'Deleted by the archive after 24 months',
  's6.nominated-delete': 'Deleted by nominated staff',
};

export const DeletionsReportPage = () => {
  const { api } = useSession();
  const [form, setForm] = useState({ from: monthAgo(), to: today() });
  const [report, setReport] = useState<DeletionsReport | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = async () => {
    try {
      setProblem(null);
      setReport(await api.get<DeletionsReport>(`/reports/deletions?${new URLSearchParams(form)}`));
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  const csv = (r: DeletionsReport) =>
    saveText(
      `deletions-${r.from}-${r.to}.csv`,
      toCsv([
        ['recordingId', 'serviceArea', 'deleteAfter', 'rule', 'deletedAt', 'deletedBy', 'reason'],
        ...r.deletions.map((d) => [
          d.recordingId,
          d.serviceArea,
          d.deleteAfter,
          d.certificate.rule,
          d.certificate.at,
          d.certificate.by,
          d.certificate.reason,
        ]),
      ]),
      'text/csv',
    );
  return (
    <>
      <a href="#/reports" class="govuk-back-link">
        Back to reports
      </a>
      <Heading>Deletions report</Heading>
      {problem ? <ProblemBox problem={problem} /> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <Field
              id="del-from"
              label="From (date)"
              type="date"
              value={form.from}
              onInput={(v) => setForm({ ...form, from: v })}
            />
          </div>
          <div class="govuk-grid-column-one-half">
            <Field
              id="del-to"
              label="To (date)"
              type="date"
              value={form.to}
              onInput={(v) => setForm({ ...form, to: v })}
            />
          </div>
        </div>
        <Button type="submit">Show report</Button>
      </form>
      {report ? (
        <div data-testid="deletions-report">
          <p class="govuk-body">
            {report.total} recording{report.total === 1 ? '' : 's'} deleted from {day(report.from)} to{' '}
            {day(report.to)}.
          </p>
          <Button secondary onClick={() => csv(report)}>
            Download CSV
          </Button>
          <ReportFigures
            caption="Deletions by rule"
            head={['Rule', 'Recordings']}
            bars={bars(report.byRule, RULE)}
            testid="by-rule"
          />
          {report.deletions.length ? (
            <Table
              caption="Deletion certificates"
              head={['Recording', 'Service area', 'Rule', 'Deleted']}
              rows={report.deletions.map((d) => [
                d.recordingId,
                d.serviceArea,
                RULE[d.certificate.rule] ?? d.certificate.rule,
                when(d.certificate.at),
              ])}
            />
          ) : null}
        </div>
      ) : null}
    </>
  );
};
