import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { smallWav } from '../../../bench/ingest-audio.js';
import { lambdaContext } from '../support/http.js';
import { setIngestEnv } from './env.js';

setIngestEnv();
const { handler } = await import('../../../functions/ingest/worker.js');

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);

const ID = '0b7e6a2c-1d2e-4f00-9a1b-2c3d4e5f6a7b';
const AUDIO = smallWav(20);
const sha = (b: Buffer, enc: 'hex' | 'base64') => createHash('sha256').update(b).digest(enc);

const message = (messageId: string, body: unknown): SQSRecord =>
  ({
    messageId,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1' },
  }) as unknown as SQSRecord;

const s3Event = (key: string) => ({
  Records: [
    {
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: 'inbox' }, object: { key, size: AUDIO.length } },
    },
  ],
});

const recording = {
  recordingId: ID,
  callId: 'call-1',
  serviceArea: 'revenues',
  startedAt: '2026-03-10T09:00:00.000Z',
  durationSeconds: 20,
  audio: { format: 'wav', sizeBytes: AUDIO.length, sha256: sha(AUDIO, 'hex') },
  status: 'PENDING',
  statusAt: '2026-03-10T09:01:00.000Z',
  retainUntil: '2027-03-10T09:00:00.000Z',
  deleteAfter: '2028-03-10T09:00:00.000Z',
};

const notFound = () =>
  Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });

const run = (records: SQSRecord[]) =>
  (
    handler as unknown as (
      e: SQSEvent,
      c: unknown,
    ) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>
  )({ Records: records }, lambdaContext());

describe('ingest worker', () => {
  let rangeBody: PassThrough;

  beforeEach(() => {
    s3.reset();
    ddb.reset();
    ddb.on(GetCommand, { Key: { recordingId: ID } }).resolves({ Item: recording });
    ddb.on(UpdateCommand).resolves({});
    s3.on(HeadObjectCommand, { Bucket: 'inbox' }).resolves({
      ContentLength: AUDIO.length,
      ChecksumSHA256: sha(AUDIO, 'base64'),
      ContentType: 'audio/wav',
    });
    s3.on(HeadObjectCommand, { Bucket: 'archive' }).rejects(notFound());
    s3.on(GetObjectCommand).callsFake(() => {
      rangeBody = new PassThrough();
      rangeBody.end(AUDIO.subarray(0, 64 * 1024));
      return { Body: rangeBody };
    });
    s3.on(CopyObjectCommand).resolves({ VersionId: 'v1' });
    s3.on(DeleteObjectCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
  });

  it('archives with a server-side copy that carries Object Lock, the retention tag, SHA-256 and SSE-KMS', async () => {
    // Act
    const result = await run([message('m1', s3Event(`incoming/${ID}`))]);
    // Assert
    expect(result.batchItemFailures).toEqual([]);
    const copy = s3.commandCalls(CopyObjectCommand)[0]?.args[0].input;
    expect(copy).toMatchObject({
      CopySource: `inbox/incoming/${ID}`,
      Bucket: 'archive',
      Key: `revenues/2026/03/10/${ID}.wav`,
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: new Date('2027-03-10T09:00:00.000Z'),
      Tagging: 'retention=standard',
      TaggingDirective: 'REPLACE',
      ChecksumAlgorithm: 'SHA256',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'recordings-key',
    });
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input.Range).toBe('bytes=0-65535');
    expect(rangeBody.destroyed).toBe(true);
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'inbox',
      Key: `incoming/${ID}`,
    });
    const updates = ddb
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues ?? {});
    expect(updates.at(-1)).toMatchObject({ ':archived': 'ARCHIVED', ':v': 'v1', ':day': '2028-03-10' });
  });

  it('reports only the failed message of a batch for retry', async () => {
    const result = await run([
      message('bad-json', '{not json'),
      message('test-event', { Event: 's3:TestEvent' }),
      message('good', s3Event(`incoming/${ID}`)),
    ]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad-json' }]);
  });

  it('fails the message (to be retried, then dead-lettered) when a step errors', async () => {
    s3.on(CopyObjectCommand).rejects(new Error('SlowDown'));
    const result = await run([message('m1', s3Event(`incoming/${ID}`))]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });

  it('decodes the URL-encoded key of the S3 event', async () => {
    await run([message('m1', s3Event(encodeURIComponent(`incoming/${ID}`)))]);
    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(1);
  });
});
