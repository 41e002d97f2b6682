import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalMail } from '../mail';
import { type Locale, messages, pickLocale, requestErrors } from './messages';
import { type PageView, type SignInStep, pageSecurityHeaders, renderPage, stylesheet, stylesheetPath } from './pages';
import {
  type SigningKey,
  type TokenGrant,
  accessTokenClaims,
  idTokenClaims,
  jwks,
  newSigningKey,
  opaqueToken,
  pkceMatches,
  refreshTokenSeconds,
  accessTokenSeconds,
  signJwt,
  verifiedClaims,
} from './tokens';
import { otpauthUri } from './totp';
import { type Account, type IdentityStore, type SignInCheck, brokenPasswordRules, resetCodeLifetimeMs } from './user-store';
import { consoleSignInPaths } from '../../../shared/http/console-security';

/**
 * The local twin's OpenID Connect issuer, standing in for the Cognito user pool and its managed
 * login: discovery, authorize (authorization code with PKCE S256 only), token (code and refresh
 * token), JWKS, userinfo and logout, under `/oidc` on the twin's one port. What it leaves out
 * is listed in docs/local-twin.md ("What the local issuer does not do").
 */

export interface OidcClient {
  clientId: string;
  /** Exact matches only, as Cognito's callback URLs. */
  redirectUris: readonly string[];
  /** Cognito's sign-out URLs: where `logout` may send the browser. */
  logoutUris: readonly string[];
}

export const consoleClientId = 'switchboard-console';

/** The console's app client: its callbacks (`/auth/callback`, and the pop-up's) and sign-out URL `/` on each origin it is served from. */
export function consoleClient(origins: readonly string[]): OidcClient {
  return {
    clientId: consoleClientId,
    redirectUris: origins.flatMap((origin) => [`${origin}${consoleSignInPaths.callback}`, `${origin}${consoleSignInPaths.popupCallback}`]),
    logoutUris: origins.map((origin) => `${origin}${consoleSignInPaths.afterSignOut}`),
  };
}

const sessionCookie = 'sb-oidc-session';
const xsrfCookie = 'sb-oidc-xsrf';
const codeLifetimeMs = 5 * 60 * 1000;
const interactionLifetimeMs = 15 * 60 * 1000;
/** Cognito's managed-login session lasts an hour. */
const sessionLifetimeMs = 60 * 60 * 1000;
const supportedScopes = ['openid', 'email', 'profile'];

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state?: string;
  nonce?: string;
  codeChallenge: string;
  scope: string;
}

interface Interaction {
  request: AuthorizeRequest;
  locale: Locale;
  step: SignInStep;
  xsrf: string;
  sub?: string;
  resetEmail?: string;
  expiresAt: number;
}

interface AuthorizationCode {
  request: AuthorizeRequest;
  sub: string;
  /** Epoch seconds, the tokens' auth_time. */
  authTime: number;
  /** Epoch ms of the sign-in, compared with the account's last global sign-out. */
  signedInAt: number;
  expiresAt: number;
}

interface RefreshGrant {
  clientId: string;
  sub: string;
  scope: string;
  authTime: number;
  originJti: string;
  issuedAt: number;
  expiresAt: number;
}

interface Session {
  sub: string;
  /** Epoch seconds. */
  authTime: number;
  /** Epoch ms. */
  signedInAt: number;
  expiresAt: number;
}

export interface LocalIssuerOptions {
  /** `${consoleUrl}/oidc`: the `iss` of every token. */
  issuer: string;
  clients: readonly OidcClient[];
  store: IdentityStore;
  mail: LocalMail;
  /** The From of the issuer's own mail (password-reset codes). */
  mailFrom: string;
}

