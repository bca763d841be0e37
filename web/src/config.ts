/** `/config.json`, written where the portal is served: the API and the OpenID Connect settings. */
export interface PortalConfig {
  readonly apiUrl: string;
  /**
   * Where presigned audio links point (the archive bucket's origin, as in the CSP's media-src): the
   * portal opens a connection to it ahead of Play, so the audio GET does not wait for a TLS handshake.
   */
  readonly mediaOrigin?: string;
  readonly oidc: {
    readonly authority: string;
    readonly clientId: string;
    readonly scope?: string;
    /** Where the IdP has no discovery document with every endpoint (Cognito has no end_session). */
    readonly metadata?: Record<string, string>;
  };
}

let mediaOrigin: string | undefined;

export const loadConfig = async (): Promise<PortalConfig> => {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = (await response.json()) as PortalConfig;
  mediaOrigin = config.mediaOrigin;
  return config;
};

/**
 * Asks the browser to open a connection to the recordings' origin now (DNS, TCP, TLS). Called when a Play dialog opens
 * and again on its submit, so the link the API answers with finds a warm connection (Chromium closes an
 * unused preconnected socket after about ten seconds). A fresh element each time re-arms the hint.
 */
export const preconnectMedia = (): void => {
  if (!mediaOrigin) return;
  const link = document.createElement('link');
  link.rel = 'preconnect';
  link.href = mediaOrigin;
  document.head.append(link);
  setTimeout(() => link.remove(), 15_000);
};
