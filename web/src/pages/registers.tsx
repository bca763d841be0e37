/**
 * The registers (policy s.3, s.4) for the registrar, IG and service area managers: service areas with
 * their business cases, the recorded-extensions register, and staff awareness notices with who is due a
 * reminder. The API answers one service area or extension at a time; it decides who reads and records.
 */
import { useEffect, useState } from 'preact/hooks';
import { Radios } from '../radios';
import type { Problem } from '../refusals';
import { useLocation } from '../router';
import { useSession } from '../session';
import {
  Button,
  day,
  Field,
  Heading,
  ProblemBox,
  problemOf,
  Rows,
  Select,
  Success,
  Table,
  Tag,
  when,
} from '../ui';

interface Confirmation {
  readonly confirmedBy: string;
  readonly confirmedAt: string;
}
interface ServiceArea {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly missing: readonly string[];
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly businessCase: {
    readonly reason?: string;
    readonly itSecurity?: Confirmation & { pciDssCompliant: boolean };
    readonly informationGovernance?: Confirmation & { piaReference: string };
    readonly hr?: Confirmation & { staffConsulted: boolean };
    readonly accessLevels?: readonly { who: string; access: string }[];
    readonly directorApproval?: { approvedBy: string; approvedAt: string };
  };
}
interface Extension {
  readonly number: string;
  readonly serviceArea: string;
  readonly mode: 'always' | 'on-demand' | 'never';
  readonly marked: boolean;
  readonly pairedUnrecorded?: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

const confirmed = (c: Confirmation | undefined, what: string) =>
  c ? `${what}: confirmed by ${c.confirmedBy} on ${day(c.confirmedAt)}` : 'not confirmed';

const MODE: Record<Extension['mode'], string> = {
  always: 'Every call recorded',
  'on-demand': 'Recorded when the agent chooses',
  never: 'Not recorded',
};

const areasOf = (scope: readonly string[] | 'all', me: { grants: Record<string, unknown> }) =>
  scope === 'all' ? Object.keys(me.grants).sort() : [...scope];

export const Registers = () => {
  const { me } = useSession();
  const a = me.actions;
  return (
    <>
      <Heading>Registers</Heading>
      <ul class="govuk-list govuk-list--spaced">
        {a.readRegisters === 'all' || a.readRegisters.length ? (
          <>
            <li>
              <a class="govuk-link" href="#/registers/service-areas">
                Service areas and their business cases
              </a>
            </li>
            <li>
              <a class="govuk-link" href="#/registers/extensions">
                Recorded extensions
              </a>
            </li>
          </>
        ) : null}
        {a.readDueList === 'all' || a.readDueList.length ? (
          <li>
            <a class="govuk-link" href="#/registers/staff-notices">
              Staff notices: who is due a reminder
            </a>
          </li>
        ) : null}
      </ul>
    </>
  );
};

/** A lookup by id: the API has one GET per entry (no listing), so areas the person works in come first. */
const useLookup = <T,>(path: (id: string) => string, initial: string) => {
  const { api } = useSession();
  const [id, setId] = useState(initial);
  const [entry, setEntry] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const look = async (which = id) => {
    if (!which.trim()) return;
    try {
      setProblem(null);
      setEntry(null);
      setEntry(await api.get<T>(path(encodeURIComponent(which.trim()))));
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return { id, setId, entry, problem, look };
};

export const ServiceAreas = () => {
  const { me } = useSession();
  const { query } = useLocation();
  const known = areasOf(me.actions.readRegisters, me);
  const lookup = useLookup<ServiceArea>((id) => `/service-areas/${id}`, query.get('id') ?? known[0] ?? '');
  useEffect(() => void lookup.look(), []);
  const area = lookup.entry;
  const c = area?.businessCase;
  return (
    <>
      <a href="#/registers" class="govuk-back-link">
        Back to registers
      </a>
      <Heading>Service areas</Heading>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void lookup.look();
        }}
      >
        <Field
          id="area-id"
          label="Service area"
          hint={known.length ? `For example ${known.join(', ')}` : 'Its id, for example revenues'}
          width="govuk-input--width-20"
          value={lookup.id}
          onInput={lookup.setId}
        />
        <Button type="submit">Show</Button>
      </form>
      {lookup.problem ? <ProblemBox problem={lookup.problem} /> : null}
      {area && c ? (
        <div data-testid="service-area">
          <h2 class="govuk-heading-m">
            {area.name}{' '}
            <Tag colour={area.status === 'approved' ? 'green' : 'yellow'}>
              {area.status === 'approved' ? 'approved' : 'business case incomplete'}
            </Tag>
          </h2>
          {area.missing.length ? (
            <div class="govuk-inset-text">
              <p class="govuk-body">
                Recording needs these before it may start (Call Recording Policy, section 3):
              </p>
              <ul class="govuk-list govuk-list--bullet" data-testid="missing">
                {area.missing.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <h3 class="govuk-heading-s">Business case</h3>
          <Rows
            rows={[
              ['Reason for recording (s.3 a)', c.reason ?? 'not given'],
              [
                'IT security and PCI DSS (s.3 b)',
                c.itSecurity
                  ? `${c.itSecurity.pciDssCompliant ? 'PCI DSS compliant' : 'not PCI DSS compliant'}; ${confirmed(c.itSecurity, 'IT Security Manager')}`
                  : 'not confirmed',
              ],
              [
                'Information governance (s.3 c)',
                c.informationGovernance
                  ? `Privacy impact assessment ${c.informationGovernance.piaReference}; ${confirmed(c.informationGovernance, 'Corporate IG Manager')}`
                  : 'not confirmed',
              ],
              [
                'HR, staff consulted (s.3 d)',
                c.hr
                  ? `${c.hr.staffConsulted ? 'staff consulted' : 'staff not consulted'}; ${confirmed(c.hr, 'Head of HR')}`
                  : 'not confirmed',
              ],
              [
                'Director of Corporate Services',
                c.directorApproval
                  ? `approved by ${c.directorApproval.approvedBy} on ${day(c.directorApproval.approvedAt)}`
                  : 'not approved',
              ],
              ['Last changed', `${when(area.updatedAt)} by ${area.updatedBy}`],
            ]}
          />
          {c.accessLevels?.length ? (
            <Table
              caption="Levels of access (s.3 e)"
              head={['Who', 'Access']}
              rows={c.accessLevels.map((l) => [l.who, l.access])}
              testid="access-levels"
            />
          ) : null}
        </div>
      ) : null}
    </>
  );
};

export const Extensions = () => {
  const { query } = useLocation();
  const lookup = useLookup<Extension>((n) => `/extensions/${n}`, query.get('number') ?? '');
  useEffect(() => void lookup.look(), []);
  const ext = lookup.entry;
  return (
    <>
      <a href="#/registers" class="govuk-back-link">
        Back to registers
      </a>
      <Heading>Recorded extensions</Heading>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void lookup.look();
        }}
      >
        <Field
          id="extension-number"
          label="Extension number"
          width="govuk-input--width-10"
          value={lookup.id}
          onInput={lookup.setId}
        />
        <Button type="submit">Show</Button>
      </form>
      {lookup.problem ? <ProblemBox problem={lookup.problem} /> : null}
      {ext ? (
        <div data-testid="extension">
          <h2 class="govuk-heading-m">Extension {ext.number}</h2>
          <Rows
            rows={[
              ['Service area', ext.serviceArea],
              ['Recording', MODE[ext.mode] ?? ext.mode],
              [
                'Handset marked as recorded (s.4 d)',
                ext.mode === 'never' ? 'not needed' : ext.marked ? 'yes' : <Tag colour="red">not marked</Tag>,
              ],
              [
                'Unrecorded extension for confidential calls (s.4 e)',
                ext.pairedUnrecorded ?? (ext.mode === 'always' ? <Tag colour="red">none</Tag> : 'not needed'),
              ],
              ['Last changed', `${when(ext.updatedAt)} by ${ext.updatedBy}`],
            ]}
          />
        </div>
      ) : null}
    </>
  );
};

// ---------------------------------------------------------------------------------------------------

interface DueEntry {
  readonly staffId: string;
  readonly areas: readonly string[];
  readonly reason: string;
  readonly dueSince: string;
  readonly firstUse?: string;
  readonly lastReminder?: string;
}
interface DueList {
  readonly asOf: string;
  readonly horizon: string;
  readonly serviceAreas: readonly string[] | 'all';
  readonly firstUseMissing: readonly DueEntry[];
  readonly reminderOverdue: readonly DueEntry[];
  readonly reminderDueSoon: readonly DueEntry[];
}

const CHECKLIST: readonly (readonly [string, string])[] = [
  ['purpose', 'Why calls are recorded (s.4 c)'],
  ['uses', 'How recordings may be used (s.4 c)'],
  ['retention', 'How long recordings are kept (s.4 c)'],
  ['businessCallsOnly', 'Only business calls on a recorded extension (s.4 f)'],
];

export const StaffNotices = () => {
  const { api, me } = useSession();
  const scope = me.actions.readDueList;
  const [area, setArea] = useState('');
  const [list, setList] = useState<DueList | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState({
    staffId: '',
    kind: 'first-use',
    date: new Date().toISOString().slice(0, 10),
    toldBy: me.staffId,
    serviceArea: '',
    checks: {} as Record<string, boolean>,
  });
  const [recorded, setRecorded] = useState<string | null>(null);

  const load = async () => {
    try {
      setProblem(null);
      setList(
        await api.get<DueList>(`/staff-notices/due${area ? `?serviceArea=${encodeURIComponent(area)}` : ''}`),
      );
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  useEffect(() => void load(), [area]);

  const record = async () => {
    try {
      setProblem(null);
      setRecorded(null);
      await api.send('POST', '/staff-notices', {
        staffId: notice.staffId.trim(),
        kind: notice.kind,
        date: notice.date,
        toldBy: notice.toldBy.trim(),
        checklist: Object.fromEntries(CHECKLIST.map(([k]) => [k, notice.checks[k] === true])),
        ...(notice.serviceArea.trim() ? { serviceArea: notice.serviceArea.trim() } : {}),
      });
      setRecorded(`The notice given to ${notice.staffId.trim()} has been recorded.`);
      await load();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };

  const start = (e: DueEntry) => {
    setNotice({
      ...notice,
      staffId: e.staffId,
      kind: e.reason === 'first-use-missing' ? 'first-use' : 'annual-reminder',
      serviceArea: e.areas[0] ?? '',
    });
    setRecorded(null);
    document.getElementById('notice-staffId')?.focus();
  };

  const section = (caption: string, rows: readonly DueEntry[], testid: string) =>
    rows.length ? (
      <Table
        caption={caption}
        testid={testid}
        head={['Staff', 'Service areas', 'Due since', 'Last told', '']}
        rows={rows.map((e) => [
          e.staffId,
          e.areas.join(', '),
          day(e.dueSince),
          day(e.lastReminder ?? e.firstUse),
          <button
            type="button"
            class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
            key="r"
            onClick={() => start(e)}
          >
            Record notice<span class="govuk-visually-hidden"> for {e.staffId}</span>
          </button>,
        ])}
      />
    ) : null;

  return (
    <>
      <a href="#/registers" class="govuk-back-link">
        Back to registers
      </a>
      <Heading>Staff notices</Heading>
      <p class="govuk-body">
        Staff are told on first use that calls are recorded, and reminded every 12 months (Call Recording
        Policy, section 4).
      </p>
      {recorded ? <Success title={recorded} /> : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      {scope !== 'all' && scope.length > 1 ? (
        <Select
          id="due-area"
          label="Service area"
          value={area}
          options={[['', 'All my service areas'], ...scope.map((s) => [s, s] as const)]}
          onChange={setArea}
        />
      ) : null}
      {list ? (
        <div data-testid="due-list">
          <p class="govuk-body-s">
            As of {day(list.asOf)}; reminders due by {day(list.horizon)} are listed.
          </p>
          {list.firstUseMissing.length + list.reminderOverdue.length + list.reminderDueSoon.length === 0 ? (
            <p class="govuk-body" data-testid="nobody-due">
              Nobody is due a notice.
            </p>
          ) : null}
          {section('Not yet told on first use', list.firstUseMissing, 'first-use-missing')}
          {section('Annual reminder overdue', list.reminderOverdue, 'reminder-overdue')}
          {section('Annual reminder due soon', list.reminderDueSoon, 'reminder-due-soon')}
        </div>
      ) : null}
      <h2 class="govuk-heading-m">Record a notice</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void record();
        }}
      >
        <Field
          id="notice-staffId"
          label="Staff id of the person told"
          value={notice.staffId}
          onInput={(v) => setNotice({ ...notice, staffId: v })}
        />
        <Radios
          name="notice-kind"
          legend="What were they told?"
          value={notice.kind}
          options={[
            ['first-use', 'First-use notice'],
            ['annual-reminder', 'Annual reminder'],
            ['frequent-caller-informed', 'Informed as a frequent caller of a recorded extension (s.4 b)'],
          ]}
          onChange={(v) => setNotice({ ...notice, kind: v })}
          small
        />
        <Field
          id="notice-date"
          label="Date told"
          type="date"
          value={notice.date}
          onInput={(v) => setNotice({ ...notice, date: v })}
        />
        <Field
          id="notice-toldBy"
          label="Told by (staff id)"
          value={notice.toldBy}
          onInput={(v) => setNotice({ ...notice, toldBy: v })}
        />
        <Field
          id="notice-serviceArea"
          label="Service area (optional)"
          width="govuk-input--width-20"
          value={notice.serviceArea}
          onInput={(v) => setNotice({ ...notice, serviceArea: v })}
        />
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">They were told</legend>
            <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
              {CHECKLIST.map(([k, text]) => (
                <div class="govuk-checkboxes__item" key={k}>
                  <input
                    class="govuk-checkboxes__input"
                    id={`notice-${k}`}
                    name="notice-checklist"
                    type="checkbox"
                    value={k}
                    checked={notice.checks[k] === true}
                    onChange={(e) =>
                      setNotice({
                        ...notice,
                        checks: { ...notice.checks, [k]: (e.target as HTMLInputElement).checked },
                      })
                    }
                  />
                  <label class="govuk-label govuk-checkboxes__label" for={`notice-${k}`}>
                    {text}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <Button type="submit">Record notice</Button>
      </form>
    </>
  );
};
