/** The ingest API (POST /uploads, GET /uploads/{callId}) through its routes, over in-memory ports. */
import type { Hold } from '../../../functions/domain/holds.js';
import type { IngestConfig } from '../../../functions/ports/ingest.js';
import { invoke } from '../support/http.js';
import { setIngestEnv } from './env.js';
import { FakeApiWorld } from './fake-ports.js';
import { approvedArea, INGEST, recordedExtension, validUpload } from './fixtures.js';

setIngestEnv();
const { ingestApiHandler } = await import('../../../functions/ingest/api.js');
const { presignPut } = await import('../../../functions/adapters/upload-link.js');

const config: IngestConfig = {
  inboxBucket: 'inbox',
  archiveBucket: 'archive',
  kmsKeyId: 'recordings-key',
  uploadLinkTtlSeconds: 900,
  retention: { minMonths: 12, maxMonths: 24 },
};

/** The headers the uploader must send for validUpload()'s audio (wav, 4 800 044 bytes, sha256 ab…). */
const SIGNED_HEADERS = {
  'content-type': 'audio/wav',
  'content-length': '4800044',
  'x-amz-checksum-sha256': Buffer.from('ab'.repeat(32), 'hex').toString('base64'),
  'x-amz-server-side-encryption': 'aws:kms',
  'x-amz-server-side-encryption-aws-kms-key-id': 'recordings-key',
};

let world: FakeApiWorld;
let handler: ReturnType<typeof ingestApiHandler>;
const stubRegisters = (area = approvedArea, extension = recordedExtension) => {
  world.areas.set(area.id, area);
  world.extensions.set(extension.number, extension);
};
const stored = () => [...world.recordings.values()];

beforeEach(() => {
  world = new FakeApiWorld();
  handler = ingestApiHandler(world.ports(config));
});

describe('the upload link (functions/adapters/upload-link.ts)', () => {
  it('presigns a PUT whose signature covers type, length, checksum and SSE-KMS', async () => {
    const upload = await presignPut({
      bucket: 'inbox',
      key: 'incoming/r-1',
      contentType: 'audio/wav',
      contentLength: 4_800_044,
      sha256Hex: 'ab'.repeat(32),
      kmsKeyId: 'recordings-key',
      expiresInSeconds: 900,
    });
    const url = new URL(upload.url);
    expect(url.pathname).toBe('/incoming/r-1');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining([
        'content-length',
        'content-type',
        'x-amz-checksum-sha256',
        'x-amz-server-side-encryption',
        'x-amz-server-side-encryption-aws-kms-key-id',
      ]),
    );
    expect(upload.headers).toEqual(SIGNED_HEADERS);
  });
});

