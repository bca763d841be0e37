/**
 * The rules that decide whether a disclosure package checks out, with no node:crypto and no Buffer, so
 * `crs verify-package` (functions/domain/disclosure-package.ts `verifyPackage`, node:crypto) and the
 * portal's in-browser check (web/src/package-check.ts, WebCrypto) reach the same verdict by the same
 * rules: the caller works out the manifest's SHA-256 and whether the certificate's signature holds.
 */

export const MANIFEST_FORMAT = 'crs-disclosure-manifest/1';
export const CERTIFICATE_FORMAT = 'crs-disclosure-certificate/1';
export const MANIFEST_FILE = 'manifest.json';
export const CERTIFICATE_FILE = 'certificate.json';
export const COVER_SHEET_FILE = 'cover-sheet.txt';
export const PACKAGE_SIGNING_ALGORITHM = 'ECDSA_SHA_256';

export type PackageKind = 'external-release' | 'subject-access';

/** One file of the package. Recordings carry what the manifest must say of them. */
export interface PackageFile {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly recordingId?: string;
  readonly recordedAt?: string;
  readonly serviceArea?: string;
}

/** Who disclosed what to whom and why: the facts the cover sheet and the manifest state. */
export interface DisclosureFacts {
  readonly purpose: string;
  readonly requester: string;
  readonly recipient: string;
  readonly authoriser: string;
  readonly reference?: string;
  readonly igAdviceId?: string;
  readonly statutoryBasis?: string;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly packageId: string;
  readonly kind: PackageKind;
  readonly createdAt: string;
  readonly disclosure: DisclosureFacts;
  readonly files: readonly PackageFile[];
}

export interface Certificate {
  readonly format: typeof CERTIFICATE_FORMAT;
  readonly packageId: string;
  readonly manifestSha256: string;
  readonly keyId: string;
  readonly algorithm: typeof PACKAGE_SIGNING_ALGORITHM;
  /** DER ECDSA signature, base64, over `certificateText(manifestSha256)` as UTF-8. */
  readonly signature: string;
  readonly signedAt: string;
}

/** What the KMS key signs (as UTF-8): the format and the manifest's hash, so a signature means nothing elsewhere. */
export const certificateText = (manifestSha256: string): string =>
  `${MANIFEST_FORMAT}\nsha256:${manifestSha256}\n`;

export interface PackageContents {
  /** File name → SHA-256 hex of the bytes found, for every file in the package except the two below. */
  readonly files: ReadonlyMap<string, string>;
  readonly manifest?: string;
  readonly certificate?: string;
}

export interface PackageVerdict {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly manifest?: Manifest;
}

/** One file as read from a folder or zip: its path inside it, SHA-256, and the text of the two JSON files. */
export interface FoundFile {
  readonly name: string;
  readonly sha256: string;
  readonly text?: string;
}

const basename = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/** Whether a file's text is needed (the manifest and certificate); the others are only hashed. */
export const isPackageTextFile = (name: string): boolean =>
  basename(name) === MANIFEST_FILE || basename(name) === CERTIFICATE_FILE;

/**
 * The package's files by name. A zip of the package's folder (or a folder chosen whole) holds
 * `folder/manifest.json`…: when every entry sits under the folder holding the manifest, names are read
 * relative to it.
 */
export const packageContents = (found: readonly FoundFile[]): PackageContents => {
  const manifestAt = found.find((f) => basename(f.name) === MANIFEST_FILE)?.name ?? MANIFEST_FILE;
  const prefix = manifestAt.slice(0, -MANIFEST_FILE.length);
  const strip = prefix !== '' && found.every((f) => f.name.startsWith(prefix)) ? prefix.length : 0;
  const files = new Map<string, string>();
  let manifest: string | undefined;
  let certificate: string | undefined;
  for (const f of found) {
    const name = f.name.slice(strip);
    if (name === MANIFEST_FILE) manifest = f.text;
    else if (name === CERTIFICATE_FILE) certificate = f.text;
    else files.set(name, f.sha256);
  }
  return { files, manifest, certificate };
};

const parse = <T>(text: string): T | undefined => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
};

/** The certificate's JSON, when it is one: the browser reads its signature to check it before judging. */
export const parseCertificate = (text: string | undefined): Certificate | undefined => {
  const c = text === undefined ? undefined : parse<Certificate>(text);
  return c?.format === CERTIFICATE_FORMAT ? c : undefined;
};

/** What the judge needs worked out: SHA-256 (hex) of the manifest text, and whether a signature holds. */
export interface PackageCrypto {
  readonly manifestSha256: (manifestText: string) => string;
  /** Whether `signatureBase64` (DER) is the trusted key's signature of `message` (UTF-8). */
  readonly signatureHolds: (message: string, signatureBase64: string) => boolean;
}

/**
 * Checks a package: the certificate signs this manifest's hash with the key `crypto` trusts, and every
 * file is listed with its hash, every listed file is there, and nothing else is. Names each problem.
 */
export const judgePackage = (contents: PackageContents, crypto: PackageCrypto): PackageVerdict => {
  const problems: string[] = [];
  if (contents.manifest === undefined) problems.push(`missing: ${MANIFEST_FILE}`);
  if (contents.certificate === undefined) problems.push(`missing: ${CERTIFICATE_FILE}`);
  if (contents.manifest === undefined || contents.certificate === undefined) return { ok: false, problems };
  const manifest = parse<Manifest>(contents.manifest);
  const certificate = parseCertificate(contents.certificate);
  if (manifest?.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files))
    return { ok: false, problems: [`unreadable: ${MANIFEST_FILE} is not a ${MANIFEST_FORMAT} manifest`] };
  if (!certificate)
    return {
      ok: false,
      problems: [`unreadable: ${CERTIFICATE_FILE} is not a ${CERTIFICATE_FORMAT} certificate`],
    };
  const manifestHash = crypto.manifestSha256(contents.manifest);
  if (certificate.manifestSha256 !== manifestHash)
    problems.push(`changed: ${MANIFEST_FILE} (its SHA-256 is not the one the certificate signs)`);
  else if (!crypto.signatureHolds(certificateText(manifestHash), certificate.signature))
    problems.push(`bad signature: ${CERTIFICATE_FILE} was not signed by this public key`);
  const listed = new Map(manifest.files.map((f) => [f.name, f.sha256]));
  for (const [name, sha256] of listed) {
    const found = contents.files.get(name);
    if (found === undefined) problems.push(`missing: ${name}`);
    else if (found !== sha256) problems.push(`changed: ${name}`);
  }
  for (const name of contents.files.keys()) if (!listed.has(name)) problems.push(`extra: ${name}`);
  return { ok: problems.length === 0, problems, manifest };
};
