/**
 * Caller numbers are never stored in clear (policy s.2, DPA): a KMS HMAC (HMAC_SHA_256) of the E.164
 * number is stored instead. The same number always gives the same pseudonym, so searches match by
 * pseudonymising the searched number with this same function; the key never leaves KMS.
 */
import { GenerateMacCommand } from '@aws-sdk/client-kms';
import { ENV } from '../../declarations/environment.js';
import { kmsClient } from '../platform/clients/kms.js';
import { requireEnv } from '../platform/env.js';

let keyId: string | undefined;

/** base64url HMAC-SHA-256 of the number (whitespace removed). */
export const pseudonymiseNumber = async (e164: string): Promise<string> => {
  keyId ??= requireEnv(ENV.kmsHmacKeyId);
  const out = await kmsClient().send(
    new GenerateMacCommand({
      KeyId: keyId,
      MacAlgorithm: 'HMAC_SHA_256',
      Message: new TextEncoder().encode(e164.replace(/\s+/g, '')),
    }),
  );
  if (!out.Mac) throw new Error('KMS GenerateMac returned no Mac');
  return Buffer.from(out.Mac).toString('base64url');
};
