/**
 * Drift guard between function code and IAM: the local stack does not enforce IAM, so a handler that
 * starts using an adapter its role has no grant for would only fail in AWS. For each function, esbuild's
 * module graph of its entry says which adapters it includes; each adapter below needs at least the
 * listed grant. (Import-level: an adapter that is imported but never called still counts.)
 */
import path from 'node:path';
import { build } from 'esbuild';
import {
  DEPLOY_FUNCTIONS,
  type DeployFunctionId,
  FUNCTIONS,
  type FunctionId,
} from '../../declarations/functions.js';
import type { TABLES } from '../../declarations/tables.js';
import { REPO_ROOT } from '../../infra/constructs/recording-function.js';
import { type Built, buildStack, grants, logicalIdOf, statementsOfFunction } from './fixture.js';

type Target =
  | { table: (typeof TABLES)[number]['id'] }
  | { key: 'signing' | 'callerHmac' }
  | { queue: 'holdFanout' }
  | { bus: 'audit' };

const NEEDS: Record<string, { action: string; on: Target }[]> = {
  'functions/adapters/audit-log.ts': [{ action: 'dynamodb:PutItem', on: { table: 'auditLog' } }],
  'functions/adapters/release-log.ts': [{ action: 'dynamodb:PutItem', on: { table: 'releaseLog' } }],
  'functions/adapters/holds-store.ts': [
    { action: 'dynamodb:Query', on: { table: 'holds' } },
    { action: 'dynamodb:GetItem', on: { table: 'catalogue' } },
  ],
  'functions/adapters/catalogue-store.ts': [{ action: 'dynamodb:GetItem', on: { table: 'catalogue' } }],
  'functions/adapters/sweep-cursor-store.ts': [{ action: 'dynamodb:GetItem', on: { table: 'holds' } }],
  // Its records are written inside catalogue-store.ts's transactions (PutItem/DeleteItem on holds by the
  // functions that delete: playback, sweepers, lifecycleEvents); only reports queries them.
  'functions/adapters/deletion-records.ts': [],
  // The compliance report reads the counters; the capabilities that change the facts write them (an ADD
  // in a transaction with its idempotency marker, puts and deletes of the tracked lists). The keys hold no call.
  'functions/adapters/counters-keys.ts': [],
  'functions/adapters/counters-read.ts': [{ action: 'dynamodb:Query', on: { table: 'registers' } }],
  'functions/adapters/counters-write.ts': [
    { action: 'dynamodb:PutItem', on: { table: 'registers' } },
    { action: 'dynamodb:UpdateItem', on: { table: 'registers' } },
    { action: 'dynamodb:DeleteItem', on: { table: 'registers' } },
  ],
  'functions/adapters/registers-store.ts': [{ action: 'dynamodb:GetItem', on: { table: 'registers' } }],
  'functions/adapters/staff-register.ts': [{ action: 'dynamodb:Query', on: { table: 'registers' } }],
  'functions/adapters/release-store.ts': [{ action: 'dynamodb:GetItem', on: { table: 'releases' } }],
  'functions/adapters/pseudonymise.ts': [{ action: 'kms:GenerateMac', on: { key: 'callerHmac' } }],
  'functions/adapters/signer.ts': [{ action: 'kms:Sign', on: { key: 'signing' } }],
  'functions/adapters/disclosures-store.ts': [{ action: 'dynamodb:GetItem', on: { table: 'disclosures' } }],
  'functions/adapters/sar-catalogue.ts': [{ action: 'dynamodb:Query', on: { table: 'catalogue' } }],
  // S3 grants per function are the access table of test/infra/access.test.ts.
  'functions/adapters/package-store.ts': [],
  'functions/adapters/hold-fanout-queue.ts': [{ action: 'sqs:SendMessage', on: { queue: 'holdFanout' } }],
  'functions/adapters/audit-event-bus.ts': [{ action: 'events:PutEvents', on: { bus: 'audit' } }],
  'functions/adapters/index-backfills.ts': [
    { action: 'dynamodb:Query', on: { table: 'auditLog' } },
    { action: 'dynamodb:UpdateItem', on: { table: 'auditLog' } },
    { action: 'dynamodb:Scan', on: { table: 'registers' } },
    { action: 'dynamodb:GetItem', on: { table: 'registers' } },
    { action: 'dynamodb:UpdateItem', on: { table: 'registers' } },
    { action: 'dynamodb:PutItem', on: { table: 'registers' } },
  ],
};

/** Every function bundled, also those the deployment runs. */
const ALL = [...FUNCTIONS, ...DEPLOY_FUNCTIONS];
type AnyFunctionId = FunctionId | DeployFunctionId;

let built: Built;
const graphs = new Map<AnyFunctionId, string[]>();
/** The AWS SDK packages each function's bundle imports statically (external: the Lambda runtime provides them). */
const sdkImports = new Map<AnyFunctionId, string[]>();

