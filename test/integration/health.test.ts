/**
 * The local stack itself: every component answers, the gateway behaves like API Gateway at its edges
 * (401 without a valid token, 404 off the route table), and the S3 emulator enforces what the product
 * relies on — SigV4 presigned URLs (tamper and expiry refused) and Object Lock (no delete under legal
 * hold or retention).
 */

import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, describe, expect, it } from '@jest/globals';
import { generateKeyPair, SignJWT } from 'jose';
import { api, bucket, closeClients, s3, stack, tokenFor } from './support.js';

afterAll(closeClients);

const COMPONENTS = ['dynamodb', 's3', 'kms', 'sqs', 'issuer', 'gateway'];
const uniqueKey = (prefix: string) => `${prefix}/${Date.now()}-${Math.random().toString(36).slice(2)}.wav`;

const statusOf = async (promise: Promise<unknown>): Promise<number | 'ok'> =>
  promise.then(
    () => 'ok' as const,
    (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode ?? -1,
  );

describe('keep-alive', () => {
  it('answers a POST sent on a pooled connection after the client stalled for longer than 5 s', async () => {
    // Arrange: one request leaves a keep-alive socket in fetch's pool, then this process's event loop
    // stalls (as while jest runs a CDK synth in the same process) past Node's default 5 s keep-alive.
    const first = await fetch(`${stack().baseUrl}/health`);
    await first.arrayBuffer();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 6_000);
    // Act: a POST is never retried by fetch, so a socket the server had closed would fail it
    const res = await fetch(`${stack().baseUrl}/_local/token`, {
      method: 'POST',
      body: JSON.stringify({ persona: 'revenues-listener' }),
    });
    // Assert
    expect(res.status).toBe(200);
  }, 120_000);
});

describe('GET /health', () => {
  it('reports every component up with its latency', async () => {
    // Act
    const res = await api().get('/health');

    // Assert
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.components).sort()).toEqual([...COMPONENTS].sort());
    for (const component of COMPONENTS) {
      expect(res.json.components[component]).toEqual(
        expect.objectContaining({ status: 'up', ms: expect.any(Number) }),
      );
    }
  });
});

describe('the gateway', () => {
  it('refuses a JWT route without a token', async () => {
    // Act
    const res = await api().get('/recordings');

    // Assert
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ message: 'Unauthorized' });
  });

  it('refuses an expired token', async () => {
    // Arrange
    const expired = await tokenFor('revenues-listener', { expiresInSeconds: -60 });

    // Act
    const res = await api({ token: expired }).get('/recordings');

    // Assert
    expect(res.status).toBe(401);
  });

  it('refuses a token with the right claims signed by another key', async () => {
    // Arrange
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ groups: ['role:siro'], staff_id: 'mallory' })
      .setProtectedHeader({ alg: 'ES256', kid: 'forged' })
      .setIssuer(stack().issuer.url)
      .setAudience(stack().issuer.audience)
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

    // Act
    const res = await api({ token: forged }).get('/holds');

    // Assert
    expect(res.status).toBe(401);
  });

  it('answers 404 for a path that is not in the route table', async () => {
    // Act
    const res = await api('siro').get('/no-such-route');

    // Assert
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: 'Not Found' });
  });

  it('answers 404 for a declared path with an undeclared method', async () => {
    // Act
    const res = await api('siro').delete('/release-log');

    // Assert
    expect(res.status).toBe(404);
  });
});

