/**
 * The whole local stack in this process for a benchmark: a throwaway data directory, no demo seed, no
 * scheduled sweeps, request logs and function logs off; stopped and removed when `run` ends, however it
 * ends. BENCH_PORT overrides the gateway port (the other components take the ports after it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retentionDates } from '../functions/domain/retention.js';
import { configFromEnv } from '../local/config.js';
import { type RunningStack, startStack } from '../local/stack.js';

export const withBenchStack = async <T>(
  name: string,
  defaultPort: number,
  run: (stack: RunningStack) => Promise<T>,
): Promise<T> => {
  const dataDir = mkdtempSync(join(tmpdir(), `crs-bench-${name}-`));
  const stack = await startStack(
    configFromEnv({
      PORT: String(Number(process.env.BENCH_PORT ?? defaultPort)),
      LOCAL_DATA_DIR: dataDir,
      LOCAL_SEED: 'false',
      SWEEP_INTERVAL_SECONDS: '0',
      LOCAL_LOG_REQUESTS: 'false',
    }),
  );
  process.env.LOG_LEVEL = 'silent';
  try {
    return await run(stack);
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

/**
 * A catalogue item for an ARCHIVED five-minute call whose audio the bench has put at `archiveKey`: the
 * registration, archive and retention fields follow from `startedAt` as ingest would write them.
 */
export const archivedRecordingItem = (r: {
  readonly recordingId: string;
  readonly callId: string;
  readonly extension: string;
  readonly startedAt: string;
  readonly sizeBytes: number;
  readonly archiveKey: string;
  readonly archiveVersionId: string | undefined;
}) => {
  const start = new Date(r.startedAt);
  const after = (ms: number) => new Date(start.getTime() + ms).toISOString();
  const { retainUntil, deleteAfter } = retentionDates(start);
  return {
    recordingId: r.recordingId,
    callId: r.callId,
    serviceArea: 'revenues',
    extension: r.extension,
    direction: 'inbound',
    startedAt: start.toISOString(),
    endedAt: after(300_000),
    durationSeconds: 300,
    agentId: 'agent-1',
    callerWithheld: true,
    notification: { method: 'announcement' },
    abuseReminder: false,
    verificationReminder: false,
    pci: { pausedSegments: [], cardDataCaptured: false },
    audio: { format: 'wav', sizeBytes: r.sizeBytes, sha256: 'a'.repeat(64) },
    status: 'ARCHIVED',
    statusAt: after(360_000),
    registeredAt: after(310_000),
    archiveKey: r.archiveKey,
    archiveVersionId: r.archiveVersionId,
    retainUntil: retainUntil.toISOString(),
    deleteAfter: deleteAfter.toISOString(),
    holdCount: 0,
  };
};
