/**
 * The Verify a package page in Debian's Chromium, on a real package: a call uploaded by the telephony
 * platform, found by a subject access request (its own caller number), disclosed and packaged by IG on
 * the local stack; the package's files downloaded from their presigned links as a recipient would. A
 * member of staff chooses the files in the page's file input: "Verified". One byte of the recording
 * changed: the page names that file. Both screens: axe WCAG 2.2 AA zero violations, a screenshot.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launch, screen, signIn, uploadCall } from './portal-support.js';
import { api, closeClients } from './support.js';

// A browser, an upload, a package and its downloads on a busy 2-core machine.
jest.setTimeout(240_000);

let browser: Browser;
const work = mkdtempSync(join(tmpdir(), 'portal-verify-'));
// A caller number of this run only: the request's search finds only the call uploaded here.
const CALLER = `+4477006${String(Date.now() % 1_000_000).padStart(6, '0')}`;
const STARTED = '2026-11-24T15:30:00Z';

/** IG makes the package of a subject access request over the API; its files are saved into `dir`. */
const packageOf = async (recordingId: string, dir: string): Promise<string[]> => {
  const ig = api('ig-officer');
  const opened = await ig.post('/subject-access-requests', {
    requester: { name: 'Portal Verify Caller' },
    identityChecks: [{ check: 'photo-id', detail: 'passport seen' }],
    callerNumbers: [CALLER],
    from: '2026-11-24T15:00:00Z',
    to: '2026-11-24T16:00:00Z',
  });
  const sar = `/subject-access-requests/${opened.json.sarId}`;
  await ig.post(`${sar}/search`);
  const marked = await ig.put(`${sar}/recordings/${recordingId}`, { decision: 'disclose' });
  const packaged = await ig.post(`${sar}/package`);
  if (marked.status !== 200 || packaged.status !== 201) {
    throw new Error(
      `package: mark ${marked.status} ${marked.text}; package ${packaged.status} ${packaged.text}`,
    );
  }
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const file of packaged.json.files as { name: string; url: string }[]) {
    const got = await fetch(file.url);
    if (got.status !== 200) throw new Error(`download ${file.name}: ${got.status}`);
    const path = join(dir, file.name);
    writeFileSync(path, Buffer.from(await got.arrayBuffer()));
    paths.push(path);
  }
  return paths;
};

const verdictOf = async (page: Page, files: string[]) => {
  await page.locator('#package-files').setInputFiles(files);
  const verdict = page.getByTestId('package-verdict');
  await verdict.waitFor();
  return {
    ok: await verdict.getAttribute('data-ok'),
    text: (await verdict.textContent()) ?? '',
    problems: await page.locator('[data-testid="package-problems"] li').allTextContents(),
  };
};

let files: string[] = [];
let recordingId = '';

beforeAll(async () => {
  browser = await launch();
  ({ recordingId } = await uploadCall({ counterparty: CALLER, startedAt: STARTED, agentId: 'agent-verify' }));
  files = await packageOf(recordingId, join(work, 'package'));
});
afterAll(async () => {
  await browser?.close();
  closeClients();
});

describe('staff portal: verify a disclosure package', () => {
  it('verifies a real package chosen from disk, and names the recording when one byte of it changed', async () => {
    // Arrange: a copy of the package with one byte of the recording changed.
    const recording = `${recordingId}.wav`;
    const tamperedDir = join(work, 'tampered');
    mkdirSync(tamperedDir);
    const tampered = files.map((path) => {
      const name = path.slice(path.lastIndexOf('/') + 1);
      const copy = join(tamperedDir, name);
      if (name !== recording) copyFileSync(path, copy);
      else {
        const bytes = readFileSync(path);
        bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0x01;
        writeFileSync(copy, bytes);
      }
      return copy;
    });
    const page = await signIn(browser, 'revenues-listener', '#/verify-package');
    await page.getByRole('heading', { name: 'Verify a disclosure package', level: 1 }).waitFor();
    await page.locator('#package-files').waitFor();
    // Act
    const intact = await verdictOf(page, files);
    await screen(page, 'verify-package-verified');
    const changed = await verdictOf(page, tampered);
    await screen(page, 'verify-package-changed');
    await page.context().close();
    // Assert
    expect(files.map((p) => p.slice(p.lastIndexOf('/') + 1)).sort()).toEqual(
      ['certificate.json', 'cover-sheet.txt', 'manifest.json', recording].sort(),
    );
    expect(intact.ok).toBe('true');
    expect(intact.text).toContain('Verified');
    expect(intact.text).toContain('None was changed, removed or added');
    expect(changed.ok).toBe('false');
    expect(changed.problems).toEqual([`changed: ${recording}`]);
  });
});
