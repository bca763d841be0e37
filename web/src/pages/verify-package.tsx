/**
 * Verify a disclosure package (policy s.6 releases, DPA 2018 subject access), for any signed-in staff — a
 * recipient, the releasing officer or IG: the package's files (or its folder) are chosen from disk and
 * checked in the browser (web/src/package-check.ts, the same rules as `crs verify-package`): every file's
 * SHA-256 against the manifest, and the certificate's signature against the council's signing key
 * (GET /release-log/public-key, the only request). Nothing is uploaded.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PackageVerdict } from '../../../functions/domain/package-rules';
import { type ChosenFile, readChosenFiles, verifyPackageInBrowser } from '../package-check';
import type { Problem } from '../refusals';
import { useSession } from '../session';
import { Heading, ProblemBox, problemOf } from '../ui';

interface PublicKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
}

/** A file input's files, by their path inside a chosen folder (webkitRelativePath) or their name. */
const chosen = (input: HTMLInputElement): ChosenFile[] =>
  Array.from(input.files ?? [], (file) => ({
    name: file.webkitRelativePath || file.name,
    bytes: () => file.arrayBuffer(),
  }));

const Verdict = ({ verdict, count }: { verdict: PackageVerdict; count: number }) => {
  const m = verdict.manifest;
  if (verdict.ok)
    return (
      <div
        class="govuk-notification-banner govuk-notification-banner--success"
        role="alert"
        aria-labelledby="package-verdict-title"
        data-testid="package-verdict"
        data-ok="true"
      >
        <div class="govuk-notification-banner__header">
          <h2 class="govuk-notification-banner__title" id="package-verdict-title">
            Verified
          </h2>
        </div>
        <div class="govuk-notification-banner__content">
          <p class="govuk-notification-banner__heading">
            Package {m?.packageId} is intact: all {m?.files.length} files match the manifest signed by the
            council.
          </p>
          <p class="govuk-body">
            {count} files checked ({m?.kind}, prepared {m?.createdAt}). None was changed, removed or added.
          </p>
        </div>
      </div>
    );
  return (
    <div class="govuk-error-summary" tabIndex={-1} data-testid="package-verdict" data-ok="false">
      <div role="alert">
        <h2 class="govuk-error-summary__title">The package does not verify</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-list--bullet" data-testid="package-problems">
            {verdict.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
};

export const VerifyPackage = () => {
  const { api } = useSession();
  const [key, setKey] = useState<PublicKey | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [result, setResult] = useState<{ verdict: PackageVerdict; count: number } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<PublicKey>('/release-log/public-key').then(setKey, (error) => setProblem(problemOf(error)));
  }, []);

  const check = async (input: HTMLInputElement) => {
    const files = chosen(input);
    if (!key || files.length === 0) return;
    setBusy(true);
    setResult(null);
    try {
      setProblem(null);
      const verdict = await verifyPackageInBrowser(await readChosenFiles(files), key.publicKeyPem);
      setResult({ verdict, count: files.length });
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Heading caption="Releases and subject access">Verify a disclosure package</Heading>
      <p class="govuk-body">
        A disclosure package holds the recordings, a cover sheet, manifest.json (every file with its SHA-256
        fingerprint) and certificate.json (the council's signature of the manifest). Choose all of the
        package's files, or its folder: your browser checks each file against the manifest and the signature
        against the council's public key. Nothing is uploaded.
      </p>
      {problem ? <ProblemBox problem={problem} /> : null}
      {key ? (
        <>
          <div class="govuk-form-group">
            <label class="govuk-label" for="package-files">
              The package's files
            </label>
            <div class="govuk-hint" id="package-files-hint">
              Select every file of the package (manifest.json, certificate.json, cover-sheet.txt and the
              recordings). Checked against key id {key.keyId}.
            </div>
            <input
              class="govuk-file-upload"
              id="package-files"
              name="package-files"
              type="file"
              multiple
              aria-describedby="package-files-hint"
              onChange={(e) => void check(e.target as HTMLInputElement)}
            />
          </div>
          <div class="govuk-form-group">
            <label class="govuk-label" for="package-folder">
              Or the package's folder
            </label>
            <input
              class="govuk-file-upload"
              id="package-folder"
              name="package-folder"
              type="file"
              {...{ webkitdirectory: true }}
              onChange={(e) => void check(e.target as HTMLInputElement)}
            />
          </div>
          {busy ? <p class="govuk-body">Checking…</p> : null}
          {result ? <Verdict verdict={result.verdict} count={result.count} /> : null}
        </>
      ) : problem ? null : (
        <p class="govuk-body">Loading the council's public key…</p>
      )}
    </>
  );
};
