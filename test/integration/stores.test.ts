/**
 * One test per store against the stack's DynamoDB Local: each adapter's conditions hold as the use cases
 * rely on them (the unit tests use in-memory port fakes that assume exactly these answers). Every test
 * writes under its own ids, so it can share the stack with the whole suite.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ROUTES, routeKey } from '../../declarations/routes.js';
import {
  acquireLease,
  clearDeleteDay,
  getRecording,
  markArchived,
  markDeleted,
  markExpired,
  markQuarantined,
  queryByStatusBefore,
  recordArchiveDeletion,
  recordingQuery,
  restoreArchived,
  searchRecordings,
} from '../../functions/adapters/catalogue-store.js';
import { pageExtensions, readDayCounters, readUnnotified } from '../../functions/adapters/counters-read.js';
import {
  countQuarantined,
  countRecordingRegistered,
  trackExtension,
} from '../../functions/adapters/counters-write.js';
import { dynamoHoldsStore } from '../../functions/adapters/holds-store.js';
import {
  dynamoExtensions,
  dynamoServiceAreas,
  getServiceArea,
} from '../../functions/adapters/registers-store.js';
import { dynamoStaffRegister, noteStaffInArea } from '../../functions/adapters/staff-register.js';
import { quarantineMetrics } from '../../functions/domain/compliance.js';
import { ValidationError } from '../../functions/domain/errors.js';
import type { Hold } from '../../functions/domain/holds.js';
import type { DeletionCertificate, Recording } from '../../functions/domain/recording.js';
import type { StaffNotice } from '../../functions/domain/staff-notices.js';
import { awsIngestApiDeps } from '../../functions/ingest/api-deps.js';
import { awsPlaybackDeps } from '../../functions/playback/deps.js';
import { playbackRoutes } from '../../functions/playback/routes.js';
import { type EventOptions, invoke } from '../unit/support/http.js';
import { closeClients, dynamo, stack, table, watchDynamo } from './support.js';

jest.setTimeout(120_000); // budgeted for a loaded 2-core machine

beforeAll(() => {
  // The adapters in this process talk to the stack's emulators.
  Object.assign(process.env, stack().env, { LOG_LEVEL: 'silent' });
});
afterAll(closeClients);

/** A recording of this file's own: unique id, extension and agent, so its index partitions are its own. */
const recordingOf = (overrides: Partial<Recording> = {}): Recording => {
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
  return r;
};

