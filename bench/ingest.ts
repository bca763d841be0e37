/**
 * Ingest benchmark on the local stack (`npm run bench:ingest`): one 200 MB recording (WAV header +
 * silence, streamed — never held in memory) through the ingest worker's use case in this process.
 *
 * Measured in the same run, per round (which of the two goes first alternates round by round):
 *   baseline  a raw server-side CopyObject of the same bytes, uploaded the same way beside the inbox
 *             object, into the archive + one PutItem
 *   worker    archiveUpload(): HEAD, SHA-256, 64 KiB range GET + music-metadata, locked/tagged copy,
 *             conditional catalogue update, inbox delete
 * Figures: throughput ratio worker/baseline (target >= 0.8) and the process's peak RSS growth during the
 * worker step (target < 64 MB: no whole-body buffering). The S3 emulator verifies and stores the SHA-256
 * checksum at upload, as S3 does, so the worker reads it from HeadObject and never reads the whole body
 * (it stream-hashes only when an object has no stored checksum).
 *
 * Uses the stack named by CRS_STACK_FILE, else starts a throwaway one (as the integration tests do).
 * The worker step runs here, not in the stack: the bench holds the recording's lease first, so the
 * stack's own delivery of the inbox event fails until it is dead-lettered (harmlessly), and the bench
 * waits for that before measuring (quietStack).
 */
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CopyObjectCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { syntheticWav } from './ingest-audio.js';
import { exitForTarget, formatSpread, median, spread } from './stats.js';

const MB = 1024 * 1024;
const TARGET_RATIO = 0.8;
const TARGET_RSS_MB = 64;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8); // even: as many rounds with each step first
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 12_500); // 200 000 044 bytes at 8 kHz 16-bit

interface StackInfo {
  baseUrl: string;
  dataDir: string;
  env: Record<string, string>;
  endpoints: Record<string, string>;
  buckets: Record<string, string>;
  tables: Record<string, string>;
}

const startStack = async (): Promise<{ info: StackInfo; stop: () => Promise<void> }> => {
  const { readFileSync } = await import('node:fs');
  let stop = async (): Promise<void> => undefined;
  if (!process.env.CRS_STACK_FILE) {
    const setup = (await import('../test/integration/global-setup.js')).default;
    const teardown = (await import('../test/integration/global-teardown.js')).default;
    await setup();
    stop = async () => teardown();
  }
  const info = JSON.parse(readFileSync(process.env.CRS_STACK_FILE as string, 'utf8')) as StackInfo;
  return { info, stop };
};

