/**
 * The staff portal on the local gateway's root: built with web/build.ts into the data directory at
 * start-up, served as static files with `config.json` pointing at this stack's API and issuer, and
 * the same strict headers the deployed CloudFront response-headers policy sends (declarations/portal.ts:
 * no inline script or style, no framing).
 */
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { PORTAL_REFERRER_POLICY, portalCsp } from '../declarations/portal.js';
import { buildPortal } from '../web/build.js';
import type { HttpResponse } from './apigw.js';
import { PORTAL_CLIENT_ID } from './oidc.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export interface LocalPortalOptions {
  readonly dir: string;
  readonly apiUrl: string;
  readonly issuerUrl: string;
  /** Where presigned audio links point (the S3 emulator): the CSP's media-src. */
  readonly mediaOrigin: string;
}

export const buildLocalPortal = async (dataDir: string) => buildPortal(join(dataDir, 'portal'));

/** Answers GET requests for the portal's files; undefined for any other path (the API's). */
export const portalResponder = (options: LocalPortalOptions) => {
  const config = JSON.stringify({
    apiUrl: options.apiUrl,
    mediaOrigin: options.mediaOrigin,
    oidc: { authority: options.issuerUrl, clientId: PORTAL_CLIENT_ID, scope: 'openid profile' },
  });
  const headers = {
    'content-security-policy': portalCsp({ connect: [options.issuerUrl], media: [options.mediaOrigin] }),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': PORTAL_REFERRER_POLICY,
  };
  return (method: string, path: string): HttpResponse | undefined => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (path === '/config.json') {
      return {
        status: 200,
        headers: { ...headers, 'content-type': TYPES['.json'] as string, 'cache-control': 'no-store' },
        body: Buffer.from(config),
      };
    }
    const file =
      path === '/' || path === '/index.html'
        ? 'index.html'
        : path.startsWith('/assets/')
          ? path.slice(1)
          : undefined;
    if (!file) return undefined;
    const safe = normalize(file);
    if (safe.startsWith('..')) return undefined;
    try {
      const body = readFileSync(join(options.dir, safe));
      return {
        status: 200,
        headers: {
          ...headers,
          'content-type': TYPES[extname(safe)] ?? 'application/octet-stream',
          'cache-control': 'no-cache',
        },
        body,
      };
    } catch {
      return undefined;
    }
  };
};
