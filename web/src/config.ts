/** `/config.json`, written where the portal is served: the API and the OpenID Connect settings. */
export interface PortalConfig {
  readonly apiUrl: string;
  readonly oidc: {
    readonly authority: string;
    readonly clientId: string;
    readonly scope?: string;
    /** Where the IdP has no discovery document with every endpoint (Cognito has no end_session). */
    readonly metadata?: Record<string, string>;
  };
}

export const loadConfig = async (): Promise<PortalConfig> => {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return (await response.json()) as PortalConfig;
};
