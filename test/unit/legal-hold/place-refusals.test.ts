/**
 * Policy s.7 refusals when placing a hold, each alone (the mixed case is in holds.test.ts): a hold by id
 * names only recordings the catalogue holds and has not deleted (s7.hold-names-known-recordings), and a
 * retain-until past a covered recording's 24-month point needs IG guidance (s7.ig-guidance-beyond-24-months).
 * Found by mutation testing: each case alone was untested (docs/mutation-survivors.md).
 */
import { buildHandler } from '../../../functions/legal-hold/api.js';
import type { HoldDeps } from '../../../functions/legal-hold/use-cases.js';
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
const IG = { staffId: 'ig-1', groups: ['role:ig-officer'] };

const setup = () => {
  const store = new FakeHoldsStore();
  const deps: HoldDeps = {
    ...storePorts(store),
    counters: new FakeHoldCounters(),
    objects: new FakeObjectLock(),
    fanout: new FakeFanout(),
    now: () => NOW,
  };
  store.add(recordingFacts('r1', '2025-01-10T10:00:00.000Z'));
  store.add(recordingFacts('gone', '2023-01-10T10:00:00.000Z', { status: 'DELETED' }));
  const place = (recordingIds: string[], extra: object = {}) =>
    invoke(buildHandler(deps), 'POST /holds', {
      ...IG,
      body: {
        caseRef: 'CASE-1',
        reason: 'claim',
        reviewDate: '2027-01-31',
        scope: { recordingIds },
        ...extra,
      },
    });
  return { store, place };
};

describe('placing a hold: refusals (policy s.7)', () => {
  it('refuses an id list whose only fault is an unknown id, naming it', async () => {
    // Arrange
    const { store, place } = setup();
    // Act
    const reply = await place(['r1', 'nope']);
    // Assert
    expect([reply.status, reply.json.rule]).toEqual([422, 's7.hold-names-known-recordings']);
    expect(reply.json.message).toBe('nothing was held: unknown recording ids (1): nope');
    expect(store.holds.size).toBe(0);
  });

  it('refuses an id list whose only fault is a deleted recording, naming it', async () => {
    // Arrange
    const { store, place } = setup();
    // Act
    const reply = await place(['r1', 'gone']);
    // Assert
    expect([reply.status, reply.json.rule]).toEqual([422, 's7.hold-names-known-recordings']);
    expect(reply.json.message).toBe('nothing was held: already deleted (1): gone');
    expect(store.holds.size).toBe(0);
  });

  it('lists at most 20 offending ids and counts the rest', async () => {
    // Arrange
    const { place } = setup();
    const ids = Array.from({ length: 23 }, (_, i) => `x${String(i).padStart(2, '0')}`);
    // Act
    const reply = await place(ids);
    // Assert
    expect(reply.json.message).toBe(
      `nothing was held: unknown recording ids (23): ${ids.slice(0, 20).join(', ')} and 3 more`,
    );
  });

  it('tells IG what to give when the retain-until needs guidance', async () => {
    // Arrange
    const { store, place } = setup();
    // Act
    const reply = await place(['r1'], { retainUntil: '2027-02-01' });
    // Assert
    expect([reply.status, reply.json.rule]).toEqual([422, 's7.ig-guidance-beyond-24-months']);
    expect(reply.json.message).toContain('give igGuidanceRef');
    expect(store.holds.size).toBe(0);
  });

  it('tells a non-IG caller which role manages holds', async () => {
    // Act: the refusal comes before any port is used, so the handler has none.
    const reply = await invoke(buildHandler({} as HoldDeps), 'POST /holds', {
      staffId: 'm1',
      groups: ['role:siro'],
      body: { caseRef: 'C', reason: 'r', reviewDate: '2027-01-31', scope: { recordingIds: ['r1'] } },
    });
    // Assert
    expect([reply.status, reply.json.rule]).toEqual([403, 's7.holds-by-information-governance']);
    expect(reply.json.message).toContain('role ig-officer');
  });
});
