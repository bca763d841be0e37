/**
 * The IG officer's journeys of the staff portal in Debian's Chromium, signed in through the portal's own
 * OIDC flow: place a hold over a search and over a list and watch its progress to the end, review and
 * lift it; read the access audit log by recording (paged) and by person; the compliance, retention and
 * deletions reports as tables with a chart, and their CSV. Every screen: axe WCAG 2.2 AA, a screenshot.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launch, screen, signIn, uploadCall } from './portal-support.js';
import { api, closeClients } from './support.js';

// A browser, sign-ins, uploads and a hold's fan-out on a busy 2-core machine.
jest.setTimeout(300_000);

let browser: Browser;
const RUN = Date.now().toString(36);
const AGENT = `agent-ig-${RUN}`;
// A day of June 2026, a month no other integration test uploads into: the compliance figures of the day
// must be this file's two calls even when the whole suite shares one stack; varied per run so a
// long-lived dev stack stays exact too.
const DAY = `2026-06-${String(1 + (Date.now() % 28)).padStart(2, '0')}`;
let recordings: string[];

beforeAll(async () => {
  browser = await launch();
  const calls = await Promise.all(
    ['09', '11'].map((h) => uploadCall({ agentId: AGENT, seconds: 2, startedAt: `${DAY}T${h}:00:00Z` })),
  );
  recordings = calls.map((c) => c.recordingId);
  // 26 playbacks of the first: 26 audit entries for it, more than one page of 25.
  for (let i = 0; i < 26; i++) {
    const played = await api('revenues-listener').post(`/recordings/${recordings[0]}/playback`, {
      purpose: 'training',
    });
    if (played.status !== 200) throw new Error(`playback: ${played.status} ${played.text}`);
  }
});
afterAll(async () => {
  await browser?.close();
  closeClients();
});

const nav = async (page: Page, name: string, heading: string | RegExp) => {
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
};

/** The hold page's figures, read every 100 ms until the hold is applied: what the officer saw. */
const watchProgress = async (page: Page): Promise<string[]> => {
  const seen: string[] = [];
  const figures = page.getByTestId('hold-figures');
  await figures.waitFor();
  for (let i = 0; i < 600; i++) {
    const text = ((await figures.textContent()) ?? '').trim();
    if (seen[seen.length - 1] !== text) seen.push(text);
    if (text.endsWith('.')) return seen;
    await page.waitForTimeout(100);
  }
  throw new Error(`hold never applied: ${seen.join(' | ')}`);
};

const downloadText = async (page: Page, button: string): Promise<{ name: string; text: string }> => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
};

