/**
 * Legal holds (policy s.7), for IG officers: place a hold over a list of recordings or a search, watch it
 * being applied (matched / applied / failed, polled from GET /holds/{id}), list, review and lift holds.
 * The API decides who may do each and which recordings a hold covers.
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
  Success,
  Table,
  Tag,
  TextArea,
  when,
} from '../ui';

type Scope =
  | { readonly recordingIds: readonly string[] }
  | {
      readonly query: {
        serviceArea: string;
        extension?: string;
        agentId?: string;
        from: string;
        to: string;
      };
    };

export interface HoldView {
  readonly holdId: string;
  readonly caseRef: string;
  readonly reason: string;
  readonly reviewDate: string;
  readonly scope: Scope;
  readonly retainUntil?: string;
  readonly igGuidanceRef?: string;
  readonly status: 'ACTIVE' | 'LIFTED';
  readonly placedBy: string;
  readonly placedAt: string;
  readonly scopeResolved: boolean;
  readonly progress: { matched: number; applied: number; failed: number; released: number };
  readonly failures?: readonly { recordingId: string; reason: string }[];
  readonly lifted?: { by: string; at: string; reason: string };
  readonly lastReview?: { by: string; at: string; outcome: string; nextReview?: string; note?: string };
  readonly state: 'applying' | 'complete' | 'lifted';
}

const STATE_TAG: Record<HoldView['state'], [string, string]> = {
  applying: ['being applied', 'blue'],
  complete: ['active', 'green'],
  lifted: ['lifted', 'grey'],
};

/** The calendar day a query bound names (its UTC date, as IG typed it), not the London time. */
const utcDay = (iso: string) => day(`${iso.slice(0, 10)}T12:00:00Z`);

const scopeText = (s: Scope): string =>
  'recordingIds' in s
    ? `${s.recordingIds.length} recording${s.recordingIds.length === 1 ? '' : 's'} named`
    : `${s.query.serviceArea} calls ${utcDay(s.query.from)} to ${utcDay(s.query.to)}${s.query.extension ? `, extension ${s.query.extension}` : ''}${s.query.agentId ? `, agent ${s.query.agentId}` : ''}`;

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export const Holds = () => {
  const { api } = useSession();
  const [dueOnly, setDueOnly] = useState(false);
  const [holds, setHolds] = useState<HoldView[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    setHolds(null);
    api
      .get<{ holds: HoldView[] }>(`/holds${dueOnly ? '?dueForReview=true' : ''}`)
      .then((r) => setHolds(r.holds))
      .catch((e: unknown) => setProblem(problemOf(e)));
  }, [dueOnly]);
  return (
    <>
      <Heading>Legal holds</Heading>
      {problem ? <ProblemBox problem={problem} /> : null}
      <p class="govuk-body">
        A held recording is never deleted, whatever its age (Call Recording Policy, section 7).
      </p>
      <div class="portal-actions">
        <a class="govuk-button" href="#/holds/new" draggable={false}>
          Place a hold
        </a>
        <Button secondary onClick={() => setDueOnly(!dueOnly)}>
          {dueOnly ? 'Show all holds' : 'Show holds due for review'}
        </Button>
      </div>
      {holds === null ? (
        <p class="govuk-body">Loading…</p>
      ) : holds.length === 0 ? (
        <p class="govuk-body" data-testid="no-holds">
          {dueOnly ? 'No hold is due for review.' : 'There are no active holds.'}
        </p>
      ) : (
        <Table
          caption={dueOnly ? 'Active holds due for review' : 'Active holds'}
          testid="holds"
          head={['Case', 'Covers', 'Review by', 'Held', 'Status']}
          rows={holds.map((h) => [
            <a class="govuk-link" href={`#/holds/${encodeURIComponent(h.holdId)}`} key="c">
              {h.caseRef}
            </a>,
            scopeText(h.scope),
            day(h.reviewDate),
            String(h.progress.applied),
            <Tag key="s" colour={STATE_TAG[h.state][1]}>
              {STATE_TAG[h.state][0]}
            </Tag>,
          ])}
        />
      )}
    </>
  );
};

