/**
 * The approvers' queue (policy s.6: the seven internal and four external approvers): the requests the
 * API says this person may decide now (GET /releases?decidable=true, by the approver rule — never their
 * own), and a decision page to approve, or reject with a reason. The API decides again on each click.
 */
import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../session';
import { Button, Heading, ProblemBox, Success, Table, TextArea, when } from '../ui';
import { destinationText, purposeText, type Release, ReleaseFacts, useAct } from './releases';

export const Approvals = () => {
  const { api } = useSession();
  const { problem, act } = useAct();
  const [releases, setReleases] = useState<Release[] | null>(null);
  useEffect(
    () =>
      void act(async () => {
        setReleases((await api.get<{ releases: Release[] }>('/releases?decidable=true')).releases);
      }),
    [],
  );
  return (
    <>
      <Heading>Release requests to decide</Heading>
      <p class="govuk-body">
        These are the requests you may approve or reject. Your own requests are never here: someone else
        decides them.
      </p>
      {problem ? <ProblemBox problem={problem} /> : null}
      {releases === null ? (
        problem ? null : (
          <p class="govuk-body">Loading…</p>
        )
      ) : releases.length === 0 ? (
        <p class="govuk-body" data-testid="queue-empty">
          There are no requests waiting for you.
        </p>
      ) : (
        <Table
          caption="Waiting for a decision"
          testid="approvals"
          head={['Requested', 'Requested by', 'Recording', 'Released to', 'Purpose', 'Decide by']}
          rows={releases.map((r) => [
            <a class="govuk-link" href={`#/approvals/${encodeURIComponent(r.releaseId)}`} key="a">
              {when(r.createdAt)}
              <span class="govuk-visually-hidden"> release {r.releaseId}</span>
            </a>,
            r.requesterId,
            `${r.recordingId} (${r.recordingServiceArea})`,
            destinationText(r.destination),
            purposeText(r.purpose),
            when(r.requestExpiresAt),
          ])}
        />
      )}
    </>
  );
};

export const Decide = ({ id }: { id: string }) => {
  const { api } = useSession();
  const { problem, act } = useAct();
  const [release, setRelease] = useState<Release | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const path = `/releases/${encodeURIComponent(id)}`;
  useEffect(() => void act(async () => setRelease(await api.get<Release>(path))), [id]);

  const approve = () =>
    act(async () => {
      setRelease(await api.send<Release>('POST', `${path}/approve`));
      setDone('You approved the release. The requester can now download the copy.');
    });
  const reject = () =>
    act(async () => {
      setRelease(await api.send<Release>('POST', `${path}/reject`, { reason }));
      setRejecting(false);
      setDone('You rejected the request. The requester sees your reason.');
    });

  return (
    <>
      <a href="#/approvals" class="govuk-back-link">
        Back to requests to decide
      </a>
      <Heading caption="Decide a release request">
        {release ? destinationText(release.destination) : 'Release request'}
      </Heading>
      {done ? <Success title={done} /> : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      {release ? (
        <>
          {release.state === 'REQUESTED' ? (
            rejecting ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void reject();
                }}
              >
                <TextArea
                  id="reason"
                  label="Why are you rejecting this request?"
                  hint="The requester sees this, and it is kept on the Release of Recording Log"
                  value={reason}
                  onInput={setReason}
                />
                <div class="portal-actions">
                  <Button warning type="submit">
                    Reject the request
                  </Button>
                  <Button secondary onClick={() => setRejecting(false)}>
                    Cancel
                  </Button>
                </div>
              </form>
            ) : (
              <div class="portal-actions">
                <Button onClick={() => void approve()}>Approve and issue a copy</Button>
                <Button warning onClick={() => setRejecting(true)}>
                  Reject
                </Button>
              </div>
            )
          ) : (
            <p class="govuk-body">This request has been decided: there is nothing more to do here.</p>
          )}
          <ReleaseFacts release={release} />
        </>
      ) : problem ? null : (
        <p class="govuk-body">Loading…</p>
      )}
    </>
  );
};
