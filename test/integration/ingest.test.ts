/**
 * Ingestion on the local stack, driven like the telephony platform: register over HTTP, PUT to the
 * presigned URL, the inbox event reaches the worker through the SQS stand-in. Where a test must inject
 * a fault (a crash between copy and catalogue write) it runs the worker's use case in this process
 * against the same emulators, with the same environment the stack gives its handlers.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  GetObjectRetentionCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { smallWav } from '../../bench/ingest-audio.js';
import { CREDENTIALS, REGION } from '../../local/config.js';
import { api, bucket, closeClients, dynamo, s3, stack, table, waitForQueues } from './support.js';

const RUN = Date.now().toString(36);
let seq = 0;
const newCallId = () => `it-ingest-${RUN}-${++seq}`;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const AUDIO = smallWav(60);

const registration = (audio: Buffer, overrides: Record<string, unknown> = {}) => ({
  callId: newCallId(),
  serviceArea: 'revenues',
  extension: '2001',
  direction: 'inbound',
  startedAt: '2026-10-10T09:00:00+01:00',
  endedAt: '2026-10-10T09:01:00+01:00',
  agentId: 'agent-7',
  counterparty: '+441632960123',
  notification: { method: 'announcement' },
  abuseReminder: false,
  verificationReminder: false,
  pci: { pausedSegments: [], cardDataCaptured: false },
  audio: { format: 'wav', sizeBytes: audio.length, sha256: sha256(audio) },
  ...overrides,
});

const register = (body: Record<string, unknown>) => api('telephony').post('/uploads', body);

const putPresigned = async (upload: { url: string; headers: Record<string, string> }, body: Buffer) => {
  const response = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body });
  await response.arrayBuffer();
  return response.status;
};

const putInbox = (key: string, body: Buffer) =>
  s3().send(
    new PutObjectCommand({ Bucket: bucket('inbox'), Key: key, Body: body, ContentType: 'audio/wav' }),
  );

const statusOf = async (callId: string) => (await api('telephony').get(`/uploads/${callId}`)).json;

const catalogueEntry = async (recordingId: string) =>
  (await dynamo().send(new GetCommand({ TableName: table('catalogue'), Key: { recordingId } }))).Item;

const listKeys = async (bucketId: string, prefix: string) =>
  (
    (await s3().send(new ListObjectsV2Command({ Bucket: bucket(bucketId), Prefix: prefix }))).Contents ?? []
  ).map((o) => o.Key);

const archiveKey = (recordingId: string) => `revenues/2026/10/10/${recordingId}.wav`;

/** Register + upload through the presigned URL + wait for the worker. */
const ingest = async (audio: Buffer, overrides: Record<string, unknown> = {}) => {
  const body = registration(audio, overrides);
  const reply = await register(body);
  expect(reply.status).toBe(201);
  expect(await putPresigned(reply.json.upload, audio)).toBe(200);
  await waitForQueues();
  return { body, recordingId: reply.json.recordingId as string, status: await statusOf(body.callId) };
};

/** The in-process worker, with the stack's handler environment (endpoints, names, keys). */
const inProcessWorker = async () => {
  Object.assign(process.env, stack().env, { LOG_LEVEL: 'silent' });
  const archive = await import('../../functions/ingest/archive-upload.js');
  const { awsIngestDeps } = await import('../../functions/ingest/deps.js');
  const { awsExpiryDeps } = await import('../../functions/ingest/expiry-deps.js');
  const catalogue = await import('../../functions/adapters/catalogue-store.js');
  const deps = awsIngestDeps();
  return { ...archive, deps, expiryDeps: awsExpiryDeps(), config: deps.config, catalogue };
};

// The first upload warms the handlers (module load, SDK clients) on a 2-core machine.
jest.setTimeout(120_000); // waits on the ingest worker through the local queue: budgeted for a loaded 2-core machine
afterAll(closeClients);