const token = async (baseUrl: string): Promise<string> => {
  const r = await fetch(`${baseUrl}/_local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ persona: 'telephony' }),
  });
  return ((await r.json()) as { token: string }).token;
};

const streamPut = (url: string, headers: Record<string, string>, body: NodeJS.ReadableStream) =>
  new Promise<number>((resolve, reject) => {
    const req = request(new URL(url), { method: 'PUT', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    body.pipe(req);
  });

/**
 * Untimed, before each measured step: write back what the previous step left in the page cache, so
 * neither step pays for the other's 200 MB (a DynamoDB Local commit's fsync would otherwise wait for it).
 */
const flushDisk = () => spawnSync('sync');

/**
 * Untimed, before each measured step: the S3 emulator unlinks a deleted object's file a second after the
 * DELETE (local/s3-reclaim.ts); wait until it has, so the worker's inbox delete is never reclaimed inside
 * the next step (the baseline's, when the worker went first).
 */
const reclaimed = async (dataDir: string) => {
  const { readdirSync } = await import('node:fs');
  const trash = join(dataDir, 's3-trash');
  const pending = () => {
    try {
      return readdirSync(trash).length;
    } catch {
      return 0; // an older stack without the trash
    }
  };
  for (let waited = 0; pending() > 0 && waited < 30_000; waited += 50) await sleep(50);
};

const gc = () => (globalThis as { gc?: () => void }).gc?.();

const main = async () => {
  const { info, stop } = await startStack();
  try {
    Object.assign(process.env, info.env, { LOG_LEVEL: 'silent' });
    const { archiveUpload } = await import('../functions/ingest/archive-upload.js');
    const { awsIngestDeps } = await import('../functions/ingest/deps.js');
    const { acquireLease } = await import('../functions/adapters/catalogue-store.js');
    const deps = awsIngestDeps();
    const { config } = deps;
    const bearer = await token(info.baseUrl);
    const s3 = new S3Client({
      endpoint: info.endpoints.s3,
      region: 'eu-west-2',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const ddb = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: info.endpoints.dynamodb,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
    );

    /**
     * Untimed, after each upload: the stack's own worker receives the inbox event too and, while the bench
     * holds the lease, fails and retries it about every second until it is dead-lettered (5 receives).
     * Each retry (a catalogue read, a lease attempt, two S3 reads) would fall at random inside a measured
     * step — the longer step more often: wait until the stack's queues are idle before measuring.
     */
    const quietStack = async () => {
      const r = await fetch(`${info.baseUrl}/_local/queues?waitForIdle=60000`);
      const { idle } = (await r.json()) as { idle?: boolean };
      if (!idle) console.warn("the stack's queues did not go idle within 60 s: measuring anyway");
    };

    const ingestOne = async (seconds: number, round: string) => {
      const audio = syntheticWav(seconds);
      const start = Date.parse('2026-10-10T09:00:00Z');
      const reply = await fetch(`${info.baseUrl}/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          callId: `bench-${Date.now()}-${round}`,
          serviceArea: 'revenues',
          extension: '2001',
          direction: 'inbound',
          startedAt: new Date(start).toISOString(),
          endedAt: new Date(start + audio.durationSeconds * 1000).toISOString(),
          agentId: 'bench-agent',
          counterparty: 'withheld',
          notification: { method: 'announcement' },
          abuseReminder: false,
          verificationReminder: false,
          pci: { pausedSegments: [], cardDataCaptured: false },
          audio: { format: 'wav', sizeBytes: audio.sizeBytes, sha256: audio.sha256 },
        }),
      });
      const registered = (await reply.json()) as {
        recordingId: string;
        upload: { url: string; headers: Record<string, string> };
      };
      if (reply.status !== 201) throw new Error(`registration failed: ${JSON.stringify(registered)}`);
      const attemptId = `bench-${round}`;
      if (!(await acquireLease(registered.recordingId, attemptId, new Date(), 30 * 60_000))) {
        throw new Error('could not take the lease');
      }
      const status = await streamPut(registered.upload.url, registered.upload.headers, audio.stream());
      if (status !== 200) throw new Error(`upload failed: HTTP ${status}`);
      // The baseline's source: the same bytes, uploaded the same way (SHA-256 verified and stored) beside
      // the inbox object, so either step can go first (the worker deletes the inbox object).
      const baselineSource = `bench-source/${registered.recordingId}`;
      await s3.send(
        new PutObjectCommand({
          Bucket: config.inboxBucket,
          Key: baselineSource,
          Body: audio.stream(),
          ContentLength: audio.sizeBytes,
          ChecksumSHA256: Buffer.from(audio.sha256, 'hex').toString('base64'),
        }),
      );
      await quietStack();
      return { audio, recordingId: registered.recordingId, attemptId, baselineSource };
    };

    // Each port call of the worker step (same adapters, only timed) as start–end in ms from the step's
    // start: ports overlap in time, so the timeline shows the critical path where a sum of times would not.
    const phases: [name: string, from: number, to: number][] = [];
    let t0 = 0;
    const timed =
      <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        const t = performance.now();
        try {
          return await f(...a);
        } finally {
          phases.push([name, t - t0, performance.now() - t0]);
        }
      };
    const timeline = () =>
      phases.map(([n, from, to]) => `${n} ${from.toFixed(0)}–${to.toFixed(0)}`).join(', ');
    const timeAll = <T extends object>(group: T): T =>
      Object.fromEntries(
        Object.entries(group).map(([name, f]) => [
          name,
          typeof f === 'function' ? timed(name, f as (...a: unknown[]) => Promise<unknown>) : f,
        ]),
      ) as T;
    const timedDeps = {
      ...deps,
      catalogue: timeAll({ ...deps.catalogue }),
      objects: timeAll({ ...deps.objects }),
    };

    const baseline = async (source: string, recordingId: string): Promise<number> => {
      const b0 = performance.now();
      phases.length = 0;
      t0 = b0;
      await s3.send(
        new CopyObjectCommand({
          CopySource: `${config.inboxBucket}/${source}`,
          Bucket: config.archiveBucket,
          Key: `bench-baseline/${recordingId}`,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: config.kmsKeyId,
        }),
      );
      phases.push(['copy', 0, performance.now() - b0]);
      const p0 = performance.now();
      await ddb.send(
        new PutCommand({
          TableName: info.tables.catalogue,
          Item: {
            recordingId: `bench-baseline-${recordingId}`,
            status: 'BENCH',
            statusAt: new Date().toISOString(),
          },
        }),
      );
      phases.push(['put', p0 - b0, performance.now() - b0]);
      return (performance.now() - b0) / 1000;
    };

    // Warm-up, not measured: module load, SDK clients and sockets of both steps.
    const warm = await ingestOne(10, 'warm');
    await baseline(warm.baselineSource, warm.recordingId);
    await archiveUpload(deps, {
      bucket: config.inboxBucket,
      key: `incoming/${warm.recordingId}`,
      attemptId: warm.attemptId,
    });

    const rows: { baselineS: number; workerS: number; rssMb: number; workerFirst: boolean }[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const { audio, recordingId, attemptId, baselineSource } = await ingestOne(
        DURATION_SECONDS,
        String(round),
      );
      const key = `incoming/${recordingId}`;

      // Worker, with RSS sampled every 5 ms.
      const worker = async () => {
        gc();
        const rss0 = process.memoryUsage.rss();
        let peak = rss0;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage.rss());
        }, 5);
        phases.length = 0;
        const w0 = performance.now();
        t0 = w0;
        const outcome = await archiveUpload(timedDeps, { bucket: config.inboxBucket, key, attemptId });
        const workerS = (performance.now() - w0) / 1000;
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage.rss());
        if (outcome.outcome !== 'archived') throw new Error(`round ${round}: ${JSON.stringify(outcome)}`);
        return { workerS, rssMb: (peak - rss0) / MB };
      };
      const measureBaseline = async () => {
        await reclaimed(info.dataDir);
        flushDisk();
        const baselineS = await baseline(baselineSource, recordingId);
        return { baselineS, baselinePhases: timeline() };
      };
      const measureWorker = async () => {
        await reclaimed(info.dataDir);
        flushDisk();
        const w = await worker();
        return { ...w, workerPhases: timeline() };
      };
      // Alternate which step goes first, so a cost of going first or second (caches, write-back) falls on
      // both alike and shows in the per-order medians below.
      const workerFirst = round % 2 === 0;
      const { baselineS, baselinePhases, workerS, rssMb, workerPhases } = workerFirst
        ? { ...(await measureWorker()), ...(await measureBaseline()) }
        : { ...(await measureBaseline()), ...(await measureWorker()) };
      await s3.send(new DeleteObjectCommand({ Bucket: config.inboxBucket, Key: baselineSource }));
      rows.push({ baselineS, workerS, rssMb, workerFirst });
      const mb = audio.sizeBytes / MB;
      console.log(
        `round ${round} (${workerFirst ? 'worker' : 'baseline'} first): ${mb.toFixed(1)} MiB  ` +
          `baseline ${baselineS.toFixed(2)} s (${(mb / baselineS).toFixed(0)} MiB/s)  ` +
          `worker ${workerS.toFixed(2)} s (${(mb / workerS).toFixed(0)} MiB/s)  ratio ${(baselineS / workerS).toFixed(2)}  ` +
          `peak RSS growth ${rssMb.toFixed(1)} MiB\n` +
          `         baseline (ms): ${baselinePhases}\n` +
          `         worker ports (ms): ${workerPhases}`,
      );
    }
    const ratios = spread(rows.map((r) => r.baselineS / r.workerS));
    const byOrder = (workerFirst: boolean) =>
      median(rows.filter((r) => r.workerFirst === workerFirst).map((r) => r.baselineS / r.workerS));
    const rss = Math.max(...rows.map((r) => r.rssMb));
    console.log(
      `\ningest benchmark, ${ROUNDS} rounds of ${(rows.length ? syntheticWav(DURATION_SECONDS).sizeBytes / MB : 0).toFixed(1)} MiB: ` +
        `throughput ratio worker/baseline ${formatSpread(ratios)} (target every round >= ${TARGET_RATIO}) ` +
        `${ratios.min >= TARGET_RATIO ? 'MET' : 'NOT MET'}; peak RSS growth ${rss.toFixed(1)} MiB (target < ${TARGET_RSS_MB}) ` +
        `${rss < TARGET_RSS_MB ? 'MET' : 'NOT MET'}\n` +
        `median ratio by order: baseline first ${byOrder(false).toFixed(2)}, worker first ${byOrder(true).toFixed(2)}`,
    );
    s3.destroy();
    ddb.destroy();
    exitForTarget(ratios.min >= TARGET_RATIO && rss < TARGET_RSS_MB);
  } finally {
    await stop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