describe('staff portal: IG officer', () => {
  it('places a hold over a search and over a list, watches it applied, reviews and lifts it', async () => {
    // Arrange
    const page = await signIn(browser, 'ig-officer');
    // Act: a hold over a search
    await nav(page, 'Holds', 'Legal holds');
    await screen(page, 'holds-list');
    await page.getByRole('link', { name: 'Place a hold' }).click();
    await page.getByRole('heading', { name: 'Place a hold' }).waitFor();
    await page.locator('#caseRef').fill(`CLAIM-${RUN}`);
    await page.locator('#reason').fill('Insurance claim: keep the calls of the agent on that day');
    await page.locator('#scope-query').check();
    await page.locator('#hold-serviceArea').fill('revenues');
    await page.locator('#hold-from').fill(DAY);
    await page.locator('#hold-to').fill(DAY);
    await page.locator('#hold-agent').fill(AGENT);
    await screen(page, 'hold-place-search');
    await page.getByRole('button', { name: 'Place hold' }).click();
    await page.getByRole('heading', { name: `CLAIM-${RUN}` }).waitFor();
    const progress = await watchProgress(page);
    const bar = await page
      .getByTestId('hold-progress')
      .evaluate((p: { value: number; max: number }) => ({ value: p.value, max: p.max }));
    await screen(page, 'hold-applied');
    const heldNow = await Promise.all(
      recordings.map(async (id) => (await api('revenues-listener').get(`/recordings/${id}`)).json.holdCount),
    );
    // Act: review, then lift
    await page.getByRole('button', { name: 'Review' }).click();
    await page.locator('#review-note').fill('Claim still open');
    await screen(page, 'hold-review');
    await page.getByRole('button', { name: 'Record review' }).click();
    await page.getByText('The review has been recorded.').waitFor();
    const reviewed = await page.getByText(/continue \(Claim still open\)/).count();
    await page.getByRole('button', { name: 'Lift' }).click();
    await page.locator('#lift-reason').fill('Claim settled');
    await screen(page, 'hold-lift');
    await page.getByRole('button', { name: 'Lift hold' }).click();
    await page.getByText('The hold has been lifted.', { exact: false }).waitFor();
    await screen(page, 'hold-lifted');
    // Act: a hold over a list, started from a recording's reference; then one naming an unknown recording
    await page.goto(`${new URL(page.url()).origin}/#/holds/new?recordingId=${recordings[1]}`);
    await page.getByRole('heading', { name: 'Place a hold' }).waitFor();
    const listChosen = await page.locator('#scope-list').isChecked();
    const ids = await page.locator('#ids').inputValue();
    await page.locator('#caseRef').fill(`LIST-${RUN}`);
    await page.locator('#reason').fill('Subject access request');
    await page.getByRole('button', { name: 'Place hold' }).click();
    await page.getByRole('heading', { name: `LIST-${RUN}` }).waitFor();
    const listProgress = await watchProgress(page);
    await page.getByRole('link', { name: 'Back to holds' }).click();
    await page.getByTestId('holds').waitFor();
    const listed = await page.getByTestId('holds').textContent();
    await screen(page, 'holds-list-filled');
    await page.getByRole('link', { name: 'Place a hold' }).click();
    await page.locator('#caseRef').fill(`BAD-${RUN}`);
    await page.locator('#reason').fill('A typo in the reference');
    await page.locator('#scope-list').check();
    await page.locator('#ids').fill('no-such-recording');
    await page.getByRole('button', { name: 'Place hold' }).click();
    await page.getByTestId('problem').waitFor();
    const refusal = await page.getByTestId('problem').textContent();
    await screen(page, 'hold-refused');
    await page.context().close();
    // Assert
    expect(progress[progress.length - 1]).toBe('2 matched, 2 held, 0 could not be held.');
    expect(bar).toEqual({ value: 2, max: 2 });
    expect(heldNow).toEqual([1, 1]);
    expect(reviewed).toBe(1);
    expect(listChosen).toBe(true);
    expect(ids).toBe(recordings[1]);
    expect(listProgress[listProgress.length - 1]).toBe('1 matched, 1 held, 0 could not be held.');
    // The list is of active holds: the lifted one has left it.
    expect(listed).toContain(`LIST-${RUN}`);
    expect(listed).not.toContain(`CLAIM-${RUN}`);
    expect(refusal).toContain('no-such-recording');
    expect(refusal).toContain('section 7 (rule s7.hold-names-known-recordings)');
    expect(refusal).not.toMatch(/[{}"]/);
  });

  it('reads the access audit log by recording, page by page, and by person', async () => {
    // Arrange
    const page = await signIn(browser, 'ig-officer');
    // Act
    await nav(page, 'Audit log', 'Access audit log');
    await page.locator('#audit-recording').fill(recordings[0] as string);
    await page.getByRole('button', { name: 'Show entries' }).click();
    await page.getByText('Audit entries, page 1').waitFor();
    const first = await page.locator('[data-testid="audit"] tbody tr').count();
    await screen(page, 'audit-by-recording');
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Audit entries, page 2').waitFor();
    const second = await page.locator('[data-testid="audit"] tbody tr').allTextContents();
    await screen(page, 'audit-page-2');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Audit entries, page 1').waitFor();
    await page.locator('#audit-recording').fill('');
    await page.locator('#audit-actor').fill('staff-revenues-listener');
    await page.locator('#audit-from').fill(new Date().toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Show entries' }).click();
    await page.getByText('Audit entries, page 1').waitFor();
    const who = await page.locator('[data-testid="audit"] tbody tr td:nth-child(2)').allTextContents();
    await screen(page, 'audit-by-person');
    await page.context().close();
    // Assert: 26 playbacks by the listener (and what else touched it): 25 a page, then the rest
    expect(first).toBe(25);
    expect(second.length).toBeGreaterThan(0);
    expect(second.length).toBeLessThan(25);
    for (const row of second) expect(row).toContain(recordings[0]);
    expect(second.join(' ')).toContain('played');
    expect(who.length).toBeGreaterThan(0);
    expect(new Set(who)).toEqual(new Set(['staff-revenues-listener']));
  });

  it('shows the compliance, retention and deletions reports as tables with charts, and their CSV', async () => {
    // Arrange
    const page = await signIn(browser, 'ig-officer');
    // Act: compliance
    await nav(page, 'Reports', 'Reports');
    await screen(page, 'reports');
    await page.getByRole('link', { name: 'Compliance report' }).click();
    await page.locator('#report-area').fill('revenues');
    await page.locator('#report-from').fill(DAY);
    await page.locator('#report-to').fill(DAY);
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.getByTestId('compliance-report').waitFor();
    const byMethod = await page.locator('[data-testid="by-method"] tbody tr').allTextContents();
    const chartHidden = await page.getByTestId('by-method-chart').getAttribute('aria-hidden');
    const bars = await page.locator('[data-testid="by-method-chart"] rect').count();
    await screen(page, 'report-compliance');
    const csv = await downloadText(page, 'Download CSV');
    // Act: retention
    await page.getByRole('link', { name: 'Back to reports' }).click();
    await page.getByRole('link', { name: 'Retention report' }).click();
    await page.getByTestId('retention-report').waitFor();
    const summary = await page.locator('[data-testid="retention-summary"] tbody tr').allTextContents();
    const summaryBars = await page.locator('[data-testid="retention-summary-chart"] rect').count();
    await screen(page, 'report-retention');
    const retentionCsv = await downloadText(page, 'Download CSV');
    // Act: deletions
    await page.getByRole('link', { name: 'Back to reports' }).click();
    await page.getByRole('link', { name: 'Deletions report' }).click();
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.getByTestId('deletions-report').waitFor();
    await screen(page, 'report-deletions');
    const deletionsCsv = await downloadText(page, 'Download CSV');
    await page.context().close();
    // Assert: the two calls of the day were announced; the chart repeats the table, hidden from AT
    expect(byMethod).toContain('Recorded announcement2');
    expect(chartHidden).toBe('true');
    expect(bars).toBe(4);
    expect(csv.name).toBe(`compliance-revenues-${DAY}-${DAY}.csv`);
    expect(csv.text).toMatch(/^section,item,value,detail/);
    expect(csv.text).toContain('customer-notification,announcement,2');
    expect(summary).toHaveLength(3);
    expect(summaryBars).toBe(3);
    expect(retentionCsv.text).toMatch(/^list,recordingId,serviceArea,deleteAfter,holds,guidance\r\n/);
    expect(deletionsCsv.text).toMatch(
      /^recordingId,serviceArea,deleteAfter,rule,deletedAt,deletedBy,reason\r\n/,
    );
  });
});
