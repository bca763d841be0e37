/**
 * One test per store against the stack's DynamoDB Local: each adapter's conditions hold as the use cases
 * rely on them (the unit tests use in-memory port fakes that assume exactly these answers). Every test
 * writes under its own ids, so it can share the stack with the whole suite.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  clearDeleteDay,
  getRecording,
  markDeleted,
  recordArchiveDeletion,
  recordingQuery,
  restoreArchived,
  searchRecordings,
} from '../../functions/adapters/catalogue-store.js';
import { readDayCounters } from '../../functions/adapters/counters-read.js';
import { countQuarantined } from '../../functions/adapters/counters-write.js';
import { dynamoHoldsStore } from '../../functions/adapters/holds-store.js';
import { getServiceArea, putServiceArea } from '../../functions/adapters/registers-store.js';
import { quarantineMetrics } from '../../functions/domain/compliance.js';
import { ValidationError } from '../../functions/domain/errors.js';
import type { Hold } from '../../functions/domain/holds.js';
import type { DeletionCertificate, Recording } from '../../functions/domain/recording.js';
import { closeClients, dynamo, stack, table } from './support.js';

jest.setTimeout(120_000); // budgeted for a loaded 2-core machine

beforeAll(() => {
  // The adapters in this process talk to the stack's emulators.
  Object.assign(process.env, stack().env, { LOG_LEVEL: 'silent' });
});
afterAll(closeClients);

/** A recording of this file's own: unique id, extension and agent, so its index partitions are its own. */
const seed = async (overrides: Partial<Recording> = {}): Promise<Recording> => {
  const id = randomUUID();
  const r: Recording = {
    recordingId: id,
    callId: `call-${id}`,
    serviceArea: 'revenues',
    extension: `x${id.slice(0, 8)}`,
    direction: 'inbound',
    startedAt: '2023-02-01T09:00:00.000Z',
    endedAt: '2023-02-01T09:05:00.000Z',
    durationSeconds: 300,
    agentId: `agent-${id}`,
    callerHash: `hash-${id}`,
    callerLast3: '123',
    callerWithheld: false,
    notification: { method: 'announcement' },
    abuseReminder: false,
    verificationReminder: false,
    pci: { pausedSegments: [], cardDataCaptured: false },
    audio: { format: 'wav', sizeBytes: 10, sha256: 'c'.repeat(64) },
    status: 'ARCHIVED',
    statusAt: '2023-02-01T09:06:00.000Z',
    registeredAt: '2023-02-01T09:05:10.000Z',
    archivedAt: '2023-02-01T09:06:00.000Z',
    archiveKey: `revenues/2023/02/01/${id}.wav`,
    archiveVersionId: 'v1',
    retainUntil: '2024-02-01T09:00:00.000Z',
    deleteAfter: '2025-02-01T09:00:00.000Z',
    deleteDay: '2025-02-01',
    holdCount: 0,
    ...overrides,
  };
  await dynamo().send(new PutCommand({ TableName: table('catalogue'), Item: r }));
  return r;
};

const certificate = (r: Recording, at = '2024-06-01T10:00:00.000Z'): DeletionCertificate => ({
  by: 'store-test',
  at,
  rule: 's6.nominated-delete',
  reason: 'store test',
  archiveKey: r.archiveKey as string,
  versionId: r.archiveVersionId,
  sha256: r.audio.sha256,
});

const deletionRecord = async (r: Recording, at: string) =>
  (
    await dynamo().send(
      new GetCommand({
        TableName: table('holds'),
        Key: { pk: `DELETIONS#${at.slice(0, 7)}`, sk: `${at}#${r.recordingId}` },
      }),
    )
  ).Item;

