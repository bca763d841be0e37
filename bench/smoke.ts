/**
 * Every benchmark at a small size, one after another (`npm run bench:smoke`, run by CI after the tests):
 * proves each still completes and prints its ratios. No target is asserted (BENCH_SMOKE=1): a shared
 * machine at these sizes says nothing about them; a bench that crashes fails the run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const SMOKE: Record<string, Record<string, string>> = {
  'bench:bundles': {},
  'bench:cold-start': { ROUNDS: '1' },
  'bench:ingest': { BENCH_ROUNDS: '2', BENCH_SECONDS: '60' },
  'bench:playback': { ROUNDS: '7', RECORDINGS: '5', WARMUP: '2' },
  'bench:holds': { RECORDINGS: '50' },
  'bench:report': { BENCH_RECORDINGS: '1000', BENCH_OTHER_AREAS: '1', BENCH_RUNS: '3' },
  'bench:audit': {},
  'bench:package': { RECORDINGS: '10', SIZE_KB: '64', ROUNDS: '1' },
  'bench:portal': { ROUNDS: '7', RECORDINGS: '8', WARMUP: '1' },
};

// A bench added to package.json without a smoke size would rot unseen: refuse to run without one.
const scripts = Object.keys(
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: object })
    .scripts,
);
const unsized = scripts.filter((s) => s.startsWith('bench:') && s !== 'bench:smoke' && !(s in SMOKE));
if (unsized.length) {
  console.error(`bench smoke: no smoke size for ${unsized.join(', ')} (add it to bench/smoke.ts)`);
  process.exit(1);
}

const failed: string[] = [];
for (const [script, size] of Object.entries(SMOKE)) {
  const started = performance.now();
  console.log(
    `\n=== ${script} ${Object.entries(size)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  const run = spawnSync('npm', ['run', '--silent', script], {
    stdio: 'inherit',
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...size,
      BENCH_SMOKE: '1',
    },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (run.status !== 0) failed.push(`${script} (exit ${run.status ?? run.signal})`);
  console.log(`=== ${script}: ${run.status === 0 ? 'completed' : 'FAILED'} in ${seconds} s`);
}
if (failed.length) {
  console.error(`\nbench smoke failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