describe('POST /uploads', () => {
  beforeEach(() => stubRegisters());

  it('registers a call and answers 201 with an upload link for its inbox key, type, length, checksum and key', async () => {
    // Act
    const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    // Assert
    expect(reply.status).toBe(201);
    const { recordingId, upload } = reply.json as { recordingId: string; upload: Record<string, unknown> };
    expect(recordingId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new URL(String(upload.url)).pathname).toBe(`/incoming/${recordingId}`);
    expect(new URL(String(upload.url)).host).toBe('inbox.example');
    expect(upload.headers).toEqual(SIGNED_HEADERS);
    expect(world.registrations).toBe(1);
    expect(world.counted).toEqual([recordingId]);
    expect(world.staffNoted).toEqual(['agent-7@revenues']);
  });

  it('stores the caller number only as its pseudonym plus its last three digits', async () => {
    await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    expect(JSON.stringify([...world.calls.values(), ...stored()])).not.toContain('1632960123');
    expect(world.pseudonymised).toEqual(['+441632960123']);
    expect(stored()[0]).toMatchObject({
      callerHash: 'pseudonym-1',
      callerLast3: '123',
      callerWithheld: false,
      status: 'PENDING',
      retainUntil: '2027-03-10T09:00:00.000Z',
      deleteAfter: '2028-03-10T09:00:00.000Z',
    });
  });

  it('stores a withheld number as withheld, without asking for a pseudonym', async () => {
    await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload({ counterparty: 'withheld' }) });
    expect(stored()[0]).toMatchObject({ callerWithheld: true });
    expect(stored()[0]?.callerHash).toBeUndefined();
    expect(world.pseudonymised).toHaveLength(0);
  });

  it('accepts notification none and flags it for the compliance report', async () => {
    const reply = await invoke(handler, 'POST /uploads', {
      ...INGEST,
      body: validUpload({ notification: { method: 'none' } }),
    });
    expect(reply.status).toBe(201);
    expect(reply.json.complianceFlags).toEqual(['s5.no-customer-notification']);
  });

  it.each([
    [
      'card data was captured',
      validUpload({ pci: { pausedSegments: [], cardDataCaptured: true } }),
      's2.pci-card-data',
      /must not be stored/,
    ],
    [
      'the service area is not registered',
      validUpload({ serviceArea: 'parking' }),
      's3.business-case',
      /not registered/,
    ],
    [
      'the extension is not registered',
      validUpload({ extension: '5555' }),
      's4.extension-not-registered',
      /5555/,
    ],
  ])('refuses with 422 when %s, writing nothing', async (_why, body, rule, message) => {
    const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body });
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe(rule);
    expect(String(reply.json.message)).toMatch(message);
    expect(world.registrations).toBe(0);
    expect(world.counted).toHaveLength(0);
  });

  it('refuses a service area whose business case is incomplete, naming what is missing', async () => {
    stubRegisters({
      ...approvedArea,
      status: 'incomplete',
      missing: ['s3.c IG confirmation with PIA reference'],
    });
    const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ rule: 's3.business-case' });
    expect(String(reply.json.message)).toContain('PIA');
  });

  it('refuses an extension registered as not recorded', async () => {
    stubRegisters(approvedArea, { ...recordedExtension, mode: 'never', pairedUnrecorded: undefined });
    const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    expect(reply.json).toMatchObject({ rule: 's4.extension-not-recorded' });
  });

  it('refuses an extension of another service area', async () => {
    stubRegisters(approvedArea, { ...recordedExtension, serviceArea: 'housing' });
    const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ rule: 's4.extension-other-area' });
  });

  it('refuses an end before the start with 400 naming endedAt, writing nothing', async () => {
    const reply = await invoke(handler, 'POST /uploads', {
      ...INGEST,
      body: validUpload({ endedAt: '2026-03-10T08:59:00+00:00' }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe('body.endedAt');
    expect(world.registrations).toBe(0);
  });

  describe('the age of the call (policy s.7)', () => {
    const DAY = 24 * 60 * 60 * 1000;
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const callAt = (start: Date) =>
      validUpload({
        startedAt: start.toISOString(),
        endedAt: new Date(start.getTime() + 5 * 60 * 1000).toISOString(),
      });
    const activeHold = (query: Record<string, string>): Hold =>
      ({
        holdId: 'hold-9',
        caseRef: 'LIT-1',
        reason: 'historical calls kept for a claim',
        reviewDate: '2027-06-01',
        scope: { query },
        igGuidanceRef: 'IG-GUID-42',
        status: 'ACTIVE',
        placedBy: 'ig-1',
        placedAt: new Date().toISOString(),
        scopeResolved: true,
      }) as Hold;

    it('registers a call 13 months old, due for deletion 24 months after its start, without reading holds', async () => {
      // Arrange: about 13 months ago, on the 15th (so the month arithmetic below needs no clamping)
      const start = ago(395);
      start.setUTCDate(15);
      // Act
      const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: callAt(start) });
      // Assert
      expect(reply.status).toBe(201);
      const deleteAfter = new Date(start);
      deleteAfter.setUTCMonth(deleteAfter.getUTCMonth() + 24);
      expect(stored()[0]?.deleteAfter).toBe(deleteAfter.toISOString());
      expect(world.holdReads).toBe(0);
    });

    it('refuses a call already past 24 months with 422 naming the rule, writing nothing', async () => {
      const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: callAt(ago(750)) });
      expect(reply.status).toBe(422);
      expect(reply.json.rule).toBe('s7.deleted-after-24-months');
      expect(String(reply.json.message)).toMatch(/hold/);
      expect(world.registrations).toBe(0);
    });

    it('refuses an old call when the only active holds cover another area or time', async () => {
      world.holds = [
        activeHold({ serviceArea: 'parking', from: ago(800).toISOString(), to: ago(700).toISOString() }),
        activeHold({ serviceArea: 'revenues', from: ago(740).toISOString(), to: ago(700).toISOString() }),
      ];
      const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: callAt(ago(750)) });
      expect(reply.status).toBe(422);
      expect(world.registrations).toBe(0);
    });

    it('registers a call past 24 months when an active IG hold covers it, naming the hold', async () => {
      // Arrange
      world.holds = [
        activeHold({ serviceArea: 'revenues', from: ago(800).toISOString(), to: ago(700).toISOString() }),
      ];
      // Act
      const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: callAt(ago(750)) });
      // Assert
      expect(reply.status).toBe(201);
      expect(stored()[0]).toMatchObject({ status: 'PENDING', admittedUnderHold: 'hold-9', holdCount: 0 });
    });

    it.each([
      ['startedAt', 'body.startedAt'],
      ['endedAt', 'body.endedAt'],
    ])(
      'refuses a call whose %s is beyond 5 minutes ahead of the server with 400 naming it',
      async (which, field) => {
        const start =
          which === 'startedAt' ? new Date(Date.now() + 10 * 60 * 1000) : new Date(Date.now() - 60 * 1000);
        const body = validUpload({
          startedAt: start.toISOString(),
          endedAt: new Date(start.getTime() + 10 * 60 * 1000).toISOString(),
        });
        const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body });
        expect(reply.status).toBe(400);
        expect(reply.json.field).toBe(field);
        expect(world.registrations).toBe(0);
      },
    );

    it('accepts a call that ended within the 5 minutes of clock skew', async () => {
      const start = new Date(Date.now() - 60 * 1000);
      const body = validUpload({
        startedAt: start.toISOString(),
        endedAt: new Date(start.getTime() + 3 * 60 * 1000).toISOString(),
        pci: { pausedSegments: [], cardDataCaptured: false },
      });
      const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body });
      expect(reply.status).toBe(201);
    });
  });

  it('refuses a caller that lacks the ingest scope with 403', async () => {
    const reply = await invoke(handler, 'POST /uploads', { staffId: 'someone', body: validUpload() });
    expect(reply.status).toBe(403);
    expect(world.registrations).toBe(0);
  });

  it('answers a replay of the same call id and body with the same recording id, writing nothing more', async () => {
    // Arrange
    const first = await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    // Act: the same body with its keys in another order
    const { audio, ...rest } = validUpload();
    const again = await invoke(handler, 'POST /uploads', { ...INGEST, body: { audio, ...rest } });
    // Assert
    expect(again.status).toBe(201);
    expect(again.json.recordingId).toBe(first.json.recordingId);
    expect(world.registrations).toBe(1);
    expect(world.counted).toEqual([first.json.recordingId]);
  });

  it('refuses the same call id with a different body with 409', async () => {
    await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    const reply = await invoke(handler, 'POST /uploads', {
      ...INGEST,
      body: validUpload({ agentId: 'agent-8' }),
    });
    expect(reply.status).toBe(409);
    expect(world.registrations).toBe(1);
  });

  it('answers a request that lost a concurrent race for the same call id with the winner’s recording', async () => {
    // Arrange: a concurrent twin registers the call id between the reads and the conditional write
    world.beforeRegister = (call, recording) => {
      world.beforeRegister = undefined;
      world.calls.set(call.callId, { ...call, recordingId: 'winner-id' });
      world.recordings.set('winner-id', { ...recording, recordingId: 'winner-id' });
    };
    // Act
    const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    // Assert
    expect(reply.status).toBe(201);
    expect(reply.json.recordingId).toBe('winner-id');
    expect(world.registrations).toBe(0);
  });
});

