import { principalFrom } from '../../../functions/domain/roles.js';
import { buildHandler } from '../../../functions/legal-hold/api.js';
import { buildWorker, handleMessage } from '../../../functions/legal-hold/fanout.js';
import { holdsDueForReview } from '../../../functions/legal-hold/review-job.js';
import { type HoldDeps, liftHold, placeHold } from '../../../functions/legal-hold/use-cases.js';
import { invoke } from '../support/http.js';
import {
  FakeFanout,
  FakeHoldCounters,
  FakeHoldsStore,
  FakeObjectLock,
  recordingFacts,
  storePorts,
} from './fakes.js';

process.env.LOG_LEVEL = 'silent';

const NOW = new Date('2026-11-28T08:00:00.000Z');
const IG = ['role:ig-officer'];
const ig = principalFrom('ig-1', IG, []);

const setup = () => {
  const store = new FakeHoldsStore();
  const objects = new FakeObjectLock();
  const fanout = new FakeFanout();
  let n = 0;
  const counters = new FakeHoldCounters();
  const deps: HoldDeps = {
    ...storePorts(store),
    counters,
    objects,
    fanout,
    now: () => NOW,
    newId: () => `h${++n}`,
  };
  const deliver = (m: Parameters<typeof handleMessage>[1]) => handleMessage(deps, m);
  return { store, counters, objects, fanout, deps, deliver, handler: buildHandler(deps) };
};

const holdBody = (scope: unknown, extra: Record<string, unknown> = {}) => ({
  caseRef: 'CASE-1',
  reason: 'complaint investigation',
  reviewDate: '2027-01-31',
  scope,
  ...extra,
});

