/**
 * Builds the staff portal into a folder of static files: index.html, config.json is added by whoever
 * serves it (the local gateway, or the CDK deployment), assets/app.js (esbuild: TypeScript + JSX for
 * Preact, minified), assets/app.css (GOV.UK Frontend's stylesheet + ours) and GOV.UK Frontend's images.
 *
 * GOV.UK Frontend's precompiled stylesheet loads the GDS Transport font, which only GOV.UK services may
 * use; a council uses Arial, so its @font-face rules are dropped and the font stack starts at Arial.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const GOVUK = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');

export const withoutGdsTransport = (css: string): string =>
  css
    .replace(/@font-face\{[^}]*\}/g, '')
    .replace(/"?GDS Transport"?,\s*arial,\s*sans-serif/gi, 'arial,sans-serif');

export interface BuiltPortal {
  readonly dir: string;
  readonly files: readonly string[];
}

export const buildPortal = async (outDir: string): Promise<BuiltPortal> => {
  const dir = resolve(outDir);
  const assets = join(dir, 'assets');
  mkdirSync(assets, { recursive: true });
  await build({
    entryPoints: [join(HERE, 'src', 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outfile: join(assets, 'app.js'),
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const govukCss = withoutGdsTransport(readFileSync(join(GOVUK, 'govuk-frontend.min.css'), 'utf8'));
  const ours = readFileSync(join(HERE, 'src', 'portal.css'), 'utf8');
  writeFileSync(join(assets, 'app.css'), `${govukCss}\n${ours}`);
  cpSync(join(GOVUK, 'assets', 'images'), join(assets, 'images'), { recursive: true });
  copyFileSync(join(HERE, 'index.html'), join(dir, 'index.html'));
  return { dir, files: ['index.html', 'assets/app.js', 'assets/app.css'] };
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? join(HERE, 'dist');
  buildPortal(out).then(
    (b) => console.log(`portal built in ${b.dir}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