describe('GET /uploads/{callId}', () => {
  it('reports the status of a registered call, without personal data', async () => {
    world.calls.set('call-9', { callId: 'call-9', recordingId: 'r-9', bodyHash: 'h', registeredAt: 't' });
    world.recordings.set('r-9', {
      recordingId: 'r-9',
      callId: 'call-9',
      status: 'ARCHIVED',
      statusAt: 't2',
      registeredAt: 't',
      archivedAt: 't2',
      callerHash: 'x',
    } as never);
    const reply = await invoke(handler, 'GET /uploads/{callId}', { ...INGEST, params: { callId: 'call-9' } });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      callId: 'call-9',
      recordingId: 'r-9',
      status: 'ARCHIVED',
      statusAt: 't2',
      registeredAt: 't',
      archivedAt: 't2',
    });
  });

  it('answers 404 for an unknown call id', async () => {
    const reply = await invoke(handler, 'GET /uploads/{callId}', { ...INGEST, params: { callId: 'nope' } });
    expect(reply.status).toBe(404);
  });

  it('refuses a caller that lacks the ingest scope with 403', async () => {
    const reply = await invoke(handler, 'GET /uploads/{callId}', {
      staffId: 'someone',
      params: { callId: 'x' },
    });
    expect(reply.status).toBe(403);
  });
});
