/**
 * The registers (policy s.3, s.4) for the registrar, IG and service area managers: service areas with
 * their business cases, the recorded-extensions register, and staff awareness notices with who is due a
 * reminder. The API lists what each person may read (GET /service-areas, GET /extensions?serviceArea=)
 * and decides who reads and records.
 */
import { useEffect, useState } from 'preact/hooks';
import { Radios } from '../radios';
import type { Problem } from '../refusals';
import { go, useLocation } from '../router';
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

/**
 * GETs `path` (none while it is null) each time it changes: the answer, or the refusal in plain words.
 * Each answer is kept with the path it answers, so a render after the path changed never shows the
 * previous path's answer under the new heading, and a late reply to an old path is dropped.
 */
const useAnswer = <T,>(path: string | null) => {
  const { api } = useSession();
  const [state, setState] = useState<{ path: string; answer?: T; problem?: Problem } | null>(null);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    api.get<T>(path).then(
      (answer) => current && setState({ path, answer }),
      (error) => current && setState({ path, problem: problemOf(error) }),
    );
    return () => {
      current = false;
    };
  }, [path]);
  const mine = state && state.path === path ? state : null;
  return { answer: mine?.answer ?? null, problem: mine?.problem ?? null };
};

const BackTo = ({ href, children }: { href: string; children: string }) => (
  <a href={href} class="govuk-back-link">
    {children}
  </a>
);

const caseTag = (status: string) => (
  <Tag colour={status === 'approved' ? 'green' : 'yellow'}>
    {status === 'approved' ? 'approved' : 'business case incomplete'}
  </Tag>
);

const areaLink = (id: string) => `#/registers/service-areas?id=${encodeURIComponent(id)}`;
const extensionsLink = (area: string) => `#/registers/extensions?serviceArea=${encodeURIComponent(area)}`;

interface AreaList {
  readonly serviceAreas: readonly string[] | 'all';
  readonly items: readonly ServiceArea[];
}

/** `#/registers/service-areas`: the register as a table; `?id=` opens one area's business case. */
export const ServiceAreas = () => {
  const { query } = useLocation();
  const id = query.get('id');
  return id ? <ServiceAreaCase id={id} /> : <ServiceAreaList />;
};

const ServiceAreaList = () => {
  const { answer, problem } = useAnswer<AreaList>('/service-areas');
  return (
    <>
      <BackTo href="#/registers">Back to registers</BackTo>
      <Heading>Service areas</Heading>
      <p class="govuk-body">
        No call is recorded for a service area until its business case is approved (Call Recording Policy,
        section 3).
      </p>
      {problem ? <ProblemBox problem={problem} /> : null}
      {answer && answer.items.length === 0 ? (
        <p class="govuk-body" data-testid="no-service-areas">
          No service area you may read is registered yet.
        </p>
      ) : null}
      {answer?.items.length ? (
        <Table
          caption={answer.serviceAreas === 'all' ? 'Every service area' : 'Your service areas'}
          testid="service-areas"
          head={['Service area', 'Business case', 'Still needed', 'Last changed', 'Extensions']}
          rows={answer.items.map((a) => [
            <a class="govuk-link" href={areaLink(a.id)} key="a">
              {a.name}
              <span class="govuk-visually-hidden"> ({a.id})</span>
            </a>,
            caseTag(a.status),
            a.missing.length ? a.missing.join('; ') : 'nothing',
            day(a.updatedAt),
            <a class="govuk-link" href={extensionsLink(a.id)} key="e">
              Recorded extensions<span class="govuk-visually-hidden"> of {a.name}</span>
            </a>,
          ])}
        />
      ) : null}
    </>
  );
};

const ServiceAreaCase = ({ id }: { id: string }) => {
  const { answer: area, problem } = useAnswer<ServiceArea>(`/service-areas/${encodeURIComponent(id)}`);
  const c = area?.businessCase;
  return (
    <>
      <BackTo href="#/registers/service-areas">Back to service areas</BackTo>
      <Heading caption="Service area">{area?.name ?? id}</Heading>
      {problem ? <ProblemBox problem={problem} /> : null}
      {area && c ? (
        <div data-testid="service-area">
          <p class="govuk-body">{caseTag(area.status)}</p>
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
          <h2 class="govuk-heading-m">Business case</h2>
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
          <p class="govuk-body">
            <a class="govuk-link" href={extensionsLink(area.id)}>
              Recorded extensions of {area.name}
            </a>
          </p>
        </div>
      ) : null}
    </>
  );
};

