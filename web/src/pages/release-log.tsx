/**
 * The Release of Recording Log (policy s.6), for its keeper (Corporate Customer Services) and IG: the log
 * as a table, its export (the same JSON file `crs release-log --out` writes), and a check in the browser
 * of the hash chain and of the signed checkpoints against the log's public key (WebCrypto ECDSA P-256,
 * web/src/log-check.ts, the same rules as `crs verify-log`). It shows how far the log is verified and
 * names the first entry that is not — of the log as read now, or of an export file chosen from disk.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  type CheckpointLink,
  type EntryLink,
  EXPORT_FORMAT,
  type ExportVerdict,
  exportJsonText,
  type LogExport,
  parseJsonExport,
} from '../../../functions/domain/release-log-verify';
import type { Api } from '../api';
import { verifyExportInBrowser } from '../log-check';
import type { Problem } from '../refusals';
import { useSession } from '../session';
import { Button, Heading, ProblemBox, problemOf, saveText, Table, Tag, when } from '../ui';

interface LogPage {
  readonly entries: EntryLink[];
  readonly checkpoints: CheckpointLink[];
  readonly anchored?: CheckpointLink[];
  readonly cursor?: string;
}

interface PublicKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
}

/** The whole log, following the API's cursors page by page (checkpoints come with the last page). */
const readWholeLog = async (api: Api): Promise<LogExport> => {
  const entries: EntryLink[] = [];
  const checkpoints: CheckpointLink[] = [];
  let anchored: CheckpointLink[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams(cursor ? { cursor } : {});
    const page = await api.get<LogPage>(`/release-log${cursor ? `?${q}` : ''}`);
    entries.push(...page.entries);
    checkpoints.push(...page.checkpoints);
    if (!page.cursor) anchored = page.anchored ?? [];
    cursor = page.cursor && page.cursor !== cursor ? page.cursor : undefined;
  } while (cursor);
  return { format: EXPORT_FORMAT, entries, checkpoints, anchored };
};

const EVENT_TEXT: Record<string, string> = {
  REQUESTED: 'Requested',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
  LINK_ISSUED: 'Link issued',
  COMPLETED: 'Used, copy deleted',
  EXPIRED: 'Copy expired',
  REQUEST_EXPIRED: 'Request expired',
};

type Subject = { kind: 'live' } | { kind: 'file'; name: string };

const rowStatus = (seq: number, v: ExportVerdict) => {
  if (v.firstBadSeq !== undefined && seq === v.firstBadSeq)
    return <Tag colour="red">first entry that does not verify</Tag>;
  if (seq > v.chainHoldsTo || (v.firstBadSeq !== undefined && seq > v.firstBadSeq))
    return <Tag colour="grey">not verified</Tag>;
  if (seq <= v.signedTo) return <Tag colour="green">verified and signed</Tag>;
  // Linked up to here, but no valid signature reaches it: not signed yet, or cut off by a break later on.
  return (
    <Tag colour="yellow">
      {v.result.ok ? 'chain holds, not yet signed' : 'chain holds, no signature reaches it'}
    </Tag>
  );
};

