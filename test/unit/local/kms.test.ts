import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKms, loadKeys } from '../../../local/kms.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kms = new LocalKms(loadKeys(dir));
const ids = kms.keyIds();
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

const call = (op: string, input: Record<string, unknown>) => kms.call(op, input);

describe('local KMS', () => {
  it('keeps its keys: a second load reads the same key ids', () => {
    // Act
    const again = new LocalKms(loadKeys(dir)).keyIds();

    // Assert
    expect(again).toEqual(ids);
    expect(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')).keys).toHaveLength(3);
  });

  it('decrypts with the same encryption context in any key order', () => {
    // Arrange
    const encrypted = call('Encrypt', {
      KeyId: 'alias/crs-recordings',
      Plaintext: b64('secret'),
      EncryptionContext: { a: '1', b: '2' },
    });

    // Act
    const decrypted = call('Decrypt', {
      CiphertextBlob: encrypted.body.CiphertextBlob,
      EncryptionContext: { b: '2', a: '1' },
    });

    // Assert
    expect(decrypted.status).toBe(200);
    expect(Buffer.from(String(decrypted.body.Plaintext), 'base64').toString()).toBe('secret');
  });

  it('refuses to decrypt with another encryption context', () => {
    // Arrange
    const encrypted = call('Encrypt', {
      KeyId: ids.recordings,
      Plaintext: b64('secret'),
      EncryptionContext: { a: '1' },
    });

    // Act
    const decrypted = call('Decrypt', {
      CiphertextBlob: encrypted.body.CiphertextBlob,
      EncryptionContext: { a: '2' },
    });

    // Assert
    expect(decrypted.status).toBe(400);
    expect(decrypted.body.__type).toBe('InvalidCiphertextException');
  });

  it('signs RAW messages so that the published SPKI public key verifies them', () => {
    // Arrange
    const message = Buffer.from('checkpoint 42');

    // Act
    const signed = call('Sign', {
      KeyId: ids.signing,
      Message: b64(message),
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    const publicKey = call('GetPublicKey', { KeyId: ids.signing });

    // Assert
    const key = createPublicKey({
      key: Buffer.from(String(publicKey.body.PublicKey), 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(
      verify(
        'sha256',
        message,
        { key, dsaEncoding: 'der' },
        Buffer.from(String(signed.body.Signature), 'base64'),
      ),
    ).toBe(true);
  });

  it('signs a DIGEST as the signature of the message it digests', () => {
    // Arrange
    const message = Buffer.from('checkpoint 43');
    const digest = createHash('sha256').update(message).digest();

    // Act
    const signed = call('Sign', {
      KeyId: ids.signing,
      Message: b64(digest),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    const verified = call('Verify', {
      KeyId: ids.signing,
      Message: b64(message),
      MessageType: 'RAW',
      Signature: signed.body.Signature,
      SigningAlgorithm: 'ECDSA_SHA_256',
    });

    // Assert
    expect(verified.body.SignatureValid).toBe(true);
  });

  it('verifies a DIGEST against a RAW signature and rejects it against another digest', () => {
    // Arrange
    const message = Buffer.from('checkpoint 44');
    const signed = call('Sign', {
      KeyId: ids.signing,
      Message: b64(message),
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    const verifyDigest = (digest: Buffer) =>
      call('Verify', {
        KeyId: ids.signing,
        Message: b64(digest),
        MessageType: 'DIGEST',
        Signature: signed.body.Signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }).body;

    // Act
    const same = verifyDigest(createHash('sha256').update(message).digest());
    const other = verifyDigest(createHash('sha256').update('checkpoint 45').digest());

    // Assert
    expect(same.SignatureValid).toBe(true);
    expect(other.__type).toBe('KMSInvalidSignatureException');
  });

  it('rejects a signature over another message', () => {
    // Arrange
    const signed = call('Sign', { KeyId: ids.signing, Message: b64('a'), SigningAlgorithm: 'ECDSA_SHA_256' });

    // Act
    const verified = call('Verify', {
      KeyId: ids.signing,
      Message: b64('b'),
      Signature: signed.body.Signature,
      SigningAlgorithm: 'ECDSA_SHA_256',
    });

    // Assert
    expect(verified.body.__type).toBe('KMSInvalidSignatureException');
  });

  it('verifies its own HMAC and rejects a MAC of another message', () => {
    // Arrange
    const mac = call('GenerateMac', {
      KeyId: ids.hmac,
      Message: b64('+441632960000'),
      MacAlgorithm: 'HMAC_SHA_256',
    });

    // Act
    const same = call('VerifyMac', {
      KeyId: ids.hmac,
      Message: b64('+441632960000'),
      Mac: mac.body.Mac,
      MacAlgorithm: 'HMAC_SHA_256',
    });
    const other = call('VerifyMac', {
      KeyId: ids.hmac,
      Message: b64('+441632960001'),
      Mac: mac.body.Mac,
      MacAlgorithm: 'HMAC_SHA_256',
    });

    // Assert
    expect(same.body.MacValid).toBe(true);
    expect(other.body.__type).toBe('KMSInvalidMacException');
  });

  it('refuses an operation the key is not for', () => {
    // Act
    const result = call('GenerateMac', {
      KeyId: ids.signing,
      Message: b64('x'),
      MacAlgorithm: 'HMAC_SHA_256',
    });

    // Assert
    expect(result.body.__type).toBe('InvalidKeyUsageException');
  });

  it('answers NotFoundException for an unknown key', () => {
    expect(call('DescribeKey', { KeyId: 'alias/nope' }).body.__type).toBe('NotFoundException');
  });
});
