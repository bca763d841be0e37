/**
 * `npm start`: the whole system on this machine — DynamoDB Local, the S3 emulator, KMS/SQS/SNS
 * stand-ins, a JWT issuer and the HTTP gateway running the real handlers. Ctrl-C stops everything.
 * Environment: PORT (gateway, default 4000; emulators on PORT+1..+5), LOCAL_DATA_DIR (default .local),
 * SWEEP_INTERVAL_SECONDS (default 60, 0 = on demand only), LOCAL_SEED=false, LOCAL_LOG_REQUESTS=false.
 */
import { existsSync, rmSync } from 'node:fs';
import { configFromEnv, dataPaths, displayPath } from './config.js';
import { StartupError } from './errors.js';
import { writeJsonAtomic } from './files.js';
import { PERSONA_IDS, PERSONAS } from './personas.js';
import { seed } from './seed.js';
import { type RunningStack, startStack } from './stack.js';

// The SDK warns that Node 20 support ends in 2027: known, and noise on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const fail = (error: unknown): never => {
  if (error instanceof StartupError) {
    console.error(`npm start: ${error.message}`);
  } else {
    console.error(`npm start: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.stack) console.error(error.stack);
  }
  process.exit(1);
};

const waitHealthy = async (stack: RunningStack, ms: number) => {
  const deadline = Date.now() + ms;
  for (;;) {
    const report = await stack.gateway.health();
    if (report.ok) return;
    if (Date.now() > deadline) {
      const down = Object.entries(report.components)
        .filter(([, h]) => h.status === 'down')
        .map(([c, h]) => `${c} (${h.error})`)
        .join(', ');
      throw new StartupError(`components still down after ${ms / 1000} s: ${down}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
};

const main = async () => {
  const config = configFromEnv();
  const paths = dataPaths(config);
  const firstStart = !existsSync(paths.seed);

  let stack: RunningStack | undefined;
  let stopping = 0;
  const shutdown = (signal: string) => {
    // npm and tsx relay the terminal's Ctrl-C, so one keypress can arrive twice: only a later one forces.
    if (stopping) {
      if (Date.now() - stopping < 2000) return;
      console.log(`\n${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = Date.now();
    console.log(`\n${signal}: stopping the local stack…`);
    const done = (stack?.stop() ?? Promise.resolve()).finally(() => {
      rmSync(paths.stackFile, { force: true });
      console.log('stopped.');
      process.exit(0);
    });
    void done;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
  // A handler bug must not take the whole stack down; Lambda would have lost only that invocation.
  process.on('unhandledRejection', (reason) => console.error('[local] unhandled rejection:', reason));
  process.on('uncaughtException', (error) => console.error('[local] uncaught exception:', error));

  // DynamoDB Local's JVM takes 10–30 s on a busy machine: say so, and show that the wait is moving.
  const began = Date.now();
  console.log(
    'starting the local stack: DynamoDB Local (a JVM, usually the slowest: 10–30 s), S3, KMS, SQS, issuer…',
  );
  const ticker = setInterval(
    () => console.log(`  still starting… ${Math.round((Date.now() - began) / 1000)} s`),
    5000,
  );
  try {
    stack = await startStack(config);
    if (stopping) return;
    console.log(
      `  emulators up after ${((Date.now() - began) / 1000).toFixed(1)} s; waiting for every component to answer…`,
    );
    await waitHealthy(stack, 30_000);
    if (config.seed) console.log('  healthy; seeding the demo service areas…');
  } finally {
    clearInterval(ticker);
  }

  const { info } = stack;
  let seedLine = 'seed: off (LOCAL_SEED=false)';
  if (config.seed) {
    const result = await seed(info.baseUrl, config.dataDir, (persona) => stack.issuer.mint(persona));
    seedLine =
      `seed: ${result.done.length} done` +
      (result.pending.length ? `, ${result.pending.length} pending (handler not written yet)` : '') +
      (result.failed.length ? `, ${result.failed.length} failed` : '');
    for (const f of result.failed) console.warn(`  seed step "${f.name}" → ${f.status}: ${f.message}`);
  }
  await writeJsonAtomic(paths.stackFile, info);

  const here = displayPath(config.dataDir);
  const pad = (s: string, n: number) => s.padEnd(n);
  const e = info.endpoints;
  const lines = [
    '',
    `Call Recording Governance — local stack ready in ${(stack.startupMs / 1000).toFixed(1)} s ` +
      `(DynamoDB Local answered after ${(stack.dynamoReadyMs / 1000).toFixed(1)} s)`,
    `  portal    ${e.gateway}/   the staff portal — sign in as any persona`,
    `  API       ${e.gateway}   GET /health · routes of declarations/routes.ts`,
    `  DynamoDB  ${e.dynamodb}   tables ${Object.values(info.tables).join(', ')}`,
    `  S3        ${e.s3}   buckets ${Object.values(info.buckets).join(', ')} (keys S3RVER/S3RVER)`,
    `  KMS       ${e.kms}   SQS+SNS ${e.sqs}`,
    `  issuer    ${e.issuer}   audience ${info.issuer.audience}`,
    `  data      ${here}/   (npm run reset wipes it)`,
    `  ${seedLine}`,
    ...(stack.tableActions.length ? [`  ${stack.tableActions.join('; ')}`] : []),
    '',
    firstStart
      ? 'Personas — get a token with POST /_local/token {"persona": "<id>"}:'
      : `Personas: ${PERSONA_IDS.join(', ')}`,
    ...(firstStart ? PERSONA_IDS.map((id) => `  ${pad(id, 30)} ${PERSONAS[id].description}`) : []),
    '',
    'Try:',
    `  curl -s ${e.gateway}/health`,
    `  TOKEN=$(curl -s -X POST ${e.gateway}/_local/token -d '{"persona":"revenues-listener"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
    `  curl -s -H "authorization: Bearer $TOKEN" '${e.gateway}/recordings?serviceArea=revenues'`,
    `  curl -s -X POST ${e.gateway}/_local/run/deletion               # run a scheduled job now`,
    `  curl -s ${e.gateway}/_local/queues                               # queue depths, dead letters`,
    '  ./bin/crs --help                                             # the crs CLI: finds this stack by itself',
    '  npm run test:integration',
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
};

main().catch(fail);
