/**
 * Cold start of every function on the local stack, as a ratio to a baseline measured in the same run.
 *
 *   function  a fresh `node` process imports the function's bundle (built as the CDK construct builds it:
 *             minified CommonJS, `@aws-sdk/*` external, source maps on as on Lambda) and invokes its handler
 *             once with a real event against the local stack (an API request as the gateway maps it, an
 *             SQS or EventBridge event, or a scheduled job)
 *   baseline  a fresh `node` process imports the DynamoDB and S3 clients and does one GetItem
 *
 * Both are timed inside the child from its first line to the end of the invocation (Node's own start-up
 * is the same for both and left out). Each round runs, for every function in a rotating order, a baseline
 * process and then the function's process; the ratio is function / baseline of the same round.
 * Prints min / median / max of each function's ratio over ROUNDS rounds (default 7); target ≤ 1.3.
 *
 * COMPARE_ESM=1 also builds each function as the ES module bundle it was before (same options, ESM with
 * the createRequire banner) and runs it in the same rounds, after the same baseline, alternating which
 * of the two goes first: an in-run A/B of the bundle format, printed as one more column.
 *
 * REQUIRE_BASELINE=1 adds a second baseline in the same rounds: the same clients loaded with `require`, as
 * the CommonJS bundles load the SDK, so the ratio can be read without the ES loader's cost in the baseline.
 *
 * ONLY=ingestApi,reports runs those functions alone (a quicker look at one change; the lead's figures
 * come from a full run).
 *
 *   npm run bench:cold-start            (ROUNDS=7, BENCH_PORT=5000, COMPARE_ESM and ONLY unset)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { decodeJwt } from 'jose';
import { FUNCTIONS as ALL_FUNCTIONS, type FunctionId } from '../declarations/functions.js';
import { ROUTES } from '../declarations/routes.js';
import { nextLink } from '../functions/domain/hash-chain.js';
import { dynamoDocumentClient } from '../functions/platform/clients/dynamodb.js';
import { s3Client } from '../functions/platform/clients/s3.js';
import { REPO_ROOT } from '../infra/constructs/recording-function.js';
import { buildEvent, compileRoute, matchRoute } from '../local/apigw.js';
import type { PersonaId } from '../local/personas.js';
import { seed } from '../local/seed.js';
import { archivedRecordingItem, withBenchStack } from './bench-stack.js';
import { BUNDLE_FILE, writeBundle } from './function-bundle.js';
import { exitForTarget, formatSpread, median, spread } from './stats.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
// REQUIRE_BASELINE=1: also a baseline that loads the same clients with `require` (as the CommonJS bundles
// load the SDK), in the same rounds; its ratio is printed beside the standard one.
const REQUIRE_BASELINE = process.env.REQUIRE_BASELINE === '1';
const TARGET = 1.3;
// Inside the repository, so the bundles' external `@aws-sdk/*` imports resolve from its node_modules.
const WORK = join(REPO_ROOT, 'node_modules', '.cache', 'crs-cold-start');
const CHILD = join(REPO_ROOT, 'bench', 'cold-start-child.mjs');
const RECORDING = '0c0ffee0-0000-4000-8000-000000000001';
const COMPARE_ESM = process.env.COMPARE_ESM === '1';
const ONLY = process.env.ONLY?.split(',').filter(Boolean);
const MEASURED = ONLY ? ALL_FUNCTIONS.filter((f) => ONLY.includes(f.id)) : ALL_FUNCTIONS;
/** The ES module bundle the functions shipped before CommonJS (for the COMPARE_ESM column only). */
const ESM_BUNDLE = {
  file: 'index.mjs',
  format: 'esm',
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
} as const;

interface Sample {
  readonly importMs: number;
  readonly totalMs: number;
  readonly outcome: unknown;
}

const runChild = (args: string[], env: Record<string, string>): Promise<Sample> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`${args[0]} exited ${code}: ${err.slice(-2000)}`));
        return;
      }
      if (err.trim()) reject(new Error(`${args[0]}: ${err.trim().slice(-2000)}`));
      else resolve(JSON.parse(last) as Sample);
    });
  });