describe('catalogue store', () => {
  it('marks deleted only an ARCHIVED, unheld recording past its floor, with its record in the same write', async () => {
    // Arrange
    const due = await seed();
    const held = await seed({ holdCount: 1 });
    const young = await seed({ retainUntil: '2999-01-01T00:00:00.000Z' });
    const pending = await seed({ status: 'PENDING' });
    // Act
    const results = await Promise.all(
      [due, held, young, pending].map((r) => markDeleted(r, certificate(r), 'retainUntil')),
    );
    const again = await markDeleted(due, certificate(due, '2024-06-02T10:00:00.000Z'), 'retainUntil');
    // Assert
    expect(results).toEqual([true, false, false, false]);
    expect(again).toBe(false);
    expect(await getRecording(due.recordingId)).toMatchObject({
      status: 'DELETED',
      deletion: certificate(due),
      // The object is not gone yet: the recording stays in the deletion-day index for the sweeper.
      deleteDay: due.deleteDay,
    });
    expect(await deletionRecord(due, certificate(due).at)).toMatchObject({
      recordingId: due.recordingId,
      certificate: certificate(due),
    });
    for (const r of [held, young, pending]) {
      expect((await getRecording(r.recordingId))?.status).toBe(r.status);
      expect(await deletionRecord(r, certificate(r).at)).toBeUndefined();
    }
  });

  it('uses delete-after as the floor for the sweeper', async () => {
    const r = await seed();
    // Past retain-until, before delete-after: the sweeper may not delete yet.
    expect(await markDeleted(r, certificate(r, '2024-06-01T10:00:00.000Z'), 'deleteAfter')).toBe(false);
    expect(await markDeleted(r, certificate(r, '2025-03-01T10:00:00.000Z'), 'deleteAfter')).toBe(true);
  });

  it('restores the deletion it undoes (record taken back), and clears the deletion day only once deleted', async () => {
    // Arrange
    const r = await seed();
    const cert = certificate(r);
    await expect(clearDeleteDay(r.recordingId)).rejects.toThrow();
    await markDeleted(r, cert, 'retainUntil');
    // Act: another deletion's certificate does not restore this one
    await expect(restoreArchived(r, { ...cert, at: '2024-07-01T00:00:00.000Z' })).rejects.toThrow();
    await restoreArchived(r, cert);
    // Assert
    const restored = await getRecording(r.recordingId);
    expect(restored).toMatchObject({ status: 'ARCHIVED', statusAt: r.statusAt, deleteDay: r.deleteDay });
    expect(restored).not.toHaveProperty('deletion');
    expect(await deletionRecord(r, cert.at)).toBeUndefined();
    // ...and a deletion that went through leaves the deletion-day index
    await markDeleted(r, cert, 'retainUntil');
    await clearDeleteDay(r.recordingId);
    expect(await getRecording(r.recordingId)).not.toHaveProperty('deleteDay');
  });

  it('records a lifecycle deletion once, in any state but DELETED, out of the deletion-day index', async () => {
    const r = await seed({ holdCount: 1 });
    const cert = { ...certificate(r), by: 'system:s3-lifecycle' };
    expect(await recordArchiveDeletion(r, cert)).toBe(true);
    expect(await recordArchiveDeletion(r, cert)).toBe(false);
    const stored = await getRecording(r.recordingId);
    expect(stored).toMatchObject({ status: 'DELETED', deletion: cert });
    expect(stored).not.toHaveProperty('deleteDay');
    expect(await deletionRecord(r, cert.at)).toMatchObject({ recordingId: r.recordingId });
  });

  it('searches one index partition newest first, keeps other areas out, and pages with its cursor', async () => {
    // Arrange: one agent, three recordings in revenues and one in housing
    const agentId = `agent-${randomUUID()}`;
    const times = ['2023-03-01T09:00:00.000Z', '2023-03-02T09:00:00.000Z', '2023-03-03T09:00:00.000Z'];
    const mine = [];
    for (const startedAt of times) mine.push(await seed({ agentId, startedAt }));
    await seed({ agentId, serviceArea: 'housing', startedAt: '2023-03-04T09:00:00.000Z' });
    // Act
    const first = await searchRecordings(recordingQuery({ areas: ['revenues'], agentId, limit: 2 }));
    const second = await searchRecordings(
      recordingQuery({ areas: ['revenues'], agentId, limit: 2, cursor: first.cursor }),
    );
    const march2 = await searchRecordings(
      recordingQuery({
        areas: ['revenues'],
        agentId,
        from: '2023-03-02T00:00:00.000Z',
        to: '2023-03-02T23:59:59.999Z',
        limit: 10,
      }),
    );
    // Assert: newest first, housing never returned, every recording once across the pages
    const ids = [...first.items, ...second.items].map((i) => i.recordingId);
    const expected = [...mine].reverse().map((r) => r.recordingId);
    expect(ids.filter((id) => expected.includes(id))).toEqual(expected);
    expect([...first.items, ...second.items].every((i) => i.serviceArea === 'revenues')).toBe(true);
    expect(march2.items.map((i) => i.recordingId)).toEqual([mine[1]?.recordingId]);
  });

  it('refuses a cursor for another partition as a 400 on the cursor', () => {
    const cursor = Buffer.from(
      JSON.stringify({ recordingId: 'x', startedAt: 'y', serviceArea: 'housing' }),
    ).toString('base64url');
    expect(() => recordingQuery({ areas: ['revenues'], serviceArea: 'revenues', limit: 5, cursor })).toThrow(
      ValidationError,
    );
  });
});