describe('the S3 emulator', () => {
  it('signs bucket-level requests from SDK v3 and pages a listing (the two s3rver patches)', async () => {
    // Arrange
    const Bucket = bucket('releases');
    const prefix = uniqueKey('paging');
    const keys = ['a', 'b', 'c'].map((k) => `${prefix}/${k}`);
    for (const Key of keys) await s3().send(new PutObjectCommand({ Bucket, Key, Body: Key }));

    // Act
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3().send(
        new ListObjectsV2Command({ Bucket, Prefix: `${prefix}/`, MaxKeys: 1, ContinuationToken: token }),
      );
      listed.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);

    // Assert
    expect(listed).toEqual(keys);
  });

  it('serves a presigned GET and refuses it tampered, expired or unsigned', async () => {
    // Arrange
    const Bucket = bucket('releases');
    const Key = uniqueKey('health');
    await s3().send(new PutObjectCommand({ Bucket, Key, Body: 'audio bytes' }));
    const valid = await getSignedUrl(s3(), new GetObjectCommand({ Bucket, Key }), { expiresIn: 60 });
    const signature = /X-Amz-Signature=([0-9a-f]+)/.exec(valid)?.[1] ?? '';
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    const tampered = valid.replace(signature, flipped);
    const expired = await getSignedUrl(s3(), new GetObjectCommand({ Bucket, Key }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    const unsigned = valid.split('?')[0] ?? '';

    // Act
    const ok = await fetch(valid);
    const bad = await fetch(tampered);
    const old = await fetch(expired);
    const anonymous = await fetch(unsigned);

    // Assert
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('audio bytes');
    expect(bad.status).toBe(403);
    expect(old.status).toBe(403);
    expect(anonymous.status).toBe(403);
  });

  it('refuses to delete an archived object under legal hold, even bypassing governance', async () => {
    // Arrange
    const Bucket = bucket('archive');
    const Key = uniqueKey('health');
    await s3().send(new PutObjectCommand({ Bucket, Key, Body: 'held' }));
    await s3().send(new PutObjectLegalHoldCommand({ Bucket, Key, LegalHold: { Status: 'ON' } }));

    // Act
    const refused = await statusOf(
      s3().send(
        new DeleteObjectCommand({ Bucket, Key, VersionId: 'current', BypassGovernanceRetention: true }),
      ),
    );

    // Assert
    expect(refused).toBe(403);
    const head = await s3().send(new HeadObjectCommand({ Bucket, Key }));
    expect(head.ObjectLockLegalHoldStatus).toBe('ON');
  });

  it('deletes an archived object once its legal hold is off and governance is bypassed', async () => {
    // Arrange
    const Bucket = bucket('archive');
    const Key = uniqueKey('health');
    await s3().send(new PutObjectCommand({ Bucket, Key, Body: 'released' }));
    await s3().send(new PutObjectLegalHoldCommand({ Bucket, Key, LegalHold: { Status: 'ON' } }));
    await s3().send(new PutObjectLegalHoldCommand({ Bucket, Key, LegalHold: { Status: 'OFF' } }));

    // Act
    const withoutBypass = await statusOf(s3().send(new DeleteObjectCommand({ Bucket, Key })));
    const withBypass = await statusOf(
      s3().send(new DeleteObjectCommand({ Bucket, Key, BypassGovernanceRetention: true })),
    );

    // Assert: the archive's default GOVERNANCE retention still protects it until bypassed.
    expect(withoutBypass).toBe(403);
    expect(withBypass).toBe('ok');
    expect(await statusOf(s3().send(new HeadObjectCommand({ Bucket, Key })))).toBe(404);
  });

  it('refuses to shorten governance retention without the bypass header', async () => {
    // Arrange
    const Bucket = bucket('archive');
    const Key = uniqueKey('health');
    await s3().send(new PutObjectCommand({ Bucket, Key, Body: 'retained' }));

    // Act
    const shortened = await statusOf(
      s3().send(
        new PutObjectRetentionCommand({
          Bucket,
          Key,
          Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.now() + 86_400_000) },
        }),
      ),
    );

    // Assert
    expect(shortened).toBe(403);
  });

  describe('checksums', () => {
    const sha256 = (body: string) => createHash('sha256').update(body).digest('base64');

    it('keeps a verified SHA-256 and returns it on HEAD and GET with checksum mode on', async () => {
      // Arrange
      const Bucket = bucket('inbox');
      // Not under incoming/: the ingest worker would quarantine (move away) an unregistered upload there
      // while this test still reads it.
      const Key = uniqueKey('health-checks/checksum');
      const body = 'audio bytes with a checksum';

      // Act
      const put = await s3().send(
        new PutObjectCommand({ Bucket, Key, Body: body, ChecksumSHA256: sha256(body) }),
      );
      const head = await s3().send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      const get = await s3().send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      const plainHead = await s3().send(new HeadObjectCommand({ Bucket, Key }));

      // Assert
      expect(put.ChecksumSHA256).toBe(sha256(body));
      expect(head.ChecksumSHA256).toBe(sha256(body));
      expect(head.ChecksumType).toBe('FULL_OBJECT');
      expect(get.ChecksumSHA256).toBe(sha256(body));
      expect(await get.Body?.transformToString()).toBe(body);
      expect(plainHead.ChecksumSHA256).toBeUndefined();
    });

    it('refuses a presigned PUT whose body does not match its SHA-256 with 400 BadDigest and keeps nothing', async () => {
      // Arrange
      const Bucket = bucket('inbox');
      const Key = uniqueKey('incoming/health-bad-digest');
      const declared = 'the declared audio';
      const url = await getSignedUrl(
        s3(),
        new PutObjectCommand({ Bucket, Key, ChecksumSHA256: sha256(declared) }),
        { expiresIn: 60, unhoistableHeaders: new Set(['x-amz-checksum-sha256']) },
      );

      // Act
      const reply = await fetch(url, {
        method: 'PUT',
        headers: { 'x-amz-checksum-sha256': sha256(declared) },
        body: 'different audio!!!',
      });

      // Assert
      expect(reply.status).toBe(400);
      expect(await reply.text()).toContain('<Code>BadDigest</Code>');
      expect(await statusOf(s3().send(new HeadObjectCommand({ Bucket, Key })))).toBe(404);
    });

    it('keeps the previous object when an overwrite fails its checksum', async () => {
      // Arrange
      const Bucket = bucket('releases');
      const Key = uniqueKey('health-overwrite');
      await s3().send(new PutObjectCommand({ Bucket, Key, Body: 'first', ChecksumSHA256: sha256('first') }));

      // Act
      const refused = await statusOf(
        s3().send(new PutObjectCommand({ Bucket, Key, Body: 'second', ChecksumSHA256: sha256('other') })),
      );

      // Assert
      expect(refused).toBe(400);
      const kept = await s3().send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      expect(await kept.Body?.transformToString()).toBe('first');
      expect(kept.ChecksumSHA256).toBe(sha256('first'));
    });

    it('gives a copy the SHA-256 of its bytes when the copy asks for SHA256', async () => {
      // Arrange
      const Bucket = bucket('releases');
      const withChecksum = uniqueKey('health-copy-src');
      const without = uniqueKey('health-copy-plain');
      await s3().send(
        new PutObjectCommand({ Bucket, Key: withChecksum, Body: 'kept', ChecksumSHA256: sha256('kept') }),
      );
      await s3().send(new PutObjectCommand({ Bucket, Key: without, Body: 'computed' }));
      const copy = (from: string) =>
        s3().send(
          new CopyObjectCommand({
            Bucket: bucket('archive'),
            Key: `${from}.copy`,
            CopySource: `${Bucket}/${from}`,
            ChecksumAlgorithm: 'SHA256',
          }),
        );

      // Act
      await copy(withChecksum);
      await copy(without);

      // Assert
      const headOf = (Key: string) =>
        s3().send(new HeadObjectCommand({ Bucket: bucket('archive'), Key, ChecksumMode: 'ENABLED' }));
      expect((await headOf(`${withChecksum}.copy`)).ChecksumSHA256).toBe(sha256('kept'));
      expect((await headOf(`${without}.copy`)).ChecksumSHA256).toBe(sha256('computed'));
    });
  });
});
