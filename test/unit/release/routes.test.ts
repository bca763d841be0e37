/** The release routes end to end over in-memory ports: workflow, races, visibility, log, sweeper jobs. */
import { verifyChain } from '../../../functions/domain/hash-chain.js';
import type { Release } from '../../../functions/domain/release.js';
import { fromCsv, parsePublicKey, verifyExport } from '../../../functions/domain/release-log-format.js';
import { releaseRoutes } from '../../../functions/release/routes.js';
import { releaseExpiryJob, releaseLogCheckpointJob } from '../../../functions/release/use-cases-jobs.js';
import { adviceFor, SCHEDULE2 } from '../disclosures/fakes.js';
import { invoke } from '../support/http.js';
import { DAY, RECORDING, testDeps } from './fakes.js';

process.env.LOG_LEVEL = 'silent';

const REQUESTER = { staffId: 'req-1', groups: ['area:housing:listener'] };
const MANAGER = { staffId: 'mgr-1', groups: ['area:revenues:manager'] };
const OTHER_MANAGER = { staffId: 'mgr-2', groups: ['area:parking:manager'] };
const SIRO = { staffId: 'siro-1', groups: ['role:siro'] };
const KEEPER = { staffId: 'ccs-1', groups: ['role:release-log-keeper'] };
const AUDIT = { staffId: 'iam-1', groups: ['role:internal-audit-manager'] };

const REQUEST = {
  recordingId: RECORDING.recordingId,
  destination: { kind: 'service-area', serviceArea: 'housing' },
  purpose: 'dispute-verification',
  justification: 'Complaint C-123 about a council tax call',
};

const setup = () => {
  const t = testDeps();
  const handler = releaseRoutes(t.deps);
  const call = <T = Release>(routeKey: string, who: { staffId: string; groups: string[] }, extra = {}) =>
    invoke<T>(handler, routeKey, { ...who, ...extra });
  const create = async (body: object = REQUEST, who = REQUESTER) => {
    const reply = await call('POST /releases', who, { body });
    if (reply.status !== 201) throw new Error(`create failed: ${reply.text}`);
    return reply.json.releaseId;
  };
  return { ...t, handler, call, create };
};

