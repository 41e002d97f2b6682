import { createHash, randomBytes } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { hotp, totpStep } from '../../infra/local/oidc/totp';
import type { TestTwin } from './twin';

/**
 * How a test signs a person in on the twin, without a browser: the account through the Cognito
 * emulation (as the people functions create it), then the local issuer's own pages driven over
 * HTTP (password, TOTP enrolment or code, computed as an authenticator app would), the
 * authorization code with PKCE, and the tokens.
 */

export const consoleClientId = 'switchboard-console';
/** Meets the people's password policy (shared/domain/password-policy.ts: 12+, lower, upper, digit). */
export const testPassword = 'Correct-Horse-9';

export function cognitoClient(): CognitoIdentityProviderClient {
  const endpoint = process.env.COGNITO_ENDPOINT;
  if (!endpoint) throw new Error('COGNITO_ENDPOINT is not set: start a twin first');
  return new CognitoIdentityProviderClient({ endpoint, region: process.env.AWS_REGION ?? 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

export interface PersonTokens {
  sub: string;
  email: string;
  password: string;
  totpSecret: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

/** Just enough of a browser: one cookie jar, redirects not followed, forms posted url-encoded. */
export class FormBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async get(pathOrUrl: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(pathOrUrl, { method: 'GET', headers });
  }

  async post(pathOrUrl: string, fields: Record<string, string>): Promise<Response> {
    return this.request(pathOrUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private async request(pathOrUrl: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Response> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, headers: { ...init.headers, ...(cookie ? { cookie } : {}) }, redirect: 'manual' });
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/** The step a sign-in page asks for and its interaction id, read from the HTML's hidden fields. */
export function pageState(html: string): { step: string | undefined; interaction: string | undefined } {
  const main = html.slice(html.indexOf('<main>'));
  return {
    step: /name="step" value="([^"]+)"/.exec(main)?.[1],
    interaction: /name="interaction" value="([^"]+)"/.exec(main)?.[1],
  };
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizePath(twin: Pick<TestTwin, 'consoleUrl'>, pkce: Pkce, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    client_id: consoleClientId,
    response_type: 'code',
    redirect_uri: `${twin.consoleUrl}/auth/callback`,
    scope: 'openid email profile',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  return `/oidc/authorize?${query.toString()}`;
}

/**
 * A TOTP code the issuer has not taken yet. It takes each code once and one step either side of
 * now, so the earliest unused of the previous, current and next steps' codes; three sign-ins of
 * one account within 30 seconds use them all, and a fourth waits for the next step.
 */
export async function freshTotpCode(twin: Pick<TestTwin, 'identity'>, email: string): Promise<string> {
  const account = twin.identity.findByEmail(email);
  if (!account?.totpSecret) throw new Error(`${email} has no TOTP secret`);
  for (;;) {
    const nowMs = Date.now();
    const now = totpStep(nowMs);
    // The previous step's code stops working when this step ends: only with two seconds to spare.
    const earliest = nowMs % 30_000 < 28_000 ? now - 1 : now;
    const step = Math.max(earliest, (account.lastTotpStep ?? -Infinity) + 1);
    if (step <= now + 1) return hotp(account.totpSecret, step);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Exchanges an authorization code at the token endpoint; the answer's JSON. */
export async function exchangeCode(twin: Pick<TestTwin, 'url' | 'consoleUrl'>, code: string, verifier: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${twin.url}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: consoleClientId, code, redirect_uri: `${twin.consoleUrl}/auth/callback`, code_verifier: verifier }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Each person's browser, per twin: a second sign-in uses its session, as a browser would, and needs no TOTP code. */
const browsers = new Map<string, FormBrowser>();

/**
 * Creates the account (or, when it exists, as the people functions made it with a temporary
 * password, sets a known permanent one through AdminSetUserPassword), then signs in and enrols or
 * answers TOTP. Returns the tokens and what a test needs to sign in again. A person signed in
 * before reuses their browser's session while it is good (not after a global sign-out or
 * while disabled); `newBrowser` signs in from a fresh one.
 */
export async function signInPerson(
  twin: Pick<TestTwin, 'url' | 'consoleUrl' | 'identity'>,
  email: string,
  { password = testPassword, newBrowser = false }: { password?: string; newBrowser?: boolean } = {},
): Promise<PersonTokens> {
  const cognito = cognitoClient();
  try {
    try {
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: process.env.PEOPLE_USER_POOL_ID,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
          TemporaryPassword: password,
        }),
      );
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
    }
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: process.env.PEOPLE_USER_POOL_ID, Username: email, Password: password, Permanent: true }));
  } finally {
    cognito.destroy();
  }

  const browserKey = `${twin.url} ${email.toLowerCase()}`;
  const browser = (!newBrowser && browsers.get(browserKey)) || new FormBrowser(twin.url);
  browsers.set(browserKey, browser);
  const tokens = await signInThroughPages(twin, browser, email, password);
  const account = twin.identity.findByEmail(email)!;
  return {
    sub: account.sub,
    email: account.email,
    password,
    totpSecret: account.totpSecret!,
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    refreshToken: tokens.refreshToken,
  };
}

/**
 * Signs in through the issuer's pages only, with the account as it is (no admin call first), as a
 * person does: the password, a new one when the account still has a temporary password
 * (`newPassword`), TOTP enrolment or a code, then the code exchange. Throws with the page when
 * the issuer refuses.
 */
export async function signInThroughPages(
  twin: Pick<TestTwin, 'url' | 'consoleUrl' | 'identity'>,
  browser: FormBrowser,
  email: string,
  password: string,
  { newPassword }: { newPassword?: string } = {},
): Promise<{ accessToken: string; idToken: string; refreshToken: string }> {
  const pkce = newPkce();
  let response = await browser.get(authorizePath(twin, pkce));
  if (response.status !== 302) {
    let html = await response.text();
    let { step } = pageState(html);
    const { interaction } = pageState(html);
    if (step !== 'sign-in' || !interaction) throw new Error(`authorize answered ${response.status} without the sign-in page:\n${html}`);
    response = await browser.post('/oidc/sign-in', { interaction, step, email, password });
    for (let round = 0; round < 4 && response.status === 200; round++) {
      html = await response.text();
      ({ step } = pageState(html));
      if (step === 'totp-setup' || step === 'totp') response = await browser.post('/oidc/sign-in', { interaction, step, code: await freshTotpCode(twin, email) });
      else if (step === 'new-password' && newPassword) response = await browser.post('/oidc/sign-in', { interaction, step, password: newPassword, confirm: newPassword });
      else throw new Error(`Signing ${email} in stopped at the ${step} page:\n${html}`);
    }
  }
  if (response.status !== 302) throw new Error(`Signing ${email} in answered ${response.status}:\n${await response.text()}`);
  const code = new URL(response.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`The issuer redirected without a code: ${response.headers.get('location')}`);
  const tokens = await exchangeCode(twin, code, pkce.verifier);
  if (tokens.status !== 200) throw new Error(`The token endpoint answered ${tokens.status}: ${JSON.stringify(tokens.body)}`);
  return { accessToken: String(tokens.body.access_token), idToken: String(tokens.body.id_token), refreshToken: String(tokens.body.refresh_token) };
}