describe('POST /holds', () => {
  it('refuses anyone who is not an IG officer with 403 naming the rule', async () => {
    // Arrange
    const { store, handler } = setup();
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    // Act
    const reply = await invoke(handler, 'POST /holds', {
      staffId: 'm1',
      groups: ['area:revenues:manager', 'role:siro'],
      body: holdBody({ recordingIds: ['r1'] }),
    });
    // Assert
    expect(reply.status).toBe(403);
    expect(reply.json.rule).toBe('s7.holds-by-information-governance');
    expect(store.recordings.get('r1')?.holdCount).toBe(0);
  });

  it('refuses a hold without a case reference with 400 naming the field', async () => {
    const { handler } = setup();
    const { caseRef: _omit, ...body } = holdBody({ recordingIds: ['r1'] });
    const reply = await invoke(handler, 'POST /holds', { staffId: 'ig-1', groups: IG, body });
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe('body.caseRef');
  });

  it('refuses a query scope without a service area with 400', async () => {
    const { handler } = setup();
    const reply = await invoke(handler, 'POST /holds', {
      staffId: 'ig-1',
      groups: IG,
      body: holdBody({ query: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' } }),
    });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.json.issues)).toContain('serviceArea');
  });

  it('refuses a retain-until beyond a covered recording’s 24-month point without IG guidance (422)', async () => {
    // Arrange
    const { store, handler } = setup();
    store.add(recordingFacts('r1', '2025-01-10T10:00:00.000Z'));
    // Act
    const reply = await invoke(handler, 'POST /holds', {
      staffId: 'ig-1',
      groups: IG,
      body: holdBody({ recordingIds: ['r1'] }, { retainUntil: '2027-02-01' }),
    });
    // Assert
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s7.ig-guidance-beyond-24-months');
    expect(store.holds.size).toBe(0);
  });

  it('accepts the same retain-until with an IG guidance reference, and one inside 24 months without', async () => {
    const { store, handler } = setup();
    store.add(recordingFacts('r1', '2025-01-10T10:00:00.000Z'));
    const withRef = await invoke(handler, 'POST /holds', {
      staffId: 'ig-1',
      groups: IG,
      body: holdBody({ recordingIds: ['r1'] }, { retainUntil: '2027-02-01', igGuidanceRef: 'IGU-77' }),
    });
    const inside = await invoke(handler, 'POST /holds', {
      staffId: 'ig-1',
      groups: IG,
      body: holdBody({ recordingIds: ['r1'] }, { retainUntil: '2026-12-31' }),
    });
    expect(withRef.status).toBe(201);
    expect(withRef.json.igGuidanceRef).toBe('IGU-77');
    expect(inside.status).toBe(201);
  });

  it('applies a small hold at once: link, holdCount 1, legal hold ON, tag retention=hold', async () => {
    // Arrange
    const { store, objects, handler } = setup();
    const rec = recordingFacts('r1', '2026-01-10T10:00:00.000Z');
    store.add(rec);
    // Act
    const reply = await invoke(handler, 'POST /holds', {
      staffId: 'ig-1',
      groups: IG,
      body: holdBody({ recordingIds: ['r1'] }),
    });
    // Assert
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ state: 'complete', progress: { matched: 1, applied: 1, failed: 0 } });
    expect(store.recordings.get('r1')?.holdCount).toBe(1);
    expect(objects.legalHold.get(rec.archiveKey as string)).toBe(true);
    expect(objects.tags.get(rec.archiveKey as string)).toBe('hold');
  });

  it('refuses (422) an id list naming unknown or deleted recordings, naming each, and holds nothing', async () => {
    // Arrange
    const { store, handler } = setup();
    store.add(recordingFacts('gone', '2023-01-10T10:00:00.000Z', { status: 'DELETED' }));
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    // Act
    const reply = await invoke(handler, 'POST /holds', {
      staffId: 'ig-1',
      groups: IG,
      body: holdBody({ recordingIds: ['r1', 'gone', 'unknown'] }),
    });
    // Assert
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s7.hold-names-known-recordings');
    expect(reply.json.message).toBe(
      'nothing was held: unknown recording ids (1): unknown; already deleted (1): gone',
    );
    expect(store.recordings.get('r1')?.holdCount).toBe(0);
    expect(await store.listActiveHolds()).toEqual([]);
  });

  it('refuses more than 1,000 recording ids with 400 naming the field, before reading anything', async () => {
    const { store, handler } = setup();
    const ids = Array.from({ length: 1001 }, (_, i) => `r-${String(i).padStart(120, '0')}`);
    const reply = await invoke(handler, 'POST /holds', {
      staffId: 'ig-1',
      groups: IG,
      body: holdBody({ recordingIds: ids }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe('body.scope.recordingIds');
    expect(String(reply.json.message)).toMatch(/at most 1000/);
    expect(await store.listActiveHolds()).toEqual([]);
  });

  it('names each recording it could not hold, and why, in the hold and in GET /holds/{id}', async () => {
    // Arrange
    const { store, handler } = setup();
    store.add(recordingFacts('q1', '2026-01-10T10:00:00.000Z', { status: 'QUARANTINED' }));
    store.add(recordingFacts('ok', '2026-01-10T10:00:00.000Z'));
    // Act
    const placed = await invoke(handler, 'POST /holds', {
      staffId: 'ig-1',
      groups: IG,
      body: holdBody({ recordingIds: ['q1', 'ok'] }),
    });
    const shown = await invoke(handler, 'GET /holds/{id}', {
      staffId: 'ig-1',
      groups: IG,
      params: { id: String(placed.json.holdId) },
    });
    // Assert
    expect(placed.json).toMatchObject({ progress: { matched: 2, applied: 1, failed: 1 } });
    expect(shown.json.failures).toEqual([
      { recordingId: 'q1', reason: 'not archived (status QUARANTINED): only archived audio can be held' },
    ]);
  });
});

describe('overlapping holds', () => {
  it('counts two holds placed concurrently on one recording as 2', async () => {
    // Arrange
    const { store, deps } = setup();
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    // Act
    await Promise.all([
      placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never),
      placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never),
    ]);
    // Assert
    expect(store.recordings.get('r1')?.holdCount).toBe(2);
  });

  it('keeps the recording held when one of two holds is lifted, and releases it when both are', async () => {
    // Arrange
    const { store, objects, deps } = setup();
    const rec = recordingFacts('r1', '2026-01-10T10:00:00.000Z');
    store.add(rec);
    const a = await placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never);
    const b = await placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never);
    const key = rec.archiveKey as string;
    // Act
    await liftHold(deps, ig, a.holdId, 'case closed');
    const afterOne = {
      count: store.recordings.get('r1')?.holdCount,
      lock: objects.legalHold.get(key),
      tag: objects.tags.get(key),
    };
    await liftHold(deps, ig, b.holdId, 'appeal closed');
    // Assert
    expect(afterOne).toEqual({ count: 1, lock: true, tag: 'hold' });
    expect(store.recordings.get('r1')?.holdCount).toBe(0);
    expect(objects.legalHold.get(key)).toBe(false);
    expect(objects.tags.get(key)).toBe('standard');
  });

  it('keeps the S3 legal hold when a hold is placed while the last other one is being lifted', async () => {
    const { store, objects, deps } = setup();
    const rec = recordingFacts('r1', '2026-01-10T10:00:00.000Z');
    store.add(rec);
    const a = await placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never);
    await Promise.all([
      liftHold(deps, ig, a.holdId, 'closed'),
      placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never),
    ]);
    expect(store.recordings.get('r1')?.holdCount).toBe(1);
    expect(objects.legalHold.get(rec.archiveKey as string)).toBe(true);
  });

  it('refuses to lift a hold twice (409)', async () => {
    const { store, deps, handler } = setup();
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    const a = await placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never);
    await liftHold(deps, ig, a.holdId, 'closed');
    const reply = await invoke(handler, 'DELETE /holds/{id}', {
      staffId: 'ig-1',
      groups: IG,
      params: { id: a.holdId },
      body: { reason: 'again' },
    });
    expect(reply.status).toBe(409);
    expect(store.recordings.get('r1')?.holdCount).toBe(0);
  });

  it('rewinds the deletion sweep when the last hold comes off a recording already past its 24 months', async () => {
    const { store, deps } = setup();
    const old = recordingFacts('old', '2024-05-01T10:00:00.000Z');
    store.add(old);
    store.cursor = { day: '2026-11-28' };
    const a = await placeHold(deps, ig, holdBody({ recordingIds: ['old'] }) as never);
    await liftHold(deps, ig, a.holdId, 'closed');
    expect(store.cursor).toEqual({ day: old.deleteDay });
  });
});

