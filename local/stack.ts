/**
 * Starts every local component, wires them together and stops them again. Used by `npm start`
 * (local/start.ts) and by the integration tests (through start.ts in a child process).
 */

import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { BUCKETS } from '../declarations/buckets.js';
import { ENV } from '../declarations/environment.js';
import type { FunctionId } from '../declarations/functions.js';
import { TABLES } from '../declarations/tables.js';
import { stackClock } from './clock.js';
import {
  AUDIENCE,
  AUDIT_EVENT_BUS,
  bucketName,
  type Component,
  CREDENTIALS,
  dataPaths,
  handlerEnvironment,
  KMS_KEYS,
  QUEUES,
  queueUrl,
  REGION,
  type StackConfig,
  TOPICS,
  tableName,
  topicArn,
  urlOf,
} from './config.js';
import { type DynamoHandle, ensureTables, startDynamo } from './dynamodb.js';
import { LocalEventBus } from './event-bus.js';
import { type GatewayHandle, startGateway } from './gateway.js';
import { invoke, logFailure } from './invoke.js';
import { type IssuerHandle, startIssuer } from './issuer.js';
import { functionForJob, jobsFromEnv, startScheduler } from './jobs.js';
import { type KmsHandle, startKms } from './kms.js';
import { buildLocalPortal, portalResponder } from './portal.js';
import { checkDataDir, checkJava, checkPorts } from './preflight.js';
import { consumersWhenReady, type QueueHandle, startQueues } from './queues.js';
import { type S3Handle, startS3 } from './s3.js';
import { type StreamPoller, startStreamPoller } from './streams.js';

export interface StackInfo {
  readonly pid: number;
  readonly startedAt: string;
  readonly baseUrl: string;
  readonly dataDir: string;
  readonly endpoints: Readonly<Record<Component, string>>;
  readonly issuer: { readonly url: string; readonly jwksUrl: string; readonly audience: string };
  readonly tables: Readonly<Record<string, string>>;
  readonly buckets: Readonly<Record<string, string>>;
  readonly queues: Readonly<Record<string, string>>;
  readonly topics: Readonly<Record<string, string>>;
  readonly kmsKeys: Readonly<Record<string, string>>;
  /** The environment the handlers run with (no secrets beyond the emulators' fixed dummy keys). */
  readonly env: Readonly<Record<string, string>>;
}

export interface RunningStack {
  readonly info: StackInfo;
  readonly gateway: GatewayHandle;
  readonly issuer: IssuerHandle;
  readonly startupMs: number;
  /** When DynamoDB Local (the JVM, usually the slowest part) first answered. */
  readonly dynamoReadyMs: number;
  readonly tableActions: readonly string[];
  stop(): Promise<void>;
}

/** Logs each failed invocation once, wherever it came from (gateway, queue, schedule). */
const invokeLogged = async (id: FunctionId, event: unknown, timeoutSeconds?: number) => {
  const outcome = await invoke(id, event, timeoutSeconds);
  if (!outcome.ok && outcome.kind !== 'missing') logFailure(id, outcome);
  return outcome;
};

