import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach } from '@jest/globals';
import { maxDaysIn } from '../../../declarations/retention-days.js';
import { eventKey } from '../../../local/s3.js';
import { requestedSha256, sha256Verifier, verifyingStore } from '../../../local/s3-checksums.js';
import { isLocked } from '../../../local/s3-lock-rules.js';
import { LockStore } from '../../../local/s3-lock-store.js';
import { type FilesystemStore, parseCopySource, parseTarget } from '../../../local/s3-protocol.js';
import { reclaimAfterDelete } from '../../../local/s3-reclaim.js';

// s3rver's own store and object model, used on a temporary folder as the local stack uses them.
const requireCjs = createRequire(import.meta.url);
const Store = requireCjs('@20minutes/s3rver/lib/stores/filesystem.js') as new (
  root: string,
) => FilesystemStore;
const S3Object = requireCjs('@20minutes/s3rver/lib/models/object.js') as new (
  bucket: string,
  key: string,
  content: unknown,
  metadata: Record<string, string>,
) => Parameters<FilesystemStore['putObject']>[0];

const NOW = Date.parse('2026-06-01T00:00:00Z');
const future = '2027-06-01T00:00:00.000Z';
const past = '2025-06-01T00:00:00.000Z';

describe('object lock', () => {
  it.each([
    ['no lock state', undefined, false, false],
    ['legal hold on', { legalHold: 'ON' as const, versionId: 'v' }, true, true],
    ['legal hold off, no retention', { legalHold: 'OFF' as const, versionId: 'v' }, false, false],
    [
      'governance in the future',
      { mode: 'GOVERNANCE' as const, retainUntil: future, versionId: 'v' },
      true,
      false,
    ],
    ['governance expired', { mode: 'GOVERNANCE' as const, retainUntil: past, versionId: 'v' }, false, false],
    [
      'compliance in the future',
      { mode: 'COMPLIANCE' as const, retainUntil: future, versionId: 'v' },
      true,
      true,
    ],
    [
      'legal hold on, retention expired',
      { mode: 'GOVERNANCE' as const, retainUntil: past, legalHold: 'ON' as const, versionId: 'v' },
      true,
      true,
    ],
  ])(
    '%s: locked=%s, still locked with the governance bypass=%s',
    (_name, state, locked, lockedWithBypass) => {
      expect(isLocked(state, false, NOW)).toBe(locked);
      expect(isLocked(state, true, NOW)).toBe(lockedWithBypass);
    },
  );
});

describe('request parsing', () => {
  it('splits bucket and URL-decoded key from a path-style path', () => {
    expect(parseTarget('/crs-local-archive/revenues/2026/a%20b.wav')).toEqual({
      bucket: 'crs-local-archive',
      key: 'revenues/2026/a b.wav',
    });
    expect(parseTarget('/crs-local-archive')).toEqual({ bucket: 'crs-local-archive' });
    expect(parseTarget('/')).toEqual({});
  });

  it('reads a copy source with or without a leading slash and versionId', () => {
    expect(parseCopySource('/inbox/incoming/a%20b.wav?versionId=xyz')).toEqual({
      bucket: 'inbox',
      key: 'incoming/a b.wav',
      rest: '?versionId=xyz',
    });
    expect(parseCopySource('inbox/k')).toEqual({ bucket: 'inbox', key: 'k', rest: '' });
  });
});

describe('S3 event keys', () => {
  it('are URL-encoded form style with slashes kept', () => {
    expect(eventKey('incoming/call 1 (b).wav')).toBe('incoming/call+1+%28b%29.wav');
    expect(eventKey('incoming/a+b:c.wav')).toBe('incoming/a%2Bb%3Ac.wav');
    expect(decodeURIComponent(eventKey('incoming/x y.wav').replace(/\+/g, ' '))).toBe('incoming/x y.wav');
  });
});

describe('the archive default retention', () => {
  it('lasts as many days as the CDK bucket declares', () => {
    expect(maxDaysIn(12)).toBe(366);
  });
});