describe('fan-out of large scopes', () => {
  const seedArea = (store: FakeHoldsStore, count: number) => {
    for (let i = 0; i < count; i += 1) {
      const started = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      store.add(
        recordingFacts(`q${String(i).padStart(5, '0')}`, started, {
          extension: i % 3 === 0 ? '4002' : '4001',
        }),
      );
    }
  };
  const query = { serviceArea: 'revenues', from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' };

  it('applies a query hold through the queue with exact progress, even when every message is delivered twice', async () => {
    // Arrange
    const { store, fanout, deps, deliver } = setup();
    seedArea(store, 1200);
    store.add(recordingFacts('other-area', '2026-03-01T00:00:00.000Z', { serviceArea: 'housing' }));
    // Act
    const placed = await placeHold(deps, ig, holdBody({ query }) as never);
    const pending = placed.state;
    await fanout.drain(deliver, { duplicate: true });
    // Assert
    const hold = await store.getHold(placed.holdId);
    expect(pending).toBe('applying');
    expect(hold).toMatchObject({
      scopeResolved: true,
      progress: { matched: 1200, applied: 1200, failed: 0 },
    });
    expect([...store.recordings.values()].filter((r) => r.holdCount === 1)).toHaveLength(1200);
    expect(store.recordings.get('other-area')?.holdCount).toBe(0);
    // 1,200 recordings, every message twice: ~3.5 s alone, over jest's 5 s default on a loaded 2-core machine.
  }, 30_000);

  it('holds only the archived recordings a query matches: a quarantined one is neither matched nor failed', async () => {
    // Arrange
    const { store, fanout, deps, deliver } = setup();
    store.add(recordingFacts('kept', '2026-03-02T00:00:00.000Z'));
    store.add(recordingFacts('bad-audio', '2026-03-03T00:00:00.000Z', { status: 'QUARANTINED' }));
    // Act
    const placed = await placeHold(deps, ig, holdBody({ query }) as never);
    await fanout.drain(deliver);
    // Assert
    expect((await store.getHold(placed.holdId))?.progress).toMatchObject({
      matched: 1,
      applied: 1,
      failed: 0,
    });
    expect(store.recordings.get('bad-audio')?.holdCount).toBe(0);
  });

  it('filters a query scope by extension', async () => {
    const { store, fanout, deps, deliver } = setup();
    seedArea(store, 300);
    const placed = await placeHold(deps, ig, holdBody({ query: { ...query, extension: '4002' } }) as never);
    await fanout.drain(deliver);
    expect((await store.getHold(placed.holdId))?.progress).toMatchObject({ matched: 100, applied: 100 });
  });

  it('retries a page whose S3 call failed without counting anything twice', async () => {
    // Arrange
    const { store, objects, fanout, deps, deliver } = setup();
    seedArea(store, 250);
    objects.failOnce.add(store.recordings.get('q00150')?.archiveKey as string);
    // Act
    const placed = await placeHold(deps, ig, holdBody({ query }) as never);
    await fanout.drain(deliver);
    // Assert
    expect((await store.getHold(placed.holdId))?.progress).toMatchObject({
      matched: 250,
      applied: 250,
      failed: 0,
    });
    expect(store.recordings.get('q00150')?.holdCount).toBe(1);
    expect(objects.legalHold.get(store.recordings.get('q00150')?.archiveKey as string)).toBe(true);
  });

  it('stops applying once the hold is lifted, and leaves nothing counted', async () => {
    const { store, fanout, deps, deliver } = setup();
    seedArea(store, 500);
    const placed = await placeHold(deps, ig, holdBody({ query }) as never);
    await deliver(fanout.queue.shift() as never); // resolve page 0 → apply pages queued
    await deliver(fanout.queue.shift() as never); // one apply page
    await liftHold(deps, ig, placed.holdId, 'withdrawn');
    await fanout.drain(deliver);
    expect([...store.recordings.values()].every((r) => r.holdCount === 0)).toBe(true);
    expect(store.links.size).toBe(0);
  });

  it('applies a long id list through the queue', async () => {
    const { store, fanout, deps, deliver } = setup();
    seedArea(store, 230);
    const ids = [...store.recordings.keys()];
    const placed = await placeHold(deps, ig, holdBody({ recordingIds: ids }) as never);
    await fanout.drain(deliver, { duplicate: true });
    expect((await store.getHold(placed.holdId))?.progress).toMatchObject({ matched: 230, applied: 230 });
    expect(placed.state).toBe('applying');
  });

  it('reports a failing message in batchItemFailures and the others not', async () => {
    const { deps } = setup();
    const worker = buildWorker({
      ...deps,
      store: Object.assign(Object.create(deps.store), {
        getHold: async () => {
          throw new Error('throttled');
        },
      }),
    });
    const result = await worker({
      Records: [
        { messageId: 'm1', body: JSON.stringify({ kind: 'resolve', holdId: 'x', page: 0 }) },
        {
          messageId: 'm2',
          body: JSON.stringify({ kind: 'apply', holdId: 'x', pageId: 'p', recordingIds: [] }),
        },
      ],
    } as never);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });
});

describe('reviews and listing', () => {
  it('lists only holds due for review, from the review index', async () => {
    const { store, deps, handler } = setup();
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    await placeHold(deps, ig, { ...holdBody({ recordingIds: ['r1'] }), reviewDate: '2026-11-01' } as never);
    await placeHold(deps, ig, { ...holdBody({ recordingIds: ['r1'] }), reviewDate: '2027-06-01' } as never);
    const due = await invoke<{ holds: { reviewDate: string }[] }>(handler, 'GET /holds', {
      staffId: 'ig-1',
      groups: IG,
      query: { dueForReview: 'true' },
    });
    const all = await invoke<{ holds: unknown[] }>(handler, 'GET /holds', { staffId: 'ig-1', groups: IG });
    expect(due.json.holds.map((h) => h.reviewDate)).toEqual(['2026-11-01']);
    expect(all.json.holds).toHaveLength(2);
  });

  it('moves the review date on a continued review, and refuses one without a future next review', async () => {
    const { store, deps, handler } = setup();
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    const h = await placeHold(deps, ig, {
      ...holdBody({ recordingIds: ['r1'] }),
      reviewDate: '2026-11-01',
    } as never);
    const refused = await invoke(handler, 'POST /holds/{id}/review', {
      staffId: 'ig-1',
      groups: IG,
      params: { id: h.holdId },
      body: { outcome: 'continue' },
    });
    const ok = await invoke(handler, 'POST /holds/{id}/review', {
      staffId: 'ig-1',
      groups: IG,
      params: { id: h.holdId },
      body: { outcome: 'continue', nextReview: '2027-05-01', note: 'tribunal pending' },
    });
    expect(refused.status).toBe(422);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      reviewDate: '2027-05-01',
      lastReview: { outcome: 'continue', by: 'ig-1' },
    });
  });

  it('lifts the hold on a review whose outcome is lift', async () => {
    const { store, deps, handler } = setup();
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    const h = await placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never);
    const reply = await invoke(handler, 'POST /holds/{id}/review', {
      staffId: 'ig-1',
      groups: IG,
      params: { id: h.holdId },
      body: { outcome: 'lift', note: 'no longer needed' },
    });
    expect(reply.json).toMatchObject({ status: 'LIFTED', state: 'lifted' });
    expect(store.recordings.get('r1')?.holdCount).toBe(0);
  });

  it('shows progress on GET /holds/{id} and 404 for an unknown hold', async () => {
    const { store, deps, handler } = setup();
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    const h = await placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never);
    const found = await invoke(handler, 'GET /holds/{id}', {
      staffId: 'ig-1',
      groups: IG,
      params: { id: h.holdId },
    });
    const missing = await invoke(handler, 'GET /holds/{id}', {
      staffId: 'ig-1',
      groups: IG,
      params: { id: 'nope' },
    });
    expect(found.json).toMatchObject({ progress: { matched: 1, applied: 1, failed: 0 }, state: 'complete' });
    expect(missing.status).toBe(404);
  });
});