describe('ingestion on the local stack', () => {
  beforeAll(async () => {
    await waitForQueues();
  });

  it('archives a registered upload: object in archive (locked, tagged), catalogue ARCHIVED, inbox cleared', async () => {
    // Act
    const { recordingId, status } = await ingest(AUDIO);
    // Assert
    expect(status).toMatchObject({ recordingId, status: 'ARCHIVED' });
    const entry = await catalogueEntry(recordingId);
    expect(entry).toMatchObject({
      status: 'ARCHIVED',
      archiveKey: archiveKey(recordingId),
      retainUntil: '2027-10-10T08:00:00.000Z',
      deleteAfter: '2028-10-10T08:00:00.000Z',
      callerLast3: '123',
    });
    expect(JSON.stringify(entry)).not.toContain('1632960123');
    const head = await s3().send(
      new HeadObjectCommand({ Bucket: bucket('archive'), Key: archiveKey(recordingId) }),
    );
    expect(head.ContentLength).toBe(AUDIO.length);
    const retention = await s3().send(
      new GetObjectRetentionCommand({ Bucket: bucket('archive'), Key: archiveKey(recordingId) }),
    );
    expect(retention.Retention).toMatchObject({ Mode: 'GOVERNANCE' });
    expect(retention.Retention?.RetainUntilDate?.toISOString()).toBe('2027-10-10T08:00:00.000Z');
    const tags = await s3().send(
      new GetObjectTaggingCommand({ Bucket: bucket('archive'), Key: archiveKey(recordingId) }),
    );
    expect(tags.TagSet).toEqual([{ Key: 'retention', Value: 'standard' }]);
    expect(await listKeys('inbox', `incoming/${recordingId}`)).toEqual([]);
  });

  it('answers a replay of the registration with the same recording, and a changed body with 409', async () => {
    const body = registration(AUDIO);
    const first = await register(body);
    const again = await register(body);
    const changed = await register({ ...body, agentId: 'agent-8' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.recordingId).toBe(first.json.recordingId);
    expect(changed.status).toBe(409);
  });

  it('refuses a tampered upload: a body of another length than the signed one', async () => {
    const reply = await register(registration(AUDIO));
    const { 'content-length': _signed, ...headers } = reply.json.upload.headers as Record<string, string>;
    // fetch sends the true length of the longer body, which is not the length the URL was signed for.
    const response = await fetch(reply.json.upload.url, {
      method: 'PUT',
      headers,
      body: Buffer.concat([AUDIO, Buffer.alloc(10)]),
    });
    await response.arrayBuffer();
    expect(response.status).toBe(403);
    expect(await listKeys('inbox', `incoming/${reply.json.recordingId}`)).toEqual([]);
  });

  describe('refusals at registration', () => {
    beforeAll(async () => {
      const reply = await api('registrar').put('/service-areas/trial-area', {
        name: 'Trial',
        businessCase: { reason: 'trial of recording' },
      });
      expect(reply.json.status).toBe('incomplete');
    });

    it.each([
      ['a service area without a registered business case', { serviceArea: 'parking' }, 's3.business-case'],
      ['a service area whose business case is incomplete', { serviceArea: 'trial-area' }, 's3.business-case'],
      ['an extension that is not registered', { extension: '2999' }, 's4.extension-not-registered'],
      ['an extension registered as not recorded', { extension: '2901' }, 's4.extension-not-recorded'],
      ['an extension of another service area', { extension: '3001' }, 's4.extension-other-area'],
      [
        'a call that captured card data',
        { pci: { pausedSegments: [], cardDataCaptured: true } },
        's2.pci-card-data',
      ],
    ])('refuses %s with 422 and the rule', async (_what, overrides, rule) => {
      const body = registration(AUDIO, overrides);
      const reply = await register(body);
      expect(reply.status).toBe(422);
      expect(reply.json.rule).toBe(rule);
      expect((await api('telephony').get(`/uploads/${body.callId}`)).status).toBe(404);
    });

    it('refuses a caller without the ingest scope with 403', async () => {
      const reply = await api('revenues-nominated').post('/uploads', registration(AUDIO));
      expect(reply.status).toBe(403);
    });

    it('refuses malformed metadata with 400 naming the field', async () => {
      const reply = await register(registration(AUDIO, { counterparty: '01632 960123' }));
      expect(reply.status).toBe(400);
      expect(reply.json.field).toBe('body.counterparty');
    });
  });

  describe('quarantine', () => {
    const expectQuarantined = async (recordingId: string, callId: string, reason: string) => {
      expect(await statusOf(callId)).toMatchObject({ status: 'QUARANTINED', quarantine: { reason } });
      expect(await listKeys('inbox', `quarantine/${recordingId}`)).toEqual([
        `quarantine/${recordingId}`,
        `quarantine/${recordingId}.reason.json`,
      ]);
      expect(await listKeys('inbox', `incoming/${recordingId}`)).toEqual([]);
      expect(await listKeys('archive', archiveKey(recordingId))).toEqual([]);
    };

    /** Registers, then writes the given bytes straight into the inbox (as a faulty platform could). */
    const depositRaw = async (
      registered: Buffer,
      uploaded: Buffer,
      overrides: Record<string, unknown> = {},
    ) => {
      const body = registration(registered, overrides);
      const reply = await register(body);
      expect(reply.status).toBe(201);
      await putInbox(`incoming/${reply.json.recordingId}`, uploaded);
      await waitForQueues();
      return { recordingId: reply.json.recordingId as string, callId: body.callId };
    };

    it('quarantines audio of another size than registered', async () => {
      const { recordingId, callId } = await depositRaw(AUDIO, smallWav(59));
      await expectQuarantined(recordingId, callId, 'size-mismatch');
    });

    it('quarantines audio whose SHA-256 differs from the registered one (emulator: stream-hashed)', async () => {
      const tampered = Buffer.from(AUDIO);
      tampered[AUDIO.length - 1] = 1;
      const { recordingId, callId } = await depositRaw(AUDIO, tampered);
      await expectQuarantined(recordingId, callId, 'checksum-mismatch');
    });

    it('quarantines audio that is not in the registered format', async () => {
      const { recordingId, body } = await ingest(AUDIO, {
        audio: { format: 'mp3', sizeBytes: AUDIO.length, sha256: sha256(AUDIO) },
      });
      await expectQuarantined(recordingId, body.callId, 'format-mismatch');
    });

    it('quarantines audio whose duration is far from the registered call', async () => {
      const short = smallWav(10);
      const { recordingId, body } = await ingest(short);
      await expectQuarantined(recordingId, body.callId, 'duration-mismatch');
    });

    it('quarantines an upload nobody registered, with a reason document', async () => {
      const id = randomUUID();
      await putInbox(`incoming/${id}`, AUDIO);
      await waitForQueues();
      expect(await listKeys('inbox', `quarantine/${id}`)).toEqual([
        `quarantine/${id}`,
        `quarantine/${id}.reason.json`,
      ]);
      expect(await catalogueEntry(id)).toBeUndefined();
    });
  });

  it('archives once when the same S3 event is delivered twice more', async () => {
    // Arrange
    const { recordingId } = await ingest(AUDIO);
    const before = await catalogueEntry(recordingId);
    const sqs = new SQSClient({ endpoint: stack().endpoints.sqs, region: REGION, credentials: CREDENTIALS });
    const event = JSON.stringify({
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          s3: {
            bucket: { name: bucket('inbox') },
            object: { key: `incoming/${recordingId}`, size: AUDIO.length },
          },
        },
      ],
    });
    // Act
    for (let i = 0; i < 2; i += 1) {
      await sqs.send(new SendMessageCommand({ QueueUrl: stack().queues.inboxEvents, MessageBody: event }));
    }
    const queues = await waitForQueues();
    sqs.destroy();
    // Assert
    expect(await catalogueEntry(recordingId)).toEqual(before);
    expect(await listKeys('archive', archiveKey(recordingId))).toEqual([archiveKey(recordingId)]);
    expect(JSON.stringify(queues.flatMap((q) => q.dlq))).not.toContain(recordingId);
  });

  it('ends in one recording after a crash between the copy and the catalogue write, then redelivery', async () => {
    // Arrange: registered; the crashing attempt holds the lease, so the stack's own delivery waits
    const worker = await inProcessWorker();
    const body = registration(AUDIO);
    const reply = await register(body);
    const recordingId = reply.json.recordingId as string;
    expect(await worker.catalogue.acquireLease(recordingId, 'crashed-message', new Date(), 60_000)).toBe(
      true,
    );
    expect(await putPresigned(reply.json.upload, AUDIO)).toBe(200);
    const input = {
      bucket: worker.config.inboxBucket,
      key: `incoming/${recordingId}`,
      attemptId: 'crashed-message',
    };
    const crashing = {
      ...worker.deps,
      catalogue: {
        ...worker.deps.catalogue,
        markArchived: async () => {
          throw new Error('injected crash after the copy');
        },
      },
    };
    await expect(worker.archiveUpload(crashing, input)).rejects.toThrow('injected crash');
    expect(await listKeys('archive', archiveKey(recordingId))).toEqual([archiveKey(recordingId)]);
    expect((await statusOf(body.callId)).status).toBe('PENDING');
    // Act: the same message is redelivered
    let copies = 0;
    const counting = {
      ...worker.deps,
      objects: {
        ...worker.deps.objects,
        copyObject: async (i: Parameters<typeof worker.deps.objects.copyObject>[0]) => {
          copies += 1;
          return worker.deps.objects.copyObject(i);
        },
      },
    };
    const outcome = await worker.archiveUpload(counting, input);
    const queues = await waitForQueues();
    // Assert
    expect(outcome).toMatchObject({ outcome: 'archived', recordingId });
    expect(copies).toBe(0);
    expect(await listKeys('archive', archiveKey(recordingId))).toEqual([archiveKey(recordingId)]);
    expect(await catalogueEntry(recordingId)).toMatchObject({
      status: 'ARCHIVED',
      archiveKey: archiveKey(recordingId),
    });
    expect(await listKeys('inbox', `incoming/${recordingId}`)).toEqual([]);
    expect(JSON.stringify(queues.flatMap((q) => q.dlq))).not.toContain(recordingId);
  });

  it('expires registrations never uploaded after 24 hours', async () => {
    const worker = await inProcessWorker();
    const body = registration(AUDIO);
    const { recordingId } = (await register(body)).json;
    const { expireStaleRegistrations } = await import('../../functions/ingest/expire-registrations.js');
    const expired = await expireStaleRegistrations(worker.expiryDeps, {
      now: new Date(Date.now() + 25 * 3600 * 1000),
    });
    expect(expired.map((e) => e.recordingId)).toContain(recordingId);
    expect((await statusOf(body.callId)).status).toBe('EXPIRED');
    expect(worker.config.inboxBucket).toBe(bucket('inbox'));
  });
});
