/**
 * The playback routes over in-memory ports (fake-deps.ts): what each route answers, what it audits, what it
 * writes. The adapters' own conditions and queries are proved against DynamoDB Local
 * (test/integration/stores.test.ts).
 */

import { verifyChain } from '../../../functions/domain/hash-chain.js';
import type { IgAdvice } from '../../../functions/domain/ig-advice.js';
import { invoke } from '../support/http.js';
import { lastAudit as last, type PlaybackWorld, playbackWorld, recording } from './fake-deps.js';

let world: PlaybackWorld;

const LISTENER = { staffId: 'lena', groups: ['area:revenues:listener'] };
const NOMINATED = { staffId: 'nora', groups: ['area:revenues:nominated'] };
const OTHER_AREA = { staffId: 'hugo', groups: ['area:housing:nominated'] };
const IG = { staffId: 'iris', groups: ['role:ig-officer'] };

const lastAudit = () => last(world) as Record<string, unknown> | undefined;
const seed = (...recs: ReturnType<typeof recording>[]) => {
  for (const r of recs) world.catalogue.set(r.recordingId, structuredClone(r));
  return recs;
};
const handler = (...args: Parameters<PlaybackWorld['handler']>) => world.handler(...args);

beforeEach(() => {
  world = playbackWorld();
});

describe('GET /recordings', () => {
  it('lists the service area of a listener newest first through the service-area index', async () => {
    // Arrange
    const [older, newer] = seed(
      recording({ startedAt: '2024-03-01T08:00:00.000Z' }),
      recording({ startedAt: '2024-03-02T08:00:00.000Z' }),
    );
    seed(recording({ serviceArea: 'housing' }));
    // Act
    const reply = await invoke(handler, 'GET /recordings', { ...LISTENER, query: {} });
    // Assert
    expect(reply.status).toBe(200);
    expect((reply.json.items as { recordingId: string }[]).map((i) => i.recordingId)).toEqual([
      newer?.recordingId,
      older?.recordingId,
    ]);
    expect(world.searches.at(-1)).toMatchObject({ serviceArea: 'revenues', areas: ['revenues'] });
    expect(JSON.stringify(reply.json)).not.toContain('hmac-of-caller');
    expect(lastAudit()).toMatchObject({ action: 'search', outcome: 'allowed', actor: 'lena' });
  });

  it('refuses a service area where the caller holds no grant, and audits the refusal', async () => {
    // Act
    const reply = await invoke(handler, 'GET /recordings', {
      ...LISTENER,
      query: { serviceArea: 'housing' },
    });
    // Assert
    expect(reply.status).toBe(403);
    expect(reply.json.rule).toBe('s6.playback-within-service-area');
    expect(lastAudit()).toMatchObject({ action: 'search', outcome: 'denied', serviceArea: 'housing' });
    expect(world.searches).toEqual([]);
  });

  it('matches a caller number through the ingest HMAC and keeps other service areas out', async () => {
    // Arrange
    const mac = 'hmac:+441234567890';
    const [mine] = seed(
      recording({ callerHash: mac }),
      recording({ callerHash: mac, serviceArea: 'housing' }),
    );
    // Act
    const reply = await invoke(handler, 'GET /recordings', {
      ...LISTENER,
      query: { caller: '+441234567890' },
    });
    // Assert
    expect(reply.status).toBe(200);
    // The search names the HMAC, never the number, and only the caller's areas.
    expect(world.searches.at(-1)).toMatchObject({ callerHash: mac, areas: ['revenues'] });
    expect(world.searches.at(-1)?.serviceArea).toBeUndefined();
    expect((reply.json.items as { recordingId: string }[]).map((i) => i.recordingId)).toEqual([
      mine?.recordingId,
    ]);
    expect(JSON.stringify(world.audit)).not.toContain('+441234567890');
  });

  it('pages with an opaque cursor that continues where the last page stopped', async () => {
    // Arrange
    seed(recording(), recording(), recording());
    // Act
    const first = await invoke(handler, 'GET /recordings', { ...LISTENER, query: { limit: '2' } });
    const second = await invoke(handler, 'GET /recordings', {
      ...LISTENER,
      query: { limit: '2', cursor: String(first.json.cursor) },
    });
    // Assert
    expect((first.json.items as unknown[]).length).toBe(2);
    expect(first.json.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect((second.json.items as unknown[]).length).toBe(1);
    expect(second.json.cursor).toBeUndefined();
  });

  it.each([
    ['not base64', '!!!'],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    [
      'another partition',
      Buffer.from(JSON.stringify({ recordingId: 'x', startedAt: 'y', serviceArea: 'housing' })).toString(
        'base64url',
      ),
    ],
    [
      'extra attributes',
      Buffer.from(
        JSON.stringify({ recordingId: 'x', startedAt: 'y', serviceArea: 'revenues', z: 1 }),
      ).toString('base64url'),
    ],
  ])('refuses a cursor that is %s with 400 and writes nothing', async (_label, cursor) => {
    // Act
    const reply = await invoke(handler, 'GET /recordings', { ...LISTENER, query: { cursor } });
    // Assert
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe('query.cursor');
    expect(world.audit).toEqual([]);
  });

  it('asks for a service area when the caller holds grants in several and gives no index filter', async () => {
    // Act
    const reply = await invoke(handler, 'GET /recordings', {
      staffId: 'multi',
      groups: ['area:revenues:listener', 'area:housing:listener'],
      query: {},
    });
    // Assert
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe('query.serviceArea');
    expect(world.audit).toEqual([]);
  });
});

describe('GET /recordings/{id}', () => {
  it('shows metadata, retention dates, holds and notification evidence, without audio', async () => {
    // Arrange
    const [r] = seed(
      recording({ holdCount: 2, notification: { method: 'advance-notice', evidenceRef: 'EV-1' } }),
    );
    // Act
    const reply = await invoke(handler, 'GET /recordings/{id}', {
      ...LISTENER,
      params: { id: String(r?.recordingId) },
    });
    // Assert
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      holdCount: 2,
      notification: { method: 'advance-notice', evidenceRef: 'EV-1' },
      retention: { retainUntil: r?.retainUntil, deleteAfter: r?.deleteAfter },
    });
    expect(reply.json).not.toHaveProperty('url');
    expect(lastAudit()).toMatchObject({ action: 'view', outcome: 'allowed' });
  });

  it('answers 404 for an unknown recording and audits the attempt', async () => {
    const reply = await invoke(handler, 'GET /recordings/{id}', { ...LISTENER, params: { id: 'nope' } });
    expect(reply.status).toBe(404);
    expect(lastAudit()).toMatchObject({ action: 'view', outcome: 'denied', rule: 'recording-not-found' });
  });
});

