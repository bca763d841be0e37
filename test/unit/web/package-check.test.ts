/**
 * The portal's in-browser check of a disclosure package (web/src/package-check.ts, WebCrypto) must reach
 * the verdict `crs verify-package` reaches (cli/package-files.ts + functions/domain/disclosure-package.ts,
 * node:crypto) on the same files: intact, a changed, missing or extra file, an edited manifest, a
 * re-signed manifest and a key that did not sign it — each problem named the same way.
 */
import { createHash, verify } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { command } from '../../../cli/commands/verify-package.js';
import { readPackage } from '../../../cli/package-files.js';
import { buildPackage } from '../../../functions/disclosures/package.js';
import { verifyPackage } from '../../../functions/domain/disclosure-package.js';
import { parsePublicKey } from '../../../functions/domain/release-log-format.js';
import { type ChosenFile, readChosenFiles, verifyPackageInBrowser } from '../../../web/src/package-check.js';
import { memoryPackages } from '../disclosures/fakes.js';
import { localSigner } from '../release/fakes.js';

const signer = localSigner();
const pemOf = (s: ReturnType<typeof localSigner>) =>
  s.keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const work = mkdtempSync(join(tmpdir(), 'crs-web-package-'));
const keyFile = join(work, 'key.pem');
writeFileSync(keyFile, pemOf(signer));

const RECORDINGS = ['rec-a', 'rec-b'].map((id, i) => ({
  recordingId: id,
  serviceArea: i === 0 ? 'revenues' : 'housing',
  startedAt: `2026-10-0${i + 1}T09:00:00.000Z`,
  archiveKey: `recordings/${id}.wav`,
  format: 'wav',
}));

/** A fresh package folder written from the built objects (as verify-package.test.ts builds it). */
const packageDir = async (name: string): Promise<string> => {
  const { store, archive, objects } = memoryPackages();
  for (const r of RECORDINGS) archive.set(r.archiveKey, Buffer.from(`RIFF ${r.recordingId} audio`));
  await buildPackage(store, signer, {
    packageId: 'pkg-1',
    kind: 'external-release',
    prefix: 'packages/pkg-1/',
    disclosure: {
      purpose: 'crime',
      requester: 'req-1',
      recipient: 'Avon and Somerset Police',
      authoriser: 'siro-1',
    },
    recordings: RECORDINGS,
    now: new Date('2026-11-01T10:00:00.000Z'),
  });
  const dir = join(work, name);
  mkdirSync(dir);
  for (const [key, bytes] of objects) writeFileSync(join(dir, key.replace('packages/pkg-1/', '')), bytes);
  return dir;
};

/** The files as a browser gives them: chosen one by one, or a folder (paths under the folder's name). */
const chooseFiles = (dir: string, asFolder: string | undefined): ChosenFile[] =>
  (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => {
      const rel = join(d.parentPath ?? d.path, d.name).slice(dir.length + 1);
      const bytes = readFileSync(join(dir, rel));
      return {
        name: asFolder ? `${asFolder}/${rel}` : rel,
        bytes: async () =>
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      };
    });

const runCli = async (dir: string, key: string) => {
  const errors: string[] = [];
  const spyErr = jest.spyOn(console, 'error').mockImplementation((m: string) => errors.push(m));
  const spyLog = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return { code: await command.run([dir, '--public-key', key]), errors: errors.join('\n') };
  } finally {
    spyErr.mockRestore();
    spyLog.mockRestore();
  }
};

/** Both checks on one folder: the CLI's exit code and output, its verdict, and the browser's. */
const both = async (dir: string, signedBy = signer, asFolder?: string) => {
  const pem = pemOf(signedBy);
  const pemFile = join(work, `key-${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(pemFile, pem);
  const key = parsePublicKey(pem);
  return {
    cli: await runCli(dir, pemFile),
    node: verifyPackage(await readPackage(dir), (m, s) => verify('sha256', m, key, s)),
    web: await verifyPackageInBrowser(await readChosenFiles(chooseFiles(dir, asFolder)), pem),
  };
};

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('in-browser disclosure package check (WebCrypto)', () => {
  it.each([
    ['chosen file by file', undefined],
    ['chosen as a folder', 'pkg-1-folder'],
  ])('passes an untouched package %s, as the CLI does', async (_how, asFolder) => {
    // Arrange
    const dir = await packageDir(`intact-${asFolder ?? 'files'}`);
    // Act
    const { cli, node, web } = await both(dir, signer, asFolder);
    // Assert
    expect(cli.code).toBe(0);
    expect(web).toEqual(node);
    expect(web).toMatchObject({ ok: true, problems: [] });
    expect(web.manifest?.files.map((f) => f.name).sort()).toEqual([
      'cover-sheet.txt',
      'rec-a.wav',
      'rec-b.wav',
    ]);
  });

  it.each<[string, (dir: string) => void, string]>([
    ['a changed recording', (d) => appendFileSync(join(d, 'rec-a.wav'), 'x'), 'changed: rec-a.wav'],
    [
      'a changed cover sheet',
      (d) => appendFileSync(join(d, 'cover-sheet.txt'), 'PS'),
      'changed: cover-sheet.txt',
    ],
    ['a missing recording', (d) => rmSync(join(d, 'rec-b.wav')), 'missing: rec-b.wav'],
    ['an extra file', (d) => writeFileSync(join(d, 'rec-z.wav'), 'RIFF'), 'extra: rec-z.wav'],
    [
      'an extra file in a sub-folder',
      (d) => {
        mkdirSync(join(d, 'more'));
        writeFileSync(join(d, 'more', 'notes.txt'), 'hi');
      },
      'extra: more/notes.txt',
    ],
    [
      'an edited manifest',
      (d) => appendFileSync(join(d, 'manifest.json'), ' '),
      'changed: manifest.json (its SHA-256 is not the one the certificate signs)',
    ],
    [
      'a manifest edited with the certificate made to match',
      (d) => {
        const text = readFileSync(join(d, 'manifest.json'), 'utf8').replace('crime', 'curiosity');
        writeFileSync(join(d, 'manifest.json'), text);
        const cert = JSON.parse(readFileSync(join(d, 'certificate.json'), 'utf8'));
        cert.manifestSha256 = createHash('sha256').update(text).digest('hex');
        writeFileSync(join(d, 'certificate.json'), JSON.stringify(cert));
      },
      'bad signature: certificate.json was not signed by this public key',
    ],
    ['a missing certificate', (d) => rmSync(join(d, 'certificate.json')), 'missing: certificate.json'],
  ])('fails on %s, naming it as the CLI does', async (name, tamper, problem) => {
    // Arrange
    const dir = await packageDir(`tampered-${name.replaceAll(' ', '-')}`);
    tamper(dir);
    // Act
    const { cli, node, web } = await both(dir, signer, 'chosen-folder');
    // Assert
    expect(cli.code).toBe(1);
    expect(cli.errors).toContain(problem);
    expect(web).toEqual(node);
    expect(web.ok).toBe(false);
    expect(web.problems).toContain(problem);
  });

  it('fails a package checked against a key that did not sign it, as the CLI does', async () => {
    // Arrange
    const dir = await packageDir('other-key');
    // Act
    const { cli, node, web } = await both(dir, localSigner());
    // Assert
    expect(cli.code).toBe(1);
    expect(web).toEqual(node);
    expect(web.problems).toEqual(['bad signature: certificate.json was not signed by this public key']);
  });
});
