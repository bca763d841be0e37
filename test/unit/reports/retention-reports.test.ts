import { principalFrom } from '../../../functions/domain/roles.js';
import { httpRouter } from '../../../functions/http/router.js';
import type { HoldDeps } from '../../../functions/legal-hold/use-cases.js';
import { placeHold } from '../../../functions/legal-hold/use-cases.js';
import { retentionRoutes } from '../../../functions/reports/retention-reports.js';
import { sweepDeletions } from '../../../functions/sweepers/deletion.js';
import {
  FakeFanout,
  FakeHoldCounters,
  FakeHoldsStore,
  FakeObjectLock,
  recordingFacts,
  storePorts,
} from '../legal-hold/fakes.js';
import { invoke } from '../support/http.js';

process.env.LOG_LEVEL = 'silent';

const NOW = new Date('2026-11-28T08:00:00.000Z');
const ig = principalFrom('ig-1', ['role:ig-officer'], []);

const setup = () => {
  const store = new FakeHoldsStore();
  const objects = new FakeObjectLock();
  const counters = new FakeHoldCounters();
  const deps: HoldDeps = {
    ...storePorts(store),
    counters,
    objects,
    fanout: new FakeFanout(),
    now: () => NOW,
  };
  return {
    store,
    objects,
    deps,
    handler: httpRouter(retentionRoutes({ ...storePorts(store), now: () => NOW })),
  };
};

describe('retention reports', () => {
  it('refuses a reader without ig-officer or release-log-keeper (403)', async () => {
    const { handler } = setup();
    const reply = await invoke(handler, 'GET /reports/retention', {
      staffId: 's1',
      groups: ['area:revenues:manager'],
    });
    expect(reply.status).toBe(403);
  });

  it('lists deletions in a day range from the certificates, with counts by rule', async () => {
    // Arrange
    const { store, objects, handler } = setup();
    store.add(
      recordingFacts('old', '2024-10-01T09:00:00.000Z'),
      recordingFacts('young', '2025-10-01T09:00:00.000Z'),
    );
    await sweepDeletions({ ...storePorts(store), objects, now: () => NOW });
    // Act
    const inRange = await invoke(handler, 'GET /reports/deletions', {
      staffId: 'k1',
      groups: ['role:release-log-keeper'],
      query: { from: '2026-11-01', to: '2026-11-30' },
    });
    const before = await invoke(handler, 'GET /reports/deletions', {
      staffId: 'k1',
      groups: ['role:release-log-keeper'],
      query: { from: '2026-10-01', to: '2026-10-31' },
    });
    // Assert
    expect(inRange.json).toMatchObject({ total: 1, byRule: { 's7.delete-after-24-months': 1 } });
    expect(inRange.json.deletions).toEqual([expect.objectContaining({ recordingId: 'old' })]);
    expect(before.json.total).toBe(0);
  });

  it('refuses a deletions range given backwards with 400 naming the field', async () => {
    const { handler } = setup();
    const reply = await invoke(handler, 'GET /reports/deletions', {
      staffId: 'i1',
      groups: ['role:ig-officer'],
      query: { from: '2026-11-30', to: '2026-11-01' },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe('query.to');
  });

  it('shows what falls due in the next 30 days and what is held past 24 months with its guidance', async () => {
    // Arrange
    const { store, deps, handler } = setup();
    store.add(
      recordingFacts('soon', '2024-12-10T09:00:00.000Z'),
      recordingFacts('later', '2025-03-10T09:00:00.000Z'),
      recordingFacts('kept', '2024-06-10T09:00:00.000Z'),
    );
    await placeHold(deps, ig, {
      caseRef: 'TRIBUNAL-4',
      reason: 'employment tribunal',
      reviewDate: '2027-01-31',
      scope: { recordingIds: ['kept'] },
      retainUntil: '2027-06-30',
      igGuidanceRef: 'IGU-12',
    });
    // Act
    const reply = await invoke<{
      dueForDeletion: { recordings: { recordingId: string }[] };
      heldPast24Months: {
        recordings: { recordingId: string; guidanceRefs: string[]; withoutGuidance: boolean }[];
      };
    }>(handler, 'GET /reports/retention', { staffId: 'i1', groups: ['role:ig-officer'] });
    // Assert
    expect(reply.status).toBe(200);
    expect(reply.json.dueForDeletion.recordings.map((r) => r.recordingId)).toEqual(['soon']);
    expect(reply.json.heldPast24Months.recordings).toEqual([
      expect.objectContaining({ recordingId: 'kept', guidanceRefs: ['IGU-12'], withoutGuidance: false }),
    ]);
  });

  it('lists overdue recordings first (past delete-after, not held, not deleted) until a sweep deletes them', async () => {
    // Arrange
    const { store, objects, deps, handler } = setup();
    store.add(
      recordingFacts('late', '2024-10-01T09:00:00.000Z'),
      recordingFacts('held-late', '2024-10-02T09:00:00.000Z'),
      recordingFacts('soon', '2024-12-10T09:00:00.000Z'),
    );
    await placeHold(deps, ig, {
      caseRef: 'C-1',
      reason: 'claim',
      reviewDate: '2027-01-31',
      scope: { recordingIds: ['held-late'] },
    });
    const read = () =>
      invoke<{ overdue: { total: number; recordings: { recordingId: string }[] } }>(
        handler,
        'GET /reports/retention',
        { staffId: 'i1', groups: ['role:ig-officer'] },
      );
    // Act
    const before = await read();
    await sweepDeletions({ ...storePorts(store), objects, now: () => NOW });
    const after = await read();
    // Assert
    expect(Object.keys(before.json)[1]).toBe('overdue');
    expect(before.json.overdue.recordings.map((r) => r.recordingId)).toEqual(['late']);
    expect(after.json.overdue.total).toBe(0);
  });
});
