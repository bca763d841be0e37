/**
 * A disclosure package (policy s.6 releases to external agencies; DPA 2018 subject access): the disclosed
 * recordings' audio, a plain-language cover sheet, a manifest that lists every file with its SHA-256, and
 * a certificate — the manifest's SHA-256 signed with the council's KMS signing key. Anyone holding the
 * public key (GET /release-log/public-key) can check offline that no file was changed, removed or added.
 * Pure: the adapters hash the bytes and sign; this module decides what the files say and what checks out.
 */
import { createHash } from 'node:crypto';
import {
  CERTIFICATE_FILE,
  certificateText,
  type DisclosureFacts,
  judgePackage,
  MANIFEST_FILE,
  type Manifest,
  type PackageContents,
  type PackageFile,
  type PackageKind,
  type PackageVerdict,
} from './package-rules.js';

// The package's formats and the rules that check it live in ./package-rules.ts (no node:crypto), shared
// with the portal's in-browser check; they are re-exported here for the code that builds packages.
export {
  CERTIFICATE_FILE,
  CERTIFICATE_FORMAT,
  type Certificate,
  COVER_SHEET_FILE,
  type DisclosureFacts,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  type Manifest,
  PACKAGE_SIGNING_ALGORITHM,
  type PackageContents,
  type PackageFile,
  type PackageKind,
  type PackageVerdict,
} from './package-rules.js';

export const sha256Hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** The manifest exactly as stored: its hash is over these bytes. */
export const manifestText = (m: Manifest): string => `${JSON.stringify(m, null, 2)}\n`;

/** What the KMS key signs: the format and the manifest's hash, so a signature means nothing elsewhere. */
export const certificateMessage = (manifestSha256: string): Buffer =>
  Buffer.from(certificateText(manifestSha256), 'utf8');

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
// Verification (the rules: ./package-rules.ts `judgePackage`; here node:crypto works out the hashes)

/**
 * Checks a package: the certificate signs this manifest's hash with the key `verify` trusts, and every
 * file is listed with its hash, every listed file is there, and nothing else is. Names each problem.
 */
export const verifyPackage = (
  contents: PackageContents,
  verify: (message: Buffer, signatureDer: Buffer) => boolean,
): PackageVerdict =>
  judgePackage(contents, {
    manifestSha256: sha256Hex,
    signatureHolds: (message, signature) =>
      verify(Buffer.from(message, 'utf8'), Buffer.from(signature, 'base64')),
  });
