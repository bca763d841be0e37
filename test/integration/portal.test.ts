/**
 * The staff portal's journeys, in Debian's Chromium against the local stack, each person signing in
 * through the portal's own OIDC flow (code + PKCE against the local issuer). Every screen is checked
 * with axe-core (WCAG 2.2 AA: zero violations) and photographed into test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launch, screen, signIn, storedEntries, tabTo, uploadCall } from './portal-support.js';
import { baseUrl, closeClients } from './support.js';

// A browser, a sign-in and a few uploads per journey on a busy 2-core machine.
jest.setTimeout(180_000);

let browser: Browser;
const AGENT = `agent-portal-${Date.now().toString(36)}`;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  closeClients();
});

describe('staff portal', () => {
  it('serves the portal with a strict Content-Security-Policy and no inline script', async () => {
    // Act
    const response = await fetch(`${baseUrl()}/`);
    const html = await response.text();
    // Assert
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('signs in through OIDC, shows the accessibility statement, and signs out leaving no token', async () => {
    // Arrange
    const page = await signIn(browser, 'revenues-listener');
    await screen(page, 'home-listener');
    // Act
    await page.getByRole('link', { name: 'Accessibility statement' }).click();
    await page.getByRole('heading', { name: /Accessibility statement/ }).waitFor();
    await screen(page, 'accessibility-statement');
    const stored = (await page.evaluate(
      '({ local: localStorage.length, session: sessionStorage.length })',
    )) as {
      local: number;
      session: number;
    };
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
    // Assert
    expect(stored.local).toBe(0);
    expect(stored.session).toBeGreaterThan(0);
    expect(await storedEntries(page)).toEqual({ local: 0, session: 0 });
    await screen(page, 'signed-out');
    await page.context().close();
  });

  it('lets a listener find and play a recording by keyboard alone, and never offers a download', async () => {
    // Arrange
    const call = await uploadCall({ seconds: 3, agentId: AGENT });
    const page = await signIn(browser, 'revenues-listener');
    // Act: keyboard only from here
    await tabTo(page, 'a[href="#/recordings"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Find a recording' }).waitFor();
    await tabTo(page, '#agent');
    await page.keyboard.type(AGENT);
    await page.keyboard.press('Enter');
    await page.getByTestId('recordings').waitFor();
    await screen(page, 'recordings-search');
    await tabTo(page, `a[href="#/recordings/${call.recordingId}"]`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Call on/ }).waitFor();
    await screen(page, 'recording-listener');
    const offeredDownload = await page.getByRole('button', { name: /Download/ }).count();
    await tabTo(page, 'button.govuk-button:not(.govuk-button--secondary)');
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: 'Why are you listening to this recording?' }).waitFor();
    await screen(page, 'play-purpose');
    await tabTo(page, 'input[name="purpose"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    const player = page.getByTestId('player');
    await player.waitFor();
    // Loaded from the presigned link: metadata read, so the duration is the uploaded file's.
    const metadata = () =>
      player.evaluate((a: { readyState: number; duration: number }) =>
        a.readyState >= 1 ? a.duration : NaN,
      );
    let duration = await metadata();
    for (let i = 0; i < 100 && !Number.isFinite(duration); i++) {
      await page.waitForTimeout(200);
      duration = await metadata();
    }
    await screen(page, 'playing');
    // Assert
    expect(duration).toBeCloseTo(call.seconds, 1);
    expect(offeredDownload).toBe(0);
    // Chromium's own player menu offers "Download" unless told not to.
    const controls = await player.evaluate((a: { controlsList: { value: string } }) => a.controlsList.value);
    expect(controls.split(' ')).toContain('nodownload');
    expect(await page.locator('a[download], [href*="download"]').count()).toBe(0);
    await page.context().close();
  });
});
