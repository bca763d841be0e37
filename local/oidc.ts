/**
 * The OpenID Connect authorization code flow with PKCE (RFC 7636) for the local issuer, so the staff
 * portal signs in locally with the same code it runs against Cognito or the council's IdP:
 *
 *   GET  /authorize?response_type=code&client_id&redirect_uri&state&code_challenge&code_challenge_method=S256
 *        → a page listing the demo personas (the stand-in for a password + MFA prompt)
 *   POST /authorize (form: persona + the same parameters) → 302 redirect_uri?code=…&state=…
 *   POST /token (form: grant_type=authorization_code, code, redirect_uri, client_id, code_verifier)
 *        → { access_token, id_token, token_type, expires_in }
 *   GET  /logout?post_logout_redirect_uri=… → 302 there
 *
 * Codes are single-use, live 60 s and are bound to the client, the redirect URI and the S256 challenge.
 * Only loopback redirect URIs are accepted: nothing outside this machine can receive a code.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './http.js';
import { isPersonaId, PERSONA_IDS, PERSONAS, type PersonaId } from './personas.js';

/** The portal's client id, locally and in the Cognito app client. */
export const PORTAL_CLIENT_ID = 'crs-portal';
const CODE_TTL_MS = 60_000;

interface PendingCode {
  readonly persona: PersonaId;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly nonce?: string;
  readonly expiresAt: number;
}

export interface OidcOptions {
  readonly url: string;
  readonly mintAccess: (persona: PersonaId) => Promise<string>;
  readonly mintId: (persona: PersonaId, clientId: string, nonce?: string) => Promise<string>;
  readonly ttlSeconds: number;
}

/** Discovery fields of the code flow, merged into the issuer's `/.well-known/openid-configuration`. */
export const oidcDiscovery = (url: string) => ({
  authorization_endpoint: `${url}/authorize`,
  end_session_endpoint: `${url}/logout`,
  response_types_supported: ['code'],
  grant_types_supported: ['authorization_code'],
  code_challenge_methods_supported: ['S256'],
  scopes_supported: ['openid', 'profile'],
  token_endpoint_auth_methods_supported: ['none'],
});

export const isLoopbackRedirect = (value: string | null | undefined): value is string => {
  if (!value) return false;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && !u.hash;
  } catch {
    return false;
  }
};

export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE = `body{font-family:Arial,sans-serif;margin:0;color:#0b0c0c;background:#fff}
header{background:#0b0c0c;color:#fff;padding:12px 24px;font-weight:700;font-size:1.2rem}
main{max-width:960px;margin:0 auto;padding:24px}
h1{font-size:2rem;margin:0 0 16px}
ul{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:12px}
button{width:100%;text-align:left;padding:12px;font-size:1rem;border:2px solid #0b0c0c;background:#f3f2f1;color:#0b0c0c;cursor:pointer}
button:focus{outline:3px solid #fd0;box-shadow:inset 0 0 0 2px #0b0c0c}
button span{display:block;font-size:.9rem;color:#484949}`;

const personaPage = (hidden: Record<string, string>, nonce: string): string => {
  const fields = Object.entries(hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const buttons = PERSONA_IDS.filter((id) => !PERSONAS[id].scope)
    .map((id) => {
      const p = PERSONAS[id];
      return `<li><button type="submit" name="persona" value="${id}" data-persona="${id}">${escapeHtml(p.name)}<span>${escapeHtml(id)} — ${escapeHtml(p.description)}</span></button></li>`;
    })
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in (local issuer) – Call recordings</title><style nonce="${nonce}">${STYLE}</style></head>
<body><header>Local sign-in (demo personas — never deployed)</header><main>
<h1>Choose who to sign in as</h1>
<p>This page stands in for the council's sign-in (password and multi-factor authentication).</p>
<form method="post" action="/authorize">${fields}<ul>${buttons}</ul></form></main></body></html>`;
};

const sendHtml = (res: ServerResponse, status: number, html: string, nonce: string) => {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self' http://127.0.0.1:* http://localhost:*; frame-ancestors 'none'`,
    'cache-control': 'no-store',
  });
  res.end(html);
};

const redirect = (res: ServerResponse, location: string) => {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
};

