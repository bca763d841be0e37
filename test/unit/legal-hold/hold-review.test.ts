/**
 * Policy s.7: a hold is reviewed, and a review that continues it sets the next review — a day after
 * today. A refused review records nothing and leaves the review date as it was.
 */
import { principalFrom } from '../../../functions/domain/roles.js';
import { buildHandler } from '../../../functions/legal-hold/api.js';
import { type HoldDeps, placeHold } from '../../../functions/legal-hold/use-cases.js';
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

const NOW = new Date('2026-11-28T23:30:00.000Z'); // late in the day: "today" is 2026-11-28 (UTC)
const IG = { staffId: 'ig-1', groups: ['role:ig-officer'] };

const setup = async () => {
  const store = new FakeHoldsStore();
  const deps: HoldDeps = {
    ...storePorts(store),
    counters: new FakeHoldCounters(),
    objects: new FakeObjectLock(),
    fanout: new FakeFanout(),
    now: () => NOW,
    newId: () => 'h1',
  };
  store.add(recordingFacts('r1', '2026-01-10T10:00:00.000Z'));
  await placeHold(deps, principalFrom('ig-1', IG.groups, []), {
    caseRef: 'CASE-1',
    reason: 'complaint investigation',
    reviewDate: '2026-11-28',
    scope: { recordingIds: ['r1'] },
  });
  const review = (body: object, id = 'h1') =>
    invoke(buildHandler(deps), 'POST /holds/{id}/review', { ...IG, params: { id }, body });
  return { store, review };
};

describe('hold review (policy s.7)', () => {
  it.each([
    ['no next review', {}],
    ['a next review of today', { nextReview: '2026-11-28' }],
    ['a next review in the past', { nextReview: '2026-11-27' }],
  ])('refuses to continue a hold with %s (s7.hold-review), recording nothing', async (_case, extra) => {
    // Arrange
    const { store, review } = await setup();
    // Act
    const reply = await review({ outcome: 'continue', note: 'still open', ...extra });
    // Assert
    expect([reply.status, reply.json.rule]).toEqual([422, 's7.hold-review']);
    expect(reply.json.message).toContain('nextReview');
    expect(store.reviews).toEqual([]);
    expect(store.holds.get('h1')).toMatchObject({ status: 'ACTIVE', reviewDate: '2026-11-28' });
  });

  it('continues a hold to tomorrow, recording the review and moving the review date', async () => {
    // Arrange
    const { store, review } = await setup();
    // Act
    const reply = await review({ outcome: 'continue', nextReview: '2026-11-29' });
    // Assert
    expect(reply.status).toBe(200);
    expect(store.reviews.map((r) => [r.review.outcome, r.review.nextReview, r.review.by])).toEqual([
      ['continue', '2026-11-29', 'ig-1'],
    ]);
    expect(store.holds.get('h1')).toMatchObject({ status: 'ACTIVE', reviewDate: '2026-11-29' });
  });

  it('needs no next review to lift a hold at review', async () => {
    // Arrange
    const { store, review } = await setup();
    // Act
    const reply = await review({ outcome: 'lift', note: 'case closed' });
    // Assert
    expect(reply.status).toBe(200);
    expect(store.holds.get('h1')?.status).toBe('LIFTED');
    expect(store.reviews.map((r) => [r.review.outcome, r.review.nextReview])).toEqual([['lift', undefined]]);
  });

  it('refuses to review a lifted hold (409), recording nothing more', async () => {
    // Arrange
    const { store, review } = await setup();
    await review({ outcome: 'lift', note: 'case closed' });
    // Act
    const reply = await review({ outcome: 'continue', nextReview: '2027-01-31' });
    // Assert
    expect(reply.status).toBe(409);
    expect(reply.json.message).toBe('hold h1 is lifted; there is nothing to review');
    expect(store.reviews).toHaveLength(1);
  });

  it('answers 404 naming an unknown hold', async () => {
    // Arrange
    const { store, review } = await setup();
    // Act
    const reply = await review({ outcome: 'continue', nextReview: '2027-01-31' }, 'h9');
    // Assert
    expect(reply.status).toBe(404);
    expect(reply.json.message).toBe('hold h9 not found');
    expect(store.reviews).toEqual([]);
  });
});
