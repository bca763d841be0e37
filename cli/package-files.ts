/**
 * Reads a disclosure package as `verifyPackage` needs it — every file's SHA-256, plus the manifest and
 * certificate text — from a folder or a zip, streaming each file through the hash (recordings can be
 * large). Entries in sub-folders keep their relative path, so a stray file anywhere counts as extra.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import {
  CERTIFICATE_FILE,
  MANIFEST_FILE,
  type PackageContents,
} from '../functions/domain/disclosure-package.js';

const TEXT_FILES = new Set([MANIFEST_FILE, CERTIFICATE_FILE]);

/** Hashes a stream; keeps the bytes only of the two small JSON files. */
const digest = async (stream: Readable, keep: boolean): Promise<{ sha256: string; text?: string }> => {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    if (keep) chunks.push(chunk as Buffer);
  }
  return { sha256: hash.digest('hex'), ...(keep ? { text: Buffer.concat(chunks).toString('utf8') } : {}) };
};

interface Found {
  readonly name: string;
  readonly sha256: string;
  readonly text?: string;
}

const read = async (name: string, stream: Readable): Promise<Found> => ({
  name,
  ...(await digest(stream, TEXT_FILES.has(path.posix.basename(name)))),
});

/**
 * The package's files by name. A zip of the package's folder holds `folder/manifest.json`…: when every
 * entry sits under the folder holding the manifest, names are read relative to it.
 */
const contents = (found: readonly Found[]): PackageContents => {
  const manifestAt = found.find((f) => path.posix.basename(f.name) === MANIFEST_FILE)?.name ?? MANIFEST_FILE;
  const prefix = manifestAt.slice(0, -MANIFEST_FILE.length);
  const strip = prefix !== '' && found.every((f) => f.name.startsWith(prefix)) ? prefix.length : 0;
  const files = new Map<string, string>();
  let manifest: string | undefined;
  let certificate: string | undefined;
  for (const f of found) {
    const name = f.name.slice(strip);
    if (name === MANIFEST_FILE) manifest = f.text;
    else if (name === CERTIFICATE_FILE) certificate = f.text;
    else files.set(name, f.sha256);
  }
  return { files, manifest, certificate };
};

const walk = async (root: string, dir = ''): Promise<string[]> => {
  const out: string[] = [];
  for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await walk(root, rel)));
    else out.push(rel);
  }
  return out.sort();
};

const fromFolder = async (dir: string): Promise<Found[]> => {
  const found: Found[] = [];
  for (const name of await walk(dir)) found.push(await read(name, createReadStream(path.join(dir, name))));
  return found;
};

const openZip = (file: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (error, zip) =>
      error || !zip ? reject(error ?? new Error('not a zip')) : resolve(zip),
    ),
  );

/** One entry at a time (lazyEntries), each streamed through the hash. */
const fromZip = async (file: string): Promise<Found[]> => {
  const zip = await openZip(file);
  const found: Found[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error(`cannot read ${entry.fileName}`));
        read(entry.fileName, stream).then((f) => {
          found.push(f);
          zip.readEntry();
        }, reject);
      });
    });
    zip.readEntry();
  });
  return found;
};

export const readPackage = async (location: string): Promise<PackageContents> => {
  const info = await stat(location);
  return contents(info.isDirectory() ? await fromFolder(location) : await fromZip(location));
};
