/**
 * Builds a disclosure package under `prefix`: streams each recording from the archive through SHA-256
 * into the package, writes the cover sheet, then the manifest listing every file with its hash, then the
 * certificate (the manifest's hash signed with the KMS key). Steps in that order, so a certificate
 * only ever exists for a complete package.
 */
import {
  CERTIFICATE_FILE,
  CERTIFICATE_FORMAT,
  type Certificate,
  COVER_SHEET_FILE,
  certificateMessage,
  coverSheet,
  type DisclosureFacts,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  type Manifest,
  manifestText,
  PACKAGE_SIGNING_ALGORITHM,
  type PackageFile,
  type PackageKind,
  sha256Hex,
} from '../domain/disclosure-package.js';
import { contentTypeOf } from '../domain/upload.js';
import type { PackageSigner, PackageStore } from '../ports/disclosures.js';

export interface PackageRecording {
  readonly recordingId: string;
  readonly serviceArea: string;
  readonly startedAt: string;
  readonly archiveKey: string;
  readonly archiveVersionId?: string;
  readonly format: string;
}

export interface PackageRequest {
  readonly packageId: string;
  readonly kind: PackageKind;
  /** Key prefix ending in `/`; the files are `<prefix><name>`. */
  readonly prefix: string;
  readonly disclosure: DisclosureFacts;
  readonly recordings: readonly PackageRecording[];
  readonly now: Date;
}

export interface BuiltPackage {
  readonly manifest: Manifest;
  readonly certificate: Certificate;
  /** Every object written, audio first. */
  readonly keys: readonly string[];
  /** The audio objects by recording id. */
  readonly audioKeys: ReadonlyMap<string, string>;
}

export const audioFileName = (r: Pick<PackageRecording, 'recordingId' | 'format'>): string =>
  `${r.recordingId}.${r.format}`;

export const buildPackage = async (
  store: PackageStore,
  signer: PackageSigner,
  req: PackageRequest,
): Promise<BuiltPackage> => {
  const createdAt = req.now.toISOString();
  const audio: PackageFile[] = [];
  const audioKeys = new Map<string, string>();
  // One at a time: each object streams through, so memory stays flat however many recordings there are.
  for (const r of req.recordings) {
    const name = audioFileName(r);
    const key = `${req.prefix}${name}`;
    const { sha256, size } = await store.copyHashed(
      { archiveKey: r.archiveKey, archiveVersionId: r.archiveVersionId },
      key,
      contentTypeOf(r.format),
    );
    audio.push({
      name,
      sha256,
      size,
      recordingId: r.recordingId,
      recordedAt: r.startedAt,
      serviceArea: r.serviceArea,
    });
    audioKeys.set(r.recordingId, key);
  }
  const cover = coverSheet(
    { packageId: req.packageId, kind: req.kind, createdAt, disclosure: req.disclosure },
    audio,
  );
  await store.putText(`${req.prefix}${COVER_SHEET_FILE}`, cover, 'text/plain; charset=utf-8');
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    packageId: req.packageId,
    kind: req.kind,
    createdAt,
    disclosure: req.disclosure,
    files: [...audio, { name: COVER_SHEET_FILE, sha256: sha256Hex(cover), size: Buffer.byteLength(cover) }],
  };
  const text = manifestText(manifest);
  await store.putText(`${req.prefix}${MANIFEST_FILE}`, text, 'application/json');
  const manifestSha256 = sha256Hex(text);
  const { signature, keyId } = await signer.sign(certificateMessage(manifestSha256));
  const certificate: Certificate = {
    format: CERTIFICATE_FORMAT,
    packageId: req.packageId,
    manifestSha256,
    keyId,
    algorithm: PACKAGE_SIGNING_ALGORITHM,
    signature: signature.toString('base64'),
    signedAt: req.now.toISOString(),
  };
  await store.putText(
    `${req.prefix}${CERTIFICATE_FILE}`,
    `${JSON.stringify(certificate, null, 2)}\n`,
    'application/json',
  );
  return {
    manifest,
    certificate,
    keys: [
      ...audioKeys.values(),
      ...[COVER_SHEET_FILE, MANIFEST_FILE, CERTIFICATE_FILE].map((f) => `${req.prefix}${f}`),
    ],
    audioKeys,
  };
};