describe('release routes', () => {
  it('records a request as REQUESTED with a log entry carrying the four policy fields', async () => {
    // Arrange
    const { call, log } = setup();
    // Act
    const reply = await call('POST /releases', REQUESTER, { body: REQUEST });
    // Assert
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      state: 'REQUESTED',
      requesterId: 'req-1',
      recordingServiceArea: 'revenues',
    });
    const [entry] = await log.entries();
    expect(entry?.payload).toMatchObject({
      event: 'REQUESTED',
      purpose: 'dispute-verification',
      requester: 'req-1',
      recordingDateTime: RECORDING.startedAt,
      authoriser: '',
      actor: 'req-1',
    });
  });

  it('refuses a request without a justification, naming the field', async () => {
    const { call } = setup();
    const reply = await call<{ field: string }>('POST /releases', REQUESTER, {
      body: { ...REQUEST, justification: '' },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe('body.justification');
  });

  it("refuses purpose 'other' without an IG advice reference with the policy's rule, not the schema's", async () => {
    const { call } = setup();
    const reply = await call<{ rule: string; message: string }>('POST /releases', REQUESTER, {
      body: { ...REQUEST, purpose: 'other' },
    });
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s6.other-purpose-needs-ig-advice');
    expect(reply.json.message).toContain('igAdviceRef');
  });

  it("refuses a 'release' to the recording's own service area with 422", async () => {
    const { call } = setup();
    const revenuesOfficer = { staffId: 'rev-1', groups: ['area:revenues:listener'] };
    const reply = await call<{ rule: string }>('POST /releases', revenuesOfficer, {
      body: { ...REQUEST, destination: { kind: 'service-area', serviceArea: 'revenues' } },
    });
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s6.release-outside-area');
  });

  it('refuses an external agency destination without IG advice with the policy rule, naming the field', async () => {
    const { call, log } = setup();
    const revenuesListener = { staffId: 'req-2', groups: ['area:revenues:listener'] };
    const reply = await call<{ rule: string; message: string }>('POST /releases', revenuesListener, {
      body: { ...REQUEST, destination: { kind: 'external-agency', agency: 'Police', schedule2: SCHEDULE2 } },
    });
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s6.external-needs-ig-advice');
    expect(reply.json.message).toContain('destination.igAdviceRef');
    expect(log.all).toEqual([]);
  });

  it('refuses a release to a service area that is not registered, naming it, and logs nothing', async () => {
    const { call, log } = setup();
    // A grant naming an area the registers do not know (an identity provider's group) is not enough.
    const strayGrant = { staffId: 'req-3', groups: ['area:no-such-area:listener'] };
    const reply = await call<{ field: string; message: string }>('POST /releases', strayGrant, {
      body: { ...REQUEST, destination: { kind: 'service-area', serviceArea: 'no-such-area' } },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe('body.destination.serviceArea');
    expect(reply.json.message).toContain('no-such-area');
    expect(log.all).toEqual([]);
  });

  describe('who may request (only staff with a grant; unknown and not-yours look the same)', () => {
    const NO_GRANT = { staffId: 'nobody', groups: [] as string[] };
    const strip = (json: Record<string, unknown>) => {
      const { correlationId: _c, ...rest } = json;
      return rest;
    };

    it('refuses staff without a grant in the destination area with 403, the same for a real and an unknown id', async () => {
      // Arrange
      const { call, log } = setup();
      // Act
      const real = await call<Record<string, unknown>>('POST /releases', NO_GRANT, { body: REQUEST });
      const unknown = await call<Record<string, unknown>>('POST /releases', NO_GRANT, {
        body: { ...REQUEST, recordingId: 'no-such-recording' },
      });
      // Assert
      expect(real.status).toBe(403);
      expect(real.json.rule).toBe('s6.requester-needs-grant');
      expect(unknown.status).toBe(real.status);
      expect(strip(unknown.json)).toEqual(strip(real.json));
      expect(real.text).not.toMatch(/revenues|2026-10-01/);
      expect(await log.entries()).toEqual([]);
    });

    it('answers an external request for another area’s recording exactly as for an unknown id (404)', async () => {
      // Arrange: a housing officer asks to send a revenues recording to the police; IG advice covers it
      const { call, advice } = setup();
      advice.items.set('IG-1', adviceFor([RECORDING.recordingId], { purposes: [REQUEST.purpose] }));
      const housing = { staffId: 'hou-1', groups: ['area:housing:manager'] };
      const external = {
        ...REQUEST,
        destination: { kind: 'external-agency', agency: 'Police', igAdviceRef: 'IG-1', schedule2: SCHEDULE2 },
      };
      // Act
      const notYours = await call<Record<string, unknown>>('POST /releases', housing, { body: external });
      const unknown = await call<Record<string, unknown>>('POST /releases', housing, {
        body: { ...external, recordingId: 'no-such-recording' },
      });
      const own = await call(
        'POST /releases',
        { staffId: 'rev-1', groups: ['area:revenues:listener'] },
        {
          body: external,
        },
      );
      // Assert
      expect(notYours.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(strip(notYours.json)).toEqual({
        ...strip(unknown.json),
        message: `recording ${RECORDING.recordingId} not found`,
      });
      expect(String(unknown.json.message)).toBe('recording no-such-recording not found');
      expect(notYours.text).not.toMatch(/revenues|2026-10-01/);
      expect(own.status).toBe(201);
    });
  });

  it('returns 404 for an unknown recording', async () => {
    const { call } = setup();
    const reply = await call('POST /releases', REQUESTER, { body: { ...REQUEST, recordingId: 'nope' } });
    expect(reply.status).toBe(404);
  });

  it('issues on approval: copy under its own prefix, expiry, authoriser in the log', async () => {
    // Arrange
    const { call, create, copies, log } = setup();
    const id = await create();
    // Act
    const reply = await call(`POST /releases/{id}/approve`, MANAGER, { params: { id } });
    // Assert
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      state: 'ISSUED',
      approval: { by: 'mgr-1' },
      copy: { key: `releases/${id}/rec-1.wav`, expiresAt: '2026-12-01T10:00:00.000Z' },
    });
    expect(copies.objects.has(`releases/${id}/rec-1.wav`)).toBe(true);
    const entries = await log.entries();
    expect(entries.map((e) => e.payload.event)).toEqual(['REQUESTED', 'APPROVED']);
    expect(entries[1]?.payload.authoriser).toBe('mgr-1');
  });

  it('refuses self-approval with 403', async () => {
    const { call, create } = setup();
    const id = await create(REQUEST, { staffId: 'siro-1', groups: ['role:siro', 'area:housing:listener'] });
    const reply = await call<{ rule: string }>('POST /releases/{id}/approve', SIRO, { params: { id } });
    expect(reply.status).toBe(403);
    expect(reply.json.rule).toBe('s6.no-self-approval');
  });

  it('refuses a second approval with 409 and a reason', async () => {
    // Arrange
    const { call, create } = setup();
    const id = await create();
    await call('POST /releases/{id}/approve', MANAGER, { params: { id } });
    // Act
    const reply = await call<{ message: string }>('POST /releases/{id}/approve', SIRO, { params: { id } });
    // Assert
    expect(reply.status).toBe(409);
    expect(reply.json.message).toMatch(/already been approved and issued/);
  });

  it('lets exactly one of two concurrent approvals win', async () => {
    // Arrange
    const { call, create, log } = setup();
    const id = await create();
    // Act
    const replies = await Promise.all([
      call('POST /releases/{id}/approve', MANAGER, { params: { id } }),
      call('POST /releases/{id}/approve', SIRO, { params: { id } }),
    ]);
    // Assert
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const approvals = (await log.entries()).filter((e) => e.payload.event === 'APPROVED');
    expect(approvals).toHaveLength(1);
  });

  it('changes no state when its log entry cannot be written', async () => {
    // Arrange
    const { call, create, releases, log } = setup();
    const id = await create();
    releases.failNextLogWrite();
    // Act
    const reply = await call('POST /releases/{id}/reject', SIRO, { params: { id }, body: { reason: 'no' } });
    // Assert
    expect(reply.status).toBe(500);
    expect(releases.items.get(id)?.state).toBe('REQUESTED');
    expect((await log.entries()).map((e) => e.payload.event)).toEqual(['REQUESTED']);
  });

  it('keeps no orphan copy when a rejection wins the race against an approval', async () => {
    // Arrange: the approval reads REQUESTED, then a rejection lands before it writes.
    const { deps, create, copies, releases } = setup();
    const id = await create();
    const handler = releaseRoutes({
      ...deps,
      copies: {
        ...deps.copies,
        copy: async (recording, key, expiresAt) => {
          await deps.copies.copy(recording, key, expiresAt);
          await invoke(releaseRoutes(deps), 'POST /releases/{id}/reject', {
            ...SIRO,
            params: { id },
            body: { reason: 'not proportionate' },
          });
        },
      },
    });
    // Act
    const reply = await invoke<{ message: string }>(handler, 'POST /releases/{id}/approve', {
      ...MANAGER,
      params: { id },
    });
    // Assert
    expect(reply.status).toBe(409);
    expect(reply.json.message).toMatch(/was rejected/);
    expect(releases.items.get(id)?.state).toBe('REJECTED');
    expect(copies.objects.size).toBe(0);
  });

  it('gives the requester a short-lived link and logs each issue; refuses anyone else', async () => {
    // Arrange
    const { call, create, copies, log, audited } = setup();
    const id = await create();
    await call('POST /releases/{id}/approve', MANAGER, { params: { id } });
    // Act
    const first = await call<{ url: string }>('GET /releases/{id}/link', REQUESTER, { params: { id } });
    const second = await call<{ url: string }>('GET /releases/{id}/link', REQUESTER, { params: { id } });
    const byManager = await call('GET /releases/{id}/link', MANAGER, { params: { id } });
    // Assert
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(byManager.status).toBe(403);
    expect(copies.presigned).toEqual([
      { key: `releases/${id}/rec-1.wav`, ttlSeconds: 300 },
      { key: `releases/${id}/rec-1.wav`, ttlSeconds: 300 },
    ]);
    expect((await log.entries()).filter((e) => e.payload.event === 'LINK_ISSUED')).toHaveLength(2);
    expect(audited).toHaveLength(2);
    expect(audited[0]).toMatchObject({ actor: 'req-1', recordingId: 'rec-1', serviceArea: 'revenues' });
  });

  it('deletes the copy on completion, then refuses links with 409', async () => {
    // Arrange
    const { call, create, copies } = setup();
    const id = await create();
    await call('POST /releases/{id}/approve', MANAGER, { params: { id } });
    // Act
    const done = await call('POST /releases/{id}/complete', REQUESTER, { params: { id } });
    const link = await call<{ message: string }>('GET /releases/{id}/link', REQUESTER, { params: { id } });
    // Assert
    expect(done.status).toBe(200);
    expect(done.json.state).toBe('COMPLETED');
    expect(copies.objects.size).toBe(0);
    expect(link.status).toBe(409);
    expect(link.json.message).toMatch(/completed and its copy deleted/);
  });

  it('refuses (409) a link whose request read the release just before a completion landed, and logs no link after COMPLETED', async () => {
    // Arrange: the link request reads ISSUED; the completion lands before it writes anything.
    const { deps, call, create, copies, log, audited } = setup();
    const id = await create();
    await call('POST /releases/{id}/approve', MANAGER, { params: { id } });
    let raced = false;
    const racing = releaseRoutes({
      ...deps,
      releases: {
        ...deps.releases,
        get: async (releaseId) => {
          const read = await deps.releases.get(releaseId);
          if (!raced) {
            raced = true;
            await call('POST /releases/{id}/complete', REQUESTER, { params: { id } });
          }
          return read;
        },
      },
    });
    // Act
    const link = await invoke<{ rule: string }>(racing, 'GET /releases/{id}/link', {
      ...REQUESTER,
      params: { id },
    });
    // Assert
    expect(link.status).toBe(409);
    expect(link.json.rule).toBe('release.state.issued-required');
    expect((await log.entries()).map((e) => e.payload.event)).toEqual(['REQUESTED', 'APPROVED', 'COMPLETED']);
    expect(copies.presigned).toEqual([]);
    expect(audited).toEqual([]);
  });

  it('refuses completion before issue with 409', async () => {
    const { call, create } = setup();
    const id = await create();
    const reply = await call('POST /releases/{id}/complete', REQUESTER, { params: { id } });
    expect(reply.status).toBe(409);
  });

  it('rejects with a reason and logs it', async () => {
    const { call, create, log } = setup();
    const id = await create();
    const reply = await call('POST /releases/{id}/reject', SIRO, {
      params: { id },
      body: { reason: 'not proportionate' },
    });
    expect(reply.json.state).toBe('REJECTED');
    expect((await log.entries()).at(-1)?.payload).toMatchObject({
      event: 'REJECTED',
      detail: 'reason: not proportionate',
    });
  });

  it('sweeps: copies past expiry are deleted (EXPIRED), undecided requests expire, both logged', async () => {
    // Arrange
    const { deps, call, create, copies, releases, log, advance } = setup();
    const issued = await create();
    await call('POST /releases/{id}/approve', MANAGER, { params: { id: issued } });
    const undecided = await create();
    advance(30 * DAY);
    // Act
    const result = await releaseExpiryJob(deps);
    // Assert
    expect(result).toMatchObject({ copiesExpired: 1, requestsExpired: 1 });
    expect(releases.items.get(issued)?.state).toBe('EXPIRED');
    expect(releases.items.get(undecided)?.state).toBe('REQUEST_EXPIRED');
    expect(copies.objects.size).toBe(0);
    const events = (await log.entries()).map((e) => `${e.payload.event}:${e.payload.actor}`);
    expect(events).toEqual(
      expect.arrayContaining(['EXPIRED:system:sweeper', 'REQUEST_EXPIRED:system:sweeper']),
    );
    const link = await call('GET /releases/{id}/link', REQUESTER, { params: { id: issued } });
    expect(link.status).toBe(409);
  });

  describe('an approval that crashed after copying, before ISSUED was saved', () => {
    const crashingApproval = async () => {
      const t = setup();
      const id = await t.create();
      const crashing = releaseRoutes({
        ...t.deps,
        copies: {
          ...t.deps.copies,
          copy: async (recording, key, expiresAt) => {
            await t.deps.copies.copy(recording, key, expiresAt);
            throw new Error('process killed');
          },
        },
      });
      const reply = await invoke(crashing, 'POST /releases/{id}/approve', { ...MANAGER, params: { id } });
      return { ...t, id, reply, key: `releases/${id}/rec-1.wav` };
    };

    it('leaves a copy the compliance report lists as open, and the request-expiry sweep deletes it', async () => {
      // Arrange
      const { deps, id, reply, key, copies, counters, releases, advance } = await crashingApproval();
      expect(reply.status).toBe(500);
      expect(releases.items.get(id)?.state).toBe('REQUESTED');
      expect(copies.objects.has(key)).toBe(true);
      expect([...counters.open.keys()]).toEqual([id]);
      advance(15 * DAY);
      // Act
      const result = await releaseExpiryJob(deps);
      // Assert
      expect(result).toMatchObject({ requestsExpired: 1 });
      expect(copies.objects.has(key)).toBe(false);
      expect(counters.open.size).toBe(0);
    });

    it('deletes that copy when the request is then rejected', async () => {
      const { id, key, call, copies, counters } = await crashingApproval();
      const reply = await call('POST /releases/{id}/reject', SIRO, {
        params: { id },
        body: { reason: 'no' },
      });
      expect(reply.status).toBe(200);
      expect(copies.objects.has(key)).toBe(false);
      expect(counters.open.size).toBe(0);
    });
  });

  it('leaves releases that are not yet due alone', async () => {
    const { deps, call, create, advance } = setup();
    const id = await create();
    await call('POST /releases/{id}/approve', MANAGER, { params: { id } });
    advance(13 * DAY);
    expect(await releaseExpiryJob(deps)).toMatchObject({ copiesExpired: 0, requestsExpired: 0 });
  });

  describe('compliance counters', () => {
    it('counts an approval once and lists its copy as open, however often it is retried or linked', async () => {
      // Arrange
      const { call, create, counters } = setup();
      const id = await create();
      // Act
      await call('POST /releases/{id}/approve', MANAGER, { params: { id } });
      const again = await call('POST /releases/{id}/approve', SIRO, { params: { id } });
      await call('GET /releases/{id}/link', REQUESTER, { params: { id } });
      await call('GET /releases/{id}/link', REQUESTER, { params: { id } });
      // Assert
      expect(again.status).toBe(409);
      expect([...counters.counted.values()]).toEqual([
        {
          releaseId: id,
          serviceArea: 'revenues',
          destinationKind: 'service-area',
          authoriserId: 'mgr-1',
          approvedAt: '2026-11-01T10:00:00.000Z',
        },
      ]);
      expect([...counters.open.values()]).toEqual([
        {
          serviceArea: 'revenues',
          releaseId: id,
          copyExpiresAt: '2026-12-01T10:00:00.000Z',
          destinationKind: 'service-area',
          destination: 'housing',
        },
      ]);
    });

    it('counts, when the link is issued, an approval whose count failed after it was stored', async () => {
      // Arrange
      const t = setup();
      const id = await t.create();
      const failing = releaseRoutes({
        ...t.deps,
        counters: {
          ...t.deps.counters,
          countRelease: async () => {
            throw new Error('throttled');
          },
        },
      });
      const approved = await invoke(failing, 'POST /releases/{id}/approve', { ...MANAGER, params: { id } });
      expect(approved.status).toBe(500);
      expect(t.counters.counted.size).toBe(0);
      // Act
      const link = await t.call('GET /releases/{id}/link', REQUESTER, { params: { id } });
      // Assert
      expect(link.status).toBe(200);
      expect([...t.counters.counted.keys()]).toEqual([id]);
    });

    it('drops the copy from the open list on completion, also when a retry finishes the completion', async () => {
      // Arrange
      const { call, create, counters, releases } = setup();
      const id = await create();
      await call('POST /releases/{id}/approve', MANAGER, { params: { id } });
      releases.failNextLogWrite();
      // Act
      const failed = await call('POST /releases/{id}/complete', REQUESTER, { params: { id } });
      const retried = await call('POST /releases/{id}/complete', REQUESTER, { params: { id } });
      // Assert
      expect(failed.status).toBe(500);
      expect(retried.status).toBe(200);
      expect(counters.open.size).toBe(0);
      expect(counters.closed).toEqual([id, id]);
      expect(counters.counted.size).toBe(1);
    });

    it('drops an expired copy from the open list once, however often the sweeper runs', async () => {
      // Arrange
      const { deps, call, create, counters, advance } = setup();
      const id = await create();
      await call('POST /releases/{id}/approve', MANAGER, { params: { id } });
      advance(31 * DAY);
      // Act
      await releaseExpiryJob(deps);
      await releaseExpiryJob(deps);
      // Assert
      expect(counters.open.size).toBe(0);
      expect(counters.closed).toEqual([id]);
      expect(counters.counted.size).toBe(1);
    });

    it('neither counts nor lists a copy when a rejection wins the race against an approval', async () => {
      // Arrange
      const { deps, create, counters } = setup();
      const id = await create();
      const handler = releaseRoutes({
        ...deps,
        copies: {
          ...deps.copies,
          copy: async (recording, key, expiresAt) => {
            await deps.copies.copy(recording, key, expiresAt);
            await invoke(releaseRoutes(deps), 'POST /releases/{id}/reject', {
              ...SIRO,
              params: { id },
              body: { reason: 'not proportionate' },
            });
          },
        },
      });
      // Act
      const reply = await invoke(handler, 'POST /releases/{id}/approve', { ...MANAGER, params: { id } });
      // Assert
      expect(reply.status).toBe(409);
      expect(counters.open.size).toBe(0);
      expect(counters.counted.size).toBe(0);
    });
  });

  describe('listing', () => {
    const listed = async (
      call: ReturnType<typeof setup>['call'],
      who: { staffId: string; groups: string[] },
      query: Record<string, string> = {},
    ) =>
      (await call<{ releases: Release[] }>('GET /releases', who, { query })).json.releases.map(
        (r) => r.releaseId,
      );

    it('shows the requester their own, approvers what they may approve, the keeper everything', async () => {
      // Arrange: one internal release of a revenues recording, one external release by another officer.
      const { call, create, recordings, advice } = setup();
      recordings.set('rec-2', { ...RECORDING, recordingId: 'rec-2', serviceArea: 'parking' });
      advice.items.set('IG-1', adviceFor(['rec-2']));
      const internal = await create();
      const external = await create(
        {
          ...REQUEST,
          recordingId: 'rec-2',
          destination: {
            kind: 'external-agency',
            agency: 'Police',
            igAdviceRef: 'IG-1',
            schedule2: SCHEDULE2,
          },
        },
        { staffId: 'req-2', groups: ['area:parking:listener'] },
      );
      // Act / Assert
      expect(await listed(call, REQUESTER)).toEqual([internal]);
      expect(await listed(call, MANAGER)).toEqual([internal]);
      expect(await listed(call, OTHER_MANAGER)).toEqual([]);
      expect(await listed(call, AUDIT)).toEqual([internal]);
      expect((await listed(call, SIRO)).sort()).toEqual([internal, external].sort());
      expect((await listed(call, KEEPER)).sort()).toEqual([internal, external].sort());
      expect(await listed(call, KEEPER, { recordingId: 'rec-2' })).toEqual([external]);
      expect(await listed(call, KEEPER, { state: 'ISSUED' })).toEqual([]);
      expect(await listed(call, { staffId: 'nobody', groups: [] })).toEqual([]);
    });

    it('gives approvers a queue of the requests they may decide, never their own', async () => {
      // Arrange: the SIRO asks for a release to housing of a revenues recording; an officer asks for
      // one to an external agency; a revenues manager asks for one too.
      const { call, create, recordings, advice } = setup();
      recordings.set('rec-2', { ...RECORDING, recordingId: 'rec-2', serviceArea: 'parking' });
      advice.items.set('IG-1', adviceFor(['rec-2']));
      const bySiro = await create(REQUEST, { ...SIRO, groups: ['role:siro', 'area:housing:listener'] });
      const external = await create(
        {
          ...REQUEST,
          recordingId: 'rec-2',
          destination: {
            kind: 'external-agency',
            agency: 'Police',
            igAdviceRef: 'IG-1',
            schedule2: SCHEDULE2,
          },
        },
        { staffId: 'req-2', groups: ['area:parking:listener'] },
      );
      const byManager = await create(REQUEST, {
        ...MANAGER,
        groups: ['area:revenues:manager', 'area:housing:listener'],
      });
      const queue = async (who: { staffId: string; groups: string[] }) =>
        (await listed(call, who, { decidable: 'true' })).sort();
      // Act / Assert
      expect(await queue(SIRO)).toEqual([external, byManager].sort());
      expect(await queue(MANAGER)).toEqual([bySiro]);
      expect(await queue(AUDIT)).toEqual([bySiro, byManager].sort());
      expect(await queue(KEEPER)).toEqual([]);
      expect(await queue(REQUESTER)).toEqual([]);
      expect((await listed(call, SIRO, { decidable: 'false' })).sort()).toEqual(
        [bySiro, external, byManager].sort(),
      );
      // Decided requests leave the queue.
      await call('POST /releases/{id}/approve', MANAGER, { params: { id: bySiro } });
      expect(await queue(MANAGER)).toEqual([]);
    });

    it('refuses a release to someone who may not see it', async () => {
      const { call, create } = setup();
      const id = await create();
      expect((await call('GET /releases/{id}', OTHER_MANAGER, { params: { id } })).status).toBe(403);
      expect((await call('GET /releases/{id}', MANAGER, { params: { id } })).status).toBe(200);
    });
  });

  describe('Release of Recording Log', () => {
    it('is read only by the keeper and IG', async () => {
      const { call, create } = setup();
      await create();
      expect((await call('GET /release-log', REQUESTER)).status).toBe(403);
      expect((await call('GET /release-log', SIRO)).status).toBe(403);
      expect((await call('GET /release-log', KEEPER)).status).toBe(200);
      expect((await call('GET /release-log', { staffId: 'ig-1', groups: ['role:ig-officer'] })).status).toBe(
        200,
      );
    });

    it('puts every read of the log, and every refused one, on the access audit log', async () => {
      // Arrange
      const { call, create, logReads } = setup();
      await create();
      // Act
      await call('GET /release-log', KEEPER, { query: { requester: 'req-1' } });
      await call('GET /release-log', REQUESTER);
      // Assert
      expect(logReads).toEqual([
        {
          actor: KEEPER.staffId,
          filters: { log: 'release-of-recording-log', requester: 'req-1' },
          allowed: true,
          correlationId: expect.any(String),
        },
        {
          actor: REQUESTER.staffId,
          filters: { log: 'release-of-recording-log' },
          allowed: false,
          correlationId: expect.any(String),
        },
      ]);
    });

    it('answers no log when its read cannot be put on the audit log', async () => {
      // Arrange
      const { call, create, deps } = setup();
      await create();
      const handler = releaseRoutes({
        ...deps,
        auditLogRead: async () => {
          throw new Error('audit table unavailable');
        },
      });
      // Act
      const reply = await invoke<{ entries?: unknown }>(handler, 'GET /release-log', KEEPER);
      // Assert
      expect(reply.status).toBe(500);
      expect(reply.json.entries).toBeUndefined();
      expect((await call('GET /release-log', KEEPER)).status).toBe(200);
    });

    it('signs the head every N entries and exports a CSV that verifies with the public key', async () => {
      // Arrange: checkpointEvery = 5 in the fakes; 3 releases × (request, approve) = 6 entries.
      const { call, create, log } = setup();
      for (let i = 0; i < 3; i += 1) {
        const id = await create();
        await call('POST /releases/{id}/approve', MANAGER, { params: { id } });
      }
      // Act
      const reply = await call('GET /release-log', KEEPER, { headers: { accept: 'text/csv' } });
      const key = await call<{ publicKeyPem: string }>('GET /release-log/public-key', REQUESTER);
      // Assert
      expect((await log.checkpoints()).map((c) => c.payload.headSeq)).toEqual([5]);
      expect(reply.headers['content-type']).toMatch(/^text\/csv/);
      const exported = fromCsv(reply.text);
      expect(exported.entries).toHaveLength(6);
      expect(verifyExport(exported, parsePublicKey(key.json.publicKeyPem))).toEqual({
        ok: true,
        entries: 6,
        checkpoints: 1,
        attestedTo: 5,
        unattested: 1,
      });
    });

    it('filters by release id and event', async () => {
      const { call, create } = setup();
      const a = await create();
      await create();
      await call('POST /releases/{id}/approve', MANAGER, { params: { id: a } });
      const reply = await call<{ entries: { payload: { event: string } }[]; complete: boolean }>(
        'GET /release-log',
        KEEPER,
        { query: { releaseId: a, event: 'APPROVED' } },
      );
      expect(reply.json.complete).toBe(false);
      expect(reply.json.entries.map((e) => e.payload.event)).toEqual(['APPROVED']);
    });

    it('checkpoint job signs an unsigned head once, and the chain stays valid', async () => {
      const { deps, create, log } = setup();
      await create();
      expect(await releaseLogCheckpointJob(deps)).toMatchObject({ signed: true, headSeq: 1 });
      expect(await releaseLogCheckpointJob(deps)).toMatchObject({ signed: false });
      expect(verifyChain(await log.checkpoints()).ok).toBe(true);
    });
  });
});
