/**
 * ECDSA P-256 over a caller-supplied digest. KMS Sign/Verify with `MessageType: DIGEST` sign the
 * 32-byte digest as given; node:crypto always hashes its input, so `@noble/curves` (audited) signs the
 * prehashed digest here (RAW messages go through node:crypto). Signatures are DER, as KMS returns them;
 * high-S signatures are accepted, as KMS and OpenSSL accept them.
 */
import { p256 } from '@noble/curves/nist.js';

const DIGEST_OPTIONS = { prehash: false, lowS: false, format: 'der' } as const;

/** `d` is the private JWK's base64url scalar. */
export const signDigest = (d: string, digest: Uint8Array): Buffer =>
  Buffer.from(p256.sign(digest, Buffer.from(d, 'base64url'), DIGEST_OPTIONS));

/** `x`/`y` are the public JWK's base64url coordinates. */
export const verifyDigest = (x: string, y: string, digest: Uint8Array, signature: Uint8Array): boolean => {
  const publicKey = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(x, 'base64url'),
    Buffer.from(y, 'base64url'),
  ]);
  try {
    return p256.verify(signature, digest, publicKey, DIGEST_OPTIONS);
  } catch {
    return false;
  }
};