beforeAll(async () => {
  built = buildStack();
  for (const fn of ALL) {
    const result = await build({
      entryPoints: [path.join(REPO_ROOT, fn.entry)],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['@aws-sdk/*'],
      write: false,
      metafile: true,
      outfile: 'index.mjs',
      logLevel: 'error',
    });
    graphs.set(fn.id, Object.keys(result.metafile.inputs));
    const sdk = Object.values(result.metafile.inputs).flatMap((input) =>
      input.imports
        // Loaded with the module, so at cold start; a dynamic import() loads on first use.
        .filter((i) => i.external && i.kind === 'import-statement' && i.path.startsWith('@aws-sdk/'))
        .map((i) => i.path),
    );
    sdkImports.set(fn.id, [...new Set(sdk)].sort());
  }
}, 120_000);

const resourceOf = (target: Target): string => {
  const { stack } = built;
  if ('table' in target) return `<${logicalIdOf(stack, stack.tables.get(target.table).table)}.Arn>`;
  if ('key' in target) return `<${logicalIdOf(stack, stack.keys[target.key])}.Arn>`;
  if ('bus' in target) return `<${logicalIdOf(stack, stack.auditEvents.bus)}.Arn>`;
  return `<${logicalIdOf(stack, stack.messaging.holdFanout)}.Arn>`;
};

it.each(ALL.map((f) => f.id))('%s has a grant for every adapter it includes', (fn) => {
  // Arrange
  const held = new Set(grants(statementsOfFunction(built, fn)).map((g) => `${g.action} ${g.resource}`));

  // Act
  const missing = (graphs.get(fn) ?? []).flatMap((input) =>
    (NEEDS[input] ?? [])
      .filter((need) => !held.has(`${need.action} ${resourceOf(need.on)}`))
      .map((need) => `${input} needs ${need.action} on ${JSON.stringify(need.on)}`),
  );

  // Assert
  expect(missing).toEqual([]);
});

it('gives the compliance report the read side of the counters only, and the release and hold functions the write side only', () => {
  // Arrange
  const counters = (fn: FunctionId) =>
    (graphs.get(fn) ?? []).filter((i) => /^functions\/adapters\/counters(-read|-write)?\.ts$/.test(i)).sort();

  // Assert
  expect(counters('reports')).toEqual(['functions/adapters/counters-read.ts']);
  expect(counters('release')).toEqual(['functions/adapters/counters-write.ts']);
  expect(counters('legalHold')).toEqual(['functions/adapters/counters-write.ts']);
});

it('knows every adapter that talks to a table, key or queue', () => {
  const adapters = new Set([...graphs.values()].flat().filter((i) => i.startsWith('functions/adapters/')));
  const unmapped = [...adapters].filter(
    (a) =>
      !(a in NEEDS) &&
      ![
        // Bucket adapters: their grants depend on the caller (checked in access.test.ts). The generic
        // plumbing (clients, env, log, paging, retry) lives in functions/platform/ and holds no grant of its own.
        // Reads stream records the event source mapping hands over (its grants: audit-events.test.ts).
        'functions/adapters/stream-records.ts',
        'functions/adapters/chain-store.ts',
        'functions/adapters/object-store.ts',
        'functions/adapters/upload-link.ts',
        'functions/adapters/object-lock.ts',
        'functions/adapters/playback-objects.ts',
        'functions/adapters/staff-notices-topic.ts',
        // Bucket adapter: checkpoint anchors under checkpoints/ (prefix grants checked in access.test.ts).
        'functions/adapters/checkpoint-anchors.ts',
        // Shard chooser over a store it is handed: its writes are audit-log.ts's PutItem, mapped above.
        'functions/adapters/audit-writer.ts',
      ].includes(a),
  );

  expect(unmapped).toEqual([]);
});

/**
 * Cold start: module loading is most of it, so a function loads an SDK client only when its role can call
 * that service (one client module per service in functions/platform/clients/). The presigner signs links
 * without a call, so it is allowed only where a link is made.
 */
const SDK_SERVICE: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-kms': 'kms',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-eventbridge': 'events',
  // Converts stream records' DynamoDB JSON; no call of its own.
  '@aws-sdk/util-dynamodb': 'dynamodb',
};
const PRESIGNING: readonly AnyFunctionId[] = ['ingestApi', 'playback', 'release', 'disclosures'];

it.each(ALL.map((f) => f.id))('%s imports only the SDK clients of services its role may call', (fn) => {
  // Arrange
  const services = new Set(grants(statementsOfFunction(built, fn)).map((g) => g.action.split(':')[0]));

  // Act
  const needless = (sdkImports.get(fn) ?? []).filter((pkg) =>
    pkg === '@aws-sdk/s3-request-presigner'
      ? !PRESIGNING.includes(fn)
      : !services.has(SDK_SERVICE[pkg] ?? `(unknown SDK package ${pkg})`),
  );

  // Assert
  expect(needless).toEqual([]);
});

it('keeps the queue, topic and presigner clients out of bundles that never use them', () => {
  expect(sdkImports.get('playback')).not.toEqual(
    expect.arrayContaining([expect.stringMatching(/client-(sqs|sns)$/)]),
  );
  expect(sdkImports.get('reports')).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']);
  expect(sdkImports.get('ingestWorker')).not.toContain('@aws-sdk/s3-request-presigner');
});
