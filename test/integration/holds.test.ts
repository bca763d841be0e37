/**
 * Holds and the deletion sweep on the local stack: real handlers, DynamoDB Local, the S3 emulator with
 * its Object Lock stand-in (legal hold status is read back through S3), the SQS stand-in for fan-out.
 */
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { dayOf } from '../../functions/domain/days.js';
import {
  archiveKeyOf,
  catalogueEntry,
  localStack,
  objectLockState,
  type SeedRecording,
  seedRecordings,
  waitFor,
} from './holds-support.js';
import { api, bucket, closeClients, dynamo, runJob, s3, table, waitForQueues } from './support.js';

jest.setTimeout(180_000);

const run = Date.now().toString(36);
const rec = (n: number, startedAt: string, serviceArea = `holds-it-${run}`): SeedRecording => ({
  recordingId: `it-${run}-${n}`,
  serviceArea,
  startedAt,
});
const holdBody = (scope: unknown) => ({
  caseRef: `IT-${run}`,
  reason: 'integration test',
  reviewDate: '2027-06-30',
  scope,
});
const ig = api('ig-officer');

afterAll(() => closeClients());

describe('holds on the local stack', () => {
  it('counts two concurrent holds on one recording as 2; lifting one keeps it held, lifting both releases it', async () => {
    // Arrange
    const r = rec(1, '2026-02-01T10:00:00.000Z');
    await seedRecordings(localStack(), [r]);
    // Act
    const [a, b] = await Promise.all([
      ig.post('/holds', holdBody({ recordingIds: [r.recordingId] })),
      ig.post('/holds', holdBody({ recordingIds: [r.recordingId] })),
    ]);
    const both = {
      count: (await catalogueEntry(localStack(), r.recordingId))?.holdCount,
      s3: await objectLockState(localStack(), archiveKeyOf(r)),
    };
    await ig.delete(`/holds/${a.json.holdId}`, { reason: 'first case closed' });
    const one = {
      count: (await catalogueEntry(localStack(), r.recordingId))?.holdCount,
      s3: await objectLockState(localStack(), archiveKeyOf(r)),
    };
    await ig.delete(`/holds/${b.json.holdId}`, { reason: 'second case closed' });
    const none = {
      count: (await catalogueEntry(localStack(), r.recordingId))?.holdCount,
      s3: await objectLockState(localStack(), archiveKeyOf(r)),
    };
    // Assert
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(both).toEqual({ count: 2, s3: { legalHold: 'ON', retention: 'hold' } });
    expect(one).toEqual({ count: 1, s3: { legalHold: 'ON', retention: 'hold' } });
    expect(none).toEqual({ count: 0, s3: { legalHold: 'OFF', retention: 'standard' } });
  });

  it('applies a query hold through the queue with progress, and a redelivered fan-out message counts nothing twice', async () => {
    // Arrange
    const area = `holds-q-${run}`;
    const recs = Array.from({ length: 150 }, (_, i) =>
      rec(1000 + i, new Date(Date.UTC(2026, 1, 1) + i * 60_000).toISOString(), area),
    );
    await seedRecordings(localStack(), recs);
    // Act
    const placed = await ig.post(
      '/holds',
      holdBody({ query: { serviceArea: area, from: '2026-02-01T00:00:00Z', to: '2026-02-28T00:00:00Z' } }),
    );
    const done = await waitFor(
      async () => (await ig.get(`/holds/${placed.json.holdId}`)).json,
      (h) => h.state === 'complete',
    );
    // The same apply page again, as SQS would redeliver it.
    const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const sqs = new SQSClient({
      endpoint: localStack().endpoints.sqs,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const info = JSON.parse(JSON.stringify(localStack())) as { queues: Record<string, string> };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: info.queues.holdFanout,
        MessageBody: JSON.stringify({
          kind: 'apply',
          holdId: placed.json.holdId,
          pageId: 'r0.0',
          recordingIds: recs.slice(0, 100).map((r) => r.recordingId),
        }),
      }),
    );
    sqs.destroy();
    await waitForQueues(60_000);
    const after = (await ig.get(`/holds/${placed.json.holdId}`)).json;
    // Assert
    expect(placed.status).toBe(202);
    expect(done.progress).toMatchObject({ matched: 150, applied: 150, failed: 0 });
    expect(after.progress).toEqual(done.progress);
    expect((await catalogueEntry(localStack(), recs[0]?.recordingId as string))?.holdCount).toBe(1);
    expect(await objectLockState(localStack(), archiveKeyOf(recs[149] as SeedRecording))).toEqual({
      legalHold: 'ON',
      retention: 'hold',
    });
  });

  it('refuses a retain-until past the 24-month point without IG guidance (422)', async () => {
    const r = rec(2, '2025-01-10T10:00:00.000Z');
    await seedRecordings(localStack(), [r]);
    const reply = await ig.post('/holds', {
      ...holdBody({ recordingIds: [r.recordingId] }),
      retainUntil: '2027-03-01',
    });
    expect(reply.status).toBe(422);
    expect((await catalogueEntry(localStack(), r.recordingId))?.holdCount).toBe(0);
  });
});

describe('deletion sweep on the local stack', () => {
  it('deletes the due recording with a certificate, keeps the held and the young one, and S3 refuses deleting the held one', async () => {
    // Arrange: two calls from October 2024 (due since October 2026), one from 2025 (not due)
    const area = `holds-del-${run}`;
    const due = rec(3, '2024-10-02T09:00:00.000Z', area);
    const held = rec(4, '2024-10-02T09:30:00.000Z', area);
    const young = rec(5, '2025-10-02T09:00:00.000Z', area);
    await seedRecordings(localStack(), [due, held, young], { lockExpired: true });
    const hold = await ig.post('/holds', holdBody({ recordingIds: [held.recordingId] }));
    // Start the sweep just before these recordings' deletion day (the cursor is the sweeper's own item).
    await dynamo().send(
      new PutCommand({
        TableName: table('holds'),
        Item: { pk: 'SWEEPER#deletion', sk: 'CURSOR', day: '2026-10-01' },
      }),
    );
    // Act
    const sweep = await runJob('deletion');
    const refused = await s3()
      .send(new DeleteObjectCommand({ Bucket: bucket('archive'), Key: archiveKeyOf(held) }))
      .then(
        () => 'deleted',
        (e: { name?: string }) => e.name,
      );
    // Assert
    expect(hold.status).toBe(201);
    expect(sweep.status).toBe(200);
    const gone = await catalogueEntry(localStack(), due.recordingId);
    expect(gone).toMatchObject({
      status: 'DELETED',
      deletion: { by: 'system:sweeper', rule: 's7.delete-after-24-months', archiveKey: archiveKeyOf(due) },
    });
    expect(gone?.deleteDay).toBeUndefined();
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: bucket('archive'), Key: archiveKeyOf(due) })),
    ).rejects.toMatchObject({ name: 'NotFound' });
    expect((await catalogueEntry(localStack(), held.recordingId))?.status).toBe('ARCHIVED');
    expect((await catalogueEntry(localStack(), young.recordingId))?.status).toBe('ARCHIVED');
    expect(refused).toBe('AccessDenied');
    const report = await api('release-log-keeper').get(
      `/reports/deletions?from=${dayOf(new Date())}&to=${dayOf(new Date())}`,
    );
    expect(report.json.deletions.map((d: { recordingId: string }) => d.recordingId)).toContain(
      due.recordingId,
    );
  });
});
