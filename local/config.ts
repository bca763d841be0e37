import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUCKETS, type BucketId, bucketEnvVar } from '../declarations/buckets.js';
import { ENV } from '../declarations/environment.js';
import type { FunctionId } from '../declarations/functions.js';
import { TABLES, type TableId, tableEnvVar } from '../declarations/tables.js';
import { StartupError } from './errors.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const HOST = '127.0.0.1';
export const REGION = 'eu-west-2';
export const ACCOUNT_ID = '000000000000';
/** s3rver's built-in account; DynamoDB Local (-sharedDb), the KMS and SQS stand-ins accept anything. */
export const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
/** The audience the local issuer puts in tokens and the gateway's authorizer requires. */
export const AUDIENCE = 'crs-api';

export type Component = 'gateway' | 'dynamodb' | 's3' | 'kms' | 'sqs' | 'issuer';
export const COMPONENTS: readonly Component[] = ['dynamodb', 's3', 'kms', 'sqs', 'issuer', 'gateway'];

/** PORT is the gateway; the emulators default to PORT+1..PORT+5 and each can be set on its own. */
const PORT_OFFSETS: Record<Component, { offset: number; env: string }> = {
  gateway: { offset: 0, env: 'PORT' },
  dynamodb: { offset: 1, env: 'DYNAMODB_PORT' },
  s3: { offset: 2, env: 'S3_PORT' },
  kms: { offset: 3, env: 'KMS_PORT' },
  sqs: { offset: 4, env: 'SQS_PORT' },
  issuer: { offset: 5, env: 'ISSUER_PORT' },
};

export interface StackConfig {
  readonly dataDir: string;
  readonly ports: Readonly<Record<Component, number>>;
  /** Seconds between scheduled sweeper runs; 0 turns the schedule off (jobs still run on demand). */
  readonly sweepIntervalSeconds: number;
  /** Seed demo data through the API on start. */
  readonly seed: boolean;
  /** Log each gateway request. */
  readonly logRequests: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const intFrom = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StartupError(`${name}=${raw} is not valid: expected a whole number from ${min} to ${max}`);
  }
  return value;
};

const flagFrom = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new StartupError(`${name}=${raw} is not valid: expected true or false`);
};

export const configFromEnv = (env: Env = process.env): StackConfig => {
  const gateway = intFrom(env, 'PORT', 4000, 1, 65530);
  const ports = Object.fromEntries(
    Object.entries(PORT_OFFSETS).map(([component, { offset, env: name }]) => [
      component,
      component === 'gateway' ? gateway : intFrom(env, name, gateway + offset, 1, 65535),
    ]),
  ) as Record<Component, number>;
  const seen = new Map<number, string>();
  for (const [component, port] of Object.entries(ports)) {
    const other = seen.get(port);
    if (other)
      throw new StartupError(`${component} and ${other} are both set to port ${port}: give each its own`);
    seen.set(port, component);
  }
  return {
    dataDir: resolve(env.LOCAL_DATA_DIR || join(REPO_ROOT, '.local')),
    ports,
    sweepIntervalSeconds: intFrom(env, 'SWEEP_INTERVAL_SECONDS', 60, 0, 86_400),
    seed: flagFrom(env, 'LOCAL_SEED', true),
    logRequests: flagFrom(env, 'LOCAL_LOG_REQUESTS', true),
  };
};

export const portEnvName = (component: Component): string => PORT_OFFSETS[component].env;

export const urlOf = (config: StackConfig, component: Component): string =>
  `http://${HOST}:${config.ports[component]}`;

/** Sub-directories of the data directory, one per component. */
export const dataPaths = (config: StackConfig) => ({
  dynamodb: join(config.dataDir, 'dynamodb'),
  s3: join(config.dataDir, 's3'),
  /** Files of deleted objects, renamed here and unlinked after the DELETE's reply (s3-reclaim.ts). */
  s3Trash: join(config.dataDir, 's3-trash'),
  s3Locks: join(config.dataDir, 's3-object-lock.json'),
  clock: join(config.dataDir, 'clock.json'),
  kms: join(config.dataDir, 'kms'),
  sqs: join(config.dataDir, 'sqs'),
  issuer: join(config.dataDir, 'issuer'),
  seed: join(config.dataDir, 'seed.json'),
  stackFile: join(config.dataDir, 'stack.json'),
  /** The local SIEM sink: every event put on the audit bus, one JSON line each. */
  siemEvents: join(config.dataDir, 'siem-events.jsonl'),
  /** Stream positions of the audit-events mapping stand-in, and the batches it gave up. */
  streams: join(config.dataDir, 'streams.json'),
  streamFailures: join(config.dataDir, 'stream-failures.jsonl'),
});

// Physical names. The handlers only ever see them through the env vars below.
export const tableName = (id: TableId): string => `crs-local-${id}`;
export const bucketName = (id: BucketId): string => `crs-local-${id}`;

