/**
 * Tamper tests: `crs verify-package` on a real package (built by buildPackage, signed with a P-256 key as
 * KMS signs) passes untouched, as a folder and as a zip, and fails naming the file after each kind of
 * tampering: a changed, missing or extra file, an edited manifest, a certificate from another key.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { command } from '../../../cli/commands/verify-package.js';
import { buildPackage } from '../../../functions/disclosures/package.js';
import { localSigner } from '../release/fakes.js';
import { memoryPackages } from './fakes.js';

const signer = localSigner();
const work = mkdtempSync(join(tmpdir(), 'crs-package-'));
const keyFile = join(work, 'key.pem');
writeFileSync(keyFile, signer.keys.publicKey.export({ format: 'pem', type: 'spki' }));

const RECORDINGS = ['rec-a', 'rec-b'].map((id, i) => ({
  recordingId: id,
  serviceArea: i === 0 ? 'revenues' : 'housing',
  startedAt: `2026-10-0${i + 1}T09:00:00.000Z`,
  archiveKey: `recordings/${id}.wav`,
  format: 'wav',
}));

/** A fresh package folder written from the built objects. */
const packageDir = async (name: string): Promise<string> => {
  const { store, archive, objects } = memoryPackages();
  for (const r of RECORDINGS) archive.set(r.archiveKey, Buffer.from(`RIFF ${r.recordingId} audio`));
  await buildPackage(store, signer, {
    packageId: 'pkg-1',
    kind: 'subject-access',
    prefix: 'packages/pkg-1/',
    disclosure: { purpose: 'subject access', requester: 'Ms A', recipient: 'Ms A', authoriser: 'ig-1' },
    recordings: RECORDINGS,
    now: new Date('2026-11-01T10:00:00.000Z'),
  });
  const dir = join(work, name);
  mkdirSync(dir);
  for (const [key, bytes] of objects) writeFileSync(join(dir, key.replace('packages/pkg-1/', '')), bytes);
  return dir;
};

const verifyCli = async (location: string, key = keyFile) => {
  const out: string[] = [];
  const errors: string[] = [];
  const spyErr = jest.spyOn(console, 'error').mockImplementation((m: string) => errors.push(m));
  const spyLog = jest.spyOn(console, 'log').mockImplementation((m: string) => out.push(m));
  try {
    const code = await command.run([location, '--public-key', key]);
    return { code, out: out.join('\n'), errors: errors.join('\n') };
  } finally {
    spyErr.mockRestore();
    spyLog.mockRestore();
  }
};

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('crs verify-package', () => {
  it('passes an untouched package folder', async () => {
    const result = await verifyCli(await packageDir('intact'));
    expect(result).toMatchObject({ code: 0, errors: '' });
    expect(result.out).toContain('OK: package pkg-1 (subject-access), 3 files');
  });

  it('passes the same package as a zip of its folder', async () => {
    await packageDir('zipped');
    const zip = join(work, 'zipped.zip');
    execFileSync('zip', ['-qr', zip, 'zipped'], { cwd: work });
    expect((await verifyCli(zip)).code).toBe(0);
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
    ['an edited manifest', (d) => appendFileSync(join(d, 'manifest.json'), ' '), 'changed: manifest.json'],
    ['a missing certificate', (d) => rmSync(join(d, 'certificate.json')), 'missing: certificate.json'],
  ])('fails on %s, naming it', async (_case, tamper, problem) => {
    const dir = await packageDir(`tampered-${_case.replaceAll(' ', '-')}`);
    tamper(dir);
    const result = await verifyCli(dir);
    expect(result.code).toBe(1);
    expect(result.errors).toContain(problem);
  });

  it('fails a package checked against a key that did not sign it', async () => {
    // Manifest and certificate agree with each other; the signature is not from the key given.
    const dir = await packageDir('resigned');
    const otherKey = join(work, 'other.pem');
    writeFileSync(otherKey, localSigner().keys.publicKey.export({ format: 'pem', type: 'spki' }));
    const result = await verifyCli(dir, otherKey);
    expect(result.code).toBe(1);
    expect(result.errors).toContain('bad signature: certificate.json');
  });
});