describe('the lock store', () => {
  let dir: string | undefined;
  const storePath = () => {
    dir = mkdtempSync(join(tmpdir(), 'crs-lock-store-'));
    return join(dir, 'locks.json');
  };
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('keeps every acknowledged change across a restart', async () => {
    // Arrange
    const path = storePath();
    const before = new LockStore(path);
    await Promise.all([
      before.set('archive', 'a.wav', { legalHold: 'ON', versionId: 'v1', checksumSha256: 'abc=' }),
      before.set('archive', 'b.wav', { mode: 'GOVERNANCE', retainUntil: future, versionId: 'v2' }),
      before.set('inbox', 'c.wav', { checksumSha256: 'def=' }),
    ]);
    await before.set('archive', 'a.wav', { legalHold: 'OFF', versionId: 'v1', checksumSha256: 'abc=' });
    await before.delete('inbox', 'c.wav');

    // Act
    const after = new LockStore(path);

    // Assert
    expect(after.get('archive', 'a.wav')).toEqual({
      legalHold: 'OFF',
      versionId: 'v1',
      checksumSha256: 'abc=',
    });
    expect(after.get('archive', 'b.wav')).toEqual({
      mode: 'GOVERNANCE',
      retainUntil: future,
      versionId: 'v2',
    });
    expect(after.get('inbox', 'c.wav')).toBeUndefined();
  });

  it('compacts the journal into the snapshot at start-up', async () => {
    // Arrange
    const path = storePath();
    await new LockStore(path).set('archive', 'a.wav', { legalHold: 'ON', versionId: 'v1' });

    // Act
    new LockStore(path);

    // Assert
    expect(readFileSync(`${path}.journal`, 'utf8')).toBe('');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      objects: { 'archive/a.wav': { legalHold: 'ON', versionId: 'v1' } },
    });
    expect(new LockStore(path).get('archive', 'a.wav')?.legalHold).toBe('ON');
  });

  it('drops a torn last journal line left by a crash and keeps the rest', async () => {
    // Arrange
    const path = storePath();
    await new LockStore(path).set('archive', 'a.wav', { legalHold: 'ON', versionId: 'v1' });
    appendFileSync(`${path}.journal`, '{"k":"archive/b.wav","v":{"legalH');

    // Act
    const after = new LockStore(path);

    // Assert
    expect(after.get('archive', 'a.wav')?.legalHold).toBe('ON');
    expect(after.get('archive', 'b.wav')).toBeUndefined();
  });

  it('refuses to start on a damaged journal line before the last', async () => {
    // Arrange
    const path = storePath();
    await new LockStore(path).set('archive', 'a.wav', { legalHold: 'ON', versionId: 'v1' });
    appendFileSync(`${path}.journal`, 'not json\n{"k":"archive/b.wav"}\n');

    // Act / Assert
    expect(() => new LockStore(path)).toThrow(/journal line 2 is unreadable/);
  });
});

describe('PutObject checksums', () => {
  const sha256 = (body: string) => createHash('sha256').update(body).digest('base64');

  it('verifies x-amz-checksum-sha256, or computes one when only the SDK algorithm asks for SHA256', () => {
    expect(requestedSha256({ 'x-amz-checksum-sha256': 'abc=' })).toEqual({ expected: 'abc=' });
    expect(requestedSha256({ 'x-amz-sdk-checksum-algorithm': 'sha256' })).toEqual({});
    expect(requestedSha256({ 'x-amz-sdk-checksum-algorithm': 'CRC32' })).toBeUndefined();
    expect(requestedSha256({})).toBeUndefined();
  });

  it('passes a matching body through and reports its SHA-256', async () => {
    // Arrange
    const digests: string[] = [];
    const chunks: Buffer[] = [];

    // Act
    await pipeline(
      Readable.from([Buffer.from('audio '), Buffer.from('bytes')]),
      sha256Verifier(sha256('audio bytes'), (d) => digests.push(d)),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) chunks.push(chunk);
      },
    );

    // Assert
    expect(Buffer.concat(chunks).toString()).toBe('audio bytes');
    expect(digests).toEqual([sha256('audio bytes')]);
  });

  it('fails the stream with 400 BadDigest when the body does not match', async () => {
    // Arrange
    const digests: string[] = [];

    // Act
    const outcome = pipeline(
      Readable.from([Buffer.from('tampered')]),
      sha256Verifier(sha256('audio bytes'), (d) => digests.push(d)),
      async (source: AsyncIterable<Buffer>) => {
        for await (const _ of source);
      },
    );

    // Assert
    await expect(outcome).rejects.toMatchObject({ code: 'BadDigest', status: 400 });
    expect(digests).toEqual([]);
  });

  describe("through the emulator's file store", () => {
    let root: string;
    let store: FilesystemStore;
    const put = (body: string, expected: string) =>
      verifyingStore(store, expected, () => undefined).putObject(
        new S3Object('releases', 'calls/a.wav', Readable.from([Buffer.from(body)]), {
          'content-type': 'audio/wav',
        }),
      );
    const stored = () => readFileSync(store.getResourcePath('releases', 'calls/a.wav', 'object'), 'utf8');

    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'crs-s3-checksums-'));
      mkdirSync(join(root, 'releases'));
      store = new Store(root);
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('keeps the previous object whole through many overwrites that fail their checksum', async () => {
      // Arrange
      await put('first', sha256('first'));

      // Act: CI once read an empty body after one such refusal
      const refusals = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) => put(`second ${i}`, sha256('other'))),
      );

      // Assert
      expect(refusals.every((r) => r.status === 'rejected' && r.reason.code === 'BadDigest')).toBe(true);
      expect(stored()).toBe('first');
      expect(
        readdirSync(join(root, 'releases'), { recursive: true }).filter((f) => /partial/.test(String(f))),
      ).toEqual([]);
    });

    it('replaces the object when the new body matches, and keeps nothing of a refused new key', async () => {
      // Arrange
      await put('first', sha256('first'));

      // Act
      await put('second', sha256('second'));
      const refusedNew = verifyingStore(store, sha256('declared'), () => undefined).putObject(
        new S3Object('releases', 'calls/b.wav', Readable.from([Buffer.from('tampered')]), {}),
      );

      // Assert
      expect(stored()).toBe('second');
      await expect(refusedNew).rejects.toMatchObject({ code: 'BadDigest' });
      expect(await store.existsObject('releases', 'calls/b.wav')).toBe(false);
    });
  });
});

