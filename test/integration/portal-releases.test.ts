/**
 * The portal's release journeys (policy s.6) in Debian's Chromium against the local stack, each person
 * signing in through the portal's own OIDC flow: a member of staff requests a release, follows it,
 * downloads the issued copy and marks it used; approvers decide from their queue (never their own
 * requests); the Release of Recording Log keeper reads, exports and verifies the log in the browser,
 * and the check names the first bad entry of an edited export. Every screen: axe WCAG 2.2 AA, no
 * violations, and a screenshot in test-results/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launch, screen, signIn, uploadCall } from './portal-support.js';
import { api, closeClients, runJob } from './support.js';

// A browser, several sign-ins, uploads and a copy per journey on a busy 2-core machine.
jest.setTimeout(420_000);

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  closeClients();
});

const JUSTIFICATION = 'Complaint C-2231: the caller disputes what the housing officer agreed';

/** Fills the request form for a release to another service area of the council. */
const requestToArea = async (page: Page, recordingId: string, serviceArea: string) => {
  await nav(page, 'Releases');
  await page.getByRole('heading', { name: 'Your release requests' }).waitFor();
  await page.getByRole('link', { name: 'Request a release', exact: true }).click();
  await page.getByRole('heading', { name: 'Request a release of a recording' }).waitFor();
  await page.getByLabel('Recording', { exact: true }).fill(recordingId);
  await page.getByLabel('Another service area of the council').check();
  await page.getByLabel('Service area', { exact: true }).fill(serviceArea);
  await page.getByLabel(/Verify what was said in a dispute/).check();
  await page.getByLabel('Justification').fill(JUSTIFICATION);
};

/** A screen from the service navigation (the home page lists the same links). */
const nav = (page: Page, text: string) =>
  page.locator('#navigation').getByRole('link', { name: text, exact: true }).click();

const releaseIdOf = (page: Page): string => {
  const id = /#\/releases\/([^?]+)/.exec(page.url())?.[1];
  if (!id) throw new Error(`not on a release page: ${page.url()}`);
  return decodeURIComponent(id);
};

