/** Search the recordings of one's service areas (s.6), with paging by the API's cursor. */
import { useState } from 'preact/hooks';
import { Pager } from '../radios';
import type { Problem } from '../refusals';
import { useSession } from '../session';
import { Button, Field, Heading, ProblemBox, problemOf, Select, Table, Tag, when } from '../ui';

export interface RecordingSummary {
  readonly recordingId: string;
  readonly serviceArea: string;
  readonly extension: string;
  readonly direction: string;
  readonly startedAt: string;
  readonly durationSeconds?: number;
  readonly agentId: string;
  readonly caller?: string;
  readonly status: string;
  readonly holdCount: number;
}

const STATUSES = ['', 'ARCHIVED', 'PENDING', 'QUARANTINED', 'DELETED'] as const;

export const duration = (s: number | undefined) =>
  s === undefined ? '—' : `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;

export const Recordings = () => {
  const { api, me } = useSession();
  const [form, setForm] = useState({
    serviceArea: me.actions.play[0] ?? '',
    from: '',
    to: '',
    extension: '',
    agent: '',
    caller: '',
    status: '',
  });
  const [pages, setPages] = useState<(string | undefined)[]>([]);
  const [result, setResult] = useState<{ items: RecordingSummary[]; cursor?: string } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });

  const search = async (cursor: string | undefined, trail: (string | undefined)[]) => {
    const q = new URLSearchParams({ serviceArea: form.serviceArea, limit: '10' });
    if (form.from) q.set('from', `${form.from}T00:00:00Z`);
    if (form.to) q.set('to', `${form.to}T23:59:59Z`);
    for (const k of ['extension', 'agent', 'caller', 'status'] as const) if (form[k]) q.set(k, form[k]);
    if (cursor) q.set('cursor', cursor);
    try {
      setProblem(null);
      if (!cursor) setResult(null);
      setResult(await api.get(`/recordings?${q}`));
      setPages(trail);
    } catch (error) {
      setProblem(problemOf(error));
    }
  };

  return (
    <>
      <Heading>Find a recording</Heading>
      {problem ? <ProblemBox problem={problem} /> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void search(undefined, [undefined]);
        }}
      >
        <Select
          id="serviceArea"
          label="Service area"
          value={form.serviceArea}
          options={me.actions.play.map((a) => [a, a] as const)}
          onChange={set('serviceArea')}
        />
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <Field id="from" label="Calls from (date)" type="date" value={form.from} onInput={set('from')} />
          </div>
          <div class="govuk-grid-column-one-half">
            <Field id="to" label="Calls to (date)" type="date" value={form.to} onInput={set('to')} />
          </div>
        </div>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-third">
            <Field
              id="extension"
              label="Extension"
              width="govuk-input--width-10"
              value={form.extension}
              onInput={set('extension')}
            />
          </div>
          <div class="govuk-grid-column-one-third">
            <Field
              id="agent"
              label="Agent"
              width="govuk-input--width-10"
              value={form.agent}
              onInput={set('agent')}
            />
          </div>
          <div class="govuk-grid-column-one-third">
            <Field
              id="caller"
              label="Caller number"
              hint="For example +441632960123"
              value={form.caller}
              onInput={set('caller')}
            />
          </div>
        </div>
        <Select
          id="status"
          label="Status"
          value={form.status}
          options={STATUSES.map((s) => [s, s ? s.toLowerCase() : 'any'] as const)}
          onChange={set('status')}
        />
        <Button type="submit">Search</Button>
      </form>
      {result ? (
        result.items.length ? (
          <>
            <Table
              caption={`Recordings, page ${pages.length}`}
              testid="recordings"
              head={['Call', 'Extension', 'Agent', 'Caller', 'Length', 'Status']}
              rows={result.items.map((r) => [
                <a class="govuk-link" href={`#/recordings/${encodeURIComponent(r.recordingId)}`} key="a">
                  {when(r.startedAt)} <span class="govuk-visually-hidden">recording {r.recordingId}</span>
                </a>,
                r.extension,
                r.agentId,
                r.caller ?? '—',
                duration(r.durationSeconds),
                <Tag key="s" colour={r.holdCount ? 'yellow' : r.status === 'ARCHIVED' ? 'green' : 'grey'}>
                  {r.holdCount ? 'held' : r.status.toLowerCase()}
                </Tag>,
              ])}
            />
            <Pager
              label="Pages of recordings"
              pages={pages}
              next={result.cursor}
              go={(c, t) => void search(c, t)}
            />
          </>
        ) : (
          <>
            {/* The API reads a page, then filters: an empty page may still have more after it. */}
            <p class="govuk-body" data-testid="no-results">
              {result.cursor
                ? 'No recordings match on this page. There may be more on the next.'
                : 'No recordings match.'}
            </p>
            <Pager
              label="Pages of recordings"
              pages={pages}
              next={result.cursor}
              go={(c, t) => void search(c, t)}
            />
          </>
        )
      ) : null}
    </>
  );
};
