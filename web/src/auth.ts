/**
 * Sign-in: OpenID Connect authorization code flow with PKCE (oidc-client-ts). The user and the flow's
 * state (PKCE verifier) live in sessionStorage only — never localStorage — so closing the tab or
 * signing out leaves no token behind.
 */
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { PortalConfig } from './config';

export interface Auth {
  readonly user: () => Promise<User | null>;
  readonly signIn: (returnTo: string) => Promise<void>;
  /** Completes a redirect back from the IdP; answers the route to return to, or undefined. */
  readonly completeSignIn: () => Promise<string | undefined>;
  readonly signOut: () => Promise<void>;
}

export const createAuth = (config: PortalConfig): Auth => {
  const store = new WebStorageStateStore({ store: window.sessionStorage });
  const root = `${window.location.origin}/`;
  const manager = new UserManager({
    authority: config.oidc.authority,
    client_id: config.oidc.clientId,
    redirect_uri: root,
    post_logout_redirect_uri: `${root}#/signed-out`,
    response_type: 'code',
    scope: config.oidc.scope ?? 'openid profile',
    userStore: store,
    stateStore: store,
    monitorSession: false,
    automaticSilentRenew: false,
    loadUserInfo: false,
    ...(config.oidc.metadata ? { metadataSeed: config.oidc.metadata } : {}),
  });
  return {
    user: async () => {
      const user = await manager.getUser();
      return user && !user.expired ? user : null;
    },
    signIn: (returnTo) => manager.signinRedirect({ state: returnTo }),
    completeSignIn: async () => {
      const params = new URLSearchParams(window.location.search);
      if (!params.has('code') && !params.has('error')) return undefined;
      const user = await manager.signinRedirectCallback();
      window.history.replaceState(null, '', '/');
      return typeof user.state === 'string' ? user.state : '#/';
    },
    signOut: async () => {
      await manager.removeUser();
      await manager.clearStaleState();
      window.sessionStorage.clear();
    },
  };
};
