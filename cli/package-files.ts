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
  type FoundFile,
  isPackageTextFile,
  type PackageContents,
  packageContents,
} from '../functions/domain/package-rules.js';

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

type Found = FoundFile;

const read = async (name: string, stream: Readable): Promise<Found> => ({
  name,
  ...(await digest(stream, isPackageTextFile(name))),
});

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
  return packageContents(info.isDirectory() ? await fromFolder(location) : await fromZip(location));
};
