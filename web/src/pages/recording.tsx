/**
 * One recording: its metadata, retention dates, holds and how the caller was told; Play asks the purpose
 * and plays the presigned link in the browser's own (keyboard-operable) audio player. Download and
 * delete are offered only to nominated staff of the area (GET /me); the API decides every request.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { preconnectMedia } from '../config';
import type { Problem } from '../refusals';
import { useSession } from '../session';
import { Button, day, Heading, ProblemBox, problemOf, Rows, Success, Tag, TextArea, when } from '../ui';
import { type PurposeAnswer, PurposeQuestion, purposeBody } from './purpose';
import { duration, type RecordingSummary } from './recordings';

interface RecordingDetail extends RecordingSummary {
  readonly callId: string;
  readonly endedAt: string;
  readonly archivedAt?: string;
  readonly notification: { method: string; evidenceRef?: string };
  readonly abuseReminder: boolean;
  readonly verificationReminder: boolean;
  readonly audio?: { format: string; sizeBytes: number };
  readonly retention: { retainUntil?: string; deleteAfter?: string };
  readonly deletion?: { deletedAt?: string; reason?: string };
}

interface Link {
  readonly url: string;
  readonly expiresAt: string;
}

const TOLD: Record<string, string> = {
  announcement: 'A recorded announcement at the start of the call',
  'agent-statement': 'The agent told the caller',
  'advance-notice': 'Told in advance, in writing',
  none: 'Not told (listed on the compliance report)',
};

type Mode = 'idle' | 'play' | 'download' | 'delete';

/** The longest the page waits for the audio to start before it shows the player anyway. */
const RENDER_AFTER_MS = 1000;