describe('hold-reviews job', () => {
  it('returns only active holds whose review date has come', async () => {
    // Arrange
    const { store, deps } = setup();
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    const due = await placeHold(deps, ig, {
      ...holdBody({ recordingIds: ['r1'] }),
      reviewDate: '2026-11-28',
    } as never);
    await placeHold(deps, ig, { ...holdBody({ recordingIds: ['r1'] }), reviewDate: '2026-11-29' } as never);
    const lifted = await placeHold(deps, ig, {
      ...holdBody({ recordingIds: ['r1'] }),
      reviewDate: '2026-10-01',
    } as never);
    await liftHold(deps, ig, lifted.holdId, 'closed');
    // Act
    const result = await holdsDueForReview(store, NOW);
    // Assert
    expect(result.holds.map((h) => h.holdId)).toEqual([due.holdId]);
  });
});

describe("the compliance report's hold lists", () => {
  it('lists a hold under each area its recordings are in, and each held recording with its 24-month point', async () => {
    // Arrange
    const { store, counters, deps } = setup();
    const r1 = recordingFacts('r1', '2026-01-10T10:00:00.000Z');
    store.add(r1);
    store.add(recordingFacts('r2', '2026-02-10T10:00:00.000Z', { serviceArea: 'housing' }));
    // Act
    const h = await placeHold(
      deps,
      ig,
      holdBody({ recordingIds: ['r1', 'r2'] }, { igGuidanceRef: 'IG-7' }) as never,
    );
    // Assert
    expect([...counters.holds.keys()].sort()).toEqual([`housing/${h.holdId}`, `revenues/${h.holdId}`]);
    expect(counters.holds.get(`revenues/${h.holdId}`)).toEqual({
      holdId: h.holdId,
      reason: 'complaint investigation',
      placedAt: NOW.toISOString(),
      reviewDue: '2027-01-31',
      guidanceRef: 'IG-7',
    });
    expect([...counters.held.keys()].sort()).toEqual([`housing/r2/${h.holdId}`, `revenues/r1/${h.holdId}`]);
    expect(counters.held.get(`revenues/r1/${h.holdId}`)).toEqual({
      recordingId: 'r1',
      holdId: h.holdId,
      deleteAfter: r1.deleteAfter,
      guidanceRef: 'IG-7',
    });
  });

  it('lists a query hold and its recordings once, even when every fan-out message is delivered twice', async () => {
    // Arrange
    const { store, counters, fanout, deps, deliver } = setup();
    for (let i = 0; i < 150; i += 1)
      store.add(recordingFacts(`q${i}`, new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()));
    const query = {
      serviceArea: 'revenues',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-12-31T00:00:00.000Z',
    };
    // Act
    const h = await placeHold(deps, ig, holdBody({ query }) as never);
    await fanout.drain(deliver, { duplicate: true });
    // Assert
    expect([...counters.holds.keys()]).toEqual([`revenues/${h.holdId}`]);
    expect(counters.held.size).toBe(150);
  });

  it('moves the listed review date on a continued review', async () => {
    // Arrange
    const { store, counters, deps, handler } = setup();
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    const h = await placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never);
    // Act
    await invoke(handler, 'POST /holds/{id}/review', {
      staffId: 'ig-1',
      groups: IG,
      params: { id: h.holdId },
      body: { outcome: 'continue', nextReview: '2027-05-01' },
    });
    // Assert
    expect(counters.holds.get(`revenues/${h.holdId}`)?.reviewDue).toBe('2027-05-01');
  });

  it('drops a lifted hold and its links from the lists, and keeps the other hold on the same recording', async () => {
    // Arrange
    const { store, counters, deps } = setup();
    store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
    const a = await placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never);
    const b = await placeHold(deps, ig, holdBody({ recordingIds: ['r1'] }) as never);
    // Act
    await liftHold(deps, ig, a.holdId, 'case closed');
    // Assert
    expect([...counters.holds.keys()]).toEqual([`revenues/${b.holdId}`]);
    expect([...counters.held.keys()]).toEqual([`revenues/r1/${b.holdId}`]);
  });

  it('drops the links of a large lifted hold through the queue', async () => {
    // Arrange
    const { store, counters, fanout, deps, deliver } = setup();
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
    for (const id of ids) store.add(recordingFacts(id, '2026-01-10T10:00:00.000Z'));
    const h = await placeHold(deps, ig, holdBody({ recordingIds: ids }) as never);
    await fanout.drain(deliver);
    const listed = counters.held.size;
    // Act
    await liftHold(deps, ig, h.holdId, 'case closed');
    await fanout.drain(deliver, { duplicate: true });
    // Assert
    expect(listed).toBe(40);
    expect(counters.held.size).toBe(0);
    expect(counters.holds.size).toBe(0);
  });
});
