import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import axe from 'axe-core';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, cognitoClient, freshTotpCode, newPkce, testPassword } from '../support/people-sign-in';
import { type TestTwin, startTestTwin } from '../support/twin';

/**
 * The local issuer's sign-in pages in headless Chromium (Debian's): each page a person meets on the
 * way in, by keyboard, with the issuer's strict Content-Security-Policy in force (no violation
 * reported on the console, the redirect after the last form included) and no serious or critical
 * axe-core violation, in English and Traditional Chinese.
 */

let twin: TestTwin;
let profile: string;
let browser: Browser;
const cspReports: string[] = [];

beforeAll(async () => {
  twin = await startTestTwin();
  profile = await mkdtemp(join(tmpdir(), 'oidc-pages-chromium-'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await twin?.close();
});

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) cspReports.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => cspReports.push(`${page.url()}: ${error.message}`));
  return page;
}

/** axe-core's serious and critical violations on the page, as `rule: target` lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated by the browser's debugger protocol, which the page's CSP does not govern.
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

async function createAccount(email: string): Promise<void> {
  const cognito = cognitoClient();
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: process.env.PEOPLE_USER_POOL_ID,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }],
        MessageAction: 'SUPPRESS',
        TemporaryPassword: 'Temporary-Pass-1',
      }),
    );
  } finally {
    cognito.destroy();
  }
}

describe('the sign-in pages in Chromium', () => {
  it('take a new person through sign-in, a new password and TOTP enrolment by keyboard, with no CSP report and no serious axe violation', async () => {
    const email = `chromium-${Date.now()}@example.com`;
    await createAccount(email);
    const context = await browser.newContext();
    const page = await newPage(context);
    const checked: Record<string, string[]> = {};

    await page.goto(`${twin.consoleUrl}${authorizePath(twin, newPkce())}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in to Switchboard');
    checked['sign-in'] = await seriousViolations(page);

    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('Wrong-Password-1');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Incorrect e-mail address or password.');
    checked['sign-in, refused'] = await seriousViolations(page);

    await page.getByLabel('Password').fill('Temporary-Pass-1');
    await page.getByLabel('Password').press('Enter');
    await page.getByLabel('New password', { exact: true }).waitFor();
    checked['new password'] = await seriousViolations(page);

    await page.getByLabel('New password', { exact: true }).fill(testPassword);
    await page.getByLabel('Repeat the new password').fill(testPassword);
    await page.keyboard.press('Enter');
    await page.getByLabel('6-digit code').waitFor();
    expect((await page.locator('#totp-secret').textContent())?.replace(/\s/g, '')).toBe(twin.identity.totpSecretOf(email));
    checked['TOTP enrolment'] = await seriousViolations(page);

    await page.getByLabel('6-digit code').fill(await freshTotpCode(twin, email));
    const [callback] = await Promise.all([page.waitForURL((url) => url.pathname === '/auth/callback'), page.keyboard.press('Enter')]);
    void callback;
    const url = new URL(page.url());
    expect(url.origin).toBe(twin.consoleUrl);
    expect(url.searchParams.get('code')).toBeTruthy();

    expect(checked).toEqual({ 'sign-in': [], 'sign-in, refused': [], 'new password': [], 'TOTP enrolment': [] });
    expect(cspReports).toEqual([]);
    await context.close();
  }, 120_000);

  it('the TOTP, forgotten-password, reset and error pages, in both languages', async () => {
    const email = `chromium-again-${Date.now()}@example.com`;
    await createAccount(email);
    // Enrolled through the first page's flow by the helper, so that this sign-in asks for a code.
    const { signInPerson } = await import('../support/people-sign-in');
    await signInPerson(twin, email);

    const checked: Record<string, string[]> = {};
    for (const locale of ['en', 'zh-TW'] as const) {
      const context = await browser.newContext({ locale });
      const page = await newPage(context);
      await page.goto(`${twin.consoleUrl}${authorizePath(twin, newPkce(), { ui_locales: locale })}`);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      checked[`${locale} sign-in`] = await seriousViolations(page);

      await page.locator('#email').fill(email);
      await page.locator('#password').fill(testPassword);
      await page.locator('#password').press('Enter');
      await page.locator('#code').waitFor();
      checked[`${locale} TOTP`] = await seriousViolations(page);

      await page.goto(`${twin.consoleUrl}${authorizePath(twin, newPkce(), { ui_locales: locale })}`);
      await page.locator('main form.secondary button').click();
      await page.locator('#email').waitFor();
      checked[`${locale} forgot`] = await seriousViolations(page);
      await page.locator('#email').fill(email);
      await page.locator('#email').press('Enter');
      await page.locator('#confirm').waitFor();
      checked[`${locale} reset`] = await seriousViolations(page);

      await page.goto(`${twin.consoleUrl}/oidc/authorize?client_id=nobody&ui_locales=${locale}`);
      await page.getByRole('alert').waitFor();
      checked[`${locale} error`] = await seriousViolations(page);
      await context.close();
    }
    expect(checked).toEqual(Object.fromEntries(Object.keys(checked).map((name) => [name, []])));
    expect(Object.keys(checked)).toHaveLength(10);
    expect(cspReports).toEqual([]);
  }, 120_000);

  it('the CSP check above sees a violation when there is one', async () => {
    const context = await browser.newContext();
    const page = await newPage(context);
    const before = cspReports.length;
    await page.goto(`${twin.consoleUrl}${authorizePath(twin, newPkce())}`);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
    });
    await expect.poll(() => cspReports.length).toBeGreaterThan(before);
    expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    cspReports.length = before;
    await context.close();
  }, 60_000);
});