describe('POST /recordings/{id}/playback', () => {
  it('gives a listener a short-lived inline audio link after writing the audit entry', async () => {
    // Arrange
    const [r] = seed(recording());
    // Act
    const reply = await invoke(handler, 'POST /recordings/{id}/playback', {
      ...LISTENER,
      params: { id: String(r?.recordingId) },
      body: { purpose: 'training', note: 'coaching session' },
    });
    // Assert
    expect(reply.status).toBe(200);
    expect(world.presigned).toEqual([
      {
        key: r?.archiveKey,
        versionId: r?.archiveVersionId,
        contentType: 'audio/wav',
        disposition: 'inline',
        filename: `${r?.recordingId}.wav`,
        expiresInSeconds: 300,
        now: expect.any(Date),
      },
    ]);
    expect(reply.json.url).toBe(await world.deps.archive.presignGet(world.presigned[0] as never));
    expect(lastAudit()).toMatchObject({
      action: 'playback',
      recordingId: r?.recordingId,
      purpose: 'training',
      outcome: 'allowed',
      rule: 's6.playback-within-service-area',
    });
    expect(reply.json.auditSeq).toBe(world.audit.at(-1)?.seq);
  });

  it('puts a listener on the staff-awareness register of the area (s.4 a), once', async () => {
    // Arrange: a listener this container has not seen yet
    const newcomer = { staffId: 'nell', groups: ['area:revenues:listener'] };
    const [r] = seed(recording());
    const play = () =>
      invoke(handler, 'POST /recordings/{id}/playback', {
        ...newcomer,
        params: { id: String(r?.recordingId) },
        body: { purpose: 'training' },
      });
    // Act
    await play();
    await play();
    // Assert: on the register of the area, noted on the first play only: the container remembers who
    // is on it (the register's own item shapes: test/integration/stores.test.ts)
    expect([...world.register.keys()]).toEqual([`${newcomer.staffId}#revenues`]);
    expect(world.registerCalls).toEqual([`${newcomer.staffId}#revenues`]);
  });

  it('tries the register again on the next play when noting a listener failed', async () => {
    // Arrange: the registers table refuses the first write
    const listener = { staffId: 'otto', groups: ['area:revenues:listener'] };
    const [r] = seed(recording());
    const play = () =>
      invoke(handler, 'POST /recordings/{id}/playback', {
        ...listener,
        params: { id: String(r?.recordingId) },
        body: { purpose: 'training' },
      });
    world.failRegisterWrites = 1;
    // Act
    const first = await play();
    const second = await play();
    // Assert: the link is issued both times; the second play stored the listener
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(world.registerCalls).toHaveLength(2);
    expect([...world.register.keys()]).toEqual([`${listener.staffId}#revenues`]);
  });

  it('does not put staff who are refused on the register', async () => {
    const [r] = seed(recording());
    const reply = await invoke(handler, 'POST /recordings/{id}/playback', {
      ...OTHER_AREA,
      params: { id: String(r?.recordingId) },
      body: { purpose: 'training' },
    });
    expect(reply.status).toBe(403);
    expect(world.register.size).toBe(0);
    expect(world.registerCalls).toEqual([]);
  });

  it('issues no link, and answers 503 saying so, when the audit entry cannot be written', async () => {
    // Arrange
    const [r] = seed(recording());
    world.failAudit = true;
    // Act
    const reply = await invoke(handler, 'POST /recordings/{id}/playback', {
      ...LISTENER,
      params: { id: String(r?.recordingId) },
      body: { purpose: 'training' },
    });
    // Assert
    expect(reply.status).toBe(503);
    expect(reply.json).toMatchObject({ error: 'AuditUnavailableError', correlationId: expect.any(String) });
    expect(reply.json.message).toMatch(/audit log could not record this request/);
    expect(reply.text).not.toContain('X-Amz');
    expect(world.presigned).toEqual([]);
    expect(reply.text).not.toContain('audit table unavailable');
  });

  it('refuses staff of another service area and audits the denial with its rule', async () => {
    const [r] = seed(recording());
    const reply = await invoke(handler, 'POST /recordings/{id}/playback', {
      ...OTHER_AREA,
      params: { id: String(r?.recordingId) },
      body: { purpose: 'quality-monitoring' },
    });
    expect(reply.status).toBe(403);
    expect(reply.text).not.toContain('X-Amz');
    expect(lastAudit()).toMatchObject({
      actor: 'hugo',
      action: 'playback',
      outcome: 'denied',
      rule: 's6.playback-within-service-area',
      purpose: 'quality-monitoring',
    });
  });

  it("refuses a purpose outside the five without IG advice with the policy's rule, audited, and no link", async () => {
    const [r] = seed(recording());
    const reply = await invoke(handler, 'POST /recordings/{id}/playback', {
      ...LISTENER,
      params: { id: String(r?.recordingId) },
      body: { purpose: 'other' },
    });
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s6.other-purpose-needs-ig-advice');
    expect(reply.json.url).toBeUndefined();
    expect(lastAudit()).toMatchObject({
      actor: 'lena',
      action: 'playback',
      recordingId: r?.recordingId,
      purpose: 'other',
      outcome: 'denied',
      rule: 's6.other-purpose-needs-ig-advice',
    });
  });

  it.each([
    ['POST /recordings/{id}/playback', 'playback', { purpose: 'gossip' }, 'body.purpose'],
    ['POST /recordings/{id}/download', 'download', { purpose: 'training', extra: 1 }, 'body'],
    ['DELETE /recordings/{id}', 'delete', { reason: '' }, 'body.reason'],
  ])(
    'audits an attempt on a recording that %s refuses as invalid (400), naming the field',
    async (routeKey, action, body, field) => {
      const [r] = seed(recording());
      const reply = await invoke(handler, routeKey, {
        ...NOMINATED,
        params: { id: String(r?.recordingId) },
        body,
      });
      expect(reply.status).toBe(400);
      expect(world.audit).toHaveLength(1);
      expect(lastAudit()).toMatchObject({
        actor: 'nora',
        action,
        recordingId: r?.recordingId,
        outcome: 'denied',
        rule: 'invalid-request',
      });
      expect(String(lastAudit()?.note)).toContain(field);
    },
  );

  /** IG advice as an IG officer records it. */
  const seedAdvice = (advice: Partial<IgAdvice> & { adviceId: string }) => {
    const full: IgAdvice = {
      recordings: { kind: 'ids', recordingIds: [] },
      purposes: ['other'],
      uses: ['use'],
      advice: 'may be played to the complaints panel',
      conditions: [],
      issuedBy: 'iris',
      issuedAt: '2020-01-01T00:00:00.000Z',
      expiresAt: '2099-01-01T00:00:00.000Z',
      ...advice,
    };
    world.advice.items.set(full.adviceId, full);
  };

  it('accepts another purpose with IG advice on record for this recording, and records the advice id', async () => {
    const [r] = seed(recording());
    seedAdvice({
      adviceId: 'IG-2024-17',
      recordings: { kind: 'ids', recordingIds: [String(r?.recordingId)] },
    });
    const reply = await invoke(handler, 'POST /recordings/{id}/playback', {
      ...LISTENER,
      params: { id: String(r?.recordingId) },
      body: { purpose: 'other', igAdviceRef: 'IG-2024-17' },
    });
    expect(reply.status).toBe(200);
    expect(lastAudit()).toMatchObject({ purpose: 'other', igAdviceRef: 'IG-2024-17', outcome: 'allowed' });
  });

  it.each([
    ['advice not on record', undefined, 's6.ig-advice-required'],
    ['expired advice', { expiresAt: '2021-01-01T00:00:00.000Z' }, 's6.ig-advice-expired'],
    [
      'advice for another recording',
      { recordings: { kind: 'ids', recordingIds: ['rec-other'] } },
      's6.ig-advice-not-covering',
    ],
    ['advice for another purpose', { purposes: ['training'] }, 's6.ig-advice-not-covering'],
    ['advice for external release only', { uses: ['external-release'] }, 's6.ig-advice-not-covering'],
  ] as const)(
    'refuses purpose other with %s (422 naming the rule), audited, no link',
    async (_case, changes, rule) => {
      // Arrange
      const [r] = seed(recording());
      if (changes)
        seedAdvice({
          adviceId: 'IG-2024-17',
          recordings: { kind: 'ids', recordingIds: [String(r?.recordingId)] },
          ...(changes as Partial<IgAdvice>),
        });
      // Act
      const reply = await invoke(handler, 'POST /recordings/{id}/playback', {
        ...LISTENER,
        params: { id: String(r?.recordingId) },
        body: { purpose: 'other', igAdviceRef: 'IG-2024-17' },
      });
      // Assert
      expect(reply.status).toBe(422);
      expect(reply.json.rule).toBe(rule);
      expect(reply.text).not.toContain('X-Amz');
      expect(lastAudit()).toMatchObject({
        outcome: 'denied',
        rule,
        purpose: 'other',
        igAdviceRef: 'IG-2024-17',
      });
    },
  );

  it('refuses a recording that has no archived audio, audited', async () => {
    const [r] = seed(recording({ status: 'DELETED' }));
    const reply = await invoke(handler, 'POST /recordings/{id}/playback', {
      ...LISTENER,
      params: { id: String(r?.recordingId) },
      body: { purpose: 'training' },
    });
    expect(reply.status).toBe(422);
    expect(lastAudit()).toMatchObject({ outcome: 'denied', rule: 'recording-not-archived' });
  });
});

