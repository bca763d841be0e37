import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { type IssuerHandle, startIssuer } from '../../../local/issuer.js';
import { isLoopbackRedirect, PORTAL_CLIENT_ID, s256 } from '../../../local/oidc.js';

const freePort = () =>
  new Promise<number>((ok) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => ok(typeof address === 'object' && address ? address.port : 0));
    });
  });

let issuer: IssuerHandle;
let dir: string;
const REDIRECT = 'http://127.0.0.1:4000/';
const VERIFIER = 'a-verifier-that-is-long-enough-for-pkce-0123456789';

/** The persona page's form, posted as the browser does: answers the code from the redirect. */
const authorize = async (persona: string, extra: Record<string, string> = {}) => {
  const form = new URLSearchParams({
    persona,
    response_type: 'code',
    client_id: PORTAL_CLIENT_ID,
    redirect_uri: REDIRECT,
    state: 's1',
    code_challenge: s256(VERIFIER),
    code_challenge_method: 'S256',
    ...extra,
  });
  const response = await fetch(`${issuer.url}/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  return response;
};

const token = (code: string, verifier: string) =>
  fetch(`${issuer.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: PORTAL_CLIENT_ID,
      code_verifier: verifier,
    }),
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crs-oidc-'));
  issuer = await startIssuer(dir, await freePort());
});
afterAll(async () => {
  await issuer.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local issuer: authorization code flow with PKCE', () => {
  it('advertises the code flow with S256 in discovery', async () => {
    const discovery = await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({
      authorization_endpoint: `${issuer.url}/authorize`,
      token_endpoint: `${issuer.url}/token`,
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('lists the staff personas on the authorize page, and refuses a request without PKCE', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: PORTAL_CLIENT_ID,
      redirect_uri: REDIRECT,
    });
    const refused = await fetch(`${issuer.url}/authorize?${q}`);
    q.set('code_challenge', s256(VERIFIER));
    q.set('code_challenge_method', 'S256');
    const page = await fetch(`${issuer.url}/authorize?${q}`);
    const html = await page.text();
    expect(refused.status).toBe(400);
    expect(page.status).toBe(200);
    expect(html).toContain('data-persona="revenues-listener"');
    expect(html).not.toContain('data-persona="telephony"');
  });

  it('exchanges a code for an access token of the persona and an ID token for the portal', async () => {
    // Arrange
    const redirect = await authorize('revenues-listener');
    const location = new URL(redirect.headers.get('location') ?? '');
    // Act
    const response = await token(location.searchParams.get('code') ?? '', VERIFIER);
    const body = (await response.json()) as { access_token: string; id_token: string };
    // Assert
    expect(redirect.status).toBe(302);
    expect(location.searchParams.get('state')).toBe('s1');
    expect(response.status).toBe(200);
    // The access token is the issuer's own for the persona (its claims are local/issuer.ts's mint).
    const access = decodeJwt(body.access_token);
    expect(access.sub).toBe('staff-revenues-listener');
    expect(JSON.stringify(access)).toContain('area:revenues:listener');
    expect(decodeJwt(body.id_token)).toMatchObject({ aud: PORTAL_CLIENT_ID, name: 'Revenues Listener' });
  });

  it('refuses a code with the wrong PKCE verifier, and a code used twice', async () => {
    const code =
      new URL((await authorize('siro')).headers.get('location') ?? '').searchParams.get('code') ?? '';
    const wrong = await token(code, 'another-verifier-entirely-0123456789-abcdefghijk');
    const again = await token(code, VERIFIER);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');
    expect(again.status).toBe(400);
  });

  it('sends codes only to loopback redirect URIs', () => {
    expect(isLoopbackRedirect('http://127.0.0.1:4000/')).toBe(true);
    expect(isLoopbackRedirect('http://localhost:8400/callback')).toBe(true);
    expect(isLoopbackRedirect('https://evil.example/')).toBe(false);
    expect(isLoopbackRedirect('http://127.0.0.1.evil.example/')).toBe(false);
  });
});
