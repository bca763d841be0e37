/**
 * Helpers for the holds integration tests and bench/holds.ts: talk to a running local stack over HTTP
 * like a user, and seed archived recordings straight into its catalogue and archive bucket (the ingest
 * path is tested elsewhere; 10,000 uploads would test ingestion, not holds).
 * The stack is found through its stack file: CRS_STACK_FILE, else $LOCAL_DATA_DIR/stack.json, else
 * .local/stack.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetObjectLegalHoldCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { dayOf } from '../../functions/domain/days.js';
import { retentionDates } from '../../functions/domain/retention.js';

export interface LocalStackInfo {
  readonly baseUrl: string;
  readonly endpoints: Record<string, string>;
  readonly tables: Record<string, string>;
  readonly buckets: Record<string, string>;
}

export const stackFile = (): string =>
  process.env.CRS_STACK_FILE ?? join(process.env.LOCAL_DATA_DIR ?? '.local', 'stack.json');

export const localStack = (): LocalStackInfo =>
  JSON.parse(readFileSync(stackFile(), 'utf8')) as LocalStackInfo;

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const REGION = 'eu-west-2';

export const clients = (info: LocalStackInfo) => ({
  dynamo: DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: info.endpoints.dynamodb, region: REGION, credentials: CREDENTIALS }),
  ),
  s3: new S3Client({
    endpoint: info.endpoints.s3,
    region: REGION,
    credentials: CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }),
});

const tokens = new Map<string, string>();

export const tokenFor = async (info: LocalStackInfo, persona: string): Promise<string> => {
  const cached = tokens.get(persona);
  if (cached) return cached;
  const response = await fetch(`${info.baseUrl}/_local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ persona }),
  });
  const { token } = (await response.json()) as { token: string };
  tokens.set(persona, token);
  return token;
};

export interface ApiReply<T = Record<string, unknown>> {
  readonly status: number;
  readonly json: T;
}

export const api = async <T = Record<string, unknown>>(
  info: LocalStackInfo,
  persona: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiReply<T>> => {
  const response = await fetch(`${info.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await tokenFor(info, persona)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as T };
};

export const runJob = async (info: LocalStackInfo, job: string): Promise<unknown> => {
  const response = await fetch(`${info.baseUrl}/_local/run/${job}`, { method: 'POST' });
  return response.json();
};

export interface SeedRecording {
  readonly recordingId: string;
  readonly serviceArea: string;
  readonly startedAt: string;
  readonly extension?: string;
  readonly agentId?: string;
}

export const archiveKeyOf = (r: SeedRecording): string =>
  `${r.serviceArea}/${r.startedAt.slice(0, 4)}/${r.startedAt.slice(5, 7)}/${r.startedAt.slice(8, 10)}/${r.recordingId}.wav`;

const catalogueItem = (r: SeedRecording) => {
  const { retainUntil, deleteAfter } = retentionDates(new Date(r.startedAt));
  return {
    recordingId: r.recordingId,
    callId: `call-${r.recordingId}`,
    serviceArea: r.serviceArea,
    extension: r.extension ?? '4001',
    agentId: r.agentId ?? 'agent-1',
    direction: 'inbound',
    startedAt: r.startedAt,
    endedAt: r.startedAt,
    durationSeconds: 1,
    callerWithheld: true,
    status: 'ARCHIVED',
    statusAt: r.startedAt,
    registeredAt: r.startedAt,
    archivedAt: r.startedAt,
    archiveKey: archiveKeyOf(r),
    retainUntil: retainUntil.toISOString(),
    deleteAfter: deleteAfter.toISOString(),
    deleteDay: dayOf(deleteAfter),
    holdCount: 0,
    audio: { format: 'wav', sizeBytes: 4, sha256: 'c2VlZA==' },
  };
};

const pool = async <T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
};

/**
 * Archived recordings: a catalogue item each and an object in the archive bucket. `lockExpired` drops the
 * object's 12-month GOVERNANCE lock (with the break-glass bypass) to stand for a call long past it.
 */
export const seedRecordings = async (
  info: LocalStackInfo,
  recordings: readonly SeedRecording[],
  options: { lockExpired?: boolean } = {},
) => {
  const { dynamo, s3 } = clients(info);
  const table = info.tables.catalogue as string;
  const bucket = info.buckets.archive as string;
  // The audio first, as ingest does: the catalogue then records the archive version a version-only
  // delete (the sweeper's) needs.
  const versions = new Map<string, string>();
  await pool(recordings, 16, async (r) => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: archiveKeyOf(r), Body: 'seed', ContentType: 'audio/wav' }),
    );
    if (options.lockExpired) {
      await s3.send(
        new PutObjectRetentionCommand({
          Bucket: bucket,
          Key: archiveKeyOf(r),
          Retention: {},
          BypassGovernanceRetention: true,
        }),
      );
    }
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: archiveKeyOf(r) }));
    if (head.VersionId) versions.set(r.recordingId, head.VersionId);
  });
  const batches: SeedRecording[][] = [];
  for (let i = 0; i < recordings.length; i += 25) batches.push(recordings.slice(i, i + 25));
  await pool(batches, 4, async (batch) => {
    let requests = batch.map((r) => {
      const versionId = versions.get(r.recordingId);
      const item = { ...catalogueItem(r), ...(versionId ? { archiveVersionId: versionId } : {}) };
      return { PutRequest: { Item: item as Record<string, unknown> } };
    });
    while (requests.length > 0) {
      const out = await dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  });
  dynamo.destroy();
  s3.destroy();
};

export const catalogueEntry = async (info: LocalStackInfo, recordingId: string) => {
  const { dynamo } = clients(info);
  const out = await dynamo.send(
    new GetCommand({ TableName: info.tables.catalogue, Key: { recordingId }, ConsistentRead: true }),
  );
  dynamo.destroy();
  return out.Item;
};

/** The archive object's legal-hold status and retention tag, as S3 (the emulator's stand-in) reports them. */
export const objectLockState = async (info: LocalStackInfo, key: string) => {
  const { s3 } = clients(info);
  const bucket = info.buckets.archive as string;
  const legal = await s3
    .send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key }))
    .then((o) => o.LegalHold?.Status ?? 'OFF')
    .catch(() => 'OFF');
  const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  s3.destroy();
  return { legalHold: legal, retention: tags.TagSet?.find((t) => t.Key === 'retention')?.Value };
};

export const waitFor = async <T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 120_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
