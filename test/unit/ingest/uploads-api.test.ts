import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { registerKeys } from '../../../functions/adapters/registers-store.js';
import { invoke } from '../support/http.js';
import { setIngestEnv } from './env.js';
import { approvedArea, INGEST, recordedExtension, validUpload } from './fixtures.js';

setIngestEnv();
const { handler } = await import('../../../functions/ingest/api.js');

const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);

type Tx = { Put: { TableName: string; Item: Record<string, unknown> } }[];
const isRegistration = (items: Tx) => items.some((t) => t.Put?.TableName === 'catalogue');
/** The items of the registration transactions (idempotency record + catalogue entry), not the counters'. */
const writtenItems = (): Tx =>
  ddb
    .commandCalls(TransactWriteCommand)
    .map((c) => c.args[0].input.TransactItems as Tx)
    .filter(isRegistration)
    .flat();
const registrations = () =>
  ddb.commandCalls(TransactWriteCommand).filter((c) => isRegistration(c.args[0].input.TransactItems as Tx));

const stubRegisters = (area = approvedArea, extension = recordedExtension) => {
  ddb.on(GetCommand).resolves({});
  ddb
    .on(GetCommand, { Key: registerKeys.area(area.id) })
    .resolves({ Item: { ...registerKeys.area(area.id), ...area } });
  ddb
    .on(GetCommand, { Key: registerKeys.extension(extension.number) })
    .resolves({ Item: { ...registerKeys.extension(extension.number), ...extension } });
  ddb.on(TransactWriteCommand).resolves({});
  kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array([1, 2, 3, 4]) });
};