describe('a DELETE reclaims the space after the reply', () => {
  let root: string;
  let store: FilesystemStore;
  const trash = () => join(root, 's3-trash');
  const put = (key: string) =>
    store.putObject(new S3Object('inbox', key, Buffer.from('audio bytes'), { 'content-type': 'audio/wav' }));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'crs-s3-reclaim-'));
    mkdirSync(join(root, 's3', 'inbox'), { recursive: true });
    store = new Store(join(root, 's3'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('removes the key before it answers and unlinks the file only later', async () => {
    // Arrange
    const unlinked: string[] = [];
    const reclaimer = reclaimAfterDelete(store, trash(), {
      delayMs: 60_000,
      unlinkFile: async (path) => {
        rmSync(path);
        unlinked.push(path);
      },
    });
    await put('incoming/a');

    // Act
    await store.deleteObject('inbox', 'incoming/a');

    // Assert: gone for every later request, its sidecars and emptied folder too; the bytes wait in the trash
    expect(await store.existsObject('inbox', 'incoming/a')).toBe(false);
    expect(readdirSync(join(root, 's3', 'inbox'))).toEqual([]);
    expect(readdirSync(trash())).toHaveLength(1);
    expect(unlinked).toEqual([]);
    await reclaimer.drain();
    expect(unlinked).toHaveLength(1);
    expect(readdirSync(trash())).toEqual([]);
  });

  it('unlinks the file once its delay has passed', async () => {
    // Arrange
    reclaimAfterDelete(store, trash(), { delayMs: 10 });
    await put('incoming/a');

    // Act: no drain; wait (up to 10 s on a loaded machine) for the timer's unlink
    await store.deleteObject('inbox', 'incoming/a');
    for (let waited = 0; readdirSync(trash()).length > 0 && waited < 10_000; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
    }

    // Assert
    expect(readdirSync(trash())).toEqual([]);
  });

  it('answers two concurrent deletes of one key, and empties trash left by a crash at start', async () => {
    // Arrange
    mkdirSync(trash(), { recursive: true });
    appendFileSync(join(trash(), 'left-by-a-crash'), 'bytes');
    const reclaimer = reclaimAfterDelete(store, trash());
    await put('incoming/a');

    // Act
    const deletes = await Promise.allSettled([
      store.deleteObject('inbox', 'incoming/a'),
      store.deleteObject('inbox', 'incoming/a'),
    ]);
    await reclaimer.drain();

    // Assert
    expect(deletes.map((d) => d.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await store.existsObject('inbox', 'incoming/a')).toBe(false);
    expect(readdirSync(trash())).toEqual([]);
  });

  it('leaves other keys alone', async () => {
    // Arrange
    const reclaimer = reclaimAfterDelete(store, trash());
    await Promise.all([put('incoming/a'), put('incoming/b')]);

    // Act
    await store.deleteObject('inbox', 'incoming/a');
    await reclaimer.drain();

    // Assert
    expect(await store.existsObject('inbox', 'incoming/a')).toBe(false);
    expect(readFileSync(store.getResourcePath('inbox', 'incoming/b', 'object'), 'utf8')).toBe('audio bytes');
  });
});