const main = () =>
  withBenchStack('cold-start', 5000, async (stack) => {
    const info = stack.info;
    const tables = info.tables as Record<string, string>;
    const buckets = info.buckets as Record<string, string>;
    const seeded = await seed(info.baseUrl, info.dataDir, (p) => stack.issuer.mint(p));
    if (seeded.failed.length) throw new Error(`seed failed: ${JSON.stringify(seeded.failed)}`);

    // One archived recording to play.
    const archiveKey = `revenues/2026/11/02/${RECORDING}.wav`;
    const put = await s3Client().send(
      new PutObjectCommand({ Bucket: buckets.archive, Key: archiveKey, Body: Buffer.alloc(1024) }),
    );
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: tables.catalogue,
        Item: archivedRecordingItem({
          recordingId: RECORDING,
          callId: 'cold-start-call',
          extension: '2001',
          startedAt: '2026-11-02T09:00:00.000Z',
          sizeBytes: 1024,
          archiveKey,
          archiveVersionId: put.VersionId,
        }),
      }),
    );

    const routes = ROUTES.map(compileRoute);
    const host = new URL(info.baseUrl).host;
    const api = async (persona: PersonaId, method: string, path: string, body?: unknown) => {
      const [rawPath = path, rawQueryString = ''] = path.split('?');
      const matched = matchRoute(routes, method, rawPath);
      if (!matched) throw new Error(`no route ${method} ${rawPath}`);
      const claims = decodeJwt(await stack.issuer.mint(persona)) as Record<string, unknown>;
      return buildEvent(
        {
          method,
          rawPath,
          rawQueryString,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
          sourceIp: '127.0.0.1',
        },
        matched,
        { claims, host },
      );
    };
    const sqs = (body: unknown) => ({
      Records: [
        {
          messageId: `cold-start-${Date.now()}`,
          receiptHandle: 'r',
          body: JSON.stringify(body),
          attributes: {},
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:cold-start',
          awsRegion: 'eu-west-2',
        },
      ],
    });
    // What each function is asked to do: a real request, answered without a 5xx, touching its tables.
    const events: Record<FunctionId, (round: number) => Promise<unknown>> = {
      ingestApi: (round) => {
        const start = Date.now() - 10 * 60_000;
        return api('telephony', 'POST', '/uploads', {
          callId: `cold-start-${Date.now()}-${round}`,
          serviceArea: 'revenues',
          extension: '2001',
          direction: 'inbound',
          startedAt: new Date(start).toISOString(),
          endedAt: new Date(start + 60_000).toISOString(),
          agentId: 'cold-start-agent',
          counterparty: '+441632960001',
          notification: { method: 'announcement' },
          abuseReminder: false,
          verificationReminder: false,
          pci: { pausedSegments: [], cardDataCaptured: false },
          audio: { format: 'wav', sizeBytes: 960_044, sha256: 'b'.repeat(64) },
        });
      },
      ingestWorker: async (round) =>
        sqs({
          Records: [
            {
              eventName: 'ObjectCreated:Put',
              s3: {
                bucket: { name: buckets.inbox },
                object: { key: `incoming/0c0ffee0-0000-4000-8000-${String(round).padStart(12, '0')}` },
              },
            },
          ],
        }),
      playback: () =>
        api('revenues-listener', 'POST', `/recordings/${RECORDING}/playback`, { purpose: 'training' }),
      release: () => api('release-log-keeper', 'GET', '/releases'),
      legalHold: () => api('ig-officer', 'GET', '/holds'),
      legalHoldWorker: async () => sqs({ kind: 'resolve', holdId: 'cold-start-no-such-hold', page: 0 }),
      registers: () => api('registrar', 'GET', '/service-areas/revenues'),
      reports: () => api('ig-officer', 'GET', '/reports/retention'),
      sweepers: async () => ({ job: 'expire-registrations' }),
      // No advice recorded in this stack: an authorised read that answers 404.
      disclosures: () => api('ig-officer', 'GET', '/ig-advice/cold-start-no-such-advice'),
      // One new access audit entry from the audit table's stream, published to the local audit bus.
      auditEvents: async (round) => {
        const link = nextLink(
          'audit#00',
          undefined,
          {
            actor: 'cold-start',
            action: 'search',
            outcome: 'allowed',
            rule: 's6.search',
            correlationId: `cs-${round}`,
          },
          new Date(),
        );
        return {
          Records: [
            {
              eventID: `cold-start-${round}`,
              eventName: 'INSERT',
              eventSource: 'aws:dynamodb',
              eventSourceARN: `arn:aws:dynamodb:eu-west-2:000000000000:table/${tables.auditLog}/stream/cold-start`,
              dynamodb: { SequenceNumber: String(round + 1).padStart(21, '0'), NewImage: marshall(link) },
            },
          ],
        };
      },
      lifecycleEvents: async () => ({
        'detail-type': 'Object Deleted',
        source: 'aws.s3',
        detail: {
          bucket: { name: buckets.archive },
          object: { key: `revenues/2026/11/02/${'0'.repeat(36)}.wav` },
          reason: 'Lifecycle Expiration',
        },
      }),
    };

    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    const bundles = new Map<FunctionId, string>();
    const esmBundles = new Map<FunctionId, string>();
    for (const fn of MEASURED) {
      const outfile = join(WORK, fn.id, BUNDLE_FILE);
      await writeBundle(fn.entry, outfile);
      bundles.set(fn.id, outfile);
      if (COMPARE_ESM) {
        const esmFile = join(WORK, fn.id, ESM_BUNDLE.file);
        await writeBundle(fn.entry, esmFile, { format: ESM_BUNDLE.format, banner: ESM_BUNDLE.banner });
        esmBundles.set(fn.id, esmFile);
      }
    }
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      ...(info.env as Record<string, string>),
      LOG_LEVEL: 'silent',
      // As on Lambda (infra/constructs/recording-function.ts), for the function and the baseline alike.
      NODE_OPTIONS: '--enable-source-maps',
    };

    const ratios = new Map<
      FunctionId,
      { total: number[]; imports: number[]; ms: number[]; esm: number[]; req: number[] }
    >(MEASURED.map((f) => [f.id, { total: [], imports: [], ms: [], esm: [], req: [] }]));
    const baselineMs: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let j = 0; j < MEASURED.length; j += 1) {
        const fn = MEASURED[(round + j) % MEASURED.length] as (typeof MEASURED)[number];
        const eventFile = join(WORK, fn.id, 'event.json');
        writeFileSync(eventFile, JSON.stringify(await events[fn.id](round)));
        const requireBase = () =>
          REQUIRE_BASELINE ? runChild(['baseline-require', tables.catalogue as string], env) : undefined;
        const reqFirst = round % 2 === 1 ? await requireBase() : undefined;
        const base = await runChild(['baseline', tables.catalogue as string], env);
        const baseReq = reqFirst ?? (round % 2 === 1 ? undefined : await requireBase());
        const into = ratios.get(fn.id);
        const esmFirst = COMPARE_ESM && round % 2 === 1;
        const esm = async () => {
          if (!COMPARE_ESM) return;
          // A fresh event: the first run may have consumed this one (an upload registered, a message handled).
          writeFileSync(eventFile, JSON.stringify(await events[fn.id](round + ROUNDS)));
          const other = await runChild([fn.id, esmBundles.get(fn.id) as string, eventFile], env);
          into?.esm.push(other.totalMs / base.totalMs);
        };
        if (esmFirst) await esm();
        if (esmFirst) writeFileSync(eventFile, JSON.stringify(await events[fn.id](round)));
        const sample = await runChild([fn.id, bundles.get(fn.id) as string, eventFile], env);
        if (!esmFirst) await esm();
        into?.total.push(sample.totalMs / base.totalMs);
        if (baseReq) into?.req.push(sample.totalMs / baseReq.totalMs);
        into?.imports.push(sample.importMs / base.importMs);
        into?.ms.push(sample.totalMs);
        baselineMs.push(base.totalMs);
      }
    }

    console.log(
      `cold start: fresh process importing the bundle + one invocation, as a ratio to a fresh process that ` +
        `imports the DynamoDB and S3 clients + one GetItem (median ${median(baselineMs).toFixed(0)} ms); ` +
        `${ROUNDS} rounds, target ≤ ${TARGET}\n`,
    );
    const esmHeader = COMPARE_ESM ? '  ESM bundle ratio median' : '';
    const reqHeader = REQUIRE_BASELINE ? '  vs require() baseline min / median / max' : '';
    console.log(
      `${'function'.padEnd(17)}${'median ms'.padStart(10)}  ${'import + invocation ratio'.padEnd(46)}import-only ratio median  result${esmHeader}${reqHeader}`,
    );
    let over = 0;
    for (const fn of MEASURED) {
      const r = ratios.get(fn.id) as {
        total: number[];
        imports: number[];
        ms: number[];
        esm: number[];
        req: number[];
      };
      const s = spread(r.total);
      const met = s.median <= TARGET;
      if (!met) over += 1;
      const esmColumn = COMPARE_ESM
        ? median(r.esm)
            .toFixed(2)
            .padStart(esmHeader.length - (met ? 3 : 7))
        : '';
      console.log(
        `${fn.id.padEnd(17)}${median(r.ms).toFixed(0).padStart(10)}  ${formatSpread(s).padEnd(46)}${median(r.imports).toFixed(2).padStart(24)}  ${met ? 'MET' : 'NOT MET'}${esmColumn}${REQUIRE_BASELINE ? `  ${formatSpread(spread(r.req))}` : ''}`,
      );
    }
    console.log(
      over === 0
        ? '\nEvery function within target (median).'
        : `\n${over} function(s) over ${TARGET} (median).`,
    );
    exitForTarget(over === 0);
  });

await main();