describe('POST /uploads', () => {
  beforeEach(() => {
    ddb.reset();
    kms.reset();
    stubRegisters();
  });

  it('registers a call and answers 201 with a presigned PUT whose signature covers type, length, checksum and SSE-KMS', async () => {
    // Act
    const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    // Assert
    expect(reply.status).toBe(201);
    const { recordingId, upload } = reply.json as { recordingId: string; upload: Record<string, unknown> };
    expect(recordingId).toMatch(/^[0-9a-f-]{36}$/);
    const url = new URL(String(upload.url));
    expect(url.pathname).toBe(`/incoming/${recordingId}`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining([
        'content-length',
        'content-type',
        'x-amz-checksum-sha256',
        'x-amz-server-side-encryption',
        'x-amz-server-side-encryption-aws-kms-key-id',
      ]),
    );
    expect(upload.headers).toEqual({
      'content-type': 'audio/wav',
      'content-length': '4800044',
      'x-amz-checksum-sha256': Buffer.from('ab'.repeat(32), 'hex').toString('base64'),
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'recordings-key',
    });
  });

  it('stores the caller number only as a KMS HMAC pseudonym plus its last three digits', async () => {
    await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    const stored = JSON.stringify(writtenItems());
    const [recording] = writtenItems().filter((t) => t.Put.TableName === 'catalogue');
    expect(stored).not.toContain('1632960123');
    expect(recording?.Put.Item).toMatchObject({
      callerHash: Buffer.from([1, 2, 3, 4]).toString('base64url'),
      callerLast3: '123',
      callerWithheld: false,
      status: 'PENDING',
      retainUntil: '2027-03-10T09:00:00.000Z',
      deleteAfter: '2028-03-10T09:00:00.000Z',
    });
    expect(kms.commandCalls(GenerateMacCommand)[0]?.args[0].input).toMatchObject({
      KeyId: 'hmac-key',
      MacAlgorithm: 'HMAC_SHA_256',
    });
  });

  it('stores a withheld number as withheld, without calling KMS', async () => {
    await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload({ counterparty: 'withheld' }) });
    const [recording] = writtenItems().filter((t) => t.Put.TableName === 'catalogue');
    expect(recording?.Put.Item).toMatchObject({ callerWithheld: true });
    expect(recording?.Put.Item.callerHash).toBeUndefined();
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(0);
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
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
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

  it('refuses an end before the start with 400 naming endedAt', async () => {
    const reply = await invoke(handler, 'POST /uploads', {
      ...INGEST,
      body: validUpload({ endedAt: '2026-03-10T08:59:00+00:00' }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe('body.endedAt');
  });

  describe('the age of the call (policy s.7)', () => {
    const DAY = 24 * 60 * 60 * 1000;
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const callAt = (start: Date) =>
      validUpload({
        startedAt: start.toISOString(),
        endedAt: new Date(start.getTime() + 5 * 60 * 1000).toISOString(),
      });
    const catalogueItem = () => writtenItems().find((t) => t.Put.TableName === 'catalogue')?.Put.Item;
    const activeHold = (query: Record<string, string>) => ({
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
    });

    it('registers a call 13 months old, due for deletion 24 months after its start', async () => {
      // Arrange: about 13 months ago, on the 15th (so the month arithmetic below needs no clamping)
      const start = ago(395);
      start.setUTCDate(15);
      // Act
      const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: callAt(start) });
      // Assert
      expect(reply.status).toBe(201);
      const deleteAfter = new Date(start);
      deleteAfter.setUTCMonth(deleteAfter.getUTCMonth() + 24);
      expect(catalogueItem()?.deleteAfter).toBe(deleteAfter.toISOString());
    });

    it('refuses a call already past 24 months with 422 naming the rule, writing nothing', async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: callAt(ago(750)) });
      expect(reply.status).toBe(422);
      expect(reply.json.rule).toBe('s7.deleted-after-24-months');
      expect(String(reply.json.message)).toMatch(/hold/);
      expect(registrations()).toHaveLength(0);
    });

    it('refuses an old call when the only active hold covers another area or time', async () => {
      const start = ago(750);
      ddb.on(QueryCommand).resolves({
        Items: [
          activeHold({ serviceArea: 'parking', from: ago(800).toISOString(), to: ago(700).toISOString() }),
          activeHold({ serviceArea: 'revenues', from: ago(740).toISOString(), to: ago(700).toISOString() }),
        ],
      });
      const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: callAt(start) });
      expect(reply.status).toBe(422);
    });

    it('registers a call past 24 months when an active IG hold covers it, naming the hold', async () => {
      // Arrange
      const start = ago(750);
      ddb.on(QueryCommand).resolves({
        Items: [
          activeHold({ serviceArea: 'revenues', from: ago(800).toISOString(), to: ago(700).toISOString() }),
        ],
      });
      // Act
      const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: callAt(start) });
      // Assert
      expect(reply.status).toBe(201);
      expect(catalogueItem()).toMatchObject({ status: 'PENDING', admittedUnderHold: 'hold-9', holdCount: 0 });
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
        expect(registrations()).toHaveLength(0);
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
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers a replay of the same call id and body with the same recording id', async () => {
    // Arrange: the first registration, then its stored records as the replay will read them
    const first = await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    const items = writtenItems();
    const call = items.find((t) => t.Put.TableName === 'registers')?.Put.Item;
    const recording = items.find((t) => t.Put.TableName === 'catalogue')?.Put.Item;
    ddb.reset();
    stubRegisters();
    ddb.on(GetCommand, { Key: registerKeys.call('call-0001') }).resolves({ Item: call });
    ddb.on(GetCommand, { Key: { recordingId: first.json.recordingId } }).resolves({ Item: recording });
    // Act: the same body with its keys in another order
    const { audio, ...rest } = validUpload();
    const again = await invoke(handler, 'POST /uploads', { ...INGEST, body: { audio, ...rest } });
    // Assert
    expect(again.status).toBe(201);
    expect(again.json.recordingId).toBe(first.json.recordingId);
    expect(registrations()).toHaveLength(0);
  });

  it('refuses the same call id with a different body with 409', async () => {
    await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    const call = writtenItems().find((t) => t.Put.TableName === 'registers')?.Put.Item;
    ddb.on(GetCommand, { Key: registerKeys.call('call-0001') }).resolves({ Item: call });
    const reply = await invoke(handler, 'POST /uploads', {
      ...INGEST,
      body: validUpload({ agentId: 'agent-8' }),
    });
    expect(reply.status).toBe(409);
  });

  it('answers a request that lost a concurrent race for the same call id with the winner’s recording', async () => {
    // Arrange: the conditional transaction fails because a concurrent twin wrote first
    const winner = { ...registerKeys.call('call-0001') };
    let winnerCall: Record<string, unknown> | undefined;
    let winnerRecording: Record<string, unknown> | undefined;
    ddb.on(TransactWriteCommand).callsFake((input: { TransactItems: Tx }) => {
      if (!isRegistration(input.TransactItems)) return {};
      winnerCall = { ...input.TransactItems[0]?.Put.Item, recordingId: 'winner-id' };
      winnerRecording = { ...input.TransactItems[1]?.Put.Item, recordingId: 'winner-id' };
      throw new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      });
    });
    ddb.on(GetCommand, { Key: winner }).callsFake(() => ({ Item: winnerCall }));
    ddb.on(GetCommand, { Key: { recordingId: 'winner-id' } }).callsFake(() => ({ Item: winnerRecording }));
    // Act
    const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: validUpload() });
    // Assert
    expect(reply.status).toBe(201);
    expect(reply.json.recordingId).toBe('winner-id');
  });
});

describe('GET /uploads/{callId}', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(GetCommand).resolves({});
  });

  it('reports the status of a registered call', async () => {
    ddb
      .on(GetCommand, { Key: registerKeys.call('call-9') })
      .resolves({ Item: { callId: 'call-9', recordingId: 'r-9', bodyHash: 'h', registeredAt: 't' } });
    ddb.on(GetCommand, { Key: { recordingId: 'r-9' } }).resolves({
      Item: {
        recordingId: 'r-9',
        callId: 'call-9',
        status: 'ARCHIVED',
        statusAt: 't2',
        registeredAt: 't',
        archivedAt: 't2',
        callerHash: 'x',
      },
    });
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
});