export const PlaceHold = () => {
  const { api, me } = useSession();
  const { query } = useLocation();
  const preset = query.getAll('recordingId');
  const [kind, setKind] = useState<'list' | 'query'>(
    preset.length || !me.actions.play.length ? 'list' : 'query',
  );
  const [form, setForm] = useState({
    caseRef: '',
    reason: '',
    reviewDate: inDays(90),
    ids: preset.join('\n'),
    serviceArea: me.actions.play[0] ?? '',
    extension: '',
    agentId: '',
    from: '',
    to: today(),
    retainUntil: '',
    igGuidanceRef: '',
  });
  const [problem, setProblem] = useState<Problem | null>(null);
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });

  const submit = async () => {
    const opt = (v: string) => (v.trim() ? v.trim() : undefined);
    const scope =
      kind === 'list'
        ? {
            recordingIds: form.ids
              .split(/[\s,]+/)
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : {
            query: {
              serviceArea: form.serviceArea.trim(),
              extension: opt(form.extension),
              agentId: opt(form.agentId),
              from: form.from ? `${form.from}T00:00:00Z` : '',
              to: form.to ? `${form.to}T23:59:59Z` : '',
            },
          };
    try {
      setProblem(null);
      const hold = await api.send<HoldView>('POST', '/holds', {
        caseRef: form.caseRef,
        reason: form.reason,
        reviewDate: form.reviewDate,
        scope,
        retainUntil: opt(form.retainUntil),
        igGuidanceRef: opt(form.igGuidanceRef),
      });
      go(`#/holds/${encodeURIComponent(hold.holdId)}`);
    } catch (error) {
      setProblem(problemOf(error));
    }
  };

  return (
    <>
      <a href="#/holds" class="govuk-back-link">
        Back to holds
      </a>
      <Heading>Place a hold</Heading>
      {problem ? <ProblemBox problem={problem} /> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field
          id="caseRef"
          label="Case reference"
          hint="For example a claim or complaint number"
          value={form.caseRef}
          onInput={set('caseRef')}
        />
        <TextArea
          id="reason"
          label="Why are these recordings held?"
          value={form.reason}
          onInput={set('reason')}
        />
        <Field
          id="reviewDate"
          label="Review the hold by"
          type="date"
          value={form.reviewDate}
          onInput={set('reviewDate')}
        />
        <Radios
          name="scope"
          legend="Which recordings?"
          value={kind}
          options={[
            ['list', 'Recordings I name'],
            ['query', 'Every recording a search finds'],
          ]}
          onChange={(v) => setKind(v as 'list' | 'query')}
        />
        {kind === 'list' ? (
          <TextArea
            id="ids"
            label="Recording references"
            hint="One per line, as shown on each recording's page"
            value={form.ids}
            onInput={set('ids')}
          />
        ) : (
          <>
            <Field
              id="hold-serviceArea"
              label="Service area"
              width="govuk-input--width-20"
              value={form.serviceArea}
              onInput={set('serviceArea')}
            />
            <div class="govuk-grid-row">
              <div class="govuk-grid-column-one-half">
                <Field
                  id="hold-from"
                  label="Calls from (date)"
                  type="date"
                  value={form.from}
                  onInput={set('from')}
                />
              </div>
              <div class="govuk-grid-column-one-half">
                <Field id="hold-to" label="Calls to (date)" type="date" value={form.to} onInput={set('to')} />
              </div>
            </div>
            <div class="govuk-grid-row">
              <div class="govuk-grid-column-one-half">
                <Field
                  id="hold-extension"
                  label="Extension (optional)"
                  width="govuk-input--width-10"
                  value={form.extension}
                  onInput={set('extension')}
                />
              </div>
              <div class="govuk-grid-column-one-half">
                <Field
                  id="hold-agent"
                  label="Agent (optional)"
                  width="govuk-input--width-20"
                  value={form.agentId}
                  onInput={set('agentId')}
                />
              </div>
            </div>
          </>
        )}
        <Field
          id="retainUntil"
          label="Keep until (optional)"
          hint="Only if the recordings must be kept past 24 months; IG guidance is then needed"
          type="date"
          value={form.retainUntil}
          onInput={set('retainUntil')}
        />
        <Field
          id="igGuidanceRef"
          label="IG guidance reference (optional)"
          value={form.igGuidanceRef}
          onInput={set('igGuidanceRef')}
        />
        <Button type="submit">Place hold</Button>
      </form>
    </>
  );
};

/** The hold's progress while it is applied: a native progress bar and its figures in words (live). */
const Progress = ({ hold }: { hold: HoldView }) => {
  const { matched, applied, failed } = hold.progress;
  const done = applied + failed;
  return (
    <div class="govuk-!-margin-bottom-6">
      <label class="govuk-label govuk-label--s" for="hold-progress">
        {hold.state === 'applying' ? 'Applying the hold' : 'Hold applied'}
      </label>
      <progress
        id="hold-progress"
        class="portal-progress"
        max={Math.max(matched, 1)}
        value={hold.scopeResolved || matched ? done : undefined}
        data-testid="hold-progress"
      />
      <p class="govuk-body" aria-live="polite" data-testid="hold-figures">
        {matched} matched{hold.scopeResolved ? '' : ' so far'}, {applied} held, {failed} could not be held
        {hold.state === 'applying' ? '…' : '.'}
      </p>
    </div>
  );
};

export const HoldPage = ({ id }: { id: string }) => {
  const { api } = useSession();
  const [hold, setHold] = useState<HoldView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [mode, setMode] = useState<'idle' | 'review' | 'lift'>('idle');
  const [review, setReview] = useState({ outcome: 'continue', nextReview: inDays(90), note: '' });
  const [liftReason, setLiftReason] = useState('');
  const [done, setDone] = useState<string | null>(null);

  const load = () =>
    api
      .get<HoldView>(`/holds/${encodeURIComponent(id)}`)
      .then((h) => {
        setHold(h);
        return h;
      })
      .catch((e: unknown) => {
        setProblem(problemOf(e));
        return undefined;
      });

  // Poll while the hold is being applied; stop when complete (or on leaving the page).
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const h = await load();
      if (!stop && h?.state === 'applying') timer = setTimeout(() => void tick(), 1000);
    };
    void tick();
    return () => {
      stop = true;
      if (timer) clearTimeout(timer);
    };
  }, [id]);

  const act = async (f: () => Promise<HoldView>, message: string) => {
    try {
      setProblem(null);
      setHold(await f());
      setDone(message);
      setMode('idle');
    } catch (error) {
      setProblem(problemOf(error));
    }
  };

  if (!hold)
    return (
      <>
        <Heading>Hold</Heading>
        {problem ? <ProblemBox problem={problem} /> : <p class="govuk-body">Loading…</p>}
      </>
    );
  return (
    <>
      <a href="#/holds" class="govuk-back-link">
        Back to holds
      </a>
      <Heading caption="Legal hold">{hold.caseRef}</Heading>
      {done ? <Success title={done} /> : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      <Progress hold={hold} />
      {mode === 'review' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              () =>
                api.send<HoldView>('POST', `/holds/${encodeURIComponent(id)}/review`, {
                  outcome: review.outcome,
                  ...(review.outcome === 'continue' && review.nextReview
                    ? { nextReview: review.nextReview }
                    : {}),
                  ...(review.note.trim() ? { note: review.note.trim() } : {}),
                }),
              review.outcome === 'lift'
                ? 'The hold has been reviewed and lifted.'
                : 'The review has been recorded.',
            );
          }}
        >
          <Radios
            name="outcome"
            legend="Should the hold continue?"
            value={review.outcome}
            options={[
              ['continue', 'Yes, keep holding the recordings'],
              ['lift', 'No, lift the hold'],
            ]}
            onChange={(v) => setReview({ ...review, outcome: v })}
          />
          {review.outcome === 'continue' ? (
            <Field
              id="nextReview"
              label="Next review by"
              type="date"
              value={review.nextReview}
              onInput={(v) => setReview({ ...review, nextReview: v })}
            />
          ) : null}
          <TextArea
            id="review-note"
            label="Note (optional)"
            value={review.note}
            onInput={(v) => setReview({ ...review, note: v })}
          />
          <div class="portal-actions">
            <Button type="submit">Record review</Button>
            <Button secondary onClick={() => setMode('idle')}>
              Cancel
            </Button>
          </div>
        </form>
      ) : mode === 'lift' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              () => api.send<HoldView>('DELETE', `/holds/${encodeURIComponent(id)}`, { reason: liftReason }),
              'The hold has been lifted. Recordings no other hold covers follow the normal retention again.',
            );
          }}
        >
          <TextArea
            id="lift-reason"
            label="Why is the hold lifted?"
            value={liftReason}
            onInput={setLiftReason}
          />
          <div class="portal-actions">
            <Button warning type="submit">
              Lift hold
            </Button>
            <Button secondary onClick={() => setMode('idle')}>
              Cancel
            </Button>
          </div>
        </form>
      ) : hold.status === 'ACTIVE' ? (
        <div class="portal-actions">
          <Button onClick={() => setMode('review')}>Review</Button>
          <Button warning onClick={() => setMode('lift')}>
            Lift
          </Button>
        </div>
      ) : null}
      <Rows
        rows={[
          [
            'Status',
            <Tag key="s" colour={STATE_TAG[hold.state][1]}>
              {STATE_TAG[hold.state][0]}
            </Tag>,
          ],
          ['Covers', scopeText(hold.scope)],
          ['Reason', hold.reason],
          ['Placed', `${when(hold.placedAt)} by ${hold.placedBy}`],
          ['Review by', day(hold.reviewDate)],
          ['Keep until', hold.retainUntil ? day(hold.retainUntil) : 'the hold is lifted'],
          ['IG guidance', hold.igGuidanceRef ?? 'none'],
          ...(hold.lastReview
            ? [
                [
                  'Last review',
                  `${when(hold.lastReview.at)} by ${hold.lastReview.by}: ${hold.lastReview.outcome}${hold.lastReview.note ? ` (${hold.lastReview.note})` : ''}`,
                ] as const,
              ]
            : []),
          ...(hold.lifted
            ? [['Lifted', `${when(hold.lifted.at)} by ${hold.lifted.by}: ${hold.lifted.reason}`] as const]
            : []),
        ]}
      />
      {'recordingIds' in hold.scope ? (
        <>
          <h2 class="govuk-heading-m">Recordings named</h2>
          <ul class="govuk-list" data-testid="hold-recordings">
            {hold.scope.recordingIds.slice(0, 100).map((r) => (
              <li key={r}>
                <a class="govuk-link" href={`#/recordings/${encodeURIComponent(r)}`}>
                  {r}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {hold.failures?.length ? (
        <Table
          caption="Recordings that could not be held"
          head={['Recording', 'Why']}
          rows={hold.failures.map((f) => [f.recordingId, f.reason])}
          testid="hold-failures"
        />
      ) : null}
    </>
  );
};