describe('staff portal: releases', () => {
  it('lets a member of staff request a release, follow it, download the issued copy and mark it used', async () => {
    // Arrange: a 2 s revenues call; a housing officer needs it for a complaint.
    const call = await uploadCall({ serviceArea: 'revenues', seconds: 2 });
    const requester = await signIn(browser, 'housing-listener');
    await nav(requester, 'Releases');
    await requester.getByRole('heading', { name: 'Your release requests' }).waitFor();
    await screen(requester, 'releases-mine');
    // Act: request
    await requestToArea(requester, call.recordingId, 'housing');
    await screen(requester, 'release-request');
    await requester.getByRole('button', { name: 'Send the request' }).click();
    await requester.getByText('Your request has been sent').waitFor();
    const id = releaseIdOf(requester);
    await screen(requester, 'release-requested');
    const stateAfterRequest = (await requester.getByTestId('release-state').textContent()) ?? '';
    // Act: the revenues manager approves it from their queue
    const approver = await signIn(browser, 'revenues-manager');
    await nav(approver, 'Approvals');
    await approver.getByTestId('approvals').waitFor();
    await screen(approver, 'approvals-queue');
    await approver.locator(`a[href="#/approvals/${id}"]`).click();
    await approver.getByRole('button', { name: 'Approve and issue a copy' }).waitFor();
    await screen(approver, 'approval-decide');
    await approver.getByRole('button', { name: 'Approve and issue a copy' }).click();
    await approver.getByText('You approved the release').waitFor();
    await screen(approver, 'approval-approved');
    const stateAfterApproval = (await approver.getByTestId('release-state').textContent()) ?? '';
    // Act: the requester follows it, downloads the copy, marks it used
    await nav(requester, 'Releases');
    await requester.getByTestId('my-releases').waitFor();
    await screen(requester, 'releases-mine-issued');
    const listed = (await requester.getByTestId('my-releases').textContent()) ?? '';
    await requester.locator(`a[href="#/releases/${id}"]`).click();
    await requester.getByRole('button', { name: 'Get the download link' }).click();
    const file = requester.getByTestId('release-file');
    await file.waitFor();
    await screen(requester, 'release-issued-link');
    const url = (await file.getAttribute('href')) ?? '';
    const copy = Buffer.from(await (await fetch(url)).arrayBuffer());
    await requester.getByRole('button', { name: 'I have used it: delete the copy' }).click();
    await requester.getByRole('button', { name: 'Yes, delete the copy' }).waitFor();
    await screen(requester, 'release-complete-confirm');
    await requester.getByRole('button', { name: 'Yes, delete the copy' }).click();
    await requester.getByText('The released copy has been deleted').waitFor();
    await screen(requester, 'release-completed');
    const stateAfterUse = (await requester.getByTestId('release-state').textContent()) ?? '';
    const afterDeletion = await fetch(url);
    await afterDeletion.arrayBuffer();
    // Assert
    expect(stateAfterRequest).toMatch(/awaiting a decision/i);
    expect(stateAfterApproval).toMatch(/approved: copy issued/i);
    expect(listed).toContain(call.recordingId);
    expect(listed).toMatch(/approved: copy issued/i);
    expect(copy.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(copy.length).toBe(44 + 2 * 8000 * call.seconds);
    expect(stateAfterUse).toMatch(/used: copy deleted/i);
    expect(afterDeletion.ok).toBe(false);
    await requester.context().close();
    await approver.context().close();
  });

  it('sends a police request with its Schedule 2 form; approvers see only what they may decide, never their own', async () => {
    // Arrange: IG advice for a revenues call; the revenues manager asks for a housing call themselves.
    const police = await uploadCall({ serviceArea: 'revenues', seconds: 1 });
    const housingCall = await uploadCall({ serviceArea: 'housing', extension: '3001', seconds: 1 });
    const advice = await api('ig-officer').post('/ig-advice', {
      recordings: { kind: 'ids', recordingIds: [police.recordingId] },
      purposes: ['staff-protection'],
      uses: ['external-release'],
      agency: 'Avon and Somerset Police',
      advice: 'Disclose under Schedule 2 paragraph 2: necessary and proportionate for the investigation.',
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    expect(advice.status).toBe(201);
    // Act: a revenues officer fills in the police request
    const officer = await signIn(browser, 'revenues-listener');
    await nav(officer, 'Releases');
    await officer.getByRole('link', { name: 'Request a release', exact: true }).click();
    await officer.getByLabel('Recording', { exact: true }).fill(police.recordingId);
    await officer.getByLabel('An external agency, such as the police').check();
    await officer.getByLabel('Agency', { exact: true }).fill('Avon and Somerset Police');
    await officer.getByLabel('Corporate IG advice reference', { exact: true }).fill(advice.json.adviceId);
    await officer.getByLabel("Name of the agency's authorising officer").fill('J. Smith');
    await officer.getByLabel('Rank or role of the authorising officer').fill('Inspector');
    await officer.getByLabel('Legal basis the agency relies on').selectOption('sch2-part1-para2');
    await officer.getByLabel('Crime, incident or agency reference').fill('CRIME-2026-0042');
    await officer
      .getByLabel('Why the agency needs the recording')
      .fill('The call records a threat to an officer.');
    await officer
      .getByLabel("How the agency's purpose would be prejudiced without it")
      .fill('Without it the offender may not be identified.');
    await officer.getByLabel('No, telling them could prejudice the purpose').check();
    await officer.getByLabel('How the copy will be delivered').selectOption('secure-link');
    await officer.getByLabel(/Protect staff from abusive behaviour/).check();
    await officer.getByLabel('Justification').fill('Threat made to a revenues officer on this call');
    await screen(officer, 'release-request-police');
    await officer.getByRole('button', { name: 'Send the request' }).click();
    await officer.getByText('Your request has been sent').waitFor();
    const policeId = releaseIdOf(officer);
    await screen(officer, 'release-requested-police');
    // Act: the revenues manager asks for a housing call for revenues, then looks at their queue
    const manager = await signIn(browser, 'revenues-manager');
    await requestToArea(manager, housingCall.recordingId, 'revenues');
    await manager.getByRole('button', { name: 'Send the request' }).click();
    await manager.getByText('Your request has been sent').waitFor();
    const ownId = releaseIdOf(manager);
    await nav(manager, 'Approvals');
    await manager.locator('[data-testid="approvals"], [data-testid="queue-empty"]').first().waitFor();
    const managerQueue = await manager.locator('main').innerHTML();
    // Act: the manager opens the police request directly: the API refuses, and the page says why
    await manager.goto(`${manager.url().split('#')[0]}#/approvals/${policeId}`);
    await manager.getByTestId('problem').waitFor();
    await screen(manager, 'approval-refused');
    const refusal = (await manager.getByTestId('problem').textContent()) ?? '';
    // Act: the SIRO sees both, rejects the manager's with a reason and approves the police request
    const siro = await signIn(browser, 'siro');
    await nav(siro, 'Approvals');
    await siro.getByTestId('approvals').waitFor();
    const siroQueue = await siro.locator('main').innerHTML();
    await siro.locator(`a[href="#/approvals/${ownId}"]`).click();
    await siro.getByRole('button', { name: 'Reject', exact: true }).click();
    await siro
      .getByLabel('Why are you rejecting this request?')
      .fill('Not proportionate: use the written record');
    await screen(siro, 'approval-reject-reason');
    await siro.getByRole('button', { name: 'Reject the request' }).click();
    await siro.getByText('You rejected the request').waitFor();
    const rejected = (await siro.getByTestId('release-state').textContent()) ?? '';
    await siro.getByRole('link', { name: 'Back to requests to decide' }).click();
    await siro.locator(`a[href="#/approvals/${policeId}"]`).click();
    await siro.getByRole('heading', { name: 'Schedule 2 request (DPA 2018)' }).waitFor();
    await screen(siro, 'approval-decide-police');
    const schedule2 = (await siro.locator('main').textContent()) ?? '';
    await siro.getByRole('button', { name: 'Approve and issue a copy' }).click();
    await siro.getByText('You approved the release').waitFor();
    const approved = (await siro.getByTestId('release-state').textContent()) ?? '';
    // Assert
    expect(managerQueue).not.toContain(ownId);
    expect(managerQueue).not.toContain(policeId);
    expect(refusal).toContain('Call Recording Policy, section 6 (rule s6.release-visibility)');
    expect(refusal).toMatch(/You cannot do this/);
    expect(refusal).not.toMatch(/[{}]/);
    expect(siroQueue).toContain(ownId);
    expect(siroQueue).toContain(policeId);
    expect(rejected).toMatch(/rejected/i);
    expect(schedule2).toContain('Inspector J. Smith');
    expect(schedule2).toContain('CRIME-2026-0042');
    expect(schedule2).toContain(advice.json.adviceId);
    expect(approved).toMatch(/approved: copy issued/i);
    for (const p of [officer, manager, siro]) await p.context().close();
  });

  it('lets the log keeper read, export and verify the Release of Recording Log, and flags an edited export', async () => {
    // Arrange: at least one release in the log, and its head signed and anchored.
    const call = await uploadCall({ serviceArea: 'revenues', seconds: 1 });
    const requested = await api('housing-listener').post('/releases', {
      recordingId: call.recordingId,
      destination: { kind: 'service-area', serviceArea: 'housing' },
      purpose: 'training',
      justification: 'Coaching for the housing team',
    });
    expect(requested.status).toBe(201);
    expect((await runJob('release-log-checkpoint')).status).toBe(200);
    const keeper = await signIn(browser, 'release-log-keeper');
    // Act: the log as a table, verified in the browser
    await nav(keeper, 'Release log');
    await keeper.getByTestId('release-log').waitFor();
    await keeper.getByRole('button', { name: 'Verify the log' }).click();
    await keeper.getByTestId('verdict').waitFor();
    await screen(keeper, 'release-log-verified');
    const live = await keeper.getByTestId('verdict').getAttribute('data-ok');
    const table = (await keeper.getByTestId('release-log').textContent()) ?? '';
    // Act: export, then check the file back, untouched and edited
    const [download] = await Promise.all([
      keeper.waitForEvent('download'),
      keeper.getByRole('button', { name: 'Export the log (JSON)' }).click(),
    ]);
    const text = readFileSync(await download.path(), 'utf8');
    const exported = JSON.parse(text) as {
      format: string;
      entries: { seq: number; payload: { purpose: string } }[];
      checkpoints: unknown[];
    };
    await keeper.locator('#export-file').setInputFiles({
      name: 'export.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await keeper.getByText('The export file export.json verifies.').waitFor();
    const victim = exported.entries.find((e) => e.seq === 2) ?? exported.entries[0];
    if (!victim) throw new Error('the log is empty');
    victim.payload.purpose = 'quality-monitoring (edited)';
    await keeper.locator('#export-file').setInputFiles({
      name: 'edited.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exported)),
    });
    await keeper.getByTestId('first-bad').waitFor();
    await screen(keeper, 'release-log-tampered');
    const firstBad = (await keeper.getByTestId('first-bad').textContent()) ?? '';
    const verifiedTo = (await keeper.getByTestId('verified-to').textContent()) ?? '';
    const flagged =
      (await keeper
        .getByTestId('release-log')
        .locator('tr', { hasText: 'first entry that does not verify' })
        .textContent()) ?? '';
    // Assert
    expect(live).toBe('true');
    expect(table).toContain(requested.json.releaseId);
    expect(exported.format).toBe('crs-release-log/1');
    expect(exported.checkpoints.length).toBeGreaterThan(0);
    expect(firstBad).toBe(`The first entry that does not verify is seq ${victim.seq}.`);
    expect(verifiedTo).toContain(`The hash chain holds from seq 1 to seq ${victim.seq - 1}`);
    expect(flagged).toContain('quality-monitoring (edited)');
    await keeper.context().close();
  });
});
