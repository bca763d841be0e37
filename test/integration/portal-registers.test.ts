/**
 * The registrar's and managers' journeys of the staff portal in Debian's Chromium: service areas with
 * their business cases, the recorded-extensions register, staff notices and who is due one (an agent
 * named on a recorded call is due a first-use notice until one is recorded). Every screen: axe WCAG 2.2
 * AA zero violations, a screenshot.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launch, screen, signIn, uploadCall } from './portal-support.js';
import { closeClients } from './support.js';

// A browser, sign-ins and uploads on a busy 2-core machine.
jest.setTimeout(240_000);

let browser: Browser;
const RUN = Date.now().toString(36);
const TOLD = `agent-told-${RUN}`;
const WAITING = `agent-waiting-${RUN}`;

beforeAll(async () => {
  browser = await launch();
  // Each agent of a recorded call is staff of that area, due a first-use notice (s.4 a).
  await Promise.all([uploadCall({ agentId: TOLD }), uploadCall({ agentId: WAITING })]);
});
afterAll(async () => {
  await browser?.close();
  closeClients();
});

const openRegisters = async (page: Page, link: string, heading: string, shot?: string) => {
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Registers' }).click();
  await page.getByRole('heading', { name: 'Registers', level: 1 }).waitFor();
  if (shot) await screen(page, shot);
  await page.getByRole('link', { name: link }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
};

const firstUseMissing = (page: Page) =>
  page.locator('[data-testid="first-use-missing"] tbody tr td:first-child').allTextContents();

describe('staff portal: registrar and managers', () => {
  it('shows the registrar a business case, an extension, who is due a notice, and records one', async () => {
    // Arrange
    const page = await signIn(browser, 'registrar');
    // Act: service area
    await openRegisters(page, 'Service areas and their business cases', 'Service areas', 'registers');
    await page.locator('#area-id').fill('revenues');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('service-area').waitFor();
    const area = await page.getByTestId('service-area').textContent();
    const levels = await page.locator('[data-testid="access-levels"] tbody tr').count();
    await screen(page, 'register-service-area');
    // Act: extension
    await page.getByRole('link', { name: 'Back to registers' }).click();
    await page.getByRole('link', { name: 'Recorded extensions' }).click();
    await page.locator('#extension-number').fill('2001');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('extension').waitFor();
    const extension = await page.getByTestId('extension').textContent();
    await screen(page, 'register-extension');
    // Act: staff notices
    await page.getByRole('link', { name: 'Back to registers' }).click();
    await page.getByRole('link', { name: 'Staff notices: who is due a reminder' }).click();
    await page.getByTestId('due-list').waitFor();
    const dueBefore = await firstUseMissing(page);
    await screen(page, 'staff-notices-due');
    await page.getByRole('button', { name: `Record notice for ${TOLD}` }).click();
    const prefilled = await page.locator('#notice-staffId').inputValue();
    for (const k of ['purpose', 'uses', 'retention']) await page.locator(`#notice-${k}`).check();
    await page.getByRole('button', { name: 'Record notice', exact: true }).click();
    await page.getByTestId('problem').waitFor();
    const refusal = await page.getByTestId('problem').textContent();
    await screen(page, 'staff-notice-refused');
    await page.locator('#notice-businessCallsOnly').check();
    await page.getByRole('button', { name: 'Record notice', exact: true }).click();
    await page.getByText(`The notice given to ${TOLD} has been recorded.`).waitFor();
    await page.getByTestId('due-list').waitFor();
    const dueAfter = await firstUseMissing(page);
    await screen(page, 'staff-notice-recorded');
    await page.context().close();
    // Assert
    expect(area).toContain('Revenues');
    expect(area).toContain('approved');
    expect(levels).toBeGreaterThan(0);
    expect(extension).toContain('Every call recorded');
    expect(extension).toContain('2901');
    expect(dueBefore).toEqual(expect.arrayContaining([TOLD, WAITING]));
    expect(prefilled).toBe(TOLD);
    expect(refusal).toMatch(/section 4/);
    expect(refusal).not.toMatch(/[{}"]/);
    expect(dueAfter).toContain(WAITING);
    expect(dueAfter).not.toContain(TOLD);
  });

  it("shows a manager their own area's register and due list, and refuses another area in plain words", async () => {
    // Arrange
    const page = await signIn(browser, 'revenues-manager');
    // Act
    await openRegisters(page, 'Service areas and their business cases', 'Service areas');
    await page.getByTestId('service-area').waitFor();
    const own = await page.getByTestId('service-area').textContent();
    await page.locator('#area-id').fill('housing');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('problem').waitFor();
    const refusal = await page.getByTestId('problem').textContent();
    await screen(page, 'register-refused');
    await page.getByRole('link', { name: 'Back to registers' }).click();
    await page.getByRole('link', { name: 'Staff notices: who is due a reminder' }).click();
    await page.getByTestId('due-list').waitFor();
    const due = await firstUseMissing(page);
    await screen(page, 'staff-notices-manager');
    await page.context().close();
    // Assert
    expect(own).toContain('Revenues');
    expect(refusal).toContain('You cannot do this');
    expect(refusal).toContain('housing');
    expect(refusal).toContain('registers.read');
    expect(due).toContain(WAITING);
  });
});
