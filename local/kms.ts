/**
 * A local stand-in for AWS KMS, speaking the AWS JSON 1.1 protocol (`X-Amz-Target: TrentService.<Op>`)
 * for the operations the functions use:
 *   symmetric (SYMMETRIC_DEFAULT, AES-256-GCM): Encrypt, Decrypt, GenerateDataKey(+WithoutPlaintext)
 *   sign/verify (ECC_NIST_P256, ECDSA_SHA_256, DER signatures): Sign, Verify, GetPublicKey (SPKI DER)
 *   HMAC (HMAC_256, HMAC_SHA_256): GenerateMac, VerifyMac
 *   plus DescribeKey and ListAliases.
 * Key material lives in `<data>/kms/keys.json` so ciphertexts, MACs and signatures survive restarts.
 * Requests are not authenticated (the SDK signs them; nothing here checks).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ACCOUNT_ID, KMS_KEYS, type KmsKeyName, kmsKeyArn, REGION } from './config.js';
import { readJsonState, writeJsonAtomicSync } from './files.js';
import { BodyTooLargeError, type Listening, listen, readBody, sendJson } from './http.js';
import { signDigest, verifyDigest } from './p256.js';

interface StoredKey {
  keyId: string;
  name: KmsKeyName;
  alias: string;
  spec: 'SYMMETRIC_DEFAULT' | 'ECC_NIST_P256' | 'HMAC_256';
  usage: 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC';
  /** base64 secret for symmetric/HMAC keys; PKCS#8 PEM for the EC key. */
  material: string;
  createdAt: string;
}

interface KeyFile {
  keys: StoredKey[];
}

const isKeyFile = (v: unknown): v is KeyFile =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as KeyFile).keys) &&
  (v as KeyFile).keys.every((k) => typeof k.keyId === 'string' && typeof k.material === 'string');

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const newMaterial = (spec: StoredKey['spec']): string => {
  if (spec !== 'ECC_NIST_P256') return randomBytes(32).toString('base64');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
};

/** Loads the key file, creating any of the three keys that is missing. */
export const loadKeys = (dir: string): StoredKey[] => {
  const path = join(dir, 'keys.json');
  const file = readJsonState(path, isKeyFile) ?? { keys: [] };
  let changed = false;
  for (const [name, declared] of Object.entries(KMS_KEYS) as [KmsKeyName, (typeof KMS_KEYS)[KmsKeyName]][]) {
    if (file.keys.some((k) => k.name === name)) continue;
    file.keys.push({
      keyId: randomUUID(),
      name,
      alias: declared.alias,
      spec: declared.spec,
      usage: declared.usage,
      material: newMaterial(declared.spec),
      createdAt: new Date().toISOString(),
    });
    changed = true;
  }
  if (changed) writeJsonAtomicSync(path, file);
  return file.keys;
};

const b64 = (value: unknown, field: string): Buffer => {
  if (typeof value !== 'string') throw new KmsError('ValidationException', `${field} is required`);
  return Buffer.from(value, 'base64');
};

