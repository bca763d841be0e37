/**
 * A function's bundle as the CDK construct builds it (infra/constructs/recording-function.ts BUNDLING):
 * CommonJS, minified, node24 target, source map, `@aws-sdk/*` external (the Lambda runtime provides it).
 * Written as `index.cjs` here (the repository's package.json says `"type": "module"`); the CDK asset's
 * `index.js` has no package.json above it, so Lambda loads the same code as CommonJS.
 */
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { BUNDLING, REPO_ROOT } from '../infra/constructs/recording-function.js';

/** The bundle's file name in a bench's work directory. */
export const BUNDLE_FILE = 'index.cjs';

export const bundleOptions = (entry: string, outfile: string) =>
  ({
    entryPoints: [path.join(REPO_ROOT, entry)],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: BUNDLING.format,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    keepNames: BUNDLING.keepNames,
    sourcemap: 'external',
    sourcesContent: BUNDLING.sourcesContent,
    mainFields: [...BUNDLING.mainFields],
    external: [...BUNDLING.externalModules],
    outfile,
    metafile: true,
    logLevel: 'error',
  }) satisfies BuildOptions;

/** Writes the bundle (and its map) to `outfile`; returns esbuild's metafile. `changes`: a bench's variant. */
export const writeBundle = async (entry: string, outfile: string, changes: Partial<BuildOptions> = {}) =>
  (await build({ ...bundleOptions(entry, outfile), ...changes, write: true })).metafile;
