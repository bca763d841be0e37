/**
 * Releases (policy s.6), for any member of staff: request a release of a recording to another service
 * area or to an external agency (with the DPA 2018 Schedule 2 form and the Corporate IG advice id),
 * follow one's requests, get the link to an issued copy, and mark it used so the copy is deleted.
 * The API decides every step; the page only shows what it answered.
 */
import { useEffect, useState } from 'preact/hooks';
import { DELIVERY_METHODS, SCHEDULE2_BASES } from '../../../functions/domain/schedule2';
import { Radios } from '../radios';
import type { Problem } from '../refusals';
import { go } from '../router';
import { useSession } from '../session';
import {
  Button,
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
import { PURPOSE_TEXT, type PurposeAnswer, PurposeQuestion, purposeBody } from './purpose';

export interface Schedule2Form {
  readonly authorisingOfficer: { readonly name: string; readonly rank: string };
  readonly statutoryBasis: string;
  readonly reference: string;
  readonly whyNeeded: string;
  readonly prejudiceWithout: string;
  readonly dataSubjectMayBeTold: boolean;
  readonly deliveryMethod: string;
}

export interface Release {
  readonly releaseId: string;
  readonly recordingId: string;
  readonly recordingServiceArea: string;
  readonly recordingStartedAt: string;
  readonly destination:
    | { kind: 'service-area'; serviceArea: string }
    | { kind: 'external-agency'; agency: string; igAdviceRef?: string; schedule2?: Schedule2Form };
  readonly purpose: { purpose: string; igAdviceRef?: string };
  readonly justification: string;
  readonly requesterId: string;
  readonly state: string;
  readonly createdAt: string;
  readonly requestExpiresAt: string;
  readonly approval?: { by: string; at: string };
  readonly rejection?: { by: string; at: string; reason: string };
  readonly copy?: { key: string; expiresAt: string; deletedAt?: string };
  readonly completedAt?: string;
}

interface ReleaseLink {
  readonly url: string;
  readonly linkExpiresAt: string;
  readonly copyExpiresAt: string;
  readonly files?: readonly { name: string; url: string }[];
}

const STATE_TEXT: Record<string, [string, string]> = {
  REQUESTED: ['awaiting a decision', 'blue'],
  ISSUED: ['approved: copy issued', 'green'],
  REJECTED: ['rejected', 'red'],
  REQUEST_EXPIRED: ['expired undecided', 'grey'],
  COMPLETED: ['used: copy deleted', 'grey'],
  EXPIRED: ['expired: copy deleted', 'grey'],
};

export const StateTag = ({ state }: { state: string }) => {
  const [text, colour] = STATE_TEXT[state] ?? [state.toLowerCase(), 'grey'];
  return (
    <span data-testid="release-state">
      <Tag colour={colour}>{text}</Tag>
    </span>
  );
};

const DELIVERY_TEXT: Record<string, string> = {
  'secure-link': 'Secure link',
  'collection-in-person': 'Collection in person',
  'encrypted-media': 'Encrypted media',
};

export const destinationText = (d: Release['destination']): string =>
  d.kind === 'service-area' ? `Service area ${d.serviceArea}` : `External agency: ${d.agency}`;

export const purposeText = (p: Release['purpose']): string =>
  `${PURPOSE_TEXT[p.purpose] ?? p.purpose}${p.igAdviceRef ? ` (IG advice ${p.igAdviceRef})` : ''}`;

/** Everything a requester, approver or keeper needs to know about one release. */
export const ReleaseFacts = ({ release }: { release: Release }) => {
  const d = release.destination;
  const s2 = d.kind === 'external-agency' ? d.schedule2 : undefined;
  return (
    <>
      <Rows
        rows={[
          ['State', <StateTag key="s" state={release.state} />],
          ['Release', release.releaseId],
          [
            'Recording',
            `${release.recordingId} (${release.recordingServiceArea}, call on ${when(release.recordingStartedAt)})`,
          ],
          ['Released to', destinationText(d)],
          ...(d.kind === 'external-agency' ? [['Corporate IG advice', d.igAdviceRef ?? '—'] as const] : []),
          ['Purpose', purposeText(release.purpose)],
          ['Justification', release.justification],
          ['Requested by', `${release.requesterId} on ${when(release.createdAt)}`],
          ...(release.state === 'REQUESTED' ? [['Decide by', when(release.requestExpiresAt)] as const] : []),
          ...(release.approval
            ? [['Approved by', `${release.approval.by} on ${when(release.approval.at)}`] as const]
            : []),
          ...(release.rejection
            ? [
                [
                  'Rejected by',
                  `${release.rejection.by} on ${when(release.rejection.at)}: ${release.rejection.reason}`,
                ] as const,
              ]
            : []),
          ...(release.copy
            ? [
                [
                  'Released copy',
                  release.copy.deletedAt
                    ? `deleted ${when(release.copy.deletedAt)}`
                    : `available until ${when(release.copy.expiresAt)}, then deleted`,
                ] as const,
              ]
            : []),
        ]}
      />
      {s2 ? (
        <>
          <h2 class="govuk-heading-m">Schedule 2 request (DPA 2018)</h2>
          <Rows
            rows={[
              [
                'Legal basis',
                SCHEDULE2_BASES[s2.statutoryBasis as keyof typeof SCHEDULE2_BASES] ?? s2.statutoryBasis,
              ],
              ['Agency reference', s2.reference],
              ['Authorised by', `${s2.authorisingOfficer.rank} ${s2.authorisingOfficer.name}`],
              ['Why it is needed', s2.whyNeeded],
              ['Prejudice without it', s2.prejudiceWithout],
              ['The person may be told', s2.dataSubjectMayBeTold ? 'Yes' : 'No'],
              ['Delivery', DELIVERY_TEXT[s2.deliveryMethod] ?? s2.deliveryMethod],
            ]}
          />
        </>
      ) : null}
    </>
  );
};

/** Runs an API call, showing its refusal (if any) in the page's problem box. */
export const useAct = () => {
  const [problem, setProblem] = useState<Problem | null>(null);
  const act = async (f: () => Promise<void>) => {
    try {
      setProblem(null);
      await f();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return { problem, setProblem, act };
};

const SelectField = (props: {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (v: string) => void;
}) => (
  <div class="govuk-form-group">
    <label class="govuk-label" for={props.id}>
      {props.label}
    </label>
    <select
      class="govuk-select portal-wide-select"
      id={props.id}
      name={props.id}
      value={props.value}
      onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
    >
      <option value="">Choose</option>
      {props.options.map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </select>
  </div>
);

const EMPTY_S2 = {
  officerName: '',
  officerRank: '',
  statutoryBasis: '',
  reference: '',
  whyNeeded: '',
  prejudiceWithout: '',
  mayBeTold: '',
  deliveryMethod: '',
};

/** The request form: a service area of the council, or an external agency with its Schedule 2 form. */
export const RequestRelease = ({ recordingId }: { recordingId: string }) => {
  const { api } = useSession();
  const { problem, act } = useAct();
  const [form, setForm] = useState({
    recordingId,
    kind: '',
    serviceArea: '',
    agency: '',
    igAdviceRef: '',
    justification: '',
  });
  const [s2, setS2] = useState(EMPTY_S2);
  const [purpose, setPurpose] = useState<PurposeAnswer>({ purpose: '', igAdviceRef: '' });
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const setS = (k: keyof typeof s2) => (v: string) => setS2({ ...s2, [k]: v });

  const destination = () =>
    form.kind === 'external-agency'
      ? {
          kind: 'external-agency',
          agency: form.agency,
          ...(form.igAdviceRef ? { igAdviceRef: form.igAdviceRef } : {}),
          schedule2: {
            authorisingOfficer: { name: s2.officerName, rank: s2.officerRank },
            statutoryBasis: s2.statutoryBasis,
            reference: s2.reference,
            whyNeeded: s2.whyNeeded,
            prejudiceWithout: s2.prejudiceWithout,
            dataSubjectMayBeTold: s2.mayBeTold === 'yes',
            deliveryMethod: s2.deliveryMethod,
          },
        }
      : { kind: 'service-area', serviceArea: form.serviceArea };

  const submit = () =>
    act(async () => {
      const release = await api.send<Release>('POST', '/releases', {
        recordingId: form.recordingId,
        destination: destination(),
        ...purposeBody(purpose),
        justification: form.justification,
      });
      go(`#/releases/${encodeURIComponent(release.releaseId)}?requested=1`);
    });

  return (
    <>
      <a href="#/releases" class="govuk-back-link">
        Back to your release requests
      </a>
      <Heading>Request a release of a recording</Heading>
      <p class="govuk-body">
        A recording is used outside its own service area only once a manager, a Head of Service or a corporate
        officer approves it (Call Recording Policy, section 6). A release to the police or another agency also
        needs Corporate Information Governance advice first.
      </p>
      {problem ? <ProblemBox problem={problem} /> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field
          id="recordingId"
          label="Recording"
          hint="The recording's reference, shown on its page"
          value={form.recordingId}
          onInput={set('recordingId')}
          width="govuk-input--width-30"
        />
        <Radios
          name="kind"
          legend="Who will use the recording?"
          value={form.kind}
          onChange={set('kind')}
          small
          options={[
            ['service-area', 'Another service area of the council'],
            ['external-agency', 'An external agency, such as the police'],
          ]}
          conditional={(kind) =>
            kind === 'service-area' ? (
              <Field
                id="serviceArea"
                label="Service area"
                hint="You need access to this service area yourself, for example housing"
                value={form.serviceArea}
                onInput={set('serviceArea')}
                width="govuk-input--width-20"
              />
            ) : (
              <>
                <Field id="agency" label="Agency" value={form.agency} onInput={set('agency')} />
                <Field
                  id="igAdviceRef"
                  label="Corporate IG advice reference"
                  hint="The advice Information Governance recorded for this release"
                  value={form.igAdviceRef}
                  onInput={set('igAdviceRef')}
                  width="govuk-input--width-30"
                />
                <h2 class="govuk-heading-s">The agency's Schedule 2 request (Data Protection Act 2018)</h2>
                <Field
                  id="officerName"
                  label="Name of the agency's authorising officer"
                  value={s2.officerName}
                  onInput={setS('officerName')}
                />
                <Field
                  id="officerRank"
                  label="Rank or role of the authorising officer"
                  value={s2.officerRank}
                  onInput={setS('officerRank')}
                  width="govuk-input--width-20"
                />
                <SelectField
                  id="statutoryBasis"
                  label="Legal basis the agency relies on"
                  value={s2.statutoryBasis}
                  onChange={setS('statutoryBasis')}
                  options={Object.entries(SCHEDULE2_BASES)}
                />
                <Field
                  id="reference"
                  label="Crime, incident or agency reference"
                  value={s2.reference}
                  onInput={setS('reference')}
                  width="govuk-input--width-20"
                />
                <TextArea
                  id="whyNeeded"
                  label="Why the agency needs the recording"
                  value={s2.whyNeeded}
                  onInput={setS('whyNeeded')}
                />
                <TextArea
                  id="prejudiceWithout"
                  label="How the agency's purpose would be prejudiced without it"
                  value={s2.prejudiceWithout}
                  onInput={setS('prejudiceWithout')}
                />
                <Radios
                  small
                  name="mayBeTold"
                  legend="May the person on the call be told of the release?"
                  value={s2.mayBeTold}
                  onChange={setS('mayBeTold')}
                  options={[
                    ['yes', 'Yes'],
                    ['no', 'No, telling them could prejudice the purpose'],
                  ]}
                />
                <SelectField
                  id="deliveryMethod"
                  label="How the copy will be delivered"
                  value={s2.deliveryMethod}
                  onChange={setS('deliveryMethod')}
                  options={DELIVERY_METHODS.map((m) => [m, DELIVERY_TEXT[m] ?? m] as const)}
                />
              </>
            )
          }
        />
        <PurposeQuestion
          legend="What will the recording be used for?"
          value={purpose}
          onChange={setPurpose}
          idPrefix="release-purpose"
        />
        <TextArea
          id="justification"
          label="Justification"
          hint="Why this use is necessary and proportionate; the approver reads this and it is kept on the Release of Recording Log"
          value={form.justification}
          onInput={set('justification')}
        />
        <Button type="submit">Send the request</Button>
      </form>
    </>
  );
};

/** The releases this person asked for, newest first. */
export const MyReleases = () => {
  const { api, me } = useSession();
  const { problem, act } = useAct();
  const [releases, setReleases] = useState<Release[] | null>(null);
  useEffect(
    () =>
      void act(async () => {
        const q = new URLSearchParams({ requester: me.staffId });
        setReleases((await api.get<{ releases: Release[] }>(`/releases?${q}`)).releases);
      }),
    [],
  );
  return (
    <>
      <Heading>Your release requests</Heading>
      <p class="govuk-body">
        <a class="govuk-button" href="#/releases/new">
          Request a release
        </a>
      </p>
      {problem ? <ProblemBox problem={problem} /> : null}
      {releases === null ? (
        problem ? null : (
          <p class="govuk-body">Loading…</p>
        )
      ) : releases.length === 0 ? (
        <p class="govuk-body">You have not asked for any releases.</p>
      ) : (
        <Table
          caption="Requests you made"
          testid="my-releases"
          head={['Requested', 'Recording', 'Released to', 'Purpose', 'State']}
          rows={releases.map((r) => [
            <a class="govuk-link" href={`#/releases/${encodeURIComponent(r.releaseId)}`} key="a">
              {when(r.createdAt)}
              <span class="govuk-visually-hidden"> release {r.releaseId}</span>
            </a>,
            r.recordingId,
            destinationText(r.destination),
            PURPOSE_TEXT[r.purpose.purpose] ?? r.purpose.purpose,
            <StateTag key="s" state={r.state} />,
          ])}
        />
      )}
    </>
  );
};

/** One release as its requester follows it: the copy's link while issued, and "mark as used". */
export const ReleasePage = ({ id, requested }: { id: string; requested: boolean }) => {
  const { api, me } = useSession();
  const { problem, act } = useAct();
  const [release, setRelease] = useState<Release | null>(null);
  const [link, setLink] = useState<ReleaseLink | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | null>(requested ? 'Your request has been sent' : null);
  const path = `/releases/${encodeURIComponent(id)}`;
  const load = () => act(async () => setRelease(await api.get<Release>(path)));
  useEffect(() => void load(), [id]);

  const getLink = () =>
    act(async () => {
      setLink(await api.get<ReleaseLink>(`${path}/link`));
    });
  const complete = () =>
    act(async () => {
      setRelease(await api.send<Release>('POST', `${path}/complete`));
      setLink(null);
      setConfirming(false);
      setDone('The released copy has been deleted');
    });

  const mine = release?.requesterId === me.staffId;
  return (
    <>
      <a href="#/releases" class="govuk-back-link">
        Back to your release requests
      </a>
      <Heading caption="Release of a recording">
        {release ? destinationText(release.destination) : 'Release'}
      </Heading>
      {done ? <Success title={done} /> : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      {release ? (
        <>
          {mine && release.state === 'ISSUED' ? (
            <section aria-labelledby="copy-title">
              <h2 class="govuk-heading-m" id="copy-title">
                The released copy
              </h2>
              {link ? (
                <>
                  <ul class="govuk-list" data-testid="release-files">
                    {(link.files ?? [{ name: 'Recording', url: link.url }]).map((f) => (
                      <li key={f.url}>
                        <a class="govuk-link" href={f.url} download={f.name} data-testid="release-file">
                          Download {f.name}
                        </a>
                      </li>
                    ))}
                  </ul>
                  <p class="govuk-body-s">
                    The link works until {when(link.linkExpiresAt)}. The copy is deleted on{' '}
                    {when(link.copyExpiresAt)} at the latest.
                  </p>
                </>
              ) : (
                <Button secondary onClick={() => void getLink()}>
                  Get the download link
                </Button>
              )}
              {confirming ? (
                <div class="govuk-warning-text">
                  <span class="govuk-warning-text__icon" aria-hidden="true">
                    !
                  </span>
                  <strong class="govuk-warning-text__text">
                    <span class="govuk-visually-hidden">Warning</span>
                    The copy will be deleted and cannot be downloaded again.
                  </strong>
                  <div class="portal-actions">
                    <Button warning onClick={() => void complete()}>
                      Yes, delete the copy
                    </Button>
                    <Button secondary onClick={() => setConfirming(false)}>
                      Cancel
                    </Button>
                  </div>
                </div>
              ) : (
                <p class="govuk-body">
                  <Button warning onClick={() => setConfirming(true)}>
                    I have used it: delete the copy
                  </Button>
                </p>
              )}
            </section>
          ) : null}
          <ReleaseFacts release={release} />
        </>
      ) : problem ? null : (
        <p class="govuk-body">Loading…</p>
      )}
    </>
  );
};