describe('POST /recordings/{id}/download', () => {
  it('refuses a listener: only nominated staff download', async () => {
    const [r] = seed(recording());
    const reply = await invoke(handler, 'POST /recordings/{id}/download', {
      ...LISTENER,
      params: { id: String(r?.recordingId) },
      body: { purpose: 'dispute-verification' },
    });
    expect(reply.status).toBe(403);
    expect(reply.json.rule).toBe('s6.nominated-staff-only');
    expect(lastAudit()).toMatchObject({ action: 'download', outcome: 'denied' });
  });

  it('gives nominated staff an attachment link, audited', async () => {
    const [r] = seed(recording({ audio: { format: 'mp3', sizeBytes: 10, sha256: 'b'.repeat(64) } }));
    const reply = await invoke(handler, 'POST /recordings/{id}/download', {
      ...NOMINATED,
      params: { id: String(r?.recordingId) },
      body: { purpose: 'dispute-verification' },
    });
    expect(reply.status).toBe(200);
    expect(world.presigned.at(-1)).toMatchObject({
      disposition: 'attachment',
      filename: `${r?.recordingId}.mp3`,
      contentType: 'audio/mpeg',
    });
    expect(reply.json).toMatchObject({ disposition: 'attachment', contentType: 'audio/mpeg' });
    expect(lastAudit()).toMatchObject({ action: 'download', outcome: 'allowed', actor: 'nora' });
  });
});

