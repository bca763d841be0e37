/**
 * The keeper's in-browser check of a Release of Recording Log export: the same rules as `crs verify-log`
 * (functions/domain/release-log-verify.ts `judgeExport`), with WebCrypto doing what node:crypto does there —
 * SHA-256 of each link's canonical JSON (functions/domain/chain-rules.ts) and ECDSA P-256 / SHA-256
 * over each checkpoint, against the log's public key (GET /release-log/public-key). WebCrypto is
 * asynchronous and the rules are not, so every hash and signature is worked out first, then judged.
 * No DOM: it runs in the browser and, for its tests, in Node's own WebCrypto.
 */
import { type ChainLink, linkMaterial } from '../../functions/domain/chain-rules.js';
import {
  type CheckpointPayload,
  checkpointText,
  type ExportVerdict,
  judgeExport,
  type LogExport,
} from '../../functions/domain/release-log-verify.js';

const subtle = () => globalThis.crypto.subtle;
/** WebCrypto's key (named through globalThis, so Node's types without the DOM library know it too). */
type LogKey = Awaited<ReturnType<ReturnType<typeof subtle>['importKey']>>;
const utf8 = (text: string) => new TextEncoder().encode(text);
const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

const base64Bytes = (b64: string): Uint8Array<ArrayBuffer> => {
  const text = atob(b64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
};

/** SHA-256 (hex) of a link, as functions/domain/hash-chain.ts `linkHash` computes it with node:crypto. */
export const webLinkHash = async (link: Omit<ChainLink<unknown>, 'hash'>): Promise<string> =>
  hex(await subtle().digest('SHA-256', utf8(linkMaterial(link))));

/**
 * KMS (and node's `sign`) give an ECDSA signature as DER: SEQUENCE { INTEGER r, INTEGER s }. WebCrypto
 * verifies the IEEE P1363 form, r and s as 32 bytes each. Undefined when it is not such a DER value.
 */
export const derToP1363 = (der: Uint8Array): Uint8Array<ArrayBuffer> | undefined => {
  let at = 0;
  const byte = () => der[at++];
  const length = (): number | undefined => {
    const first = byte();
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    if (first !== 0x81) return undefined; // a P-256 signature is never longer than 255 bytes
    return byte();
  };
  if (byte() !== 0x30) return undefined;
  const total = length();
  if (total === undefined || at + total !== der.length) return undefined;
  const out = new Uint8Array(64);
  for (const offset of [0, 32]) {
    if (byte() !== 0x02) return undefined;
    const n = length();
    if (n === undefined || n < 1 || at + n > der.length) return undefined;
    let int = der.subarray(at, at + n);
    at += n;
    while (int.length > 32 && int[0] === 0) int = int.subarray(1);
    if (int.length > 32) return undefined;
    out.set(int, offset + 32 - int.length);
  }
  return at === der.length ? out : undefined;
};

/** The log's public key from its PEM (GET /release-log/public-key `publicKeyPem`). */
export const importLogKey = (pem: string): Promise<LogKey> => {
  const b64 = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '');
  return subtle().importKey('spki', base64Bytes(b64), { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'verify',
  ]);
};

const webSignatureHolds = async (key: LogKey, p: CheckpointPayload): Promise<boolean> => {
  try {
    const signature = derToP1363(base64Bytes(p.signature));
    if (!signature) return false;
    return await subtle().verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, utf8(checkpointText(p)));
  } catch {
    return false;
  }
};

/** Verifies an export in the browser: the same verdict `crs verify-log` reaches, with how far it holds. */
export const verifyExportInBrowser = async (
  exp: LogExport,
  publicKeyPem: string,
  options: { acceptUnsigned?: boolean } = {},
): Promise<ExportVerdict> => {
  const key = await importLogKey(publicKeyPem);
  const hashes = new Map<ChainLink<unknown>, string>();
  for (const link of [...exp.entries, ...exp.checkpoints]) hashes.set(link, await webLinkHash(link));
  const signatures = new Map<CheckpointPayload, boolean>();
  for (const cp of [...exp.checkpoints, ...exp.anchored])
    signatures.set(cp.payload, await webSignatureHolds(key, cp.payload));
  return judgeExport(
    exp,
    {
      hashOf: (link) => hashes.get(link) ?? '',
      signatureHolds: (p) => signatures.get(p) ?? false,
    },
    options,
  );
};
