/**
 * The listener / nominated journey of the staff portal in Debian's Chromium: search with every filter
 * and page through the results; nominated staff download (a file arrives) and delete, the policy's
 * refusals shown in plain words ("held by Information Governance", "kept for 12 months") with the
 * clause; a listener is offered neither. Every screen: axe WCAG 2.2 AA zero violations, a screenshot.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launch, screen, signIn, uploadCall } from './portal-support.js';
import { api, closeClients } from './support.js';

// A browser, sign-ins and a dozen uploads on a busy 2-core machine.
jest.setTimeout(300_000);

let browser: Browser;
const AGENT = `agent-nom-${Date.now().toString(36)}`;
/**
 * This file's own caller (Ofcom's drama range 01632 960xxx, never 123 or 199 which other tests use): the
 * caller index is read a page at a time and then filtered, so a number shared with every other test's
 * calls can fill the first page with other agents' calls when the whole suite runs on one stack.
 */
const CALLER = `+441632960${String(200 + (Date.now() % 700)).padStart(3, '0')}`;
let calls: { recordingId: string; seconds: number }[];
let held: string;
let early: string;
let onDemand: string;

/** Places a hold over one recording as IG (through the API: the IG journey drives the screen). */
const holdOver = async (recordingId: string): Promise<void> => {
  const reply = await api('ig-officer').post('/holds', {
    caseRef: `NOM-${AGENT}`,
    reason: 'complaint under investigation',
    reviewDate: '2027-03-01',
    scope: { recordingIds: [recordingId] },
  });
  if (reply.status !== 201 && reply.status !== 202) throw new Error(`hold: ${reply.status} ${reply.text}`);
  for (let i = 0; i < 100; i++) {
    const hold = await api('ig-officer').get(`/holds/${reply.json.holdId}`);
    if (hold.json?.state === 'complete') return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('hold not applied');
};

beforeAll(async () => {
  browser = await launch();
  // Eleven calls on 20 November (one on extension 2002), one a week earlier: eleven for paging by ten.
  calls = await Promise.all(
    Array.from({ length: 11 }, (_, i) =>
      uploadCall({
        agentId: AGENT,
        counterparty: CALLER,
        seconds: 2,
        extension: i === 0 ? '2002' : '2001',
        startedAt: `2026-11-20T1${i % 10}:${String(i).padStart(2, '0')}:00Z`,
      }),
    ),
  );
  const old = await uploadCall({
    agentId: AGENT,
    counterparty: CALLER,
    seconds: 2,
    startedAt: '2026-11-13T09:00:00Z',
  });
  onDemand = (calls[0] as { recordingId: string }).recordingId;
  held = (calls[1] as { recordingId: string }).recordingId;
  early = old.recordingId;
  await holdOver(held);
});
afterAll(async () => {
  await browser?.close();
  closeClients();
});

const fill = async (page: Page, fields: Record<string, string>) => {
  for (const [id, value] of Object.entries(fields)) await page.locator(`#${id}`).fill(value);
};

const searchRows = async (page: Page): Promise<number> => {
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/recordings?')),
    page.getByRole('button', { name: 'Search' }).click(),
  ]);
  await page.locator('[data-testid="recordings"], [data-testid="no-results"]').first().waitFor();
  return page.locator('[data-testid="recordings"] tbody tr').count();
};

const openRecording = async (page: Page, recordingId: string) => {
  await page.goto(`${new URL(page.url()).origin}/#/recordings/${encodeURIComponent(recordingId)}`);
  await page.getByRole('heading', { name: /Call on/ }).waitFor();
};

