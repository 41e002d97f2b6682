import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { consoleSignInPaths } from '../../../shared/http/console-security';
import { browserStorage } from '../app/browser-storage';

/**
 * What the console needs to know about where it runs: served as /config.json beside it (by the
 * local twin, or written to S3 by the CDK stack), so one build runs on every stage.
 */
export interface ConsoleConfig {
  /** The OpenID Connect issuer: the Cognito user pool in AWS, the twin's local issuer (`/oidc`) on the twin. */
  authority: string;
  clientId: string;
  /** Cognito's end-session endpoint is not in its discovery document; the twin's issuer lists it. */
  logoutUrl?: string;
}

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-cache' });
  if (!response.ok) throw new Error(`The console's configuration (/config.json) answered ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}

export const callbackPath = consoleSignInPaths.callback;
export const popupCallbackPath = consoleSignInPaths.popupCallback;

/** Inside another site's frame (Amazon Connect's agent workspace): sign-in cannot leave the frame, so it runs in a pop-up. */
export const framed = (): boolean => window.top !== window.self;

/**
 * Sign-in is OpenID Connect authorization code with PKCE, the same code path against Cognito's
 * managed login and the twin's issuer. Tokens stay in this tab's sessionStorage (never a cookie the
 * API would accept, so no CSRF), and the refresh token renews the access token before it expires.
 */
export function createSessionManager(config: ConsoleConfig): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: origin + callbackPath,
    popup_redirect_uri: origin + popupCallbackPath,
    post_logout_redirect_uri: origin + consoleSignInPaths.afterSignOut,
    response_type: 'code',
    scope: 'openid email profile',
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: browserStorage('sessionStorage') }),
    stateStore: new WebStorageStateStore({ store: browserStorage('localStorage') }),
    ...(config.logoutUrl && {
      metadataSeed: { end_session_endpoint: `${config.logoutUrl}?client_id=${encodeURIComponent(config.clientId)}&logout_uri=${encodeURIComponent(origin + '/')}` },
    }),
  });
}

/** Where to come back to after signing in: the page the person asked for. */
export interface SignInState {
  returnTo: string;
}

export async function signIn(manager: UserManager, returnTo: string, locale: string): Promise<void> {
  await manager.signinRedirect({ state: { returnTo } satisfies SignInState, extraQueryParams: { ui_locales: locale, lang: locale } });
}

/** Signs in through a pop-up window (opened by the person's click, or browsers block it); the session stays in this frame. */
export async function signInWithPopup(manager: UserManager, locale: string): Promise<User> {
  return manager.signinPopup({ extraQueryParams: { ui_locales: locale, lang: locale } });
}

export async function completeSignIn(manager: UserManager): Promise<{ user: User; returnTo: string }> {
  const user = await manager.signinRedirectCallback();
  const state = user.state as SignInState | undefined;
  const returnTo = state?.returnTo && state.returnTo.startsWith('/') && !state.returnTo.startsWith('//') ? state.returnTo : '/';
  return { user, returnTo };
}
