/**
 * Helpers for integration tests against the local stack started by global-setup.ts (or the one named by
 * CRS_STACK_FILE). Drive the system over HTTP as a user would:
 *
 *   const res = await api('revenues-listener').get('/recordings?serviceArea=revenues');
 *   expect(res.status).toBe(200);
 *
 * and reach behind it only where a test must look at what was stored (`s3()`, `dynamo()`, `stack()`).
 * The seed has run: service areas `revenues` and `housing` with approved business cases, extensions
 * 2001/2002/2901 (revenues) and 3001/3901 (housing). Scheduled jobs do not run by themselves: use
 * `runJob(name)`. Queue deliveries are asynchronous: `waitForQueues()` waits until every queue is empty.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { jest } from '@jest/globals';
import { TABLES, type TableId } from '../../declarations/tables.js';
import { dynamoDocumentClient } from '../../functions/platform/clients/dynamodb.js';
import { CREDENTIALS, REGION } from '../../local/config.js';
import { createTableInput } from '../../local/dynamodb.js';
import type { PersonaId } from '../../local/personas.js';
import type { StackInfo } from '../../local/stack.js';

export type { PersonaId } from '../../local/personas.js';
export { PERSONAS } from '../../local/personas.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON; each test narrows what it reads.
type Json = any;

let cachedInfo: StackInfo | undefined;

/** The running stack: endpoints, table/bucket/queue names, the handlers' environment. */
export const stack = (): StackInfo => {
  if (!cachedInfo) {
    const file = process.env.CRS_STACK_FILE ?? join(process.env.LOCAL_DATA_DIR ?? '.local', 'stack.json');
    cachedInfo = JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
  }
  return cachedInfo;
};

export const baseUrl = (): string => stack().baseUrl;

export interface ApiResponse<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed body when the response is JSON, else `undefined`. */
  readonly json: T;
  readonly text: string;
}

const tokens = new Map<PersonaId, string>();

/**
 * A bearer token for a demo persona, from the local issuer (`POST /_local/token`). Cached per persona;
 * `expiresInSeconds` mints a fresh one (negative = already expired).
 */
