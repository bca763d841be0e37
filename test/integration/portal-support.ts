/**
 * The staff portal in a real browser: Debian's Chromium driven by playwright-core (no browser download
 * is possible here), one browser per test file, a fresh context (and sign-in) per persona. Each screen
 * is checked with axe-core against WCAG 2.2 A/AA and photographed into test-results/screenshots/.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';
import { api, baseUrl, type PersonaId, waitForQueues } from './support.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join('test-results', 'screenshots');
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const launch = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
};

/** Signs in through the portal's own OIDC flow: Sign in → the issuer's persona page → back, signed in. */
export const signIn = async (browser: Browser, persona: PersonaId, hash = '#/'): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${baseUrl()}/${hash}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator(`button[data-persona="${persona}"]`).click();
  await page.getByTestId('signed-in-as').waitFor();
  return page;
};

/** axe-core with the WCAG 2.2 AA tags: the violations, each as "rule: target…" for a readable failure. */
export const violations = async (page: Page): Promise<string[]> => {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
};

/** Every screen: zero axe violations, and a screenshot. */
export const screen = async (page: Page, name: string): Promise<void> => {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  expect(await violations(page)).toEqual([]);
};

/** What the tests read inside the page (the project's TypeScript has no DOM library). */
export interface BrowserGlobals {
  readonly document: { activeElement: { matches(selector: string): boolean } | null };
  readonly localStorage: { length: number };
  readonly sessionStorage: { length: number };
}

/** Storage entries the page holds: tokens must be in sessionStorage only, and gone after sign-out. */
export const storedEntries = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as BrowserGlobals;
    return { local: g.localStorage.length, session: g.sessionStorage.length };
  });

/** Presses Tab until the focused element matches `selector` (keyboard-only journeys). */
export const tabTo = async (page: Page, selector: string, max = 60): Promise<void> => {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(
      (s) => (globalThis as unknown as BrowserGlobals).document.activeElement?.matches(s) ?? false,
      selector,
    );
    if (focused) return;
  }
  throw new Error(`Tab never reached ${selector}`);
};

/** A WAV of a 440 Hz tone, 8 kHz 16-bit mono: real audio a browser decodes, of a known duration. */
export const toneWav = (seconds: number, sampleRate = 8000): Buffer => {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
};

let calls = 0;
const RUN = Date.now().toString(36);

/** Registers and uploads a call as the telephony platform and waits until it is archived. */
export const uploadCall = async (
  overrides: {
    serviceArea?: string;
    extension?: string;
    seconds?: number;
    startedAt?: string;
    agentId?: string;
    counterparty?: string;
  } = {},
): Promise<{ recordingId: string; seconds: number; callId: string }> => {
  const seconds = overrides.seconds ?? 3;
  const audio = toneWav(seconds);
  const started = new Date(overrides.startedAt ?? '2026-11-20T10:00:00Z');
  const callId = `portal-${RUN}-${++calls}`;
  const reply = await api('telephony').post('/uploads', {
    callId,
    serviceArea: overrides.serviceArea ?? 'revenues',
    extension: overrides.extension ?? '2001',
    direction: 'inbound',
    startedAt: started.toISOString(),
    endedAt: new Date(started.getTime() + seconds * 1000).toISOString(),
    agentId: overrides.agentId ?? 'agent-7',
    counterparty: overrides.counterparty ?? '+441632960123',
    notification: { method: 'announcement' },
    abuseReminder: false,
    verificationReminder: true,
    pci: { pausedSegments: [], cardDataCaptured: false },
    audio: {
      format: 'wav',
      sizeBytes: audio.length,
      sha256: createHash('sha256').update(audio).digest('hex'),
    },
  });
  if (reply.status !== 201) throw new Error(`upload ${callId}: ${reply.status} ${reply.text}`);
  const put = await fetch(reply.json.upload.url, {
    method: 'PUT',
    headers: reply.json.upload.headers,
    body: audio,
  });
  await put.arrayBuffer();
  if (put.status !== 200) throw new Error(`upload PUT ${callId}: ${put.status}`);
  await waitForQueues();
  for (let i = 0; i < 50; i++) {
    const status = await api('telephony').get(`/uploads/${callId}`);
    if (status.json?.status === 'ARCHIVED') return { recordingId: reply.json.recordingId, seconds, callId };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${callId} was not archived`);
};
