/**
 * The rooms lean one way: declarations/ is pure data at the bottom, functions/ never reaches into the
 * infrastructure, the local stack or the CLI, declarations/ imports none of the rooms above it. Inside
 * functions/: the domain (pure policy) imports only itself and declarations/; the ports (what a capability
 * needs from outside, as interfaces) import only the domain; adapters implement ports and import no
 * capability folder; the platform (clients, env, log, metrics, paging, retry, conditions) serves every
 * store and capability and imports none of them. Only adapters and the platform's clients touch an AWS SDK.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = process.cwd();

const sources = (room: string): string[] =>
  readdirSync(join(ROOT, room), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join(ROOT, room, f));

/** The rooms (top-level folders) a file imports from, by relative specifier. */
const importedRooms = (file: string): Set<string> => {
  const text = readFileSync(file, 'utf8');
  const rooms = new Set<string>();
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
    const target = relative(ROOT, resolve(dirname(file), match[1] as string));
    rooms.add(target.split(/[\\/]/)[0] as string);
  }
  return rooms;
};

/** Every file and folder a file imports, by relative specifier, as paths from the repository root. */
const importedPaths = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)].map((m) =>
    relative(ROOT, resolve(dirname(file), m[1] as string)),
  );

/** The folders under functions/ that are not capabilities: what an adapter may import. */
const notCapabilities = [
  'functions/adapters',
  'functions/domain',
  'functions/ports',
  'functions/platform',
  'declarations',
];

/** Imports from `folder` that land outside the `allowed` folders (and outside node_modules packages). */
const folderOffenders = (folder: string, allowed: readonly string[]): string[] =>
  sources(folder).flatMap((file) =>
    importedPaths(file)
      .filter((t) => !allowed.some((a) => t.replace(/\.(js|tsx?)$/, '') === a || t.startsWith(`${a}/`)))
      .map((t) => `${relative(ROOT, file)} imports ${t}`),
  );

const offenders = (room: string, forbidden: readonly string[]): string[] =>
  sources(room).flatMap((file) =>
    [...importedRooms(file)]
      .filter((r) => forbidden.includes(r))
      .map((r) => `${relative(ROOT, file)} imports ${r}/`),
  );

describe('rooms of the house', () => {
  it('functions/ imports neither infra/, local/ nor cli/', () => {
    expect(offenders('functions', ['infra', 'local', 'cli', 'bench', 'test'])).toEqual([]);
  });

  it('declarations/ imports none of the rooms above it', () => {
    expect(offenders('declarations', ['functions', 'infra', 'local', 'cli', 'web'])).toEqual([]);
  });

  it('no adapter imports a capability folder (ports and formats belong to functions/ports and functions/domain)', () => {
    expect(folderOffenders('functions/adapters', notCapabilities)).toEqual([]);
  });

  it('the ports name only the domain; the domain names nothing but itself and declarations/', () => {
    expect(folderOffenders('functions/ports', ['functions/ports', 'functions/domain'])).toEqual([]);
    expect(folderOffenders('functions/domain', ['functions/domain', 'declarations'])).toEqual([]);
  });

  it('the platform imports no capability, no store and no port (only declarations/ and the domain errors)', () => {
    expect(
      folderOffenders('functions/platform', [
        'functions/platform',
        'declarations',
        'functions/domain/errors',
      ]),
    ).toEqual([]);
  });

  it('no AWS SDK import outside functions/adapters and functions/platform', () => {
    const sdk = sources('functions')
      .filter((f) => !/functions[\\/](adapters|platform)[\\/]/.test(f))
      .filter((f) => /from\s*['"]@aws-sdk\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(sdk).toEqual([]);
  });

  it('sees an import across rooms when there is one (the check itself works)', () => {
    expect(importedRooms(join(ROOT, 'infra/stack.ts')).has('declarations')).toBe(true);
    expect(folderOffenders('functions/release', notCapabilities)).not.toEqual([]);
  });
});
