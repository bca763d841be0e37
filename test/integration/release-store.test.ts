/**
 * The release store and the Release of Recording Log against DynamoDB Local, on tables of the test's own
 * (ownTable): a release, its recording pointer and its log entry are written together and only once; a
 * transition is written only while the state and version read are still stored, and a refused one logs
 * nothing; racing writers never fork the log; listings come from an index or the key, never a Scan.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { dynamoReleaseLog } from '../../functions/adapters/release-log.js';
import { dynamoReleaseRepository } from '../../functions/adapters/release-store.js';
import { ConflictError } from '../../functions/domain/errors.js';
import { verifyChain } from '../../functions/domain/hash-chain.js';
import { logPayload, type Release, request } from '../../functions/domain/release.js';
import { closeClients, ownTable, stack, watchDynamo } from './support.js';

jest.setTimeout(120_000); // budgeted for a loaded 2-core machine

let releases: string;
let log: string;
beforeAll(async () => {
  // The adapters in this process talk to the stack's emulators.
  Object.assign(process.env, stack().env, { LOG_LEVEL: 'silent' });
  releases = await ownTable('releases');
  log = await ownTable('releaseLog');
});
afterAll(closeClients);
afterEach(() => {
  jest.restoreAllMocks();
});

const release = (over: { now?: string; requester?: string } = {}): Release => {
  const t = request({
    releaseId: `rel-${randomUUID()}`,
    requester: { staffId: over.requester ?? `req-${randomUUID()}`, grants: {}, roles: [], scopes: [] },
    recording: {
      recordingId: `rec-${randomUUID()}`,
      serviceArea: 'revenues',
      startedAt: '2026-10-01T09:30:00.000Z',
    },
    destination: { kind: 'service-area', serviceArea: 'housing' },
    purpose: { purpose: 'training' },
    justification: 'store test',
    now: new Date(over.now ?? '2026-11-01T10:00:00.000Z'),
    requestTtlDays: 14,
  });
  if (!t.ok) throw new Error(t.reason);
  return t.next;
};

describe('release store', () => {
  it('writes a release, its recording pointer and its log entry together, and only once', async () => {
    // Arrange
    const repo = dynamoReleaseRepository(releases, log);
    const r = release();
    // Act
    const link = await repo.create(r, logPayload(r, 'REQUESTED', r.requesterId));
    const again = repo.create(r, logPayload(r, 'REQUESTED', r.requesterId));
    // Assert
    await expect(again).rejects.toThrow(ConflictError);
    expect(await repo.get(r.releaseId)).toEqual(r);
    for (const q of [
      { by: 'requester', requesterId: r.requesterId },
      { by: 'area', serviceArea: 'revenues' },
      { by: 'recording', recordingId: r.recordingId },
    ] as const)
      expect((await repo.query(q, 50)).map((x) => x.releaseId)).toContain(r.releaseId);
    const entries = await dynamoReleaseLog(log).entriesOf({ releaseId: r.releaseId });
    expect(entries).toEqual([expect.objectContaining({ seq: link.seq, hash: link.hash })]);
  });

  it('writes a transition only while the state and version read are still stored, and then logs nothing', async () => {
    // Arrange
    const repo = dynamoReleaseRepository(releases, log);
    const r = release();
    await repo.create(r, logPayload(r, 'REQUESTED', r.requesterId));
    const rejected: Release = { ...r, state: 'REJECTED', version: r.version + 1 };
    await repo.replace(rejected, r, logPayload(rejected, 'REJECTED', 'siro-1'));
    // Act: a second decider still holding the REQUESTED version
    const stale: Release = { ...r, state: 'REJECTED', version: r.version + 1 };
    const written = await repo.replace(stale, r, logPayload(stale, 'REJECTED', 'siro-2'));
    // Assert
    expect(written).toBeUndefined();
    expect(await repo.get(r.releaseId)).toEqual(rejected);
    const entries = await dynamoReleaseLog(log).entriesOf({ releaseId: r.releaseId });
    expect(entries.map((e) => e.payload.actor)).toEqual([r.requesterId, 'siro-1']);
  });

  it('refuses a transition from a version no longer stored, even in the same state', async () => {
    // Arrange: the release moved on to version 2 without leaving REQUESTED
    const repo = dynamoReleaseRepository(releases, log);
    const r = release();
    await repo.create(r, logPayload(r, 'REQUESTED', r.requesterId));
    const moved: Release = { ...r, version: r.version + 1 };
    await repo.replace(moved, r, logPayload(moved, 'REQUESTED', 'someone'));
    // Act: a writer still holding version 1
    const stale: Release = { ...r, state: 'REJECTED', version: r.version + 1 };
    const written = await repo.replace(stale, r, logPayload(stale, 'REJECTED', 'siro-2'));
    // Assert
    expect(written).toBeUndefined();
    expect(await repo.get(r.releaseId)).toEqual(moved);
  });

  it('lists the releases of a state due before a time, soonest first, from the index', async () => {
    // Arrange: three requests a day apart (each expires 14 days after it was made)
    const repo = dynamoReleaseRepository(releases, log);
    const made = ['2026-03-01', '2026-03-02', '2026-03-03'].map((day) =>
      release({ now: `${day}T10:00:00.000Z` }),
    );
    for (const r of made) await repo.create(r, logPayload(r, 'REQUESTED', r.requesterId));
    const { named } = watchDynamo();
    // Act
    const due = await repo.query(
      { by: 'state', state: 'REQUESTED', dueBefore: '2026-03-16T10:00:00.000Z' },
      50,
    );
    // Assert: those expiring by 16 March, not the third (17 March)
    const ids = due.map((x) => x.releaseId);
    expect(ids.filter((id) => made.some((r) => r.releaseId === id))).toEqual(
      made.slice(0, 2).map((r) => r.releaseId),
    );
    expect(
      due.every((x) => x.state === 'REQUESTED' && x.requestExpiresAt <= '2026-03-16T10:00:00.000Z'),
    ).toBe(true);
    expect(named('ScanCommand')).toEqual([]);
  });

  it('keeps one unforked log when releases are created at the same time', async () => {
    // Arrange
    const repo = dynamoReleaseRepository(releases, log);
    const made = Array.from({ length: 6 }, () => release());
    // Act
    const links = await Promise.all(
      made.map((r) => repo.create(r, logPayload(r, 'REQUESTED', r.requesterId))),
    );
    // Assert
    expect(new Set(links.map((l) => l.seq)).size).toBe(made.length);
    expect(verifyChain(await dynamoReleaseLog(log).entries())).toMatchObject({ ok: true });
  });
});

describe('release log', () => {
  it('finds an entry by its release and by its requester', async () => {
    // Arrange
    const r = release();
    // Act
    const link = await dynamoReleaseLog(log).append(logPayload(r, 'REQUESTED', r.requesterId));
    // Assert
    const byRelease = await dynamoReleaseLog(log).entriesOf({ releaseId: r.releaseId });
    const byRequester = await dynamoReleaseLog(log).entriesOf({ requester: r.requesterId });
    expect(byRelease.map((l) => l.hash)).toEqual([link.hash]);
    expect(byRequester.map((l) => l.hash)).toEqual([link.hash]);
  });

  it('reads the entries after a seq, up to the limit, and stops at the end of the chain', async () => {
    // Arrange: a log of its own, twelve entries
    const own = dynamoReleaseLog(await ownTable('releaseLog'));
    for (let i = 0; i < 12; i += 1) await own.append(logPayload(release(), 'REQUESTED', `req-${i}`));
    // Act
    const page = await own.entriesAfter(7, 5);
    const rest = await own.entriesAfter(10, 1001);
    // Assert
    expect(page.map((l) => l.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(rest.map((l) => l.seq)).toEqual([11, 12]);
    expect(page[0]).not.toHaveProperty('gsi1pk');
  });
});