export const startStack = async (config: StackConfig): Promise<RunningStack> => {
  const started = performance.now();
  const paths = dataPaths(config);
  checkJava();
  await checkPorts(config);
  checkDataDir(config, [paths.dynamodb, paths.s3, paths.kms, paths.sqs, paths.issuer]);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error('[local] error while stopping:', error instanceof Error ? error.message : error);
      }
    }
  };

  // DynamoDB Local (the JVM) is the slow one: start it first, the rest while it boots.
  const dynamo: DynamoHandle = startDynamo(paths.dynamodb, config.ports.dynamodb);
  dynamo.ready.catch(() => undefined);
  // Last resort if this process exits without stop(): never leave a JVM behind.
  const killJava = () => dynamo.process.kill('SIGKILL');
  process.once('exit', killJava);
  stops.push(async () => {
    process.off('exit', killJava);
    await dynamo.stop();
  });

  try {
    const kms: KmsHandle = await startKms(paths.kms, config.ports.kms);
    stops.push(kms.close);
    const env = handlerEnvironment(config, kms.kms.keyIds());
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
    Object.assign(process.env, env);

    const eventBus = new LocalEventBus(paths.siemEvents, [AUDIT_EVENT_BUS]);
    const queues: QueueHandle = await startQueues({ config, invoke: invokeLogged, eventBus });
    stops.push(queues.close);
    const clock = stackClock(paths.clock);
    const s3: S3Handle = await startS3({
      now: () => clock.now().getTime(),
      directory: paths.s3,
      trashDirectory: paths.s3Trash,
      lockFile: paths.s3Locks,
      port: config.ports.s3,
      archiveRetentionMonths: Number(env[ENV.retentionMinMonths]),
      onInboxObject: (event) => queues.service.enqueue(QUEUES.inboxEvents.name, event),
    });
    stops.push(s3.close);
    const issuer: IssuerHandle = await startIssuer(paths.issuer, config.ports.issuer);
    stops.push(issuer.close);

    await dynamo.ready;
    const dynamoReadyMs = Math.round(performance.now() - started);
    const tableActions = await ensureTables(dynamo.client);

    const s3Client = new S3Client({
      endpoint: s3.endpoint,
      region: REGION,
      credentials: CREDENTIALS,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    stops.push(async () => s3Client.destroy());
    const post = async (url: string, target: string, contentType: string, body: unknown) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'x-amz-target': target, 'content-type': contentType },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(2000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await response.arrayBuffer();
    };

    const endpoints = Object.fromEntries(
      (['gateway', 'dynamodb', 's3', 'kms', 'sqs', 'issuer'] as Component[]).map((c) => [
        c,
        urlOf(config, c),
      ]),
    ) as Record<Component, string>;

    const info: StackInfo = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      baseUrl: endpoints.gateway,
      dataDir: config.dataDir,
      endpoints,
      issuer: { url: issuer.url, jwksUrl: issuer.jwksUrl, audience: AUDIENCE },
      tables: Object.fromEntries(TABLES.map((t) => [t.id, tableName(t.id)])),
      buckets: Object.fromEntries(BUCKETS.map((b) => [b, bucketName(b)])),
      queues: Object.fromEntries(Object.entries(QUEUES).map(([k, q]) => [k, queueUrl(config, q.name)])),
      topics: Object.fromEntries(Object.entries(TOPICS).map(([k, t]) => [k, topicArn(t)])),
      kmsKeys: {
        recordings: env[ENV.kmsRecordingsKeyId] ?? '',
        signing: env[ENV.kmsSigningKeyId] ?? '',
        hmac: env[ENV.kmsHmacKeyId] ?? '',
      },
      env,
    };

    /** One request each dependency must answer: /health reports them; consumers wait for all. */
    const probes = {
      dynamodb: async () => {
        await dynamo.client.send(new ListTablesCommand({ Limit: 1 }));
      },
      s3: async () => {
        await s3Client.send(new HeadBucketCommand({ Bucket: bucketName('inbox') }));
      },
      kms: () =>
        post(kms.endpoint, 'TrentService.DescribeKey', 'application/x-amz-json-1.1', {
          KeyId: KMS_KEYS.recordings.alias,
        }),
      sqs: () =>
        post(queues.endpoint, 'AmazonSQS.GetQueueUrl', 'application/x-amz-json-1.0', {
          QueueName: QUEUES.inboxEvents.name,
        }),
      issuer: async () => {
        const response = await fetch(issuer.jwksUrl, { signal: AbortSignal.timeout(2000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        await response.arrayBuffer();
      },
    };

    // Jobs run at the stack clock's time: `now` in the event only once the clock has been moved.
    const runJob = (job: string) =>
      invokeLogged(
        functionForJob(job),
        clock.offsetMs() > 0 ? { job, now: clock.now().toISOString() } : { job },
      );
    let streamPoller: StreamPoller | undefined;
    const portal = await buildLocalPortal(config.dataDir);
    const gateway = await startGateway({
      port: config.ports.gateway,
      issuer,
      invoke: invokeLogged,
      endpoints,
      runJob,
      clock,
      queues: queues.service,
      siemEvents: async (sync) => {
        if (sync) await streamPoller?.pollOnce();
        return eventBus.events();
      },
      stackInfo: () => info,
      logRequests: config.logRequests,
      portal: portalResponder({
        dir: portal.dir,
        apiUrl: endpoints.gateway,
        issuerUrl: issuer.url,
        mediaOrigin: endpoints.s3,
      }),
      probes,
    });
    stops.push(gateway.close);

    // Queue consumers last: a message kept from the previous run must find every dependency answering
    // (after a restart they used to deliver before DynamoDB Local did, burning receive counts).
    await consumersWhenReady(probes, queues.service);
    // The log tables' streams → auditEvents, as the CDK event source mappings do.
    streamPoller = startStreamPoller({
      endpoint: dynamo.endpoint,
      tables: TABLES.filter((t) => t.stream).map((t) => tableName(t.id)),
      checkpointFile: paths.streams,
      failuresFile: paths.streamFailures,
      deliver: async (event) => {
        const outcome = await invokeLogged('auditEvents', event);
        if (!outcome.ok) return { ok: false, reason: outcome.message };
        const failures = (outcome.value as { batchItemFailures?: { itemIdentifier: string }[] } | undefined)
          ?.batchItemFailures;
        return { ok: true, failedSequenceNumbers: (failures ?? []).map((f) => f.itemIdentifier) };
      },
    });
    const poller = streamPoller;
    stops.push(() => poller.stop());

    const scheduler = startScheduler(config.sweepIntervalSeconds, jobsFromEnv(), runJob);
    stops.push(async () => scheduler.stop());

    return {
      info,
      gateway,
      issuer,
      tableActions,
      startupMs: Math.round(performance.now() - started),
      dynamoReadyMs,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
