/**
 * The stack clock (#13.7) on a stack of this file's own (moving the clock two years on must not reach
 * the other files' shared stack): a call uploaded today is still kept when the deletion sweep runs 12
 * months and a day later (its Object Lock has expired: only the 24-month rule keeps it now), and is
 * deleted with a certificate when the sweep runs 24 months and a day later — the Object Lock emulator
 * judging the archive's retain-until at the same clock. A bad or backward `now` is refused naming
 * body.now.
 */
import { createHash, randomUUID } from 'node:crypto';
import { GetObjectRetentionCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { smallWav } from '../../bench/ingest-audio.js';
import { type StackProcess, startStackProcess } from './global-setup.js';

jest.setTimeout(240_000); // starts a stack of its own (DynamoDB Local) on a loaded 2-core machine

const DAY = 86_400_000;
const AUDIO = smallWav(60);
const previousStackFile = process.env.CRS_STACK_FILE;
let own: StackProcess;
// support.ts reads CRS_STACK_FILE once, at first use: imported only after it points at this stack.
let support: typeof import('./support.js');

const addMonths = (at: Date, months: number): Date => {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
};

const runAt = async (job: string, body: unknown) => {
  const response = await fetch(`${own.baseUrl}/_local/run/${job}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the job's JSON summary
  return { status: response.status, json: (await response.json()) as any };
};

beforeAll(async () => {
  // A stack of its own: the test moves its clock forward, which the other files must never see.
  own = await startStackProcess({ name: 'crs-own-stack', waitForSeed: true });
  process.env.CRS_STACK_FILE = own.stackFile;
  support = await import('./support.js');
}, 240_000);

afterAll(async () => {
  support?.closeClients();
  if (previousStackFile === undefined) delete process.env.CRS_STACK_FILE;
  else process.env.CRS_STACK_FILE = previousStackFile;
  await own?.stop();
}, 240_000);

/** Registers and uploads a one-minute call that started ten minutes ago; its recording id. */
const uploadCall = async (): Promise<{ recordingId: string; startedAt: Date }> => {
  const { api, waitForQueues } = support;
  const startedAt = new Date(Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000);
  const registration = {
    callId: `it-clock-${randomUUID()}`,
    serviceArea: 'revenues',
    extension: '2001',
    direction: 'inbound',
    startedAt: startedAt.toISOString(),
    endedAt: new Date(startedAt.getTime() + 60_000).toISOString(),
    agentId: 'agent-7',
    counterparty: '+441632960123',
    notification: { method: 'announcement' },
    abuseReminder: false,
    verificationReminder: false,
    pci: { pausedSegments: [], cardDataCaptured: false },
    audio: {
      format: 'wav',
      sizeBytes: AUDIO.length,
      sha256: createHash('sha256').update(AUDIO).digest('hex'),
    },
  };
  const registered = await api('telephony').post('/uploads', registration);
  expect(registered.status).toBe(201);
  const put = await fetch(registered.json.upload.url, {
    method: 'PUT',
    headers: registered.json.upload.headers,
    body: AUDIO,
  });
  expect(put.status).toBe(200);
  await waitForQueues(60_000);
  return { recordingId: registered.json.recordingId as string, startedAt };
};

describe('the stack clock', () => {
  it('shows the 12- and 24-month rules: kept at 12 months + 1 day, deleted with a certificate at 24 months + 1 day', async () => {
    // Arrange: a call that started ten minutes ago, uploaded as the telephony platform would.
    const { bucket, dynamo, s3, table } = support;
    const { recordingId, startedAt } = await uploadCall();
    const entry = async () =>
      (await dynamo().send(new GetCommand({ TableName: table('catalogue'), Key: { recordingId } }))).Item;
    const archived = await entry();
    expect(archived).toMatchObject({ status: 'ARCHIVED' });
    const key = archived?.archiveKey as string;
    const retention = await s3().send(new GetObjectRetentionCommand({ Bucket: bucket('archive'), Key: key }));
    const retainUntil = retention.Retention?.RetainUntilDate as Date;

    // Act 1: bad and backward clocks are refused; then the sweep 12 months and a day on.
    const bad = await runAt('deletion', { now: 'next year' });
    const notJson = await runAt('deletion', 'now=2030');
    const twelve = addMonths(startedAt, 12).getTime() + DAY;
    const at12 = await runAt('deletion', { now: new Date(twelve).toISOString() });
    const back = await runAt('deletion', { now: new Date(twelve - DAY).toISOString() });
    const after12 = await entry();

    // Assert 1
    expect(bad).toMatchObject({ status: 400, json: { field: 'body.now' } });
    expect(bad.json.message).toMatch(/^body\.now: expected a day \(YYYY-MM-DD\) or an ISO 8601 date-time/);
    expect(notJson).toMatchObject({ status: 400, json: { field: 'body' } });
    expect(back).toMatchObject({ status: 409, json: { field: 'body.now' } });
    expect(back.json.message).toMatch(/only moves forward/);
    expect(at12.status).toBe(200);
    expect(Date.parse(at12.json.now)).toBeGreaterThanOrEqual(twelve);
    // The 12-month lock is over at that time, but the 24-month rule keeps the recording.
    expect(retainUntil.getTime()).toBeLessThan(twelve);
    expect(at12.json.result.summary).toMatchObject({ deleted: 0 });
    expect(after12).toMatchObject({ status: 'ARCHIVED', archiveKey: key });
    await s3().send(new HeadObjectCommand({ Bucket: bucket('archive'), Key: key }));

    // Act 2: the sweep 24 months and a day after the call started.
    const twentyFour = addMonths(startedAt, 24).getTime() + DAY;
    const at24 = await runAt('deletion', { now: new Date(twentyFour).toISOString() });
    const after24 = await entry();

    // Assert 2: deleted by the sweeper with its certificate, the object gone from the archive.
    expect(at24.status).toBe(200);
    expect(at24.json.result.summary).toMatchObject({ deleted: 1, errors: 0, caughtUp: true });
    expect(after24).toMatchObject({
      status: 'DELETED',
      deletion: { by: 'system:sweeper', rule: 's7.delete-after-24-months', archiveKey: key },
    });
    expect(Date.parse(after24?.deletion.at)).toBeGreaterThanOrEqual(twentyFour);
    expect(after24?.deleteDay).toBeUndefined();
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: bucket('archive'), Key: key })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
  });
});
