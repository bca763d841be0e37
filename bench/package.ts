/**
 * Disclosure package benchmark on the local stack (`npm run bench:package`): a package of N recordings
 * (default 200 × 1 MiB) built by functions/disclosures/package.ts in this process — each recording
 * streamed from the archive through SHA-256 into the releases bucket, then cover sheet, manifest and the
 * KMS-signed certificate — against a baseline measured in the same run:
 *
 *   baseline  a raw copy of the same objects: GetObject piped into PutObject, one after another
 *   package   buildPackage(s3PackageStore, kmsSigner)
 *
 * Per round (>= 7, order alternating): throughput ratio package/baseline (target >= 0.8) and the peak
 * RSS growth of this process while the package is built (target < 64 MB: no recording is held whole).
 * Reports min / median / max over the rounds. Smoke size: RECORDINGS=10 SIZE_KB=64 ROUNDS=1.
 * The S3 emulator runs in this process, so its buffers count in the RSS too.
 */
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3PackageStore } from '../functions/adapters/package-store.js';
import { kmsSigner } from '../functions/adapters/signer.js';
import { buildPackage, type PackageRecording } from '../functions/disclosures/package.js';
import { withBenchStack } from './bench-stack.js';

const MB = 1024 * 1024;
const RECORDINGS = Number(process.env.RECORDINGS ?? 200);
const SIZE = Number(process.env.SIZE_KB ?? 1024) * 1024;
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 7));
const TARGET_RATIO = 0.8;
const TARGET_RSS_MB = 64;

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? 0, median: s[Math.floor(s.length / 2)] ?? 0, max: s.at(-1) ?? 0 };
};
const fmt = (x: { min: number; median: number; max: number }, digits = 2) =>
  `min ${x.min.toFixed(digits)}  median ${x.median.toFixed(digits)}  max ${x.max.toFixed(digits)}`;

/** Runs `step` while sampling RSS every 10 ms: elapsed ms and the peak growth over the start (MB). */
const measured = async (step: () => Promise<void>) => {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  try {
    await step();
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - t0;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, rssGrowthMb: (peak - start) / MB };
};

const main = () =>
  withBenchStack('package', 4950, async (stack) => {
    Object.assign(process.env, stack.info.env);
    const archive = stack.info.buckets.archive as string;
    const releases = stack.info.buckets.releases as string;
    const kmsKeyId = stack.info.env.KMS_RECORDINGS_KEY_ID as string;
    const s3 = new S3Client({
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const recordings: PackageRecording[] = [];
    for (let i = 0; i < RECORDINGS; i += 1) {
      const recordingId = `bp-${String(i).padStart(4, '0')}`;
      const body = Buffer.alloc(SIZE, i % 251);
      body.write(`RIFF ${recordingId}`);
      const archiveKey = `recordings/bench/${recordingId}.wav`;
      await s3.send(new PutObjectCommand({ Bucket: archive, Key: archiveKey, Body: body }));
      recordings.push({
        recordingId,
        serviceArea: i % 2 ? 'revenues' : 'housing',
        startedAt: new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString(),
        archiveKey,
        format: 'wav',
      });
    }
    console.log(
      `seeded ${RECORDINGS} recordings of ${SIZE / 1024} KiB (${((RECORDINGS * SIZE) / MB).toFixed(0)} MiB)`,
    );

    const store = s3PackageStore({ archiveBucket: archive, packageBucket: releases, kmsKeyId });
    const signer = kmsSigner(stack.info.env.KMS_SIGNING_KEY_ID);
    const rawCopy = async (round: number) => {
      for (const r of recordings) {
        const got = await s3.send(new GetObjectCommand({ Bucket: archive, Key: r.archiveKey }));
        await s3.send(
          new PutObjectCommand({
            Bucket: releases,
            Key: `raw/${round}/${r.recordingId}.wav`,
            Body: got.Body as Readable,
            ContentLength: got.ContentLength,
          }),
        );
      }
    };
    const pack = async (round: number) => {
      await buildPackage(store, signer, {
        packageId: `bench-${round}`,
        kind: 'subject-access',
        prefix: `packages/${round}/`,
        disclosure: {
          purpose: 'subject access',
          requester: 'bench',
          recipient: 'bench',
          authoriser: 'bench',
        },
        recordings,
        now: new Date(),
      });
    };

    const ratios: number[] = [];
    const packRss: number[] = [];
    const rawRss: number[] = [];
    const rawMbps: number[] = [];
    const packMbps: number[] = [];
    const totalMb = (RECORDINGS * SIZE) / MB;
    for (let round = 0; round < ROUNDS; round += 1) {
      let raw: Awaited<ReturnType<typeof measured>>;
      let built: Awaited<ReturnType<typeof measured>>;
      if (round % 2 === 0) {
        raw = await measured(() => rawCopy(round));
        built = await measured(() => pack(round));
      } else {
        built = await measured(() => pack(round));
        raw = await measured(() => rawCopy(round));
      }
      ratios.push(raw.ms / built.ms);
      packRss.push(built.rssGrowthMb);
      rawRss.push(raw.rssGrowthMb);
      rawMbps.push(totalMb / (raw.ms / 1000));
      packMbps.push(totalMb / (built.ms / 1000));
      console.log(
        `round ${round + 1}: raw ${raw.ms.toFixed(0)} ms, package ${built.ms.toFixed(0)} ms, ratio ${(raw.ms / built.ms).toFixed(2)}, package RSS +${built.rssGrowthMb.toFixed(1)} MB`,
      );
    }
    const ratio = stats(ratios);
    const rss = stats(packRss);
    console.log(`\n${RECORDINGS} recordings × ${SIZE / 1024} KiB, ${ROUNDS} rounds`);
    console.log(`raw copy        MB/s   ${fmt(stats(rawMbps), 1)}   RSS growth MB ${fmt(stats(rawRss), 1)}`);
    console.log(`package build   MB/s   ${fmt(stats(packMbps), 1)}   RSS growth MB ${fmt(rss, 1)}`);
    console.log(`throughput ratio package/raw: ${fmt(ratio)}  (target >= ${TARGET_RATIO} at the median)`);
    console.log(
      `peak RSS growth while building: max ${rss.max.toFixed(1)} MB (target < ${TARGET_RSS_MB} MB)`,
    );
    const met = ratio.median >= TARGET_RATIO && rss.max < TARGET_RSS_MB;
    console.log(met ? 'targets met' : 'targets NOT met');
  });

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