/** Handles the code flow's requests; false when the request is not one of them. */
export const oidcHandler = (options: OidcOptions) => {
  const codes = new Map<string, PendingCode>();
  const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
  const oauthError = (res: ServerResponse, error: string, description: string) =>
    sendJson(res, 400, { error, error_description: description }, cors);

  const authorizeParams = (p: URLSearchParams): Record<string, string> | string => {
    if (p.get('response_type') !== 'code') return 'response_type must be code';
    if (!p.get('client_id')) return 'client_id is required';
    if (!isLoopbackRedirect(p.get('redirect_uri')))
      return 'redirect_uri must be an http loopback URL (127.0.0.1 or localhost) without a fragment';
    if (
      p.get('code_challenge_method') !== 'S256' ||
      !/^[A-Za-z0-9_-]{43}$/.test(p.get('code_challenge') ?? '')
    )
      return 'PKCE is required: code_challenge (S256, 43 characters) and code_challenge_method=S256';
    const kept = [
      'response_type',
      'client_id',
      'redirect_uri',
      'state',
      'code_challenge',
      'code_challenge_method',
      'nonce',
      'scope',
    ];
    return Object.fromEntries(kept.flatMap((k) => (p.get(k) === null ? [] : [[k, p.get(k) as string]])));
  };

  const token = async (form: URLSearchParams, res: ServerResponse) => {
    if (form.get('grant_type') !== 'authorization_code')
      return oauthError(res, 'unsupported_grant_type', 'grant_type must be authorization_code');
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code);
    if (!pending || pending.expiresAt < Date.now())
      return oauthError(res, 'invalid_grant', 'the code is unknown, used or expired');
    if (form.get('client_id') !== pending.clientId || form.get('redirect_uri') !== pending.redirectUri)
      return oauthError(
        res,
        'invalid_grant',
        'client_id and redirect_uri must match the authorization request',
      );
    if (s256(form.get('code_verifier') ?? '') !== pending.challenge)
      return oauthError(res, 'invalid_grant', 'code_verifier does not match the code_challenge (PKCE)');
    sendJson(
      res,
      200,
      {
        access_token: await options.mintAccess(pending.persona),
        id_token: await options.mintId(pending.persona, pending.clientId, pending.nonce),
        token_type: 'Bearer',
        expires_in: options.ttlSeconds,
        scope: 'openid profile',
      },
      cors,
    );
  };

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', options.url);
    const path = url.pathname;
    if (req.method === 'OPTIONS' && path === '/token') {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
      });
      res.end();
      return true;
    }
    if (req.method === 'GET' && path === '/authorize') {
      const params = authorizeParams(url.searchParams);
      const nonce = randomBytes(12).toString('base64url');
      if (typeof params === 'string')
        sendHtml(
          res,
          400,
          `<!doctype html><html lang="en"><head><title>Sign-in error</title></head><body><main><h1>Sign-in request refused</h1><p>${escapeHtml(params)}</p></main></body></html>`,
          nonce,
        );
      else sendHtml(res, 200, personaPage(params, nonce), nonce);
      return true;
    }
    // POST /token with a JSON body is the issuer's own persona endpoint; a form is the code flow.
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    if (req.method === 'POST' && (path === '/authorize' || (path === '/token' && isForm))) {
      readBody(req, 64 * 1024)
        .then(async (raw) => {
          const form = new URLSearchParams(raw.toString('utf8'));
          if (path === '/token') return token(form, res);
          const params = authorizeParams(form);
          const persona = form.get('persona');
          if (typeof params === 'string' || !isPersonaId(persona) || PERSONAS[persona].scope) {
            return sendJson(res, 400, { message: typeof params === 'string' ? params : 'choose a persona' });
          }
          const code = randomBytes(24).toString('base64url');
          codes.set(code, {
            persona,
            clientId: params.client_id as string,
            redirectUri: params.redirect_uri as string,
            challenge: params.code_challenge as string,
            nonce: params.nonce,
            expiresAt: Date.now() + CODE_TTL_MS,
          });
          const target = new URL(params.redirect_uri as string);
          target.searchParams.set('code', code);
          if (params.state) target.searchParams.set('state', params.state);
          redirect(res, target.toString());
        })
        .catch(() => sendJson(res, 400, { message: 'unreadable form' }));
      return true;
    }
    if (req.method === 'GET' && path === '/logout') {
      const back = url.searchParams.get('post_logout_redirect_uri');
      if (isLoopbackRedirect(back)) redirect(res, back);
      else sendJson(res, 400, { message: 'post_logout_redirect_uri must be an http loopback URL' });
      return true;
    }
    return false;
  };
};