/** The same, written to the catalogue. */
const seed = async (overrides: Partial<Recording> = {}): Promise<Recording> => {
  const r = recordingOf(overrides);
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

describe('catalogue store: ingest states', () => {
  /** A registration awaiting its audio, never archived. */
  const registration = (statusAt: string) =>
    seed({
      status: 'PENDING',
      statusAt,
      registeredAt: statusAt,
      archivedAt: undefined,
      archiveKey: undefined,
      archiveVersionId: undefined,
      deleteDay: undefined,
    });
  const everyPending = async (before: string) => {
    const ids: string[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await queryByStatusBefore('PENDING', before, cursor);
      ids.push(...page.items.map((r) => r.recordingId));
      cursor = page.cursor;
    } while (cursor);
    return ids;
  };

  it('finds registrations PENDING since before a time, and expires one only while it is as read', async () => {
    // Arrange: dates no other test uses, so the index partition's slice is this test's own
    const stale = await registration('1999-03-01T00:00:00.001Z');
    const archivedSince = await registration('1999-03-01T00:00:00.002Z');
    const fresh = await registration('1999-03-02T00:00:00.000Z');
    await markArchived(archivedSince.recordingId, {
      archivedAt: '1999-03-01T00:00:01.000Z',
      archiveKey: `revenues/1999/03/01/${archivedSince.recordingId}.wav`,
      deleteDay: '2001-03-01',
    });
    const at = '1999-03-02T12:00:00.000Z';
    // Act
    const found = await everyPending('1999-03-01T12:00:00.000Z');
    const changedSinceRead = await markExpired(stale.recordingId, '1999-03-01T00:00:00.009Z', at);
    const asRead = await markExpired(stale.recordingId, stale.statusAt, at);
    const again = await markExpired(stale.recordingId, stale.statusAt, at);
    const notPending = await markExpired(archivedSince.recordingId, archivedSince.statusAt, at);
    // Assert
    expect(found).toContain(stale.recordingId);
    expect(found).not.toContain(archivedSince.recordingId);
    expect(found).not.toContain(fresh.recordingId);
    expect([changedSinceRead, asRead, again, notPending]).toEqual([false, true, false, false]);
    expect(await getRecording(stale.recordingId)).toMatchObject({
      status: 'EXPIRED',
      statusAt: at,
      expiredAt: at,
    });
    expect((await getRecording(archivedSince.recordingId))?.status).toBe('ARCHIVED');
  });

  it('registers a call id once: the call record and its PENDING entry together, a second registration refused and unwritten', async () => {
    // Arrange: the ingest API's own wiring of the registration port
    const { registrations } = awsIngestApiDeps();
    const id = randomUUID();
    const callId = `call-once-${id}`;
    const entry = (recordingId: string) =>
      recordingOf({
        recordingId,
        callId,
        status: 'PENDING',
        archivedAt: undefined,
        archiveKey: undefined,
        archiveVersionId: undefined,
        deleteDay: undefined,
      });
    const first = {
      callId,
      recordingId: `${id}-a`,
      bodyHash: 'h1',
      registeredAt: '1999-05-01T00:00:00.000Z',
    };
    const twin = { ...first, recordingId: `${id}-b`, bodyHash: 'h2' };
    // Act
    const won = await registrations.register(first, entry(first.recordingId));
    const lost = await registrations.register(twin, entry(twin.recordingId));
    // Assert
    expect([won, lost]).toEqual([true, false]);
    expect(await registrations.getCallRecord(callId)).toMatchObject(first);
    expect(await registrations.getRecording(first.recordingId)).toMatchObject({ callId, status: 'PENDING' });
    expect(await registrations.getRecording(twin.recordingId)).toBeUndefined();
  });

  it('leases a registration to one owner at a time, and settles it once', async () => {
    // Arrange
    const r = await registration('1999-04-01T00:00:00.000Z');
    const now = new Date('2026-06-01T10:00:00.000Z');
    const later = new Date(now.getTime() + 61_000);
    // Act + Assert: one owner at a time, the same owner again, another once the lease has run out
    expect(await acquireLease(r.recordingId, 'message-1', now, 60_000)).toBe(true);
    expect(await acquireLease(r.recordingId, 'message-2', now, 60_000)).toBe(false);
    expect(await acquireLease(r.recordingId, 'message-1', now, 60_000)).toBe(true);
    expect(await acquireLease(r.recordingId, 'message-2', later, 60_000)).toBe(true);
    // Settled: the lease is dropped, a repeat is a no-op, another final state is refused
    const archived = {
      archivedAt: later.toISOString(),
      archiveKey: `revenues/1999/04/01/${r.recordingId}.wav`,
      archiveVersionId: 'v1',
      deleteDay: '2001-04-01',
    };
    await markArchived(r.recordingId, archived);
    await markArchived(r.recordingId, archived);
    await expect(
      markQuarantined(r.recordingId, { reason: 'truncated', detail: 'x', at: later.toISOString(), key: 'q' }),
    ).rejects.toThrow();
    await expect(markArchived(r.recordingId, { ...archived, archiveKey: 'elsewhere' })).rejects.toThrow();
    expect(await acquireLease(r.recordingId, 'message-3', later, 60_000)).toBe(false);
    const stored = await getRecording(r.recordingId);
    expect(stored).toMatchObject({ status: 'ARCHIVED', ...archived });
    expect(
      (
        await dynamo().send(
          new GetCommand({ TableName: table('catalogue'), Key: { recordingId: r.recordingId } }),
        )
      ).Item,
    ).not.toHaveProperty('leaseOwner');
  });

  it('quarantines a registration once, and a missing entry not at all', async () => {
    const r = await registration('1999-05-01T00:00:00.000Z');
    const q = {
      reason: 'checksum-mismatch',
      detail: 'x',
      at: '1999-05-01T00:01:00.000Z',
      key: 'quarantine/x',
    };
    await markQuarantined(r.recordingId, q);
    await markQuarantined(r.recordingId, q);
    expect(await getRecording(r.recordingId)).toMatchObject({ status: 'QUARANTINED', quarantine: q });
    await expect(markQuarantined(randomUUID(), q)).rejects.toThrow();
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
  const serviceArea = (id: string) => ({
    id,
    name: 'Stores test',
    businessCase: {} as never,
    status: 'incomplete' as const,
    missing: [],
    updatedAt: '2024-01-01T00:00:00.000Z',
    updatedBy: 'reggie',
  });

  it('replaces a service area only while it is as read (optimistic approval)', async () => {
    // Arrange
    const areas = dynamoServiceAreas(table('registers'));
    const id = `area-${randomUUID().slice(0, 8)}`;
    const area = serviceArea(id);
    const never = `never-${randomUUID().slice(0, 8)}`;
    // Act
    const first = await areas.put(area);
    const stale = await areas.put({ ...area, name: 'stale' }, '2023-12-31T00:00:00.000Z');
    const current = await areas.put({ ...area, name: 'approved' }, area.updatedAt);
    const unknown = await areas.put(serviceArea(never), area.updatedAt);
    // Assert
    expect([first, stale, current, unknown]).toEqual([true, false, true, false]);
    expect(await areas.get(id)).toEqual({ ...area, name: 'approved' });
    expect(await getServiceArea(id)).toEqual({ ...area, name: 'approved' });
    expect(await areas.get(never)).toBeUndefined();
  });

  it('lists every service area by id, without its keys', async () => {
    // Arrange: two areas of this test's own, written out of order
    const areas = dynamoServiceAreas(table('registers'));
    const prefix = `list-${randomUUID().slice(0, 8)}`;
    await areas.put(serviceArea(`${prefix}-b`));
    await areas.put(serviceArea(`${prefix}-a`));
    // Act
    const listed = (await areas.list()).filter((a) => a.id.startsWith(prefix));
    // Assert
    expect(listed).toEqual([serviceArea(`${prefix}-a`), serviceArea(`${prefix}-b`)]);
  });

  it('stores an extension and reads it back without its keys', async () => {
    const extensions = dynamoExtensions(table('registers'));
    const number = String(Math.floor(Math.random() * 1e9));
    const extension = {
      number,
      serviceArea: 'revenues',
      mode: 'always' as const,
      marked: true,
      pairedUnrecorded: '4901',
      updatedAt: '2024-01-01T00:00:00.000Z',
      updatedBy: 'reggie',
    };
    await extensions.put(extension);
    expect(await extensions.get(number)).toEqual(extension);
    expect(await extensions.get(`${number}9`)).toBeUndefined();
  });

  it('pages an area’s extension list by number, moves a moved extension, and keeps cursors to their area', async () => {
    // Arrange: two areas of this test's own
    const [here, there] = [`ext-${randomUUID().slice(0, 8)}`, `ext-${randomUUID().slice(0, 8)}`];
    const summary = (number: string) => ({ number, mode: 'never' as const, marked: false });
    await trackExtension(here, summary('5002'));
    await trackExtension(here, summary('5001'));
    await trackExtension(here, summary('5003'));
    await trackExtension(there, summary('6001'));
    // Act
    const first = await pageExtensions(here, 2);
    const second = await pageExtensions(here, 2, first.cursor);
    await trackExtension(there, summary('5002'), here);
    const after = await pageExtensions(here, 10);
    const moved = await pageExtensions(there, 10);
    const elsewhere = (await pageExtensions(there, 1)).cursor as string;
    // Assert
    expect(first.items.map((e) => e.number)).toEqual(['5001', '5002']);
    expect(second.items.map((e) => e.number)).toEqual(['5003']);
    expect(second.cursor).toBeUndefined();
    expect(after.items).toEqual([summary('5001'), summary('5003')]);
    expect(moved.items.map((e) => e.number)).toEqual(['5002', '6001']);
    await expect(pageExtensions(here, 1, elsewhere)).rejects.toThrow(ValidationError);
  });
});

describe('staff register', () => {
  const ALL = { purpose: true, uses: true, retention: true, businessCallsOnly: true };
  const notice = (staffId: string, over: Partial<StaffNotice> = {}): StaffNotice => ({
    staffId,
    kind: 'first-use',
    date: '2024-03-01',
    toldBy: 'mgr',
    checklist: ALL,
    recordedBy: 'reg',
    recordedAt: '2024-03-01T10:00:00.000Z',
    ...over,
  });

  it('stores a notice once per staff member, day and kind; a repeat is the same or different', async () => {
    const register = dynamoStaffRegister(table('registers'));
    const staffId = `staff-${randomUUID()}`;
    const first = await register.putNotice(notice(staffId));
    const same = await register.putNotice(notice(staffId, { recordedAt: '2024-03-02T10:00:00.000Z' }));
    const different = await register.putNotice(notice(staffId, { toldBy: 'someone-else' }));
    const otherKind = await register.putNotice(notice(staffId, { kind: 'annual-reminder' }));
    expect([first.result, same.result, different.result, otherKind.result]).toEqual([
      'created',
      'same',
      'different',
      'created',
    ]);
    // The stored notice is the first one, whatever a repeat said.
    expect(different.stored).toEqual(notice(staffId));
  });

  it('keeps both of two concurrent updates, and moves the staff member in the due index of each area', async () => {
    // Arrange: areas of this test's own, so the due partitions hold only its staff
    const register = dynamoStaffRegister(table('registers'));
    const staffId = `staff-${randomUUID()}`;
    const [a, b] = [`due-${randomUUID().slice(0, 8)}`, `due-${randomUUID().slice(0, 8)}`];
    expect(await register.get(staffId)).toEqual({ staffId, areas: [] });
    // Act: two writers at once (each reads version 0; one must read again and retry)
    await Promise.all([noteStaffInArea(staffId, a, '2024-02-01'), noteStaffInArea(staffId, b, '2024-02-03')]);
    const dueBefore = await Promise.all([
      register.dueBy('2024-02-28', a),
      register.dueBy('2024-02-28', b),
      register.dueBy('2024-01-31', a),
    ]);
    const unchanged = await register.update(staffId, () => undefined);
    const told = await register.update(staffId, (s) => ({ ...s, firstUse: '2024-02-10' }));
    const dueAfter = await Promise.all([register.dueBy('2024-02-28', a), register.dueBy('2025-02-10', b)]);
    // Assert
    expect((await register.get(staffId)).areas).toEqual([a, b].sort());
    expect(dueBefore.map((list) => list.map((s) => s.staffId))).toEqual([[staffId], [staffId], []]);
    expect(unchanged).toMatchObject({ staffId, firstSeen: '2024-02-01' });
    expect(told.firstUse).toBe('2024-02-10');
    // A first-use notice moves the next one 12 months on: due by 2025-02-10, not by 2024-02-28.
    expect(dueAfter.map((list) => list.map((s) => s.staffId))).toEqual([[], [staffId]]);
    expect((await register.dueBy('2025-02-10')).map((s) => s.staffId)).toContain(staffId);
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
  it('adds a registered call to its area and UTC day, and lists it when the customer was not told', async () => {
    // Arrange
    const serviceArea = `stores-${randomUUID().slice(0, 8)}`;
    const call = {
      recordingId: randomUUID(),
      serviceArea,
      startedAt: '2023-05-06T23:30:00+01:00', // 22:30 UTC: counted on the UTC day
      extension: '2001',
      agentId: 'a1',
      notification: { method: 'none' as const },
      abuseReminder: true,
      verificationReminder: false,
    };
    // Act
    const counted = await countRecordingRegistered(call);
    const again = await countRecordingRegistered(call);
    // Assert
    expect([counted, again]).toEqual([true, false]);
    expect(await readDayCounters(serviceArea, '2023-05-06', '2023-05-06')).toEqual([
      { recordings: 1, 'notification:none': 1, 'reminder:abuse': 1 },
    ]);
    expect(await readUnnotified(serviceArea, '2023-05-06', '2023-05-06')).toEqual([
      expect.objectContaining({ recordingId: call.recordingId, agentId: 'a1' }),
    ]);
  });

  it('counts every one of many calls registered at once on the same day (writers retry, none lost)', async () => {
    // Arrange: twelve calls of one area and day, counted concurrently (each a transaction on the day item)
    const serviceArea = `stores-${randomUUID().slice(0, 8)}`;
    const calls = Array.from({ length: 12 }, (_, i) => ({
      recordingId: randomUUID(),
      serviceArea,
      startedAt: `2023-05-07T10:${String(i).padStart(2, '0')}:00.000Z`,
      extension: '2001',
      agentId: `a${i}`,
      notification: { method: 'announcement' as const },
      abuseReminder: false,
      verificationReminder: false,
    }));
    // Act
    const counted = await Promise.all(calls.map(countRecordingRegistered));
    // Assert
    expect(counted).toEqual(calls.map(() => true));
    expect(await readDayCounters(serviceArea, '2023-05-07', '2023-05-07')).toEqual([
      { recordings: 12, 'notification:announcement': 12 },
    ]);
  });
});

describe('no Scan on any request path', () => {
  const EVERYONE = {
    staffId: 'ops',
    groups: ['area:revenues:nominated', 'area:housing:listener', 'role:ig-officer'],
  };
  /** Every playback route, with every filter combination that picks a different read. */
  const calls = (id: string, held: string, r: Recording): [string, EventOptions][] => [
    ['GET /recordings', { query: { serviceArea: 'revenues' } }],
    [
      'GET /recordings',
      { query: { serviceArea: 'revenues', from: '2023-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' } },
    ],
    ['GET /recordings', { query: { serviceArea: 'revenues', status: 'ARCHIVED' } }],
    ['GET /recordings', { query: { caller: '+441234567890' } }],
    ['GET /recordings', { query: { extension: r.extension, from: '2023-01-01T00:00:00Z' } }],
    ['GET /recordings', { query: { agent: r.agentId, to: '2024-01-01T00:00:00Z' } }],
    ['GET /recordings', { query: { serviceArea: 'housing', agent: r.agentId, caller: '+441234567890' } }],
    ['GET /recordings/{id}', { params: { id } }],
    ['GET /recordings/{id}', { params: { id: `missing-${id}` } }],
    ['POST /recordings/{id}/playback', { params: { id }, body: { purpose: 'training' } }],
    ['POST /recordings/{id}/download', { params: { id }, body: { purpose: 'training' } }],
    ['DELETE /recordings/{id}', { params: { id }, body: { reason: 'duplicate recording' } }],
    ['DELETE /recordings/{id}', { params: { id: held }, body: { reason: 'duplicate recording' } }],
    ['GET /audit', { query: {} }],
    ['GET /audit', { query: { from: '2024-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' } }],
    ['GET /audit', { query: { from: '2024-01-01T00:00:00Z' } }],
    ['GET /audit', { query: { to: '2025-01-01T00:00:00Z', limit: '1' } }],
    ['GET /audit', { query: { recordingId: id, actor: 'ops' } }],
    ['GET /audit', { query: { actor: 'ops', from: '2024-01-01T00:00:00Z' } }],
    ['GET /audit/export', { query: { limit: '2' } }],
  ];
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('runs every playback route on the stores with queries only, never a Scan', async () => {
    // Arrange: one recording still in retention (so the delete is refused), one held
    const r = await seed({ retainUntil: '2999-01-01T00:00:00.000Z' });
    const held = await seed({ holdCount: 1 });
    const all = calls(r.recordingId, held.recordingId, r);
    const handler = playbackRoutes(awsPlaybackDeps());
    const { sent } = watchDynamo();
    // Act
    const statuses: number[] = [];
    for (const [key, options] of all)
      statuses.push((await invoke(handler, key, { ...EVERYONE, ...options })).status);
    // Assert
    const mine = ROUTES.filter((route) => route.function === 'playback').map(routeKey);
    expect(new Set(all.map(([key]) => key))).toEqual(new Set(mine));
    expect(
      all.filter((_, i) => (statuses[i] ?? 0) >= 500).map(([k, o]) => `${k} ${JSON.stringify(o)}`),
    ).toEqual([]);
    expect(sent.filter((s) => s.command === 'QueryCommand').length).toBeGreaterThan(0);
    expect(sent.filter((s) => /Scan/.test(s.command))).toEqual([]);
  });
});
