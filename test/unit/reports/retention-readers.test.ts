/**
 * Policy s.7 retention reports are read by Information Governance and Corporate Customer Services
 * (release-log-keeper) only: every other role and grant is refused with the rule, before the store is read.
 */
import { AREA_GRANTS, CORPORATE_ROLES } from '../../../functions/domain/roles.js';
import { httpRouter } from '../../../functions/http/router.js';
import { retentionRoutes } from '../../../functions/reports/retention-reports.js';
import { FakeHoldsStore, recordingFacts, storePorts } from '../legal-hold/fakes.js';
import { invoke } from '../support/http.js';

process.env.LOG_LEVEL = 'silent';

const NOW = new Date('2026-11-28T08:00:00.000Z');
const READERS = ['role:ig-officer', 'role:release-log-keeper'];
const ROUTES = [
  ['GET /reports/retention', {}],
  ['GET /reports/deletions', { from: '2026-11-01', to: '2026-11-30' }],
] as const;

const setup = () => {
  const store = new FakeHoldsStore();
  store.add(recordingFacts('due', '2024-12-10T09:00:00.000Z'));
  return { store, handler: httpRouter(retentionRoutes({ ...storePorts(store), now: () => NOW })) };
};

describe('retention report readers (policy s.7)', () => {
  const holders = [
    ...AREA_GRANTS.map((g) => `area:revenues:${g}`),
    ...CORPORATE_ROLES.map((r) => `role:${r}`),
  ];

  it.each(holders.flatMap((holder) => ROUTES.map(([routeKey, query]) => [holder, routeKey, query] as const)))(
    '%s → %s: allowed only to IG and the release log keeper (s7.retention-reports)',
    async (holder, routeKey, query) => {
      // Arrange
      const { store, handler } = setup();
      // Act
      const reply = await invoke(handler, routeKey, { staffId: 's1', groups: [holder], query: { ...query } });
      // Assert
      if (READERS.includes(holder)) {
        expect(reply.status).toBe(200);
      } else {
        expect([reply.status, reply.json.rule]).toEqual([403, 's7.retention-reports']);
        expect(store.calls).toEqual({});
      }
    },
  );

  it('shows a reader the recording due for deletion, so the 200 above is the report itself', async () => {
    // Arrange
    const { handler } = setup();
    // Act
    const reply = await invoke<{ dueForDeletion: { recordings: { recordingId: string }[] } }>(
      handler,
      'GET /reports/retention',
      { staffId: 'ig-1', groups: ['role:ig-officer'] },
    );
    // Assert
    expect(reply.json.dueForDeletion.recordings.map((r) => r.recordingId)).toEqual(['due']);
  });
});
