/**
 * Release refusals (policy s.6) through the release routes, each with its rule id and with nothing
 * written: a refused request creates no release and no log entry, a refused approval copies nothing.
 */
import type { Release } from '../../../functions/domain/release.js';
import { releaseRoutes } from '../../../functions/release/routes.js';
import { type EventOptions, invoke } from '../support/http.js';
import { RECORDING, testDeps } from './fakes.js';

process.env.LOG_LEVEL = 'silent';

const REQUESTER = { staffId: 'req-1', groups: ['area:housing:listener'] };
const MANAGER = { staffId: 'mgr-1', groups: ['area:revenues:manager'] };
const REQUEST = {
  recordingId: RECORDING.recordingId,
  destination: { kind: 'service-area', serviceArea: 'housing' },
  purpose: 'dispute-verification',
  justification: 'Complaint C-123 about a council tax call',
};

const setup = () => {
  const t = testDeps();
  const handler = releaseRoutes(t.deps);
  const call = <T = Release & { rule?: string; message?: string }>(routeKey: string, options: EventOptions) =>
    invoke<T>(handler, routeKey, options);
  return { ...t, call };
};

describe('release refusals (policy s.6)', () => {
  it('refuses a release request from a token that also carries the telephony scope (s6.officers-only)', async () => {
    // Arrange: a token the router lets through (it has the staff scope) with a grant that may ask.
    const { call, releases, log } = setup();
    const machine = { ...REQUESTER, scope: 'crs/staff crs/ingest' };
    // Act
    const refused = await call('POST /releases', { ...machine, body: REQUEST });
    const asOfficer = await call('POST /releases', { ...REQUESTER, body: REQUEST });
    // Assert: the scope alone decides — the same officer with a staff token is served.
    expect([refused.status, refused.json.rule]).toEqual([403, 's6.officers-only']);
    expect(refused.json.message).toContain('not machine clients');
    expect(asOfficer.status).toBe(201);
    expect([...releases.items.values()].map((r) => r.releaseId)).toEqual([asOfficer.json.releaseId]);
    expect(log.all).toHaveLength(1);
  });

  it.each([
    ['INGESTING', 'with'],
    ['DELETED', 'with'],
    ['ARCHIVED', 'without'],
  ])(
    'refuses a release of a recording %s %s an archive object (s6.recording-not-available)',
    async (status, object) => {
      // Arrange
      const { call, recordings, releases, log } = setup();
      const { archiveKey, ...noObject } = RECORDING;
      recordings.set('rec-x', {
        ...noObject,
        ...(object === 'with' ? { archiveKey } : {}),
        recordingId: 'rec-x',
        status,
      });
      // Act
      const reply = await call('POST /releases', {
        ...REQUESTER,
        body: { ...REQUEST, recordingId: 'rec-x' },
      });
      // Assert
      expect([reply.status, reply.json.rule]).toEqual([422, 's6.recording-not-available']);
      expect(reply.json.message).toBe(
        `recording rec-x is ${status}; only an archived recording can be released`,
      );
      expect(releases.items.size).toBe(0);
      expect(log.all).toEqual([]);
    },
  );

  it('refuses to approve a release whose recording was deleted after the request, copying nothing', async () => {
    // Arrange
    const { call, recordings, copies, log } = setup();
    const requested = await call('POST /releases', { ...REQUESTER, body: REQUEST });
    recordings.set(RECORDING.recordingId, { ...RECORDING, status: 'DELETED' });
    // Act
    const reply = await call('POST /releases/{id}/approve', {
      ...MANAGER,
      params: { id: requested.json.releaseId },
    });
    // Assert
    expect([reply.status, reply.json.rule]).toEqual([422, 's6.recording-not-available']);
    expect(copies.objects.size).toBe(0);
    expect(log.all).toHaveLength(1);
  });

  it('refuses a release to someone who is not its requester, an approver or an overseer (s6.release-visibility)', async () => {
    // Arrange
    const { call } = setup();
    const { json } = await call('POST /releases', { ...REQUESTER, body: REQUEST });
    const other = { staffId: 'req-2', groups: ['area:housing:listener', 'area:parking:manager'] };
    // Act
    const refused = await call<{ rule: string; message: string; releaseId?: string }>('GET /releases/{id}', {
      ...other,
      params: { id: json.releaseId },
    });
    const own = await call('GET /releases/{id}', { ...REQUESTER, params: { id: json.releaseId } });
    // Assert
    expect([refused.status, refused.json.rule]).toEqual([403, 's6.release-visibility']);
    expect(refused.json.message).toContain('only the requester');
    expect(refused.json.releaseId).toBeUndefined();
    expect(own.status).toBe(200);
  });

  it('refuses the Release of Recording Log to anyone but its keeper and IG, and audits the refusal (s6.release-log-keeper)', async () => {
    // Arrange
    const { call, logReads } = setup();
    await call('POST /releases', { ...REQUESTER, body: REQUEST });
    // Act
    const refused = await call<{ rule: string; message: string; entries?: unknown }>('GET /release-log', {
      staffId: 'siro-1',
      groups: ['role:siro', 'area:revenues:manager'],
    });
    // Assert
    expect([refused.status, refused.json.rule]).toEqual([403, 's6.release-log-keeper']);
    expect(refused.json.message).toContain('release-log-keeper');
    expect(refused.json.entries).toBeUndefined();
    expect(logReads.map((r) => [r.actor, r.allowed])).toEqual([['siro-1', false]]);
  });

  it('refuses a requester without a grant in the destination area, saying which grant is needed', async () => {
    // Arrange
    const { call, releases } = setup();
    // Act
    const reply = await call('POST /releases', {
      staffId: 'req-9',
      groups: ['area:parking:listener'],
      body: REQUEST,
    });
    // Assert
    expect([reply.status, reply.json.rule]).toEqual([403, 's6.requester-needs-grant']);
    expect(reply.json.message).toBe('a release to housing is requested by staff holding a grant in housing');
    expect(releases.items.size).toBe(0);
  });

  it('answers 404 naming an unknown recording', async () => {
    // Act
    const reply = await setup().call('POST /releases', {
      ...REQUESTER,
      body: { ...REQUEST, recordingId: 'rec-404' },
    });
    // Assert
    expect([reply.status, reply.json.message]).toEqual([404, 'recording rec-404 not found']);
  });
});