describe('holds store', () => {
  const hold = (): Hold => ({
    holdId: `hold-${randomUUID()}`,
    caseRef: 'CASE-STORES',
    reason: 'store test',
    reviewDate: '2099-01-01',
    scope: { recordingIds: [] },
    status: 'ACTIVE',
    placedBy: 'iris',
    placedAt: '2024-01-01T00:00:00.000Z',
    scopeResolved: false,
    progress: { matched: 0, applied: 0, failed: 0, released: 0 },
  });

  it('links a hold only to an archived recording, counts it once, and the count blocks deletion', async () => {
    // Arrange
    const store = dynamoHoldsStore(table('holds'));
    const h = hold();
    await store.createHold(h);
    const archived = await seed();
    const pending = await seed({ status: 'PENDING' });
    // Act
    const applied = await store.applyToRecording(h.holdId, archived.recordingId, '2024-01-02T00:00:00.000Z');
    const again = await store.applyToRecording(h.holdId, archived.recordingId, '2024-01-02T00:00:00.000Z');
    const refused = await store.applyToRecording(h.holdId, pending.recordingId, '2024-01-02T00:00:00.000Z');
    const missing = await store.applyToRecording(h.holdId, `missing-${randomUUID()}`, '2024-01-02T00:00:00Z');
    // Assert
    expect([applied.outcome, again.outcome, refused.outcome, missing.outcome]).toEqual([
      'applied',
      'already',
      'not-archived',
      'missing',
    ]);
    expect((await getRecording(archived.recordingId))?.holdCount).toBe(1);
    expect(await markDeleted(archived, certificate(archived), 'retainUntil')).toBe(false);
    // Released: the count goes back to zero (never below), and the recording may be deleted again.
    await store.releaseFromRecording(h.holdId, archived.recordingId);
    await store.releaseFromRecording(h.holdId, archived.recordingId);
    expect((await getRecording(archived.recordingId))?.holdCount).toBe(0);
    expect(await markDeleted(archived, certificate(archived), 'retainUntil')).toBe(true);
  });
});

describe('registers store', () => {
  it('replaces a service area only while it is as read (optimistic approval)', async () => {
    // Arrange
    const id = `area-${randomUUID().slice(0, 8)}`;
    const area = {
      id,
      name: 'Stores test',
      businessCase: {} as never,
      status: 'draft' as never,
      missing: [],
      updatedAt: '2024-01-01T00:00:00.000Z',
      updatedBy: 'reggie',
    };
    await putServiceArea(area);
    // Act
    const stale = await putServiceArea({ ...area, name: 'stale' }, '2023-12-31T00:00:00.000Z');
    const current = await putServiceArea({ ...area, name: 'approved' }, area.updatedAt);
    // Assert
    expect([stale, current]).toEqual([false, true]);
    expect((await getServiceArea(id))?.name).toBe('approved');
  });
});

describe('counters', () => {
  it('counts an event once however often it is reported', async () => {
    // Arrange: an area of this test's own, so its day item is its own
    const serviceArea = `stores-${randomUUID().slice(0, 8)}`;
    const event = {
      subjectId: randomUUID(),
      serviceArea,
      startedAt: '2023-05-05T10:00:00.000Z',
      at: '2023-05-05T10:10:00.000Z',
      reason: 'not audio',
    };
    // Act
    const first = await countQuarantined(event);
    const repeat = await countQuarantined(event);
    // Assert
    expect([first, repeat]).toEqual([true, false]);
    const days = await readDayCounters(serviceArea, '2023-05-05', '2023-05-05');
    expect(days).toEqual([quarantineMetrics('not audio')]);
  });
});
