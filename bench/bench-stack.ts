/**
 * The whole local stack in this process for a benchmark: a throwaway data directory, no demo seed, no
 * scheduled sweeps, request logs and function logs off; stopped and removed when `run` ends, however it
 * ends. BENCH_PORT overrides the gateway port (the other components take the ports after it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