export const KMS_KEYS = {
  recordings: { alias: 'alias/crs-recordings', spec: 'SYMMETRIC_DEFAULT', usage: 'ENCRYPT_DECRYPT' },
  signing: { alias: 'alias/crs-log-signing', spec: 'ECC_NIST_P256', usage: 'SIGN_VERIFY' },
  hmac: { alias: 'alias/crs-caller-hmac', spec: 'HMAC_256', usage: 'GENERATE_VERIFY_MAC' },
} as const;
export type KmsKeyName = keyof typeof KMS_KEYS;

/** Queues the local SQS stand-in knows, and the function each one triggers (an event source mapping). */
export interface QueueDeclaration {
  readonly name: string;
  readonly function: FunctionId;
  readonly batchSize: number;
  /** Receives before a message moves to the queue's DLQ (the redrive policy's maxReceiveCount). */
  readonly maxReceiveCount: number;
  /** Batches delivered at once (Lambda's maximum concurrency for the mapping). */
  readonly concurrency: number;
}
// Batch sizes and maxReceiveCount as infra/constructs/functions.ts and messaging.ts deploy them.
export const QUEUES = {
  inboxEvents: {
    name: 'crs-local-inbox-events',
    function: 'ingestWorker',
    batchSize: 5,
    maxReceiveCount: 5,
    concurrency: 2,
  },
  holdFanout: {
    name: 'crs-local-hold-fanout',
    function: 'legalHoldWorker',
    batchSize: 10,
    maxReceiveCount: 5,
    concurrency: 4,
  },
} as const satisfies Record<string, QueueDeclaration>;

export const queueUrl = (config: StackConfig, name: string): string =>
  `${urlOf(config, 'sqs')}/${ACCOUNT_ID}/${name}`;
export const queueArn = (name: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${name}`;

/** The audit event bus (`crs-audit` when deployed). */
export const AUDIT_EVENT_BUS = 'crs-local-audit';

export const TOPICS = { staffNotices: 'crs-local-staff-notices' } as const;
export const topicArn = (name: string): string => `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${name}`;
export const kmsKeyArn = (keyId: string): string => `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${keyId}`;

/** Same defaults as cdk.json context (retention months, link and copy lifetimes). */
export const CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  [ENV.retentionMinMonths]: '12',
  [ENV.retentionMaxMonths]: '24',
  [ENV.playbackLinkTtlSeconds]: '300',
  [ENV.uploadLinkTtlSeconds]: '900',
  [ENV.releaseCopyTtlDays]: '30',
  [ENV.releaseRequestTtlDays]: '14',
};

/**
 * The environment every handler runs with: the names CDK's bind helpers set, plus the SDK's own
 * endpoint variables pointing at the emulators. Config values already in the environment win, so
 * `PLAYBACK_LINK_TTL_SECONDS=5 npm start` works.
 */
export const handlerEnvironment = (
  config: StackConfig,
  keyIds: Readonly<Record<KmsKeyName, string>>,
  inherited: Env = process.env,
): Record<string, string> => {
  const env: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    // The SDK warns on every cold start that Node 20 support ends in 2027; known, and noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: urlOf(config, 'dynamodb'),
    AWS_ENDPOINT_URL_S3: urlOf(config, 's3'),
    AWS_ENDPOINT_URL_KMS: urlOf(config, 'kms'),
    AWS_ENDPOINT_URL_SQS: urlOf(config, 'sqs'),
    AWS_ENDPOINT_URL_SNS: urlOf(config, 'sqs'),
    // The EventBridge stand-in (the audit bus) shares the SQS/SNS stand-in's port.
    AWS_ENDPOINT_URL_EVENTBRIDGE: urlOf(config, 'sqs'),
    [ENV.auditEventBusName]: AUDIT_EVENT_BUS,
    [ENV.s3ForcePathStyle]: 'true',
    [ENV.kmsRecordingsKeyId]: kmsKeyArn(keyIds.recordings),
    [ENV.kmsSigningKeyId]: kmsKeyArn(keyIds.signing),
    [ENV.kmsHmacKeyId]: kmsKeyArn(keyIds.hmac),
    [ENV.holdFanoutQueueUrl]: queueUrl(config, QUEUES.holdFanout.name),
    [ENV.staffNoticesTopicArn]: topicArn(TOPICS.staffNotices),
    // The stack clock (local/clock.ts) reaches the jobs as `now` in their event.
    [ENV.jobClockOverride]: 'allow',
  };
  for (const table of TABLES) env[tableEnvVar(table.id)] = tableName(table.id);
  for (const bucket of BUCKETS) env[bucketEnvVar(bucket)] = bucketName(bucket);
  for (const [name, fallback] of Object.entries(CONFIG_DEFAULTS)) env[name] = inherited[name] || fallback;
  return env;
};

export const entryPath = (entry: string): string => join(REPO_ROOT, entry);

/** A path for messages: relative to the repository when inside it (`.local`), else absolute. */
export const displayPath = (path: string): string => {
  const rel = relative(REPO_ROOT, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
};