describe('staff portal: listener and nominated staff', () => {
  it('searches by date range, extension, agent, caller and status, and pages through the results', async () => {
    // Arrange
    const page = await signIn(browser, 'revenues-nominated', '#/recordings');
    await page.getByRole('heading', { name: 'Find a recording' }).waitFor();
    // Act
    await fill(page, { agent: AGENT });
    const all = await searchRows(page);
    const firstPage = await page.locator('[data-testid="recordings"] caption').textContent();
    await screen(page, 'recordings-page-1');
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Recordings, page 2').waitFor();
    const second = await page.locator('[data-testid="recordings"] tbody tr').count();
    await screen(page, 'recordings-page-2');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Recordings, page 1').waitFor();
    const back = await page.locator('[data-testid="recordings"] tbody tr').count();
    await fill(page, { from: '2026-11-19', to: '2026-11-21' });
    await page.locator('#status').selectOption('ARCHIVED');
    const inRange = await searchRows(page);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Recordings, page 2').waitFor();
    const inRangeSecond = await page.locator('[data-testid="recordings"] tbody tr').count();
    const earlyListed = await page.locator(`a[href="#/recordings/${early}"]`).count();
    await fill(page, { from: '', to: '', extension: '2002' });
    const onExtension = await searchRows(page);
    const onExtensionId = await page.locator(`a[href="#/recordings/${onDemand}"]`).count();
    await fill(page, { extension: '', caller: '+441632960199' });
    const otherCaller = await searchRows(page);
    await screen(page, 'recordings-no-results');
    await fill(page, { caller: CALLER });
    const caller = await searchRows(page);
    const callerAgents = await page
      .locator('[data-testid="recordings"] tbody tr td:nth-child(3)')
      .allTextContents();
    await page.context().close();
    // Assert: twelve calls, ten a page; the range leaves out the week-earlier call
    expect(all).toBe(10);
    expect(firstPage).toContain('page 1');
    expect(second).toBe(2);
    expect(back).toBe(10);
    expect(inRange).toBe(10);
    expect(inRangeSecond).toBe(1);
    expect(earlyListed).toBe(0);
    expect(onExtension).toBe(1);
    expect(onExtensionId).toBe(1);
    expect(otherCaller).toBe(0);
    // Every call from this file's caller is this agent's: the first page is full.
    expect(caller).toBe(10);
    expect(new Set(callerAgents)).toEqual(new Set([AGENT]));
  });

  it('lets nominated staff download a recording, and shows in plain words why a held or recent one cannot be deleted', async () => {
    // Arrange
    const page = await signIn(browser, 'revenues-nominated');
    const unheld = calls[2] as { recordingId: string };
    // Act: download
    await openRecording(page, unheld.recordingId);
    await screen(page, 'recording-nominated');
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    await page.getByRole('group', { name: 'Why are you downloading this recording?' }).waitFor();
    await screen(page, 'download-purpose');
    await page.locator('#purpose-dispute-verification').check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download recording' }).click(),
    ]);
    const file = await download.path();
    const bytes = readFileSync(file).length;
    const name = download.suggestedFilename();
    await page.getByText('Your download has started').waitFor();
    await screen(page, 'download-started');
    // Act: delete the held one
    await openRecording(page, held);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await screen(page, 'delete-reason');
    await page.locator('#delete-reason').fill('duplicate of another recording');
    await page.getByRole('button', { name: 'Delete recording' }).click();
    await page.getByTestId('problem').waitFor();
    const heldRefusal = await page.getByTestId('problem').textContent();
    await screen(page, 'delete-refused-held');
    // Act: delete a recording of this month (not held)
    await openRecording(page, unheld.recordingId);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.locator('#delete-reason').fill('duplicate of another recording');
    await page.getByRole('button', { name: 'Delete recording' }).click();
    await page.getByTestId('problem').waitFor();
    const recentRefusal = await page.getByTestId('problem').textContent();
    await screen(page, 'delete-refused-12-months');
    const still = await api('revenues-nominated').get(`/recordings/${held}`);
    await page.context().close();
    // Assert: the WAV (44-byte header + 2 s of 8 kHz 16-bit mono) arrived as a file
    expect(bytes).toBe(44 + 2 * 8000 * 2);
    expect(name).toMatch(/\.wav$/);
    expect(heldRefusal).toContain('held by Information Governance, so it cannot be deleted');
    expect(heldRefusal).toContain('Call Recording Policy, section 7 (rule s7.no-deletion-under-hold)');
    expect(heldRefusal).not.toMatch(/[{}"]/);
    expect(recentRefusal).toContain('Recordings are kept for 12 months from the call');
    expect(recentRefusal).toContain('section 7 (rule s7.retain-12-months)');
    expect(still.json.status).toBe('ARCHIVED');
  });

  it('offers a listener neither download nor delete', async () => {
    // Arrange
    const page = await signIn(browser, 'revenues-listener');
    // Act
    await openRecording(page, held);
    await screen(page, 'recording-listener-held');
    const buttons = await page.locator('button.govuk-button').allTextContents();
    const heldTag = await page.getByText('held by IG (1)').count();
    await page.context().close();
    // Assert
    expect(buttons.map((b) => b.trim())).toContain('Play');
    expect(buttons.some((b) => /Download|Delete/.test(b))).toBe(false);
    expect(heldTag).toBe(1);
  });
});
