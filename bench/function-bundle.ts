/**
 * A function's bundle as the CDK construct builds it (infra/constructs/recording-function.ts BUNDLING):
 * ESM, minified, node24 target, source map, `@aws-sdk/*` external (the Lambda runtime provides it).
 */
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { BUNDLING, REPO_ROOT } from '../infra/constructs/recording-function.js';

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
    banner: { js: BUNDLING.banner },
    external: [...BUNDLING.externalModules],
    outfile,
    metafile: true,
    logLevel: 'error',
  }) satisfies BuildOptions;

/** Writes the bundle (and its map) to `outfile`; returns esbuild's metafile. */
export const writeBundle = async (entry: string, outfile: string) =>
  (await build({ ...bundleOptions(entry, outfile), write: true })).metafile;