describe('DELETE /recordings/{id}', () => {
  const remove = (who: typeof NOMINATED, id: string, reason = 'recorded by mistake') =>
    invoke(handler, 'DELETE /recordings/{id}', { ...who, params: { id }, body: { reason } });

  it('deletes the object version and certifies the deletion in the catalogue', async () => {
    // Arrange
    const [r] = seed(recording());
    // Act
    const reply = await remove(NOMINATED, String(r?.recordingId));
    // Assert
    expect(reply.status).toBe(200);
    expect(world.deletedVersions).toEqual([{ key: r?.archiveKey, versionId: r?.archiveVersionId }]);
    const stored = world.catalogue.get(String(r?.recordingId));
    expect(stored).toMatchObject({
      status: 'DELETED',
      deletion: {
        by: 'nora',
        rule: 's6.nominated-delete',
        reason: 'recorded by mistake',
        archiveKey: r?.archiveKey,
        versionId: r?.archiveVersionId,
        sha256: r?.audio.sha256,
      },
    });
    expect(stored).not.toHaveProperty('deleteDay');
    expect(lastAudit()).toMatchObject({
      action: 'delete',
      outcome: 'allowed',
      reason: 'recorded by mistake',
    });
  });

  it('refuses before the 12-month retention has passed', async () => {
    const [r] = seed(recording({ retainUntil: '2999-01-01T00:00:00.000Z' }));
    const reply = await remove(NOMINATED, String(r?.recordingId));
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s7.retain-12-months');
    expect(world.deletedVersions).toEqual([]);
    expect(lastAudit()).toMatchObject({ action: 'delete', outcome: 'denied', rule: 's7.retain-12-months' });
  });

  it('refuses while a hold is active', async () => {
    const [r] = seed(recording({ holdCount: 1 }));
    const reply = await remove(NOMINATED, String(r?.recordingId));
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s7.no-deletion-under-hold');
    expect(world.deletedVersions).toEqual([]);
  });

  it('refuses when a hold lands between the read and the delete, leaving the object alone', async () => {
    // Arrange: the catalogue read sees no hold; the hold is placed before the conditional update runs.
    const [r] = seed(recording());
    const id = String(r?.recordingId);
    world.beforeMarkDeleted = (recordingId) => {
      const item = world.catalogue.get(recordingId);
      if (item) Object.assign(item, { holdCount: 1 });
    };
    // Act
    const reply = await remove(NOMINATED, id);
    // Assert
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s7.no-deletion-under-hold');
    expect(world.deletedVersions).toEqual([]);
    expect(world.catalogue.get(id)).toMatchObject({ status: 'ARCHIVED' });
    expect(world.deletions).toEqual([]);
  });

  it('refuses a listener', async () => {
    const [r] = seed(recording());
    const reply = await remove(LISTENER, String(r?.recordingId));
    expect(reply.status).toBe(403);
    expect(world.catalogue.get(String(r?.recordingId))).toMatchObject({ status: 'ARCHIVED' });
  });

  it('restores the catalogue entry when the archive refuses to delete the version', async () => {
    // Arrange
    const [r] = seed(recording());
    world.archiveAnswer = 'refused';
    // Act
    const reply = await remove(NOMINATED, String(r?.recordingId));
    // Assert
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s7.object-locked');
    expect(world.catalogue.get(String(r?.recordingId))).toMatchObject({
      status: 'ARCHIVED',
      deleteDay: r?.deleteDay,
    });
    expect(world.catalogue.get(String(r?.recordingId))).not.toHaveProperty('deletion');
    expect(world.deletions).toEqual([]);
  });

  it('writes the deletion record GET /reports/deletions lists, as the sweeper does', async () => {
    // Arrange
    const [r] = seed(recording());
    // Act
    const reply = await remove(NOMINATED, String(r?.recordingId));
    // Assert
    const certificate = world.catalogue.get(String(r?.recordingId))?.deletion as { at: string };
    expect(reply.status).toBe(200);
    expect(world.deletions).toEqual([
      {
        recordingId: r?.recordingId,
        serviceArea: 'revenues',
        deleteAfter: r?.deleteAfter,
        certificate,
      },
    ]);
  });

  it('certifies the deletion and writes its record together: a failed write leaves neither, and a retry deletes', async () => {
    // Arrange: the one write that carries the certificate and the record fails once.
    const [r] = seed(recording());
    const id = String(r?.recordingId);
    world.failMarkDeleted = 1;
    const failed = await remove(NOMINATED, id);
    const afterFailure = { ...world.catalogue.get(id) };
    const recordsAfterFailure = world.deletions.length;
    // Act
    const retried = await remove(NOMINATED, id);
    // Assert
    expect(failed.status).toBe(500);
    expect(afterFailure).toMatchObject({ status: 'ARCHIVED' });
    expect(afterFailure).not.toHaveProperty('deletion');
    expect(recordsAfterFailure).toBe(0);
    expect(world.deletedVersions).toHaveLength(1);
    expect(retried.status).toBe(200);
    expect(world.deletions.map((d) => d.recordingId)).toEqual([id]);
  });

  it('answers 409 for a recording already deleted', async () => {
    const [r] = seed(recording({ status: 'DELETED' }));
    const reply = await remove(NOMINATED, String(r?.recordingId));
    expect(reply.status).toBe(409);
    expect(world.deletions).toEqual([]);
  });
});

