/**
 * Hold fan-out throughput on the local stack, as a ratio to a baseline measured in the same run.
 *
 *   fan-out   POST /holds with a query scope over N recordings (default 10,000) → resolve pages →
 *             apply pages through the SQS stand-in and the legal-hold worker (per recording: link +
 *             holdCount in one transaction, S3 legal hold ON, tag retention=hold), polled on
 *             GET /holds/{id} until matched = applied.
 *   baseline  inline holds of 25 recording ids each (the same per-recording work, within the request).
 *   release   DELETE /holds/{id}: every link removed, legal hold OFF, tag retention=standard.
 *
 * Reports recordings per second of each and fan-out / baseline. Run: `npm run bench:holds`
 * (RECORDINGS=10000, BENCH_PORT=4900). It starts its own stack on a throwaway data directory.
 */
import {
  api,
  archiveKeyOf,
  catalogueEntry,
  type LocalStackInfo,
  objectLockState,
  type SeedRecording,
  seedRecordings,
  waitFor,
} from '../test/integration/holds-support.js';
import { withBenchStack } from './bench-stack.js';

const RECORDINGS = Number(process.env.RECORDINGS ?? 10_000);
const BASELINE_HOLDS = 8;
const INLINE = 25;

interface HoldReply {
  holdId: string;
  state: string;
  status: string;
  progress: { matched: number; applied: number; failed: number; released: number };
}

const seconds = (ms: number) => Math.round(ms) / 1000;

const main = () =>
  withBenchStack('holds', 4900, async (stack) => {
    const info = stack.info as unknown as LocalStackInfo;
    const area = 'bench-holds';
    const start = Date.UTC(2026, 0, 1);
    const recordings: SeedRecording[] = Array.from(
      { length: RECORDINGS + BASELINE_HOLDS * INLINE },
      (_, i) => ({
        recordingId: `bh-${String(i).padStart(6, '0')}`,
        // Baseline recordings sit in another area so the query hold does not cover them.
        serviceArea: i < RECORDINGS ? area : 'bench-baseline',
        startedAt: new Date(start + i * 60_000).toISOString(),
      }),
    );
    const seeded = performance.now();
    await seedRecordings(info, recordings);
    console.log(
      `seeded ${recordings.length} archived recordings in ${seconds(performance.now() - seeded)} s`,
    );

    // Baseline: inline id holds, the same per-recording work done within the request.
    const baselineIds = recordings.slice(RECORDINGS).map((r) => r.recordingId);
    const b0 = performance.now();
    for (let i = 0; i < BASELINE_HOLDS; i += 1) {
      const reply = await api<HoldReply>(info, 'ig-officer', 'POST', '/holds', {
        caseRef: `BENCH-BASE-${i}`,
        reason: 'benchmark baseline',
        reviewDate: '2027-06-30',
        scope: { recordingIds: baselineIds.slice(i * INLINE, (i + 1) * INLINE) },
      });
      if (reply.json.state !== 'complete')
        throw new Error(`baseline hold not applied inline: ${JSON.stringify(reply.json)}`);
    }
    const baselineMs = performance.now() - b0;
    const baselineRate = (BASELINE_HOLDS * INLINE) / (baselineMs / 1000);

    // Fan-out: one query hold over RECORDINGS recordings, progress polled like a user would.
    const f0 = performance.now();
    const placed = await api<HoldReply>(info, 'ig-officer', 'POST', '/holds', {
      caseRef: 'BENCH-QUERY',
      reason: 'benchmark: query hold',
      reviewDate: '2027-06-30',
      scope: { query: { serviceArea: area, from: '2026-01-01T00:00:00Z', to: '2026-12-31T23:59:59Z' } },
    });
    console.log(
      `POST /holds → ${placed.status} (${placed.json.state}) in ${seconds(performance.now() - f0)} s`,
    );
    let lastPrinted = 0;
    const done = await waitFor(
      async () => (await api<HoldReply>(info, 'ig-officer', 'GET', `/holds/${placed.json.holdId}`)).json,
      (h) => {
        if (performance.now() - lastPrinted > 2000) {
          lastPrinted = performance.now();
          console.log(
            `  ${seconds(performance.now() - f0)} s  progress: ${JSON.stringify(h.progress)} ${h.state}`,
          );
        }
        return h.state === 'complete';
      },
      900_000,
    );
    const fanoutMs = performance.now() - f0;
    if (done.state !== 'complete') throw new Error(`hold did not complete: ${JSON.stringify(done)}`);
    const fanoutRate = done.progress.applied / (fanoutMs / 1000);
    console.log(
      `fan-out: ${done.progress.applied} recordings held in ${seconds(fanoutMs)} s = ${Math.round(fanoutRate)} recordings/s (baseline inline ${Math.round(baselineRate)} recordings/s)`,
    );

    // Spot checks: catalogue count and S3 legal hold on a sample.
    for (const r of [
      recordings[0],
      recordings[RECORDINGS >> 1],
      recordings[RECORDINGS - 1],
    ] as SeedRecording[]) {
      const entry = await catalogueEntry(info, r.recordingId);
      const lock = await objectLockState(info, archiveKeyOf(r));
      if (entry?.holdCount !== 1 || lock.legalHold !== 'ON' || lock.retention !== 'hold') {
        throw new Error(
          `${r.recordingId} not held: ${JSON.stringify({ holdCount: entry?.holdCount, lock })}`,
        );
      }
    }

    // Release: lift, then wait until every link is gone.
    const r0 = performance.now();
    await api(info, 'ig-officer', 'DELETE', `/holds/${placed.json.holdId}`, { reason: 'benchmark done' });
    const last = recordings[RECORDINGS - 1] as SeedRecording;
    await waitFor(
      async () => (await catalogueEntry(info, last.recordingId))?.holdCount as number,
      (count) => count === 0,
      900_000,
    );
    const idle = await fetch(`${info.baseUrl}/_local/queues?waitForIdle=600000`);
    await idle.arrayBuffer();
    const releaseMs = performance.now() - r0;
    const lifted = (await api<HoldReply>(info, 'ig-officer', 'GET', `/holds/${placed.json.holdId}`)).json;
    const releaseRate = lifted.progress.released / (releaseMs / 1000);

    const summary = {
      recordings: RECORDINGS,
      fanout: {
        seconds: seconds(fanoutMs),
        recordingsPerSecond: Math.round(fanoutRate),
        progress: done.progress,
      },
      baselineInline: { recordings: BASELINE_HOLDS * INLINE, recordingsPerSecond: Math.round(baselineRate) },
      ratioFanoutToBaseline: Math.round((fanoutRate / baselineRate) * 100) / 100,
      release: {
        seconds: seconds(releaseMs),
        recordingsPerSecond: Math.round(releaseRate),
        released: lifted.progress.released,
      },
    };
    console.log(JSON.stringify(summary, null, 2));
  });

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
