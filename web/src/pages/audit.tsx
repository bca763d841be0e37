/**
 * The access audit log (policy s.6: every access is accountable), read by recording, person or time, in
 * pages of the API's cursor. Reading it is itself audited by the API.
 */
import { useState } from 'preact/hooks';
import { Pager } from '../radios';
import type { Problem } from '../refusals';
import { useLocation } from '../router';
import { useSession } from '../session';
import { Button, Field, Heading, ProblemBox, problemOf, Table, Tag, when } from '../ui';

interface AuditRow {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly recordingId?: string;
  readonly serviceArea?: string;
  readonly purpose?: string;
  readonly reason?: string;
  readonly outcome: string;
  readonly rule: string;
}

const ACTION: Record<string, string> = {
  search: 'searched',
  view: 'opened',
  playback: 'played',
  download: 'downloaded',
  delete: 'deleted',
  'audit-read': 'read the audit log',
  release: 'released',
};

export const AuditLog = () => {
  const { api } = useSession();
  const { query } = useLocation();
  const [form, setForm] = useState({
    recordingId: query.get('recordingId') ?? '',
    actor: query.get('actor') ?? '',
    from: '',
    to: '',
  });
  const [pages, setPages] = useState<(string | undefined)[]>([]);
  const [result, setResult] = useState<{ entries: AuditRow[]; cursor?: string } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });

  const search = async (cursor: string | undefined, trail: (string | undefined)[]) => {
    const q = new URLSearchParams({ limit: '25' });
    if (form.recordingId.trim()) q.set('recordingId', form.recordingId.trim());
    if (form.actor.trim()) q.set('actor', form.actor.trim());
    if (form.from) q.set('from', `${form.from}T00:00:00Z`);
    if (form.to) q.set('to', `${form.to}T23:59:59Z`);
    if (cursor) q.set('cursor', cursor);
    try {
      setProblem(null);
      setResult(await api.get(`/audit?${q}`));
      setPages(trail);
    } catch (error) {
      setProblem(problemOf(error));
    }
  };

  return (
    <>
      <Heading>Access audit log</Heading>
      {problem ? <ProblemBox problem={problem} /> : null}
      <p class="govuk-body">
        Every search, playback, download, deletion and read of this log is recorded here.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void search(undefined, [undefined]);
        }}
      >
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <Field
              id="audit-recording"
              label="Recording"
              value={form.recordingId}
              onInput={set('recordingId')}
            />
          </div>
          <div class="govuk-grid-column-one-half">
            <Field id="audit-actor" label="Person (staff id)" value={form.actor} onInput={set('actor')} />
          </div>
        </div>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <Field id="audit-from" label="From (date)" type="date" value={form.from} onInput={set('from')} />
          </div>
          <div class="govuk-grid-column-one-half">
            <Field id="audit-to" label="To (date)" type="date" value={form.to} onInput={set('to')} />
          </div>
        </div>
        <Button type="submit">Show entries</Button>
      </form>
      {result ? (
        result.entries.length ? (
          <>
            <Table
              caption={`Audit entries, page ${pages.length}`}
              testid="audit"
              head={['When', 'Who', 'Did', 'Recording', 'Purpose or reason', 'Outcome']}
              rows={result.entries.map((e) => [
                when(e.at),
                e.actor,
                ACTION[e.action] ?? e.action,
                e.recordingId ? (
                  <a class="govuk-link" href={`#/recordings/${encodeURIComponent(e.recordingId)}`} key="r">
                    {e.recordingId}
                  </a>
                ) : (
                  '—'
                ),
                e.purpose ?? e.reason ?? '—',
                <Tag key="o" colour={e.outcome === 'allowed' ? 'green' : 'red'}>
                  {e.outcome === 'allowed' ? 'allowed' : `refused (${e.rule})`}
                </Tag>,
              ])}
            />
            <Pager
              label="Pages of audit entries"
              pages={pages}
              next={result.cursor}
              go={(c, t) => void search(c, t)}
            />
          </>
        ) : (
          <p class="govuk-body" data-testid="no-entries">
            No entries match.
          </p>
        )
      ) : null}
    </>
  );
};