describe('GET /audit', () => {
  it('lets an IG officer read one recording’s entries through the recording index, and the chain holds', async () => {
    // Arrange
    const [r] = seed(recording());
    const id = String(r?.recordingId);
    await invoke(handler, 'POST /recordings/{id}/playback', {
      ...LISTENER,
      params: { id },
      body: { purpose: 'training' },
    });
    await invoke(handler, 'POST /recordings/{id}/download', {
      ...LISTENER,
      params: { id },
      body: { purpose: 'training' },
    });
    // Act
    const reply = await invoke(handler, 'GET /audit', { ...IG, query: { recordingId: id } });
    // Assert
    expect(reply.status).toBe(200);
    const entries = reply.json.entries as Record<string, unknown>[];
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([
      ['download', 'denied'],
      ['playback', 'allowed'],
    ]);
    expect(verifyChain(world.audit).ok).toBe(true);
  });

  it('reads by actor, from a time on', async () => {
    // Arrange
    const [r] = seed(recording());
    await invoke(handler, 'GET /recordings/{id}', { ...LISTENER, params: { id: String(r?.recordingId) } });
    await invoke(handler, 'GET /recordings/{id}', { ...NOMINATED, params: { id: String(r?.recordingId) } });
    // Act
    const reply = await invoke(handler, 'GET /audit', {
      ...IG,
      query: { actor: 'lena', from: '2024-01-01T00:00:00Z' },
    });
    // Assert
    expect(reply.status).toBe(200);
    expect((reply.json.entries as { actor: string }[]).map((e) => e.actor)).toEqual(['lena']);
  });

  it.each([LISTENER, NOMINATED, { staffId: 'sam', groups: ['role:siro'] }])(
    'refuses $staffId and audits the refusal',
    async (who) => {
      const reply = await invoke(handler, 'GET /audit', { ...who, query: {} });
      expect(reply.status).toBe(403);
      expect(lastAudit()).toMatchObject({
        action: 'audit-read',
        outcome: 'denied',
        rule: 's6.accountable-access',
      });
    },
  );

  it('lets the Release of Recording Log keeper read the whole log', async () => {
    const reply = await invoke(handler, 'GET /audit', {
      staffId: 'kim',
      groups: ['role:release-log-keeper'],
      query: {},
    });
    expect(reply.status).toBe(200);
  });
});

describe('playback link lifetime', () => {
  it('lives as long as the configured link lifetime, from the signing time', async () => {
    // Arrange
    const now = new Date('2026-06-01T12:00:00.000Z');
    world = playbackWorld({ linkTtlSeconds: 120, now: () => now });
    const [r] = seed(recording());
    // Act
    const reply = await invoke(handler, 'POST /recordings/{id}/playback', {
      ...LISTENER,
      params: { id: String(r?.recordingId) },
      body: { purpose: 'staff-protection' },
    });
    // Assert
    expect(world.presigned[0]).toMatchObject({ expiresInSeconds: 120, now });
    expect(reply.json.expiresAt).toBe('2026-06-01T12:02:00.000Z');
  });
});