export class LocalIssuer {
  readonly key: SigningKey = newSigningKey();
  readonly issuer: string;
  private readonly interactions = new Map<string, Interaction>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: LocalIssuerOptions) {
    this.issuer = options.issuer;
  }

  get store(): IdentityStore {
    return this.options.store;
  }

  /** The discovery document, as Cognito's names its endpoints (on one origin here). */
  discovery(): Record<string, unknown> {
    const base = this.issuer;
    return {
      authorization_endpoint: `${base}/authorize`,
      end_session_endpoint: `${base}/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer: base,
      jwks_uri: `${base}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      scopes_supported: supportedScopes,
      subject_types_supported: ['public'],
      token_endpoint: `${base}/token`,
      token_endpoint_auth_methods_supported: ['none'],
      userinfo_endpoint: `${base}/userinfo`,
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      claims_supported: ['sub', 'email', 'email_verified', 'username', 'cognito:username'],
    };
  }

  /** Answers a request under `/oidc`; false when the path is none of the issuer's. */
  serve(request: IncomingMessage, response: ServerResponse, path: string, query: URLSearchParams, body: Buffer): boolean {
    const method = request.method ?? 'GET';
    const cors = corsEndpoints[path];
    if (cors && method === 'OPTIONS') {
      response.writeHead(204, { ...corsHeaders(cors, request), 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' });
      response.end();
      return true;
    }
    const withCors = (headers: Record<string, string>) => (cors ? { ...corsHeaders(cors, request), ...headers } : headers);
    if (method === 'GET' && path === '/oidc/.well-known/openid-configuration') return sendJson(response, 200, this.discovery(), withCors({}));
    if (method === 'GET' && (path === '/oidc/.well-known/jwks.json' || path === '/oidc/jwks.json')) return sendJson(response, 200, jwks(this.key), withCors({}));
    if (method === 'GET' && path === stylesheetPath) {
      response.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300', 'x-content-type-options': 'nosniff' }).end(stylesheet);
      return true;
    }
    if (method === 'GET' && path === '/oidc/authorize') return this.authorize(request, response, query);
    if (method === 'POST' && path === '/oidc/sign-in') return this.signInStep(request, response, new URLSearchParams(body.toString('utf8')));
    if (method === 'POST' && path === '/oidc/token') return this.token(request, response, body, withCors);
    if ((method === 'GET' || method === 'POST') && path === '/oidc/userinfo') return this.userinfo(request, response, withCors);
    if (method === 'GET' && path === '/oidc/logout') return this.logout(request, response, query);
    if (path === '/oidc' || path.startsWith('/oidc/')) {
      sendJson(response, 404, { error: 'not_found', error_description: `The local issuer has no ${method} ${path}` });
      return true;
    }
    return false;
  }

  // ---- authorize and the sign-in pages ----

  private authorize(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): boolean {
    const locale = pickLocale(query.get('ui_locales') ?? query.get('lang'), request.headers['accept-language']);
    const client = this.options.clients.find((candidate) => candidate.clientId === query.get('client_id'));
    // An unknown client or address is shown, never redirected to: the address may be an attacker's.
    if (!client) return this.page(response, 400, { page: 'error', message: requestErrors.unknownClient[locale] }, locale);
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!client.redirectUris.includes(redirectUri)) return this.page(response, 400, { page: 'error', message: requestErrors.badRedirect[locale] }, locale);

    const state = query.get('state') ?? undefined;
    const refuse = (error: string, description: string) => redirect(response, withParams(redirectUri, { error, error_description: description, state }));
    if (query.get('response_type') !== 'code') return refuse('unsupported_response_type', 'Only response_type=code is supported');
    const codeChallenge = query.get('code_challenge');
    if (!codeChallenge || query.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
      return refuse('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256');
    }
    const scopes = (query.get('scope') ?? supportedScopes.join(' ')).split(/\s+/).filter(Boolean);
    if (scopes.some((scope) => !supportedScopes.includes(scope))) return refuse('invalid_scope', `Supported scopes: ${supportedScopes.join(' ')}`);
    const authorizeRequest: AuthorizeRequest = {
      clientId: client.clientId,
      redirectUri,
      ...(state !== undefined ? { state } : {}),
      ...(query.get('nonce') ? { nonce: query.get('nonce')! } : {}),
      codeChallenge,
      scope: [...new Set(scopes)].join(' '),
    };

    const prompt = query.get('prompt');
    const session = prompt === 'login' ? undefined : this.liveSession(request);
    if (session) return this.finishSignIn(response, authorizeRequest, session.sub, session.signedInAt);
    if (prompt === 'none') return refuse('login_required', 'No sign-in session');

    const xsrf = cookiesOf(request)[xsrfCookie] ?? opaqueToken(24);
    const id = opaqueToken();
    this.interactions.set(id, { request: authorizeRequest, locale, step: 'sign-in', xsrf, expiresAt: Date.now() + interactionLifetimeMs });
    this.sweep();
    const email = query.get('login_hint') ?? undefined;
    return this.page(response, 200, { page: 'sign-in', ...(email ? { email } : {}) }, locale, id, [cookie(xsrfCookie, xsrf, { maxAgeSeconds: interactionLifetimeMs / 1000 })]);
  }

  private signInStep(request: IncomingMessage, response: ServerResponse, form: URLSearchParams): boolean {
    const id = form.get('interaction') ?? '';
    const interaction = this.interactions.get(id);
    const fallbackLocale = pickLocale(form.get('ui_locales'), request.headers['accept-language']);
    if (!interaction || interaction.expiresAt <= Date.now()) {
      this.interactions.delete(id);
      return this.page(response, 400, { page: 'error', message: messages[fallbackLocale].expired }, fallbackLocale);
    }
    // The form must come from the browser that opened the sign-in (a cross-site post has no such cookie).
    if (cookiesOf(request)[xsrfCookie] !== interaction.xsrf) {
      return this.page(response, 403, { page: 'error', message: messages[interaction.locale].expired }, interaction.locale);
    }
    const words = messages[interaction.locale];
    const show = (view: PageView, status = 200) => {
      interaction.step = view.page === 'error' ? interaction.step : (view.page as SignInStep);
      return this.page(response, status, view, interaction.locale, id);
    };

    if (form.get('language') === '1') {
      interaction.locale = pickLocale(form.get('ui_locales'), undefined);
      return show(this.viewOf(interaction));
    }
    const step = form.get('step') as SignInStep | null;
    if (form.get('start') === '1') {
      if (step === 'forgot') return show({ page: 'forgot' });
      if (step === 'sign-in') {
        delete interaction.sub;
        return show({ page: 'sign-in' });
      }
    }
    // A form from an earlier step (the back button) starts that step again rather than skipping one.
    if (step !== interaction.step) return show(this.viewOf(interaction));

    switch (step) {
      case 'sign-in': {
        const email = (form.get('email') ?? '').trim();
        const check = this.store.checkPassword(email, form.get('password') ?? '');
        if (check.status !== 'ok') return show({ page: 'sign-in', email, error: this.refusal(check, interaction.locale) }, 400);
        interaction.sub = check.account.sub;
        return this.afterPassword(check.account, show);
      }
      case 'new-password': {
        const account = this.accountOf(interaction);
        if (!account) return show({ page: 'sign-in' });
        const problem = this.newPasswordProblem(form, interaction.locale);
        if (problem) return show({ page: 'new-password', error: problem }, 400);
        this.store.setPassword(account.sub, form.get('password')!, false);
        return this.afterPassword(this.store.get(account.sub)!, show);
      }
      case 'totp-setup':
      case 'totp': {
        const account = this.accountOf(interaction);
        if (!account) return show({ page: 'sign-in' });
        const check = this.store.checkTotp(account.sub, form.get('code') ?? '');
        if (check.status !== 'ok') {
          const error = check.status === 'wrong' ? words.wrongCode : this.refusal(check, interaction.locale);
          if (check.status !== 'wrong') return show({ page: 'sign-in', email: account.email, error }, 400);
          return show(step === 'totp' ? { page: 'totp', error } : { ...this.enrolmentView(account), error }, 400);
        }
        this.interactions.delete(id);
        return this.finishSignIn(response, interaction.request, account.sub, Date.now(), true);
      }
      case 'forgot': {
        const email = (form.get('email') ?? '').trim().toLowerCase();
        if (!email) return show({ page: 'forgot', error: words.email }, 400);
        const issued = this.store.issueResetCode(email);
        if (issued) {
          this.options.mail.record({
            from: this.options.mailFrom,
            to: issued.account.email,
            subject: words.resetMailSubject,
            text: words.resetMailText(issued.code, resetCodeLifetimeMs / 60_000),
            kind: 'password-reset',
          });
        }
        interaction.resetEmail = email;
        // The same page whether or not the account exists, as Cognito with user-existence errors prevented.
        return show({ page: 'reset', email });
      }
      case 'reset': {
        const email = interaction.resetEmail ?? '';
        const problem = this.newPasswordProblem(form, interaction.locale, true);
        if (problem) return show({ page: 'reset', email, error: problem }, 400);
        const outcome = this.store.resetPassword(email, form.get('code') ?? '', form.get('password') ?? '');
        if (outcome === 'reset') {
          delete interaction.resetEmail;
          return show({ page: 'sign-in', email, notice: words.passwordChanged });
        }
        const error =
          outcome === 'wrong-code' ? words.resetWrongCode : outcome === 'expired' ? words.resetExpired : words.passwordBroken(outcome.brokenRules.map((rule) => words.rule[rule]));
        return show({ page: 'reset', email, error }, 400);
      }
      default:
        return show(this.viewOf(interaction));
    }
  }

  /** After a password is accepted: a new one if it was temporary, then TOTP enrolment or a code. */
  private afterPassword(account: Account, show: (view: PageView, status?: number) => boolean): boolean {
    if (account.passwordTemporary) return show({ page: 'new-password' });
    if (!account.totpEnrolled) return show(this.enrolmentView(account));
    return show({ page: 'totp' });
  }

  private enrolmentView(account: Account): Extract<PageView, { page: 'totp-setup' }> {
    const secret = this.store.startTotpEnrolment(account.sub);
    return { page: 'totp-setup', secret, otpauthUri: otpauthUri(secret, account.email, 'Switchboard') };
  }

  /** The page of the step an interaction is at (after a language switch or an out-of-order form). */
  private viewOf(interaction: Interaction): PageView {
    const account = this.accountOf(interaction);
    switch (interaction.step) {
      case 'new-password':
        return account ? { page: 'new-password' } : { page: 'sign-in' };
      case 'totp-setup':
        return account ? this.enrolmentView(account) : { page: 'sign-in' };
      case 'totp':
        return account ? { page: 'totp' } : { page: 'sign-in' };
      case 'forgot':
        return { page: 'forgot' };
      case 'reset':
        return { page: 'reset', email: interaction.resetEmail ?? '' };
      default:
        return { page: 'sign-in' };
    }
  }

  private accountOf(interaction: Interaction): Account | undefined {
    return interaction.sub === undefined ? undefined : this.store.get(interaction.sub);
  }

  private refusal(check: Exclude<SignInCheck, { status: 'ok' }>, locale: Locale): string {
    const words = messages[locale];
    if (check.status === 'disabled') return words.disabled;
    if (check.status === 'locked') return words.lockedOut(new Date(check.until).toISOString().slice(11, 16), Math.max(1, Math.ceil((check.until - Date.now()) / 60_000)));
    return words.wrongPassword;
  }

  private newPasswordProblem(form: URLSearchParams, locale: Locale, codeFirst = false): string | undefined {
    const words = messages[locale];
    if (codeFirst && !/^\d{6}$/.test((form.get('code') ?? '').trim())) return words.resetWrongCode;
    const password = form.get('password') ?? '';
    const broken = brokenPasswordRules(password);
    if (broken.length > 0) return words.passwordBroken(broken.map((rule) => words.rule[rule]));
    if (password !== form.get('confirm')) return words.passwordsDiffer;
    return undefined;
  }

  /** Issues the code, opens (or keeps) the session, and sends the browser back to the client. */
  private finishSignIn(response: ServerResponse, request: AuthorizeRequest, sub: string, signedInAt: number, newSession = false): boolean {
    this.store.clearFailures(sub);
    const code = opaqueToken();
    const authTime = Math.floor(signedInAt / 1000);
    this.codes.set(code, { request, sub, authTime, signedInAt, expiresAt: Date.now() + codeLifetimeMs });
    const cookies: string[] = [];
    if (newSession) {
      const sessionId = opaqueToken();
      this.sessions.set(sessionId, { sub, authTime, signedInAt, expiresAt: Date.now() + sessionLifetimeMs });
      cookies.push(cookie(sessionCookie, sessionId, { maxAgeSeconds: sessionLifetimeMs / 1000 }));
    }
    return redirect(response, withParams(request.redirectUri, { code, state: request.state }), cookies);
  }

  /** The browser's sign-in session, if it is still good: not expired, the account enabled and not signed out everywhere since. */
  private liveSession(request: IncomingMessage): Session | undefined {
    const id = cookiesOf(request)[sessionCookie];
    const session = id ? this.sessions.get(id) : undefined;
    if (!id || !session) return undefined;
    if (session.expiresAt <= Date.now() || !this.store.stillValid(session.sub, session.signedInAt)) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  // ---- token, userinfo, logout ----

  private token(request: IncomingMessage, response: ServerResponse, body: Buffer, withCors: (headers: Record<string, string>) => Record<string, string>): boolean {
    const headers = withCors({ 'cache-control': 'no-store', pragma: 'no-cache' });
    const fail = (status: number, error: string, description: string) => sendJson(response, status, { error, error_description: description }, headers);
    if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
      return fail(400, 'invalid_request', 'The token endpoint takes application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(body.toString('utf8'));
    const clientId = form.get('client_id') ?? basicClientId(request.headers.authorization);
    const client = this.options.clients.find((candidate) => candidate.clientId === clientId);
    if (!client) return fail(401, 'invalid_client', 'Unknown client_id');
    const nowMs = Date.now();

    if (form.get('grant_type') === 'authorization_code') {
      const code = form.get('code') ?? '';
      const grant = this.codes.get(code);
      // Single use: gone after the first attempt, right or wrong.
      this.codes.delete(code);
      if (!grant || grant.expiresAt <= nowMs || grant.request.clientId !== client.clientId) return fail(400, 'invalid_grant', 'The code is unknown, used or expired');
      if (form.get('redirect_uri') !== grant.request.redirectUri) return fail(400, 'invalid_grant', 'redirect_uri differs from the authorize request');
      if (!pkceMatches(grant.request.codeChallenge, form.get('code_verifier') ?? '')) return fail(400, 'invalid_grant', 'code_verifier does not match code_challenge');
      const account = this.store.get(grant.sub);
      if (!account || !this.store.stillValid(account.sub, grant.signedInAt)) return fail(400, 'invalid_grant', 'The account is disabled or signed out');
      const originJti = randomUUID();
      const refreshToken = opaqueToken(48);
      this.refreshTokens.set(refreshToken, {
        clientId: client.clientId,
        sub: account.sub,
        scope: grant.request.scope,
        authTime: grant.authTime,
        originJti,
        issuedAt: nowMs,
        expiresAt: nowMs + refreshTokenSeconds * 1000,
      });
      const tokens = this.tokensFor({ issuer: this.issuer, clientId: client.clientId, account, authTime: grant.authTime, originJti, ...(grant.request.nonce ? { nonce: grant.request.nonce } : {}) });
      return sendJson(response, 200, { ...tokens, refresh_token: refreshToken }, headers);
    }
    if (form.get('grant_type') === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      const grant = this.refreshTokens.get(token);
      if (!grant || grant.expiresAt <= nowMs || grant.clientId !== client.clientId) return fail(400, 'invalid_grant', 'Invalid Refresh Token');
      const account = this.store.get(grant.sub);
      if (!account || !this.store.stillValid(grant.sub, grant.issuedAt)) {
        this.refreshTokens.delete(token);
        return fail(400, 'invalid_grant', account?.enabled === false ? 'User is disabled.' : 'Refresh Token has been revoked');
      }
      // Cognito keeps the refresh token (no rotation) and answers new access and ID tokens.
      return sendJson(response, 200, this.tokensFor({ issuer: this.issuer, clientId: client.clientId, account, authTime: grant.authTime, originJti: grant.originJti }), headers);
    }
    return fail(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  private tokensFor(grant: TokenGrant) {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const accessToken = signJwt(this.key, accessTokenClaims(grant, nowSeconds));
    const idToken = signJwt(this.key, idTokenClaims(grant, nowSeconds, accessToken));
    return { id_token: idToken, access_token: accessToken, expires_in: accessTokenSeconds, token_type: 'Bearer' };
  }

  private userinfo(request: IncomingMessage, response: ServerResponse, withCors: (headers: Record<string, string>) => Record<string, string>): boolean {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const claims = token ? verifiedClaims(this.key, token) : undefined;
    const account = typeof claims?.sub === 'string' ? this.store.get(claims.sub) : undefined;
    const valid =
      claims?.token_use === 'access' &&
      claims.iss === this.issuer &&
      String(claims.scope ?? '').split(' ').includes('openid') &&
      account?.enabled === true &&
      // iat is in seconds: a token of the same second as the sign-out still counts.
      this.store.stillValid(account.sub, (Number(claims.iat) + 1) * 1000 - 1);
    if (!valid || !account) {
      return sendJson(response, 401, { error: 'invalid_token', error_description: 'Access token is missing, expired, revoked or not for userinfo' }, withCors({ 'www-authenticate': 'Bearer error="invalid_token"' }));
    }
    // Cognito answers email_verified as a string.
    return sendJson(response, 200, { sub: account.sub, email_verified: String(account.emailVerified), email: account.email, username: account.sub }, withCors({ 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' }));
  }

  /**
   * Cognito's logout endpoint: `client_id` and `logout_uri` (a registered sign-out URL); the OIDC
   * names `post_logout_redirect_uri` and `state` are taken too, as oidc-client-ts sends them.
   */
  private logout(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): boolean {
    const locale = pickLocale(query.get('ui_locales'), request.headers['accept-language']);
    const client = this.options.clients.find((candidate) => candidate.clientId === query.get('client_id'));
    if (!client) return this.page(response, 400, { page: 'error', message: requestErrors.unknownClient[locale] }, locale);
    const target = query.get('logout_uri') ?? query.get('post_logout_redirect_uri') ?? '';
    if (!client.logoutUris.includes(target)) return this.page(response, 400, { page: 'error', message: requestErrors.badLogoutUri[locale] }, locale);
    const id = cookiesOf(request)[sessionCookie];
    if (id) this.sessions.delete(id);
    return redirect(response, withParams(target, { state: query.get('state') ?? undefined }), [cookie(sessionCookie, '', { maxAgeSeconds: 0 })]);
  }

  private page(response: ServerResponse, status: number, view: PageView, locale: Locale, interaction?: string, cookies: string[] = []): boolean {
    const html = renderPage(view, locale, interaction);
    const formTargets = [...new Set(this.options.clients.flatMap((client) => client.redirectUris.map((uri) => new URL(uri).origin)))];
    response.writeHead(status, {
      ...pageSecurityHeaders(formTargets),
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(html)),
      ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}),
    });
    response.end(html);
    return true;
  }

  /** Forgets interactions, codes, sessions and refresh tokens past their time. */
  private sweep(): void {
    const now = Date.now();
    for (const map of [this.interactions, this.codes, this.sessions, this.refreshTokens] as Map<string, { expiresAt: number }>[]) {
      for (const [id, entry] of map) if (entry.expiresAt <= now) map.delete(id);
    }
  }
}

/** Which endpoints answer cross-origin requests, and how: public documents to anyone, the rest to the asking origin. */
const corsEndpoints: Record<string, 'any' | 'origin'> = {
  '/oidc/.well-known/openid-configuration': 'any',
  '/oidc/.well-known/jwks.json': 'any',
  '/oidc/jwks.json': 'any',
  '/oidc/token': 'origin',
  '/oidc/userinfo': 'origin',
};

function corsHeaders(kind: 'any' | 'origin', request: IncomingMessage): Record<string, string> {
  if (kind === 'any') return { 'access-control-allow-origin': '*' };
  const origin = request.headers.origin;
  return origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
}

function basicClientId(authorization: string | undefined): string | null {
  const encoded = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!encoded) return null;
  return decodeURIComponent(Buffer.from(encoded, 'base64').toString('utf8').split(':')[0] ?? '');
}

function cookiesOf(request: IncomingMessage): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) cookies[part.slice(0, index).trim()] = part.slice(index + 1).trim();
  }
  return cookies;
}

/** The issuer's cookies: HttpOnly, SameSite=Lax, for `/oidc` only (no Secure: the twin is plain HTTP on localhost). */
function cookie(name: string, value: string, { maxAgeSeconds }: { maxAgeSeconds: number }): string {
  return `${name}=${value}; Path=/oidc; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(maxAgeSeconds)}`;
}

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

function redirect(response: ServerResponse, location: string, cookies: string[] = []): boolean {
  response.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': '0', ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}) });
  response.end();
  return true;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): boolean {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
  return true;
}
