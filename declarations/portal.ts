/**
 * The staff portal's security headers, declared once: the local gateway (local/portal.ts) and the
 * deployed CloudFront response-headers policy (infra/constructs/portal.ts) both send them, so the
 * portal runs under the same Content-Security-Policy locally as deployed.
 */
import { STAFF_SCOPE } from './scopes.js';

export interface PortalCspSources {
  /** Origins the portal's code may call besides its own: the API, the OpenID Connect issuer. */
  readonly connect: readonly string[];
  /** Where presigned audio links point (the archive bucket, or the local S3 emulator). */
  readonly media: readonly string[];
}

/**
 * The portal's Content-Security-Policy: scripts and styles from the portal's own origin only (no
 * `unsafe-inline`, no `eval`), no plugins, no framing by anyone, forms post only to itself.
 */
export const portalCsp = ({ connect, media }: PortalCspSources): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    `media-src ${media.length ? media.join(' ') : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

/** Referrer policy: presigned links and recording ids never leak to another site in a Referer. */
export const PORTAL_REFERRER_POLICY = 'no-referrer';

/** HSTS for the deployed portal (HTTPS only): two years, subdomains included. */
export const PORTAL_HSTS_SECONDS = 63_072_000;

/** The scopes the portal asks an issuer for: OpenID Connect and the staff scope every staff route requires. */
export const PORTAL_SCOPE = `openid profile ${STAFF_SCOPE}`;

/** `/config.json` beside the portal's files: the API and the OpenID Connect settings (web/src/config.ts reads it). */
export interface PortalConfigJson {
  readonly apiUrl: string;
  /** The archive bucket's origin (the CSP's media-src): the portal preconnects to it before Play. */
  readonly mediaOrigin?: string;
  readonly oidc: { readonly authority: string; readonly clientId: string; readonly scope: string };
}
