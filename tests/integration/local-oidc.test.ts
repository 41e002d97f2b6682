import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { BadRequestException, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailSender } from '../../shared/ports/mail';
import {
  FormBrowser,
  authorizePath,
  cognitoClient,
  consoleClientId,
  exchangeCode,
  freshTotpCode,
  newPkce,
  pageState,
  signInPerson,
  testPassword,
} from '../support/people-sign-in';
import { type TestTwin, startTestTwin } from '../support/twin';

/**
 * The twin's local OIDC issuer (infra/local/oidc), driven over HTTP as a browser and the console
 * would drive it, with the tokens verified exactly as the authorizer verifies Cognito's; the
 * Cognito admin calls and SES v2 through the AWS SDK at the endpoints the functions are given.
 */

let twin: TestTwin;
const cognito = () => cognitoClient();

beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(async () => {
  await twin?.close();
});

const poolId = () => process.env.PEOPLE_USER_POOL_ID!;
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`;

async function createAccount(email: string, temporaryPassword = 'Temporary-Pass-1'): Promise<string> {
  const client = cognito();
  try {
    const created = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId(),
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
        TemporaryPassword: temporaryPassword,
      }),
    );
    return created.User!.Attributes!.find((attribute) => attribute.Name === 'sub')!.Value!;
  } finally {
    client.destroy();
  }
}

async function adminCall(command: AdminDisableUserCommand | AdminEnableUserCommand | AdminUserGlobalSignOutCommand): Promise<void> {
  const client = cognito();
  try {
    await client.send(command as never);
  } finally {
    client.destroy();
  }
}

/**
 * As the authorizer verifies a person's token. aws-jwt-verify's own fetcher takes https: only, and
 * the twin serves its JWKS over plain http, so the verifier is given a fetcher on Node's fetch.
 */
function accessVerifier() {
  const jwksCache = new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } });
  return JwtRsaVerifier.create({
    issuer: process.env.PEOPLE_TOKEN_ISSUER!,
    audience: null,
    jwksUri: process.env.PEOPLE_JWKS_URI!,
    customJwtCheck: ({ payload }) => {
      if (payload.client_id !== process.env.PEOPLE_CLIENT_ID) throw new Error(`client_id ${String(payload.client_id)}`);
      if (payload.token_use !== 'access') throw new Error(`token_use ${String(payload.token_use)}`);
    },
  }, { jwksCache });
}

async function refresh(refreshToken: string) {
  const response = await fetch(`${twin.url}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: consoleClientId, refresh_token: refreshToken }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('the issuer as the functions and the console find it', () => {
  it('gives the functions the authorizer settings and the Cognito and SES endpoints', () => {
    expect(twin.consoleUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(twin.issuer).toBe(`${twin.consoleUrl}/oidc`);
    expect(process.env.PEOPLE_TOKEN_ISSUER).toBe(twin.issuer);
    expect(process.env.PEOPLE_CLIENT_ID).toBe('switchboard-console');
    expect(process.env.PEOPLE_USER_POOL_ID).toBe('local_switchboard');
    expect(process.env.PEOPLE_JWKS_URI).toBe(`${twin.url}/oidc/.well-known/jwks.json`);
    expect(process.env.COGNITO_ENDPOINT).toBe(twin.aws.endpoint);
    expect(process.env.MAIL_ENDPOINT).toBe(twin.aws.endpoint);
    expect(process.env.MAIL_FROM).toContain('@');
  });

  it('serves discovery and the JWKS to any origin, and names the endpoints under the issuer', async () => {
    const response = await fetch(`${twin.url}/oidc/.well-known/openid-configuration`, { headers: { origin: 'http://localhost:5173' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: twin.issuer,
      authorization_endpoint: `${twin.issuer}/authorize`,
      token_endpoint: `${twin.issuer}/token`,
      jwks_uri: `${twin.issuer}/.well-known/jwks.json`,
      userinfo_endpoint: `${twin.issuer}/userinfo`,
      end_session_endpoint: `${twin.issuer}/logout`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    for (const path of ['/oidc/.well-known/jwks.json', '/oidc/jwks.json']) {
      const keys = (await (await fetch(`${twin.url}${path}`)).json()) as { keys: { kid: string; alg: string; kty: string }[] };
      expect(keys.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) })]);
    }
    const preflight = await fetch(`${twin.url}/oidc/token`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('shows an error page, and never redirects, for an unknown client or an unregistered redirect URI', async () => {
    const pkce = newPkce();
    const wrongRequests: Record<string, string>[] = [{ client_id: 'someone-else' }, { redirect_uri: 'https://attacker.example/auth/callback' }, { redirect_uri: `${twin.consoleUrl}/elsewhere` }];
    for (const extra of wrongRequests) {
      const response = await fetch(`${twin.url}${authorizePath(twin, pkce, extra)}`, { redirect: 'manual' });
      expect(response.status, JSON.stringify(extra)).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('role="alert"');
    }
  });

  it('sends a registered client back with an error when PKCE S256 or response_type=code is missing', async () => {
    const pkce = newPkce();
    for (const [extra, error] of [
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'openid admin' }, 'invalid_scope'],
    ] as const) {
      const response = await fetch(`${twin.url}${authorizePath(twin, pkce, { ...extra, state: 's-1' })}`, { redirect: 'manual' });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(`${twin.consoleUrl}/auth/callback`);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('s-1');
    }
  });
});

describe('an invited person signs in with the authorization code flow', () => {
  const email = unique('invited');
  let sub: string;
  const browser = () => new FormBrowser(twin.url);
  let person: FormBrowser;
  let tokens: Record<string, string>;

  it('sets their password, enrols TOTP, and comes back to the console with a code and the state', async () => {
    sub = await createAccount(email);
    person = browser();
    const pkce = newPkce();
    let response = await person.get(authorizePath(twin, pkce, { state: 'state-1', nonce: 'nonce-1' }));
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    let html = await response.text();
    expect(html).not.toMatch(/<script|style=/i);
    const { interaction } = pageState(html);
    expect(pageState(html).step).toBe('sign-in');

    response = await person.post('/oidc/sign-in', { interaction: interaction!, step: 'sign-in', email: email.toUpperCase(), password: 'Temporary-Pass-1' });
    expect(pageState(await response.text()).step).toBe('new-password');

    response = await person.post('/oidc/sign-in', { interaction: interaction!, step: 'new-password', password: 'nouppercase1!', confirm: 'nouppercase1!' });
    expect(response.status).toBe(400);
    html = await response.text();
    expect(html).toContain('This password is missing: an upper-case letter (A–Z)');

    response = await person.post('/oidc/sign-in', { interaction: interaction!, step: 'new-password', password: testPassword, confirm: testPassword });
    html = await response.text();
    expect(pageState(html).step).toBe('totp-setup');
    const secret = twin.identity.totpSecretOf(email)!;
    expect(html.replace(/\s/g, '')).toContain(secret);
    expect(html).toContain(`otpauth://totp/Switchboard:${encodeURIComponent(email)}?secret=${secret}`);

    response = await person.post('/oidc/sign-in', { interaction: interaction!, step: 'totp-setup', code: '000000' === (await freshTotpCode(twin, email)) ? '111111' : '000000' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('That code is not correct');

    response = await person.post('/oidc/sign-in', { interaction: interaction!, step: 'totp-setup', code: await freshTotpCode(twin, email) });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${twin.consoleUrl}/auth/callback`);
    expect(location.searchParams.get('state')).toBe('state-1');
    const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('sb-oidc-session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\/oidc/);

    const exchanged = await exchangeCode(twin, location.searchParams.get('code')!, pkce.verifier);
    expect(exchanged.status).toBe(200);
    tokens = exchanged.body as Record<string, string>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });

    // The code is good once.
    expect(await exchangeCode(twin, location.searchParams.get('code')!, pkce.verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('has an access token the authorizer accepts: issuer, client_id, token_use, signature from the served JWKS', async () => {
    const claims = await accessVerifier().verify(tokens.access_token!);
    expect(claims).toMatchObject({ sub, iss: twin.issuer, client_id: 'switchboard-console', token_use: 'access', scope: 'openid email profile', username: sub });
    expect(claims.exp! - claims.iat!).toBe(3600);
    const idToken = JSON.parse(Buffer.from(tokens.id_token!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(idToken).toMatchObject({ aud: 'switchboard-console', token_use: 'id', email, email_verified: true, nonce: 'nonce-1', sub });
    // An ID token is no access token.
    await expect(accessVerifier().verify(tokens.id_token!)).rejects.toThrow();
  });

  it('answers userinfo and refreshes the tokens', async () => {
    const info = await fetch(`${twin.url}/oidc/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({ sub, email, email_verified: 'true', username: sub });
    expect((await fetch(`${twin.url}/oidc/userinfo`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);

    const refreshed = await refresh(tokens.refresh_token!);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).not.toHaveProperty('refresh_token');
    const claims = await accessVerifier().verify(refreshed.body.access_token!);
    expect(claims.sub).toBe(sub);
    expect(claims.origin_jti).toBe(JSON.parse(Buffer.from(tokens.access_token!.split('.')[1]!, 'base64url').toString()).origin_jti);
  });

  it('a second authorize in the same browser skips the password; a wrong code_verifier gets no tokens', async () => {
    const pkce = newPkce();
    const response = await person.get(authorizePath(twin, pkce));
    expect(response.status).toBe(302);
    const code = new URL(response.headers.get('location')!).searchParams.get('code')!;
    expect(await exchangeCode(twin, code, newPkce().verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('logout ends the session and sends the browser to the sign-out URL; the next sign-in asks for a TOTP code', async () => {
    const refused = await person.get(`/oidc/logout?client_id=${consoleClientId}&logout_uri=${encodeURIComponent('https://attacker.example/')}`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();

    const response = await person.get(`/oidc/logout?client_id=${consoleClientId}&post_logout_redirect_uri=${encodeURIComponent(`${twin.consoleUrl}/`)}&state=bye`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${twin.consoleUrl}/?state=bye`);
    expect(person.cookie('sb-oidc-session')).toBeUndefined();

    const pkce = newPkce();
    const again = await person.get(authorizePath(twin, pkce));
    expect(again.status).toBe(200);
    const { interaction } = pageState(await again.text());
    const afterPassword = await person.post('/oidc/sign-in', { interaction: interaction!, step: 'sign-in', email, password: testPassword });
    expect(pageState(await afterPassword.text()).step).toBe('totp');
    const done = await person.post('/oidc/sign-in', { interaction: interaction!, step: 'totp', code: await freshTotpCode(twin, email) });
    expect(done.status).toBe(302);
  });

  it('after AdminUserGlobalSignOut, refresh tokens and the sign-in session no longer work', async () => {
    await adminCall(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId(), Username: email }));
    expect(await refresh(tokens.refresh_token!)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const response = await person.get(authorizePath(twin, newPkce()));
    expect(response.status).toBe(200);
    expect(pageState(await response.text()).step).toBe('sign-in');
  });

  it('a disabled account is refused with a clear message, its refresh tokens too; enabled, it signs in again', async () => {
    const signedIn = await signInPerson(twin, email);
    await adminCall(new AdminDisableUserCommand({ UserPoolId: poolId(), Username: email }));
    expect(await refresh(signedIn.refreshToken)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const browser = new FormBrowser(twin.url);
    const page = await browser.get(authorizePath(twin, newPkce()));
    const { interaction } = pageState(await page.text());
    const refused = await browser.post('/oidc/sign-in', { interaction: interaction!, step: 'sign-in', email, password: testPassword });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('This account is disabled.');

    await adminCall(new AdminEnableUserCommand({ UserPoolId: poolId(), Username: email }));
    // Disabling ended the session of the helper's browser too: this is a full sign-in again, with a new TOTP code.
    const stepBefore = twin.identity.findByEmail(email)!.lastTotpStep!;
    const again = await signInPerson(twin, email);
    expect(again.sub).toBe(sub);
    expect(twin.identity.findByEmail(email)!.lastTotpStep).toBeGreaterThan(stepBefore);
    expect(await refresh(signedIn.refreshToken)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  }, 90_000);
});

describe('the tests\' sign-in helper', () => {
  it('signs a person in again from their browser session, with no TOTP code, and the tokens verify', async () => {
    const email = unique('helper');
    const first = await signInPerson(twin, email);
    const step = twin.identity.findByEmail(email)!.lastTotpStep;
    const second = await signInPerson(twin, email);
    expect(twin.identity.findByEmail(email)!.lastTotpStep).toBe(step);
    expect(second.sub).toBe(first.sub);
    expect(second.accessToken).not.toBe(first.accessToken);
    await expect(accessVerifier().verify(second.accessToken)).resolves.toMatchObject({ sub: first.sub });
  });
});

describe('sign-in refusals and recovery', () => {
  it('locks an account after 5 wrong passwords for 15 minutes and says so, even for the right password', async () => {
    const email = unique('locked');
    await signInPerson(twin, email);
    const browser = new FormBrowser(twin.url);
    const page = await browser.get(authorizePath(twin, newPkce()));
    const { interaction } = pageState(await page.text());
    for (let attempt = 1; attempt <= 4; attempt++) {
      const wrong = await browser.post('/oidc/sign-in', { interaction: interaction!, step: 'sign-in', email, password: 'Wrong-Horse-1' });
      expect(await wrong.text()).toContain('Incorrect e-mail address or password.');
    }
    const fifth = await browser.post('/oidc/sign-in', { interaction: interaction!, step: 'sign-in', email, password: 'Wrong-Horse-1' });
    expect(await fifth.text()).toContain('this account is locked for 15 minutes');
    const right = await browser.post('/oidc/sign-in', { interaction: interaction!, step: 'sign-in', email, password: testPassword });
    expect(right.status).toBe(400);
    expect(await right.text()).toContain('Too many failed attempts');
  });

  it('resets a forgotten password with a code from the mail outbox', async () => {
    const email = unique('forgot');
    await signInPerson(twin, email);
    const browser = new FormBrowser(twin.url);
    const page = await browser.get(authorizePath(twin, newPkce()));
    const { interaction } = pageState(await page.text());
    let response = await browser.post('/oidc/sign-in', { interaction: interaction!, step: 'forgot', start: '1' });
    expect(pageState(await response.text()).step).toBe('forgot');
    response = await browser.post('/oidc/sign-in', { interaction: interaction!, step: 'forgot', email });
    expect(pageState(await response.text()).step).toBe('reset');

    const outbox = (await (await fetch(`${twin.url}/local/mail/outbox?to=${encodeURIComponent(email)}`)).json()) as { items: { kind: string; text: string; subject: string }[] };
    expect(outbox.items).toHaveLength(1);
    expect(outbox.items[0]).toMatchObject({ kind: 'password-reset', subject: 'Your Switchboard password reset code' });
    const code = /\b(\d{6})\b/.exec(outbox.items[0]!.text)![1]!;

    const newPassword = 'Another-Horse-7';
    response = await browser.post('/oidc/sign-in', { interaction: interaction!, step: 'reset', code: code === '000000' ? '111111' : '000000', password: newPassword, confirm: newPassword });
    expect(await response.text()).toContain('That code is not correct.');
    response = await browser.post('/oidc/sign-in', { interaction: interaction!, step: 'reset', code, password: newPassword, confirm: newPassword });
    const html = await response.text();
    expect(pageState(html).step).toBe('sign-in');
    expect(html).toContain('Your password was changed.');
    response = await browser.post('/oidc/sign-in', { interaction: interaction!, step: 'sign-in', email, password: newPassword });
    expect(pageState(await response.text()).step).toBe('totp');
  });

  it('speaks Traditional Chinese by ui_locales or Accept-Language, and switches language on the page', async () => {
    const byHeader = await fetch(`${twin.url}${authorizePath(twin, newPkce())}`, { headers: { 'accept-language': 'zh-TW,zh;q=0.9,en;q=0.5' } });
    const html = await byHeader.text();
    expect(html).toContain('<html lang="zh-TW">');
    expect(html).toContain('登入 Switchboard');
    const browser = new FormBrowser(twin.url);
    const page = await browser.get(authorizePath(twin, newPkce(), { ui_locales: 'zh-TW' }));
    const { interaction } = pageState(await page.text());
    const english = await browser.post('/oidc/sign-in', { interaction: interaction!, step: 'sign-in', language: '1', ui_locales: 'en' });
    expect(await english.text()).toContain('Sign in to Switchboard');
  });

  it('refuses a form posted without the browser cookie of its sign-in', async () => {
    const page = await fetch(`${twin.url}${authorizePath(twin, newPkce())}`);
    const { interaction } = pageState(await page.text());
    const forged = await fetch(`${twin.url}/oidc/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ interaction: interaction!, step: 'sign-in', email: 'x@example.com', password: testPassword }).toString(),
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
  });
});

describe('the Cognito admin API and SES v2 through the AWS SDK', () => {
  it("answers AdminCreateUser, AdminGetUser and Cognito's exceptions", async () => {
    const email = unique('sdk');
    const sub = await createAccount(email);
    const client = cognito();
    try {
      const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: email }));
      expect(user).toMatchObject({ Username: sub, Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
      expect(user.UserAttributes).toContainEqual({ Name: 'sub', Value: sub });
      expect(user.UserCreateDate).toBeInstanceOf(Date);
      await expect(createAccount(email)).rejects.toBeInstanceOf(UsernameExistsException);
      await expect(client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: unique('nobody') }))).rejects.toBeInstanceOf(UserNotFoundException);
    } finally {
      client.destroy();
    }
  });

  it('the mail port sends through SES v2 into GET /local/mail/outbox, newest first, filtered by recipient', async () => {
    const to = unique('mail');
    const first = await mailSender().send({ to, subject: 'Welcome', text: 'Hello', kind: 'invitation', tenantId: 'ten_01HZX' });
    const second = await mailSender().send({ to, subject: '歡迎', text: '您好', html: '<p>您好</p>', kind: 'signup-approved' });
    const response = await fetch(`${twin.url}/local/mail/outbox?to=${encodeURIComponent(to.toUpperCase())}&limit=5`);
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Record<string, unknown>[] };
    expect(items).toEqual([
      expect.objectContaining({ messageId: second.messageId, to, subject: '歡迎', text: '您好', html: '<p>您好</p>', kind: 'signup-approved', from: process.env.MAIL_FROM }),
      expect.objectContaining({ messageId: first.messageId, to, subject: 'Welcome', kind: 'invitation', tenantId: 'ten_01HZX' }),
    ]);
    expect(items[1]).not.toHaveProperty('html');
    expect(twin.mail.sentTo(to)).toHaveLength(2);
  });

  it('refuses what SES refuses', async () => {
    const ses = new SESv2Client({ endpoint: process.env.MAIL_ENDPOINT, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await expect(
        ses.send(new SendEmailCommand({ FromEmailAddress: 'not-an-address', Destination: { ToAddresses: ['a@example.com'] }, Content: { Simple: { Subject: { Data: 'x' }, Body: { Text: { Data: 'y' } } } } })),
      ).rejects.toBeInstanceOf(BadRequestException);
    } finally {
      ses.destroy();
    }
  });
});