export const RecordingPage = ({ id }: { id: string }) => {
  const { api, me } = useSession();
  const [recording, setRecording] = useState<RecordingDetail | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [mode, setMode] = useState<Mode>('idle');
  const [answer, setAnswer] = useState<PurposeAnswer>({ purpose: '', igAdviceRef: '' });
  const [reason, setReason] = useState('');
  const [playing, setPlaying] = useState<Link | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The player is in the page from the start (hidden until there is a link), so the link's answer can
  // give it its source and start it at once, before any re-render of the page.
  const player = useRef<HTMLAudioElement>(null);
  const asking = useRef(false);

  const load = () =>
    api
      .get<RecordingDetail>(`/recordings/${encodeURIComponent(id)}`)
      .then(setRecording)
      .catch((e: unknown) => setProblem(problemOf(e)));
  useEffect(() => {
    void load();
    // Another recording in the same page: the previous one's player stops and hides.
    return () => {
      player.current?.pause();
      player.current?.removeAttribute('src');
      setPlaying(null);
    };
  }, [id]);

  const nominated = recording ? me.actions.downloadAndDelete.includes(recording.serviceArea) : false;
  const act = async (f: () => Promise<void>) => {
    try {
      setProblem(null);
      await f();
    } catch (error) {
      setProblem(problemOf(error));
    }
  };

  const play = () => {
    // One request per submit: a second press while the first is under way would audit a second playback.
    if (asking.current) return Promise.resolve();
    asking.current = true;
    return act(async () => {
      const answered = api.send<Link>(
        'POST',
        `/recordings/${encodeURIComponent(id)}/playback`,
        purposeBody(answer),
      );
      // Again on submit (the dialog may have been open longer than an idle socket lives), off the request's path.
      preconnectMedia();
      const link = await answered;
      const audio = player.current;
      let started: Promise<unknown> = Promise.resolve();
      if (audio) {
        // In the same task as the answer: Chromium starts fetching the audio now. Still within the
        // click's user activation, so autoplay is allowed; if a browser refuses, the controls remain.
        audio.src = link.url;
        started = audio.play().catch(() => undefined);
      }
      // The page's re-render (the form goes, the player shows) waits until the audio plays, fails or is
      // refused (at most a second), so layout and paint do not compete with the player's start.
      await Promise.race([started, new Promise((resolve) => setTimeout(resolve, RENDER_AFTER_MS))]);
      setPlaying(link);
      setMode('idle');
    }).finally(() => {
      asking.current = false;
    });
  };
  const download = () =>
    act(async () => {
      const link = await api.send<Link>(
        'POST',
        `/recordings/${encodeURIComponent(id)}/download`,
        purposeBody(answer),
      );
      window.location.assign(link.url);
      setDone('Your download has started. The link works for a few minutes only.');
      setMode('idle');
    });
  const remove = () =>
    act(async () => {
      await api.send('DELETE', `/recordings/${encodeURIComponent(id)}`, { reason });
      setDone('The recording has been deleted and a deletion certificate recorded.');
      setMode('idle');
      await load();
    });

  if (!recording)
    return (
      <>
        <Heading>Recording</Heading>
        {problem ? <ProblemBox problem={problem} /> : <p class="govuk-body">Loading…</p>}
      </>
    );
  return (
    <>
      <a href="#/recordings" class="govuk-back-link">
        Back to search
      </a>
      <Heading caption={`${recording.serviceArea} · extension ${recording.extension}`}>
        Call on {when(recording.startedAt)}
      </Heading>
      {done ? <Success title={done} /> : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      <figure class="govuk-!-margin-0 govuk-!-margin-bottom-6" hidden={!playing}>
        <figcaption class="govuk-heading-s" id="player-label">
          Recording of the call on {when(recording.startedAt)}
        </figcaption>
        {/* biome-ignore lint/a11y/useMediaCaption: call audio has no caption track; the transcript is not kept */}
        <audio
          ref={player}
          class="portal-player"
          controls
          controlsList="nodownload noplaybackrate"
          preload="auto"
          aria-labelledby="player-label"
          data-testid="player"
        />
        {playing ? (
          <p class="govuk-body-s">The link to the audio expires at {when(playing.expiresAt)}.</p>
        ) : null}
      </figure>
      {mode === 'play' || mode === 'download' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void (mode === 'play' ? play() : download());
          }}
        >
          <PurposeQuestion
            legend={
              mode === 'play'
                ? 'Why are you listening to this recording?'
                : 'Why are you downloading this recording?'
            }
            value={answer}
            onChange={setAnswer}
          />
          <div class="portal-actions">
            <Button type="submit">{mode === 'play' ? 'Play recording' : 'Download recording'}</Button>
            <Button secondary onClick={() => setMode('idle')}>
              Cancel
            </Button>
          </div>
        </form>
      ) : mode === 'delete' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void remove();
          }}
        >
          <TextArea
            id="delete-reason"
            label="Why are you deleting this recording?"
            hint="Recorded on the deletion certificate"
            value={reason}
            onInput={setReason}
          />
          <div class="portal-actions">
            <Button warning type="submit">
              Delete recording
            </Button>
            <Button secondary onClick={() => setMode('idle')}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div class="portal-actions">
          <Button
            onClick={() => {
              preconnectMedia();
              setMode('play');
            }}
          >
            Play
          </Button>
          {nominated ? (
            <>
              <Button secondary onClick={() => setMode('download')}>
                Download
              </Button>
              <Button warning onClick={() => setMode('delete')}>
                Delete
              </Button>
            </>
          ) : null}
          <a class="govuk-link" href={`#/releases?recordingId=${encodeURIComponent(recording.recordingId)}`}>
            Request a release of this recording
          </a>
        </div>
      )}
      <h2 class="govuk-heading-m">About the call</h2>
      <Rows
        rows={[
          ['Recording', recording.recordingId],
          ['Status', <Tag key="s">{recording.status.toLowerCase()}</Tag>],
          ['Direction', recording.direction],
          ['Length', duration(recording.durationSeconds)],
          ['Agent', recording.agentId],
          ['Caller', recording.caller ?? '—'],
          [
            'How the caller was told',
            `${TOLD[recording.notification.method] ?? recording.notification.method}${recording.notification.evidenceRef ? ` (evidence ${recording.notification.evidenceRef})` : ''}`,
          ],
          [
            'Reminders given',
            [recording.abuseReminder ? 'abuse' : '', recording.verificationReminder ? 'verification' : '']
              .filter(Boolean)
              .join(', ') || 'none',
          ],
        ]}
      />
      <h2 class="govuk-heading-m">Keeping and deleting</h2>
      <Rows
        rows={[
          ['Kept at least until', day(recording.retention.retainUntil)],
          ['Deleted after', day(recording.retention.deleteAfter)],
          [
            'Legal holds',
            recording.holdCount ? <Tag colour="yellow">{`held by IG (${recording.holdCount})`}</Tag> : 'none',
          ],
          ...(recording.deletion?.deletedAt
            ? [
                [
                  'Deleted',
                  `${when(recording.deletion.deletedAt)}${recording.deletion.reason ? `: ${recording.deletion.reason}` : ''}`,
                ] as const,
              ]
            : []),
        ]}
      />
    </>
  );
};