export const tokenFor = async (
  persona: PersonaId,
  options: { expiresInSeconds?: number } = {},
): Promise<string> => {
  const cached = options.expiresInSeconds === undefined ? tokens.get(persona) : undefined;
  if (cached) return cached;
  const response = await fetch(`${baseUrl()}/_local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ persona, ...options }),
  });
  if (response.status !== 200)
    throw new Error(`token for ${persona}: HTTP ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  if (options.expiresInSeconds === undefined) tokens.set(persona, token);
  return token;
};

const toResponse = async <T>(response: Response): Promise<ApiResponse<T>> => {
  const text = await response.text();
  const isJson = /json/.test(response.headers.get('content-type') ?? '') && text !== '';
  return {
    status: response.status,
    headers: response.headers,
    json: (isJson ? JSON.parse(text) : undefined) as T,
    text,
  };
};

export type Caller = PersonaId | { readonly token: string } | undefined;

/** `fetch` against the gateway; JSON body in, `{status, headers, json, text}` out. */
export const request = async <T = Json>(
  caller: Caller,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse<T>> => {
  const auth: Record<string, string> = {};
  if (typeof caller === 'string') auth.authorization = `Bearer ${await tokenFor(caller)}`;
  else if (caller) auth.authorization = `Bearer ${caller.token}`;
  const response = await fetch(`${baseUrl()}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...auth,
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return toResponse<T>(response);
};

/** The API as a persona (or `api()` with no token, or `api({ token })` with a token of your own). */
export const api = (caller?: Caller) => ({
  get: <T = Json>(path: string, headers?: Record<string, string>) =>
    request<T>(caller, 'GET', path, undefined, headers),
  post: <T = Json>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>(caller, 'POST', path, body, headers),
  put: <T = Json>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>(caller, 'PUT', path, body, headers),
  delete: <T = Json>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>(caller, 'DELETE', path, body, headers),
});

/** Runs a scheduled job now (the sweepers handler with `{ job }`); 200 with `json.result` on success. */
export const runJob = async <T = Json>(
  name: string,
): Promise<ApiResponse<{ job: string; ms: number; result: T }>> =>
  toResponse(await fetch(`${baseUrl()}/_local/run/${encodeURIComponent(name)}`, { method: 'POST' }));

export interface QueueSnapshot {
  readonly name: string;
  readonly function: string;
  readonly waiting: number;
  readonly delayed: number;
  readonly inFlight: number;
  readonly dlq: readonly { messageId: string; receiveCount: number; lastError?: string; body: string }[];
}

/** Waits until every queue is empty (delivered or dead-lettered); throws if that takes over `timeoutMs`. */
export const waitForQueues = async (timeoutMs = 30_000): Promise<readonly QueueSnapshot[]> => {
  const response = await fetch(`${baseUrl()}/_local/queues?waitForIdle=${timeoutMs}`);
  const body = (await response.json()) as { idle: boolean; queues: QueueSnapshot[] };
  if (!body.idle) throw new Error(`queues still busy after ${timeoutMs} ms: ${JSON.stringify(body.queues)}`);
  return body.queues;
};

/** Messages published to SNS (the staff-notice due list), oldest first. */
export const publishedMessages = async (): Promise<
  readonly { topicArn: string; subject?: string; message: string; publishedAt: string }[]
> => ((await (await fetch(`${baseUrl()}/_local/sns`)).json()) as { messages: [] }).messages;

let s3Client: S3Client | undefined;
let dynamoClient: DynamoDBDocumentClient | undefined;

/** An S3 client for the emulator (path style, its fixed keys, checksums only where required). */
export const s3 = (): S3Client => {
  s3Client ??= new S3Client({
    endpoint: stack().endpoints.s3,
    region: REGION,
    credentials: CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return s3Client;
};

/** A DynamoDB document client for DynamoDB Local. */
export const dynamo = (): DynamoDBDocumentClient => {
  dynamoClient ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack().endpoints.dynamodb, region: REGION, credentials: CREDENTIALS }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return dynamoClient;
};

/** Physical names, by declaration id: `bucket('archive')`, `table('catalogue')`. */
export const bucket = (id: string): string => {
  const name = stack().buckets[id];
  if (!name) throw new Error(`no bucket ${id}`);
  return name;
};
export const table = (id: string): string => {
  const name = stack().tables[id];
  if (!name) throw new Error(`no table ${id}`);
  return name;
};

const ownTables: string[] = [];

/**
 * A new, empty table with a declared table's keys and indexes, under a name of the test's own: for a
 * store test that must see every item (a whole chain, every entry of a month) on the shared stack.
 * closeClients drops it.
 */
export const ownTable = async (id: TableId): Promise<string> => {
  const declared = TABLES.find((t) => t.id === id);
  if (!declared) throw new Error(`no table ${id}`);
  const name = `${table(id)}-test-${randomUUID().slice(0, 8)}`;
  await dynamo().send(
    new CreateTableCommand({ ...createTableInput(declared, name), StreamSpecification: undefined }),
  );
  ownTables.push(name);
  return name;
};

export interface Sent {
  readonly command: string;
  readonly input: Record<string, unknown>;
  /** DynamoDB's answer; undefined when the command failed. */
  readonly output?: { readonly Count?: number; readonly ScannedCount?: number };
}

/**
 * Records every command the adapters in this process send through the shared DynamoDB client, with
 * DynamoDB's answer (restore with jest.restoreAllMocks). For what a read costs: its queries, the items
 * it read but did not return, any Scan.
 */
export const watchDynamo = () => {
  const sent: Sent[] = [];
  const client = dynamoDocumentClient();
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  jest.spyOn(client, 'send').mockImplementation((async (command: { input: Record<string, unknown> }) => {
    let output: Sent['output'];
    try {
      output = (await send(command)) as Sent['output'];
      return output;
    } finally {
      sent.push({ command: command.constructor.name, input: command.input, output });
    }
  }) as never);
  return { sent, named: (command: string) => sent.filter((s) => s.command === command) };
};

/** Closes the SDK clients (call from afterAll so jest exits promptly), first dropping ownTable's tables. */
export const closeClients = async (): Promise<void> => {
  for (const name of ownTables.splice(0))
    await dynamo()
      .send(new DeleteTableCommand({ TableName: name }))
      .catch(() => undefined);
  s3Client?.destroy();
  dynamoClient?.destroy();
  s3Client = undefined;
  dynamoClient = undefined;
};

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `crs <args>` from source (tsx) as a user types it, against this stack, with `env` on top (e.g.
 * CRS_TOKEN_FILE or CRS_TOKEN). Resolves with the exit code and output; never throws on a non-zero exit.
 */
export const runCrs = (env: Record<string, string>, ...args: string[]): Promise<CliRun> =>
  promisify(execFile)('node_modules/.bin/tsx', ['cli/main.ts', ...args], {
    env: { ...process.env, CRS_API_URL: baseUrl(), NODE_OPTIONS: '', ...env },
  }).then(
    (out) => ({ code: 0, stdout: out.stdout, stderr: out.stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? 1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
