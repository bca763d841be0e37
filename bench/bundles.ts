/**
 * Bundle size of every function, built with the esbuild options the CDK construct uses
 * (infra/constructs/recording-function.ts BUNDLING): CommonJS, minified, node24 target, `@aws-sdk/*` external
 * (the Lambda runtime provides it). Prints each bundle's size against the 250 KB target, as a ratio to
 * the target, with the largest inputs of any bundle over it. Exits 1 when a bundle is over.
 *
 *   npm run bench:bundles
 */
import { build, type Metafile } from 'esbuild';
import { FUNCTIONS } from '../declarations/functions.js';
import { BUNDLE_FILE, bundleOptions } from './function-bundle.js';
import { exitForTarget } from './stats.js';

const TARGET_KB = 250;
const KB = 1024;

const bundle = async (entry: string) => {
  const result = await build({ ...bundleOptions(entry, BUNDLE_FILE), write: false });
  const code = result.outputFiles.find((f) => f.path.endsWith(BUNDLE_FILE));
  if (!code) throw new Error(`no output for ${entry}`);
  return { bytes: code.contents.byteLength, metafile: result.metafile };
};

/** The inputs that contribute most to a bundle, grouped by package (or by file for our own code). */
const largestInputs = (metafile: Metafile, count: number): string[] => {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  const byOrigin = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input;
    byOrigin.set(pkg, (byOrigin.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...byOrigin.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([origin, bytes]) => `      ${(bytes / KB).toFixed(1).padStart(7)} KB  ${origin}`);
};

const main = async () => {
  console.log(`Function bundles (minified CommonJS, @aws-sdk/* external), target ≤ ${TARGET_KB} KB\n`);
  console.log(`${'function'.padEnd(18)}${'size'.padStart(11)}${'of target'.padStart(11)}  result`);
  let over = 0;
  for (const fn of FUNCTIONS) {
    const { bytes, metafile } = await bundle(fn.entry);
    const kb = bytes / KB;
    const pass = kb <= TARGET_KB;
    if (!pass) over += 1;
    console.log(
      `${fn.id.padEnd(18)}${`${kb.toFixed(1)} KB`.padStart(11)}${`${((kb / TARGET_KB) * 100).toFixed(0)} %`.padStart(11)}  ${pass ? 'pass' : 'FAIL'}`,
    );
    if (!pass) console.log(largestInputs(metafile, 6).join('\n'));
  }
  console.log(over === 0 ? '\nAll bundles within target.' : `\n${over} bundle(s) over ${TARGET_KB} KB.`);
  exitForTarget(over === 0);
};

await main();
