/**
 * Checkpoint signatures with the asymmetric KMS key (ECC_NIST_P256, ECDSA_SHA_256). KMS returns DER
 * signatures and the SPKI DER public key, which node:crypto verifies offline as they are.
 */
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { ENV } from '../../declarations/environment.js';
import { kmsClient } from '../platform/clients/kms.js';
import { requireEnv } from '../platform/env.js';
import type { Signer } from '../ports/release.js';

export const kmsSigner = (keyId = requireEnv(ENV.kmsSigningKeyId)): Signer => {
  let cached: { keyId: string; spkiDer: Buffer } | undefined;
  return {
    async sign(message) {
      const out = await kmsClient().send(
        new SignCommand({
          KeyId: keyId,
          Message: message,
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      if (!out.Signature) throw new Error(`KMS returned no signature for key ${keyId}`);
      return { signature: Buffer.from(out.Signature), keyId: out.KeyId ?? keyId };
    },
    async publicKey() {
      if (cached) return cached;
      const out = await kmsClient().send(new GetPublicKeyCommand({ KeyId: keyId }));
      if (!out.PublicKey) throw new Error(`KMS returned no public key for key ${keyId}`);
      cached = { keyId: out.KeyId ?? keyId, spkiDer: Buffer.from(out.PublicKey) };
      return cached;
    },
  };
};