/** Encryption context as AAD: key order must not matter, as in KMS. */
const contextAad = (context: unknown): Buffer => {
  if (context === undefined || context === null) return Buffer.alloc(0);
  if (typeof context !== 'object')
    throw new KmsError('ValidationException', 'EncryptionContext must be a map');
  const entries = Object.entries(context as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
  return Buffer.from(JSON.stringify(entries));
};

// Ciphertext blob: version(1) | key uuid(16) | iv(12) | tag(16) | ciphertext
const BLOB_VERSION = 1;
const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidFrom = (bytes: Buffer) => {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export class LocalKms {
  private readonly byId = new Map<string, StoredKey>();
  private readonly byAlias = new Map<string, StoredKey>();
  private readonly ecKeys = new Map<
    string,
    { priv: KeyObject; pub: KeyObject; jwk: Record<string, string> }
  >();

  constructor(keys: readonly StoredKey[]) {
    for (const key of keys) {
      this.byId.set(key.keyId, key);
      this.byAlias.set(key.alias, key);
      if (key.spec === 'ECC_NIST_P256') {
        const priv = createPrivateKey(key.material);
        this.ecKeys.set(key.keyId, {
          priv,
          pub: createPublicKey(priv),
          jwk: priv.export({ format: 'jwk' }) as Record<string, string>,
        });
      }
    }
  }

  keyIds(): Record<KmsKeyName, string> {
    const ids = {} as Record<KmsKeyName, string>;
    for (const key of this.byId.values()) ids[key.name] = key.keyId;
    return ids;
  }

  resolve(keyId: unknown): StoredKey {
    if (typeof keyId !== 'string' || keyId === '')
      throw new KmsError('ValidationException', 'KeyId is required');
    const aliasArn = /^arn:aws:kms:[^:]+:\d+:(alias\/.+)$/.exec(keyId);
    const keyArn = /^arn:aws:kms:[^:]+:\d+:key\/(.+)$/.exec(keyId);
    const key = aliasArn
      ? this.byAlias.get(aliasArn[1] ?? '')
      : keyArn
        ? this.byId.get(keyArn[1] ?? '')
        : keyId.startsWith('alias/')
          ? this.byAlias.get(keyId)
          : this.byId.get(keyId);
    if (!key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
    return key;
  }

  private expectUsage(key: StoredKey, usage: StoredKey['usage'], op: string): void {
    if (key.usage !== usage) {
      throw new KmsError(
        'InvalidKeyUsageException',
        `${kmsKeyArn(key.keyId)} key usage is ${key.usage} which is not valid for ${op}.`,
      );
    }
  }

  private encryptWith(key: StoredKey, plaintext: Buffer, context: unknown): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), iv);
    cipher.setAAD(contextAad(context));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([BLOB_VERSION]), uuidBytes(key.keyId), iv, cipher.getAuthTag(), ct]);
  }

  private readonly operations: Record<string, (input: Record<string, unknown>) => Record<string, unknown>> = {
    DescribeKey: (input) => {
      const key = this.resolve(input.KeyId);
      return {
        KeyMetadata: {
          AWSAccountId: ACCOUNT_ID,
          KeyId: key.keyId,
          Arn: kmsKeyArn(key.keyId),
          CreationDate: Date.parse(key.createdAt) / 1000,
          Enabled: true,
          KeyState: 'Enabled',
          KeyUsage: key.usage,
          KeySpec: key.spec,
          CustomerMasterKeySpec: key.spec,
          KeyManager: 'CUSTOMER',
          Origin: 'AWS_KMS',
          Description: `local ${key.name} key`,
          ...(key.spec === 'ECC_NIST_P256' ? { SigningAlgorithms: ['ECDSA_SHA_256'] } : {}),
          ...(key.spec === 'HMAC_256' ? { MacAlgorithms: ['HMAC_SHA_256'] } : {}),
          ...(key.spec === 'SYMMETRIC_DEFAULT' ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } : {}),
        },
      };
    },
    ListAliases: () => ({
      Aliases: [...this.byAlias.values()].map((k) => ({
        AliasName: k.alias,
        AliasArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:${k.alias}`,
        TargetKeyId: k.keyId,
      })),
    }),
    Encrypt: (input) => {
      const key = this.resolve(input.KeyId);
      this.expectUsage(key, 'ENCRYPT_DECRYPT', 'Encrypt');
      const plaintext = b64(input.Plaintext, 'Plaintext');
      if (plaintext.length === 0 || plaintext.length > 4096) {
        throw new KmsError('ValidationException', 'Plaintext must be 1 to 4096 bytes');
      }
      return {
        KeyId: kmsKeyArn(key.keyId),
        CiphertextBlob: this.encryptWith(key, plaintext, input.EncryptionContext).toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    Decrypt: (input) => {
      const blob = b64(input.CiphertextBlob, 'CiphertextBlob');
      const invalid = () =>
        new KmsError('InvalidCiphertextException', 'The ciphertext is invalid for this key or context');
      if (blob.length < 1 + 16 + 12 + 16 || blob[0] !== BLOB_VERSION) throw invalid();
      const key = this.byId.get(uuidFrom(blob.subarray(1, 17)));
      if (!key) throw invalid();
      if (input.KeyId !== undefined && this.resolve(input.KeyId).keyId !== key.keyId) {
        throw new KmsError(
          'IncorrectKeyException',
          'The key ID in the request does not identify the key used to encrypt',
        );
      }
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          Buffer.from(key.material, 'base64'),
          blob.subarray(17, 29),
        );
        decipher.setAAD(contextAad(input.EncryptionContext));
        decipher.setAuthTag(blob.subarray(29, 45));
        const plaintext = Buffer.concat([decipher.update(blob.subarray(45)), decipher.final()]);
        return {
          KeyId: kmsKeyArn(key.keyId),
          Plaintext: plaintext.toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      } catch {
        throw invalid();
      }
    },
    GenerateDataKey: (input) => {
      const { keyArn, plaintext, blob } = this.dataKey(input);
      return {
        KeyId: keyArn,
        Plaintext: plaintext.toString('base64'),
        CiphertextBlob: blob.toString('base64'),
      };
    },
    GenerateDataKeyWithoutPlaintext: (input) => {
      const { keyArn, blob } = this.dataKey(input);
      return { KeyId: keyArn, CiphertextBlob: blob.toString('base64') };
    },
    GenerateMac: (input) => {
      const key = this.macKey(input, 'GenerateMac');
      const mac = createHmac('sha256', Buffer.from(key.material, 'base64'))
        .update(b64(input.Message, 'Message'))
        .digest();
      return { KeyId: kmsKeyArn(key.keyId), Mac: mac.toString('base64'), MacAlgorithm: 'HMAC_SHA_256' };
    },
    VerifyMac: (input) => {
      const key = this.macKey(input, 'VerifyMac');
      const expected = createHmac('sha256', Buffer.from(key.material, 'base64'))
        .update(b64(input.Message, 'Message'))
        .digest();
      const given = b64(input.Mac, 'Mac');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new KmsError('KMSInvalidMacException', 'The MAC is not valid for the message and key');
      }
      return { KeyId: kmsKeyArn(key.keyId), MacValid: true, MacAlgorithm: 'HMAC_SHA_256' };
    },
    Sign: (input) => {
      const { key, ec, message, digest } = this.signingInput(input, 'Sign');
      const signature = digest
        ? signDigest(ec.jwk.d ?? '', message)
        : sign('sha256', message, { key: ec.priv, dsaEncoding: 'der' });
      return {
        KeyId: kmsKeyArn(key.keyId),
        Signature: signature.toString('base64'),
        SigningAlgorithm: 'ECDSA_SHA_256',
      };
    },
    Verify: (input) => {
      const { key, ec, message, digest } = this.signingInput(input, 'Verify');
      const signature = b64(input.Signature, 'Signature');
      const valid = digest
        ? verifyDigest(ec.jwk.x ?? '', ec.jwk.y ?? '', message, signature)
        : verify('sha256', message, { key: ec.pub, dsaEncoding: 'der' }, signature);
      if (!valid) throw new KmsError('KMSInvalidSignatureException', 'The signature is not valid');
      return { KeyId: kmsKeyArn(key.keyId), SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' };
    },
    GetPublicKey: (input) => {
      const key = this.resolve(input.KeyId);
      const ec = this.ecKeys.get(key.keyId);
      if (!ec)
        throw new KmsError(
          'UnsupportedOperationException',
          `${kmsKeyArn(key.keyId)} is not an asymmetric key`,
        );
      return {
        KeyId: kmsKeyArn(key.keyId),
        PublicKey: ec.pub.export({ format: 'der', type: 'spki' }).toString('base64'),
        KeySpec: 'ECC_NIST_P256',
        CustomerMasterKeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: ['ECDSA_SHA_256'],
      };
    },
    GenerateRandom: (input) => {
      const n = Number(input.NumberOfBytes ?? 32);
      if (!Number.isInteger(n) || n < 1 || n > 1024)
        throw new KmsError('ValidationException', 'NumberOfBytes must be 1 to 1024');
      return { Plaintext: randomBytes(n).toString('base64') };
    },
  };

  private dataKey(input: Record<string, unknown>) {
    const key = this.resolve(input.KeyId);
    this.expectUsage(key, 'ENCRYPT_DECRYPT', 'GenerateDataKey');
    const size =
      input.NumberOfBytes !== undefined
        ? Number(input.NumberOfBytes)
        : input.KeySpec === 'AES_128'
          ? 16
          : input.KeySpec === 'AES_256'
            ? 32
            : Number.NaN;
    if (!Number.isInteger(size) || size < 1 || size > 1024) {
      throw new KmsError(
        'ValidationException',
        'Specify KeySpec (AES_256 or AES_128) or NumberOfBytes (1 to 1024)',
      );
    }
    const plaintext = randomBytes(size);
    return {
      keyArn: kmsKeyArn(key.keyId),
      plaintext,
      blob: this.encryptWith(key, plaintext, input.EncryptionContext),
    };
  }

  private macKey(input: Record<string, unknown>, op: string): StoredKey {
    const key = this.resolve(input.KeyId);
    this.expectUsage(key, 'GENERATE_VERIFY_MAC', op);
    if (input.MacAlgorithm !== 'HMAC_SHA_256') {
      throw new KmsError(
        'InvalidKeyUsageException',
        `MacAlgorithm ${String(input.MacAlgorithm)} is not valid for this key (HMAC_SHA_256)`,
      );
    }
    return key;
  }

  private signingInput(input: Record<string, unknown>, op: string) {
    const key = this.resolve(input.KeyId);
    this.expectUsage(key, 'SIGN_VERIFY', op);
    if (input.SigningAlgorithm !== 'ECDSA_SHA_256') {
      throw new KmsError(
        'InvalidKeyUsageException',
        `SigningAlgorithm ${String(input.SigningAlgorithm)} is not valid for this key (ECDSA_SHA_256)`,
      );
    }
    const ec = this.ecKeys.get(key.keyId);
    if (!ec) throw new KmsError('InvalidKeyUsageException', 'not a signing key');
    const message = b64(input.Message, 'Message');
    const digest = input.MessageType === 'DIGEST';
    if (digest && message.length !== 32) {
      throw new KmsError('ValidationException', 'A DIGEST message for ECDSA_SHA_256 must be 32 bytes');
    }
    if (!digest && message.length > 4096) {
      throw new KmsError(
        'ValidationException',
        'A RAW message must be at most 4096 bytes; send a DIGEST instead',
      );
    }
    return { key, ec, message, digest };
  }

  /** Runs one operation; KMS errors come back as `{ __type, message }` with HTTP 400. */
  call(operation: string, input: Record<string, unknown>): { status: number; body: Record<string, unknown> } {
    const op = this.operations[operation];
    if (!op)
      return {
        status: 400,
        body: {
          __type: 'UnknownOperationException',
          message: `${operation} is not supported by the local KMS`,
        },
      };
    try {
      return { status: 200, body: op(input) };
    } catch (error) {
      if (error instanceof KmsError)
        return { status: error.status, body: { __type: error.type, message: error.message } };
      throw error;
    }
  }
}

export interface KmsHandle {
  readonly kms: LocalKms;
  readonly endpoint: string;
  close(): Promise<void>;
}

export const startKms = async (dir: string, port: number): Promise<KmsHandle> => {
  const kms = new LocalKms(loadKeys(dir));
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith('TrentService.')) {
      sendJson(res, 400, {
        __type: 'UnknownOperationException',
        message: 'expected a TrentService JSON 1.1 request',
      });
      return;
    }
    let input: Record<string, unknown>;
    try {
      const body = await readBody(req, 1024 * 1024);
      input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    } catch (error) {
      const status = error instanceof BodyTooLargeError ? 413 : 400;
      sendJson(res, status, { __type: 'SerializationException', message: 'request body is not JSON' });
      return;
    }
    const { status, body } = kms.call(target.slice('TrentService.'.length), input);
    sendJson(res, status, body, { 'x-amzn-requestid': requestId }, 'application/x-amz-json-1.1');
  };
  const listening: Listening = await listen('kms', port, (req, res) => {
    handler(req, res).catch((error: unknown) => {
      console.error('[kms] internal error', error);
      if (!res.headersSent)
        sendJson(res, 500, { __type: 'KMSInternalException', message: 'local KMS failed' });
    });
  });
  return { kms, endpoint: `http://127.0.0.1:${listening.port}`, close: listening.close };
};
