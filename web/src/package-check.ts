/**
 * The portal's in-browser check of a disclosure package: the same rules as `crs verify-package`
 * (functions/domain/package-rules.ts `packageContents` and `judgePackage`), with WebCrypto doing what
 * node:crypto does there — SHA-256 of every file, and the certificate's ECDSA P-256 / SHA-256 signature
 * of the manifest's hash against the council's signing key (GET /release-log/public-key). WebCrypto is
 * asynchronous and the rules are not, so every hash and the signature are worked out first, then judged.
 * Nothing leaves the browser. No DOM: it runs in the browser and, for its tests, in Node's own WebCrypto.
 */
import {
  certificateText,
  type FoundFile,
  isPackageTextFile,
  judgePackage,
  type PackageContents,
  type PackageVerdict,
  packageContents,
  parseCertificate,
} from '../../functions/domain/package-rules.js';
import { derToP1363, importLogKey } from './log-check.js';

/** A chosen file: its path in the package (a folder's files keep theirs) and a way to read its bytes. */
export interface ChosenFile {
  readonly name: string;
  readonly bytes: () => Promise<ArrayBuffer>;
}

const subtle = () => globalThis.crypto.subtle;
const utf8 = (text: string) => new TextEncoder().encode(text);
const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (bytes: ArrayBuffer | Uint8Array<ArrayBuffer>) =>
  hex(await subtle().digest('SHA-256', bytes));

const base64Bytes = (b64: string): Uint8Array => {
  const text = atob(b64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
};

/** Hashes each file one at a time (a recording is read whole: WebCrypto has no streaming digest). */
export const readChosenFiles = async (files: readonly ChosenFile[]): Promise<PackageContents> => {
  const found: FoundFile[] = [];
  for (const f of files) {
    const bytes = await f.bytes();
    found.push({
      name: f.name,
      sha256: await sha256(bytes),
      ...(isPackageTextFile(f.name) ? { text: new TextDecoder().decode(bytes) } : {}),
    });
  }
  return packageContents(found);
};

/** Checks the package's contents against the public key (PEM): the verdict `crs verify-package` gives. */
export const verifyPackageInBrowser = async (
  contents: PackageContents,
  publicKeyPem: string,
): Promise<PackageVerdict> => {
  const key = await importLogKey(publicKeyPem);
  const manifestHash = contents.manifest === undefined ? '' : await sha256(utf8(contents.manifest));
  const certificate = parseCertificate(contents.certificate);
  let holds = false;
  if (certificate && typeof certificate.signature === 'string') {
    try {
      const signature = derToP1363(base64Bytes(certificate.signature));
      holds =
        signature !== undefined &&
        (await subtle().verify(
          { name: 'ECDSA', hash: 'SHA-256' },
          key,
          signature,
          utf8(certificateText(manifestHash)),
        ));
    } catch {
      holds = false;
    }
  }
  return judgePackage(contents, {
    manifestSha256: (text) => (text === contents.manifest ? manifestHash : ''),
    signatureHolds: (message, signature) =>
      holds && message === certificateText(manifestHash) && signature === certificate?.signature,
  });
};
