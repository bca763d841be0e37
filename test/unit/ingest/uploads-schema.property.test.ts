/**
 * Property: a malformed /uploads body never reaches a write and never causes a 5xx. The registers are
 * stubbed as approved, so a body that slipped through validation would be written — and fail the test.
 */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { registerKeys } from '../../../functions/adapters/registers-store.js';
import { uploadBody } from '../../../functions/ingest/schema.js';
import { invoke } from '../support/http.js';
import { setIngestEnv } from './env.js';
import { approvedArea, INGEST, recordedExtension, validUpload } from './fixtures.js';

setIngestEnv();
const { handler } = await import('../../../functions/ingest/api.js');

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);

const writes = () =>
  ddb.commandCalls(TransactWriteCommand).length +
  ddb.commandCalls(PutCommand).length +
  ddb.commandCalls(UpdateCommand).length +
  s3.commandCalls(PutObjectCommand).length;

beforeAll(() => {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: registerKeys.area('revenues') }).resolves({ Item: approvedArea });
  ddb.on(GetCommand, { Key: registerKeys.extension('4001') }).resolves({ Item: recordedExtension });
  ddb.on(TransactWriteCommand).resolves({});
  kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array([9]) });
});

type Json = Record<string, unknown>;
const valid = validUpload() as unknown as Json;

/** Paths into the valid body, e.g. ['audio', 'sha256']. */
const paths = (value: unknown, prefix: string[] = []): string[][] =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])])
    : [];
const PATHS = paths(valid);

const setAt = (obj: Json, path: string[], value: unknown, remove: boolean): Json => {
  const copy = structuredClone(obj);
  let cursor: Json = copy;
  for (const key of path.slice(0, -1)) {
    const next = cursor[key];
    // An earlier mutation replaced a parent with a non-object: nothing left to mutate below it.
    if (!next || typeof next !== 'object' || Array.isArray(next)) return copy;
    cursor = next as Json;
  }
  const last = path[path.length - 1] as string;
  if (remove) delete cursor[last];
  else cursor[last] = value;
  return copy;
};

const weird = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '+44',
    '2026-13-40T25:00:00Z',
    '2026-03-10T09:00:00',
    'x'.repeat(5000),
    -1,
    0,
    1e12,
    NaN,
    null,
    true,
    [],
    {},
  ),
);

/** One or more mutations of the valid body: a field removed, retyped, or an unknown field added. */
const mutated = fc
  .array(
    fc.record({
      path: fc.constantFrom(...PATHS),
      value: weird,
      kind: fc.constantFrom('replace', 'remove', 'add-unknown'),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((mutations) =>
    mutations.reduce<Json>((body, m) => {
      if (m.kind === 'add-unknown')
        return setAt(body, [...m.path.slice(0, -1), `unknown_${m.path.join('_')}`], m.value, false);
      return setAt(body, m.path, m.value, m.kind === 'remove');
    }, valid),
  );

/** Bodies that pass the schema but break a cross-field rule (end not after start, paused segment outside). */
const crossField = fc.oneof(
  fc.integer({ min: -86_400, max: 0 }).map((delta) => ({
    ...valid,
    endedAt: new Date(Date.parse('2026-03-10T09:00:00Z') + delta * 1000).toISOString(),
  })),
  fc.integer({ min: 8 * 3600 + 1, max: 10 * 86_400 }).map((seconds) => ({
    ...valid,
    endedAt: new Date(Date.parse('2026-03-10T09:00:00Z') + seconds * 1000).toISOString(),
  })),
  fc.tuple(fc.nat(1000), fc.nat(1000)).map(([from, len]) => ({
    ...valid,
    pci: {
      cardDataCaptured: false,
      pausedSegments: [{ fromSecond: from + 300, toSecond: from + 300 + len }],
    },
  })),
);

const expectRefusedWithoutWrite = async (body: unknown, raw?: string) => {
  ddb.resetHistory();
  s3.resetHistory();
  const reply = await invoke(
    handler,
    'POST /uploads',
    raw === undefined ? { ...INGEST, body } : { ...INGEST, rawBody: raw },
  );
  expect(reply.status).toBeGreaterThanOrEqual(400);
  expect(reply.status).toBeLessThan(500);
  expect(writes()).toBe(0);
};

describe('POST /uploads with malformed bodies', () => {
  it('refuses thousands of mutated bodies with a 4xx and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (body) => {
        // What the API receives is the JSON text: undefined fields vanish and NaN becomes null.
        fc.pre(!uploadBody.safeParse(JSON.parse(JSON.stringify(body))).success);
        await expectRefusedWithoutWrite(body);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses bodies that break a cross-field rule with a 4xx and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(crossField, (body) => expectRefusedWithoutWrite(body)),
      { numRuns: 1000 },
    );
  });

  it('refuses arbitrary JSON values and non-JSON text with a 4xx and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string()), fc.boolean(), (value, asText) =>
        asText && typeof value === 'string'
          ? expectRefusedWithoutWrite(undefined, `{${value}`)
          : expectRefusedWithoutWrite(value),
      ),
      { numRuns: 1500 },
    );
  });

  it('still writes for the valid body (the stubs would let a malformed one through)', async () => {
    const before = ddb.commandCalls(TransactWriteCommand).length;
    const reply = await invoke(handler, 'POST /uploads', { ...INGEST, body: valid });
    expect(reply.status).toBe(201);
    expect(ddb.commandCalls(TransactWriteCommand).length).toBeGreaterThan(before);
  });
});