const VerdictPanel = ({
  verdict,
  subject,
  total,
}: {
  verdict: ExportVerdict;
  subject: string;
  total: number;
}) => {
  const r = verdict.result;
  if (r.ok)
    return (
      <div
        class="govuk-notification-banner govuk-notification-banner--success"
        role="alert"
        aria-labelledby="verdict-title"
        data-testid="verdict"
        data-ok="true"
      >
        <div class="govuk-notification-banner__header">
          <h2 class="govuk-notification-banner__title" id="verdict-title">
            Verified
          </h2>
        </div>
        <div class="govuk-notification-banner__content">
          <p class="govuk-notification-banner__heading">{subject} verifies.</p>
          <p class="govuk-body">
            The hash chain holds for all {r.entries} entries, and {r.checkpoints} signed checkpoints check out
            against the log's public key. The signatures attest every entry up to seq {r.attestedTo}
            {r.unattested > 0
              ? `; the ${r.unattested} newer ${r.unattested === 1 ? 'entry is' : 'entries are'} linked to them by the chain and will be signed at the next checkpoint.`
              : '.'}
          </p>
        </div>
      </div>
    );
  const first = r.failures[0];
  return (
    <div class="govuk-error-summary" tabIndex={-1} data-testid="verdict" data-ok="false">
      <div role="alert">
        <h2 class="govuk-error-summary__title">{subject} does not verify</h2>
        <div class="govuk-error-summary__body">
          {verdict.firstBadSeq !== undefined ? (
            <p class="govuk-body" data-testid="first-bad">
              The first entry that does not verify is <strong>seq {verdict.firstBadSeq}</strong>.
            </p>
          ) : null}
          <p class="govuk-body" data-testid="verified-to">
            {verdict.chainHoldsTo > 0
              ? `The hash chain holds from seq 1 to seq ${verdict.chainHoldsTo} of ${total} entries`
              : 'The hash chain does not hold from its first entry'}
            {verdict.signedTo > 0
              ? `; entries up to seq ${verdict.signedTo} are linked to a valid signed checkpoint.`
              : '; no entry is linked to a valid signed checkpoint.'}
          </p>
          <ul class="govuk-list govuk-list--bullet" data-testid="failures">
            {r.failures.map((f) => (
              <li key={`${f.entry}:${f.reason}`}>
                {f === first ? <strong>{f.entry}</strong> : f.entry}: {f.reason}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
};

export const ReleaseLog = () => {
  const { api } = useSession();
  const [log, setLog] = useState<LogExport | null>(null);
  const [key, setKey] = useState<PublicKey | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [shown, setShown] = useState<{ subject: Subject; log: LogExport } | null>(null);
  const [verdict, setVerdict] = useState<ExportVerdict | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      setProblem(null);
      const [whole, publicKey] = await Promise.all([
        readWholeLog(api),
        api.get<PublicKey>('/release-log/public-key'),
      ]);
      setLog(whole);
      setKey(publicKey);
      setShown({ subject: { kind: 'live' }, log: whole });
      setVerdict(null);
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  useEffect(() => void load(), []);

  const verify = async (subject: Subject, exp: LogExport) => {
    if (!key) return;
    setBusy(true);
    try {
      setProblem(null);
      setShown({ subject, log: exp });
      setVerdict(await verifyExportInBrowser(exp, key.publicKeyPem));
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  const exportLog = () => {
    if (!log) return;
    const stamp = new Date().toISOString().slice(0, 10);
    saveText(
      `release-of-recording-log-${stamp}.json`,
      exportJsonText(log.entries, log.checkpoints, log.anchored),
      'application/json',
    );
  };

  const verifyFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    try {
      const exp = parseJsonExport(await file.text());
      if (!exp) throw new Error('The file is not a JSON export of the Release of Recording Log.');
      await verify({ kind: 'file', name: file.name }, exp);
    } catch (error) {
      setVerdict(null);
      setProblem(problemOf(error));
    }
  };

  const subjectText =
    shown?.subject.kind === 'file' ? `The export file ${shown.subject.name}` : 'The log as read now';
  const entries = shown?.log.entries ?? [];
  return (
    <>
      <Heading caption="Policy section 6">Release of Recording Log</Heading>
      <p class="govuk-body">
        Every request, decision, download link and deletion of a released recording, in order. Each entry is
        chained to the one before by its SHA-256 hash, and the log's head is signed at each checkpoint with
        the council's key, so a changed, removed or reordered entry shows.
      </p>
      {problem ? <ProblemBox problem={problem} /> : null}
      {log && key ? (
        <>
          <div class="portal-actions">
            <Button onClick={() => void verify({ kind: 'live' }, log)} disabled={busy}>
              Verify the log
            </Button>
            <Button secondary onClick={exportLog}>
              Export the log (JSON)
            </Button>
          </div>
          <div class="govuk-form-group">
            <label class="govuk-label" for="export-file">
              Verify an export file
            </label>
            <div class="govuk-hint" id="export-file-hint">
              A JSON export of this log, as saved by Export or by crs release-log. It is checked in your
              browser against the log's public key (key id {key.keyId}); nothing is uploaded.
            </div>
            <input
              class="govuk-file-upload"
              id="export-file"
              name="export-file"
              type="file"
              accept=".json,application/json"
              aria-describedby="export-file-hint"
              onChange={(e) => void verifyFile(e.target as HTMLInputElement)}
            />
          </div>
          {busy ? <p class="govuk-body">Checking…</p> : null}
          {verdict ? <VerdictPanel verdict={verdict} subject={subjectText} total={entries.length} /> : null}
          <Table
            caption={`${subjectText}: ${entries.length} entries, ${shown?.log.checkpoints.length ?? 0} signed checkpoints`}
            testid="release-log"
            head={[
              'Seq',
              ...(verdict ? ['Verified'] : []),
              'When',
              'Event',
              'Release',
              'Recording (call time)',
              'Purpose',
              'Requester',
              'Authoriser',
              'Destination',
            ]}
            rows={entries.map((e) => [
              String(e.seq),
              ...(verdict ? [rowStatus(e.seq, verdict)] : []),
              when(e.at),
              EVENT_TEXT[e.payload.event] ?? e.payload.event,
              e.payload.releaseId,
              `${e.payload.recordingId} (${when(e.payload.recordingDateTime)})`,
              e.payload.purpose,
              e.payload.requester,
              e.payload.authoriser || '—',
              e.payload.destination,
            ])}
          />
        </>
      ) : problem ? null : (
        <p class="govuk-body">Loading the log…</p>
      )}
    </>
  );
};