type ExtensionRow = Pick<Extension, 'number' | 'mode' | 'marked' | 'pairedUnrecorded'>;
interface ExtensionPage {
  readonly serviceArea: string;
  readonly items: readonly ExtensionRow[];
  readonly cursor?: string;
}

const markedCell = (e: ExtensionRow) =>
  e.mode === 'never' ? 'not needed' : e.marked ? 'yes' : <Tag colour="red">not marked</Tag>;
const pairCell = (e: ExtensionRow) =>
  e.pairedUnrecorded ?? (e.mode === 'always' ? <Tag colour="red">none</Tag> : 'not needed');

/**
 * `#/registers/extensions`: one service area's recorded-extensions register (`?serviceArea=`, chosen from
 * the areas the person may read); `?number=` opens one extension.
 */
export const Extensions = () => {
  const { query } = useLocation();
  const number = query.get('number');
  return number ? <ExtensionEntry number={number} /> : <ExtensionList area={query.get('serviceArea')} />;
};

const ExtensionList = ({ area }: { area: string | null }) => {
  const { api } = useSession();
  const areas = useAnswer<AreaList>('/service-areas');
  const chosen = area ?? areas.answer?.items[0]?.id ?? null;
  const first = useAnswer<ExtensionPage>(
    chosen ? `/extensions?serviceArea=${encodeURIComponent(chosen)}` : null,
  );
  // Rows after the first page, kept with the page they continue: another area's never show under this one.
  const [later, setMore] = useState<{ after: ExtensionPage; rows: ExtensionRow[]; cursor?: string } | null>(
    null,
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const more = later && later.after === first.answer ? later : null;
  const rows = [...(first.answer?.items ?? []), ...(more?.rows ?? [])];
  const cursor = more ? more.cursor : first.answer?.cursor;
  const showMore = async () => {
    if (!chosen || !cursor) return;
    try {
      setProblem(null);
      const next = await api.get<ExtensionPage>(
        `/extensions?serviceArea=${encodeURIComponent(chosen)}&cursor=${encodeURIComponent(cursor)}`,
      );
      if (first.answer)
        setMore({ after: first.answer, rows: [...(more?.rows ?? []), ...next.items], cursor: next.cursor });
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  const name = areas.answer?.items.find((a) => a.id === chosen)?.name ?? chosen;
  const shown = areas.problem ?? first.problem ?? problem;
  return (
    <>
      <BackTo href="#/registers">Back to registers</BackTo>
      <Heading>Recorded extensions</Heading>
      <p class="govuk-body">
        Recorded extensions are marked, and an extension recorded on every call has an unrecorded one beside
        it for confidential calls (Call Recording Policy, section 4).
      </p>
      {areas.answer && areas.answer.items.length > 1 ? (
        <Select
          id="extensions-area"
          label="Service area"
          value={chosen ?? ''}
          options={areas.answer.items.map((a) => [a.id, a.name] as const)}
          onChange={(v) => go(extensionsLink(v))}
        />
      ) : null}
      {shown ? <ProblemBox problem={shown} /> : null}
      {first.answer && rows.length === 0 ? (
        <p class="govuk-body" data-testid="no-extensions">
          No extension of {name} is registered.
        </p>
      ) : null}
      {rows.length ? (
        <Table
          caption={`Extensions of ${name}`}
          testid="extensions"
          head={['Extension', 'Recording', 'Handset marked (s.4 d)', 'Unrecorded pair (s.4 e)']}
          rows={rows.map((e) => [
            <a class="govuk-link" href={`#/registers/extensions?number=${e.number}`} key="n">
              {e.number}
            </a>,
            MODE[e.mode] ?? e.mode,
            markedCell(e),
            pairCell(e),
          ])}
        />
      ) : null}
      {cursor ? (
        <Button secondary onClick={() => void showMore()}>
          Show more extensions
        </Button>
      ) : null}
    </>
  );
};

const ExtensionEntry = ({ number }: { number: string }) => {
  const { answer: ext, problem } = useAnswer<Extension>(`/extensions/${encodeURIComponent(number)}`);
  return (
    <>
      <BackTo href={ext ? extensionsLink(ext.serviceArea) : '#/registers/extensions'}>
        Back to recorded extensions
      </BackTo>
      <Heading caption="Recorded extension">Extension {number}</Heading>
      {problem ? <ProblemBox problem={problem} /> : null}
      {ext ? (
        <div data-testid="extension">
          <Rows
            rows={[
              ['Service area', ext.serviceArea],
              ['Recording', MODE[ext.mode] ?? ext.mode],
              ['Handset marked as recorded (s.4 d)', markedCell(ext)],
              ['Unrecorded extension for confidential calls (s.4 e)', pairCell(ext)],
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
