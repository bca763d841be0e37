/**
 * A disclosure package (policy s.6 releases to external agencies; DPA 2018 subject access): the disclosed
 * recordings' audio, a plain-language cover sheet, a manifest that lists every file with its SHA-256, and
 * a certificate — the manifest's SHA-256 signed with the council's KMS signing key. Anyone holding the
 * public key (GET /release-log/public-key) can check offline that no file was changed, removed or added.
 * Pure: the adapters hash the bytes and sign; this module decides what the files say and what checks out.
 */
import { createHash } from 'node:crypto';

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
  /** DER ECDSA signature, base64, over `certificateMessage(manifestSha256)`. */
  readonly signature: string;
  readonly signedAt: string;
}

export const sha256Hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** The manifest exactly as stored: its hash is over these bytes. */
export const manifestText = (m: Manifest): string => `${JSON.stringify(m, null, 2)}\n`;

/** What the KMS key signs: the format and the manifest's hash, so a signature means nothing elsewhere. */
export const certificateMessage = (manifestSha256: string): Buffer =>
  Buffer.from(`${MANIFEST_FORMAT}\nsha256:${manifestSha256}\n`, 'utf8');

const KIND_WORDS: Record<PackageKind, string> = {
  'external-release': 'a release of call recordings to an external agency',
  'subject-access': 'a response to a subject access request under the Data Protection Act 2018',
};

/** The plain-language cover sheet: what this is, what is in it, and how to check it is untouched. */
export const coverSheet = (
  p: { packageId: string; kind: PackageKind; createdAt: string; disclosure: DisclosureFacts },
  recordings: readonly PackageFile[],
): string => {
  const d = p.disclosure;
  const lines = [
    'CALL RECORDING DISCLOSURE — COVER SHEET',
    '',
    `This package is ${KIND_WORDS[p.kind]}.`,
    `Package: ${p.packageId}    Prepared: ${p.createdAt}`,
    `For: ${d.recipient}`,
    `Purpose: ${d.purpose}`,
    ...(d.reference ? [`Your reference: ${d.reference}`] : []),
    ...(d.statutoryBasis ? [`Legal basis: ${d.statutoryBasis}`] : []),
    `Requested by: ${d.requester}    Authorised by: ${d.authoriser}`,
    ...(d.igAdviceId ? [`Corporate Information Governance advice: ${d.igAdviceId}`] : []),
    '',
    `It holds ${recordings.length} recording(s):`,
    ...recordings.map(
      (r) => `  - ${r.name}: call of ${r.recordedAt ?? 'unknown time'} (${r.serviceArea ?? ''})`,
    ),
    '',
    'How to check nothing has been changed:',
    `  ${MANIFEST_FILE} lists every file with its SHA-256 fingerprint. ${CERTIFICATE_FILE} is the council's`,
    "  digital signature of that list. With the council's public key, run",
    '    crs verify-package <this folder or zip> --public-key <key file>',
    '  It names any file that was changed, removed or added, and fails if the list itself was altered.',
    '',
    'These recordings contain personal data. Keep them securely, use them only for the purpose above,',
    'and delete them when that purpose is served.',
  ];
  return `${lines.join('\n')}\n`;
};

// ---------------------------------------------------------------------------------------------------
// Verification

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

const parse = <T>(text: string): T | undefined => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
};

/**
 * Checks a package: the certificate signs this manifest's hash with the key `verify` trusts, and every
 * file is listed with its hash, every listed file is there, and nothing else is. Names each problem.
 */
export const verifyPackage = (
  contents: PackageContents,
  verify: (message: Buffer, signatureDer: Buffer) => boolean,
): PackageVerdict => {
  const problems: string[] = [];
  if (contents.manifest === undefined) problems.push(`missing: ${MANIFEST_FILE}`);
  if (contents.certificate === undefined) problems.push(`missing: ${CERTIFICATE_FILE}`);
  if (contents.manifest === undefined || contents.certificate === undefined) return { ok: false, problems };
  const manifest = parse<Manifest>(contents.manifest);
  const certificate = parse<Certificate>(contents.certificate);
  if (manifest?.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files))
    return { ok: false, problems: [`unreadable: ${MANIFEST_FILE} is not a ${MANIFEST_FORMAT} manifest`] };
  if (certificate?.format !== CERTIFICATE_FORMAT)
    return {
      ok: false,
      problems: [`unreadable: ${CERTIFICATE_FILE} is not a ${CERTIFICATE_FORMAT} certificate`],
    };
  const manifestHash = sha256Hex(contents.manifest);
  if (certificate.manifestSha256 !== manifestHash)
    problems.push(`changed: ${MANIFEST_FILE} (its SHA-256 is not the one the certificate signs)`);
  else if (!verify(certificateMessage(manifestHash), Buffer.from(certificate.signature, 'base64')))
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
