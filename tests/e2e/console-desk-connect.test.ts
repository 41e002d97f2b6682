import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleTab, axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { freshTotpCode, signInPerson } from '../support/people-sign-in';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';

/**
 * Amazon Connect in the desk, in Chromium against a test twin: the Contact Control Panel framed
 * from the tenant's access URL by the real amazon-connect-streams (loaded only when an agent opens
 * it, never for a tenant without the URL), the access URL set on the Settings page, and the
 * agent-workspace app's page opened outside Connect. No Connect instance answers here: requests
 * to *.my.connect.aws get a blank stand-in page, so the tests look at the frame, not at the CCP.
 */

let twin: TestTwin;
const errorSources: string[] = [];
let browser: Browser;
let withUrl: string;
let withUrlAgent: { email: string; password: string };
let withoutUrl: string;
const accessUrl = 'https://acme-care.my.connect.aws';

beforeAll(async () => {
  twin = await startTestTwin();
  browser = await launchChromium();
  // My work is a person's page: an agent of each tenant, signed in through the twin's issuer.
  const agentOf = async (name: string) => {
    const { apiKey } = await createTenant(twin, { name, locale: 'en' });
    const email = `agent.${Math.random().toString(36).slice(2, 8)}@connect.test`;
    const invited = await api(twin.url, 'POST', '/v1/people', { key: apiKey, body: { email, role: 'agent', agentId: email.split('@')[0], displayName: 'Mei Lin' } });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const signedIn = await signInPerson(twin, email);
    return { apiKey, agent: signedIn.accessToken, email, password: signedIn.password };
  };
  const connectCo = await agentOf('Connect Co');
  withUrl = connectCo.agent;
  withUrlAgent = { email: connectCo.email, password: connectCo.password };
  withoutUrl = (await agentOf('Plain Co')).agent;
  const set = await api(twin.url, 'PATCH', '/v1/settings', { key: connectCo.apiKey, body: { connect: { accessUrl: `${accessUrl.toUpperCase().replace('HTTPS', 'https')}/` } } });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  expect(set.body.connect).toEqual({ instanceArns: [], accessUrl });
  // The desk learns it from its first call, GET /v1/me, not from a settings read of its own.
  expect((await api(twin.url, 'GET', '/v1/me', { key: withUrl })).body.tenant.connectAccessUrl).toBe(accessUrl);
  expect((await api(twin.url, 'GET', '/v1/me', { key: withoutUrl })).body.tenant).not.toHaveProperty('connectAccessUrl');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

async function open(key: string, path: string, locale: 'en' | 'zh-TW') {
  const tab = await openConsole(browser, twin.consoleUrl, { token: key, path, locale });
  tab.page.setDefaultTimeout(60_000);
  const requested: string[] = [];
  tab.page.on('request', (request) => requested.push(request.url()));
  // Where each error came from, for the failure message (the harness keeps only its text).
  tab.page.on('console', (message) => {
    if (message.type() === 'error') errorSources.push(`${message.text()} at ${message.location().url}`);
  });
  // The CCP's frame is made only when the agent opens the phone, after this.
  await tab.context.route(/^https:\/\/[^/]+\.(my\.connect\.aws|awsapps\.com)\//, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>CCP stand-in</title><main><h1>CCP</h1></main></html>' }),
  );
  return { tab, requested };
}

/**
 * The harness puts the session in sessionStorage by a script that runs in every frame, the CCP's
 * stand-in too, where Chromium refuses it: that error is the harness's, not the console's.
 */
const consoleErrors = (tab: ConsoleTab) => tab.errors.filter((error) => !error.startsWith("Failed to read the 'sessionStorage' property from 'Window'"));

async function checkAndPhotograph(tab: ConsoleTab, name: string, locale: string) {
  expect(consoleErrors(tab), errorSources.join('\n')).toEqual([]);
  expect(await axeViolations(tab.page)).toEqual([]);
  mkdirSync('docs/images', { recursive: true });
  await tab.page.screenshot({ path: `docs/images/console-${name}-${locale}.png`, fullPage: false });
}

const words = {
  en: { desk: 'My work', open: 'Open the phone', hide: 'Hide the phone', panel: 'Contact Control Panel', frame: 'Amazon Connect Contact Control Panel', outside: 'Open this page inside Amazon Connect’s agent workspace' },
  'zh-TW': { desk: '我的工作', open: '開啟電話', hide: '隱藏電話', panel: '聯絡控制面板', frame: 'Amazon Connect 聯絡控制面板（CCP）', outside: '請在 Amazon Connect 的客服工作區中開啟此頁面' },
} as const;
const streamsChunk = /\/assets\/ccp-host-[^/]+\.js$/;

describe('the Contact Control Panel in the desk', () => {
  for (const locale of ['en', 'zh-TW'] as const) {
    it(`frames the CCP at <access URL>/ccp-v2/ once the agent opens the phone, and keeps it across pages (${locale})`, async () => {
      const { tab, requested } = await open(withUrl, '/desk', locale);
      try {
        const { page } = tab;
        await page.getByRole('heading', { level: 1, name: words[locale].desk }).waitFor();
        const openPhone = page.getByRole('button', { name: words[locale].open });
        await openPhone.waitFor();
        expect(requested.filter((url) => streamsChunk.test(url)), 'streams before the agent opens the phone').toEqual([]);

        await openPhone.click();
        const frame = page.locator('[data-ccp-panel] iframe');
        await frame.waitFor({ state: 'attached' });
        expect(await frame.getAttribute('src')).toMatch(new RegExp(`^${accessUrl.replace(/\./g, '\\.')}/ccp-v2/`));
        expect(await frame.getAttribute('title')).toBe(words[locale].frame);
        expect(await frame.getAttribute('allow')).toContain('microphone');
        expect(requested.filter((url) => streamsChunk.test(url))).toHaveLength(1);
        await expect.poll(() => page.locator('[data-ccp-panel] h2').textContent(), { timeout: 30_000 }).toBe(words[locale].panel);
        await page.getByRole('button', { name: words[locale].hide }).waitFor();
        await checkAndPhotograph(tab, 'desk-ccp', locale);

        // To a customer page and back: the same frame, never a second CCP.
        await page.getByRole('link', { name: locale === 'en' ? 'Customers' : '顧客', exact: true }).first().click();
        await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toBe('/desk/customers');
        expect(await page.locator('[data-ccp-panel] iframe').count()).toBe(1);
        expect(await page.locator('[data-ccp-panel]').isVisible()).toBe(true);
        await page.getByRole('button', { name: words[locale].hide }).click();
        expect(await page.locator('[data-ccp-panel]').isVisible()).toBe(false);
        await page.getByRole('button', { name: words[locale].open }).click();
        expect(await page.locator('[data-ccp-panel]').isVisible()).toBe(true);
        expect(await page.locator('[data-ccp-panel] iframe').count()).toBe(1);
        expect(requested.filter((url) => streamsChunk.test(url))).toHaveLength(1);
        expect(consoleErrors(tab)).toEqual([]);
      } finally {
        await tab.close();
      }
    }, 180_000);
  }

  it('offers no phone and never fetches the streams library for a tenant without an access URL', async () => {
    const { tab, requested } = await open(withoutUrl, '/desk', 'en');
    try {
      const { page } = tab;
      await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getByRole('button', { name: 'Open the phone' }).count()).toBe(0);
      expect(requested.filter((url) => new URL(url).pathname === '/v1/settings')).toEqual([]);
      await page.goto(`${twin.consoleUrl}/desk/pop?phone=%2B886912345678`);
      await page.getByRole('heading', { level: 1, name: 'Screen pop' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getByRole('button', { name: 'Open the phone' }).count()).toBe(0);
      expect(requested.filter((url) => streamsChunk.test(url) || url.includes('connect.aws'))).toEqual([]);
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.close();
    }
  }, 120_000);
});

describe('the access URL on the Settings page', () => {
  it('refuses a URL that is not an instance, beside the field, and keeps a good one after a reload', async () => {
    const admin = (await createTenant(twin, { name: 'Settings Co', locale: 'en' })).apiKey;
    const { tab } = await open(admin, '/settings?section=allocated', 'en');
    try {
      const { page } = tab;
      const field = page.getByRole('textbox', { name: /Access URL of your Amazon Connect instance/ });
      await field.fill('https://acme.example.com');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText("Must be the instance's access URL").first().waitFor();
      await field.fill('https://acme-care.awsapps.com/connect/');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(async () => (await api(twin.url, 'GET', '/v1/settings', { key: admin })).body.connect.accessUrl, { timeout: 30_000 }).toBe('https://acme-care.awsapps.com/connect');
      await page.reload();
      await page.getByRole('textbox', { name: /Access URL of your Amazon Connect instance/ }).waitFor();
      await expect.poll(() => page.getByRole('textbox', { name: /Access URL of your Amazon Connect instance/ }).inputValue(), { timeout: 30_000 }).toBe('https://acme-care.awsapps.com/connect');
      // The refused save is the one failed request the browser reports.
      expect(consoleErrors(tab)).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
      tab.errors.length = 0;
      await checkAndPhotograph(tab, 'settings-connect', 'en');
    } finally {
      await tab.close();
    }
  }, 120_000);
});

describe('the desk as an agent-workspace app', () => {
  it('signs in from inside the workspace through a pop-up, and the framed page goes on signed in', async () => {
    // A fresh browser: no session anywhere. Connect's agent workspace is played by a page on its domain that frames the app.
    // That page is "public" and the twin on loopback, which Chromium lets it reach only with the local-network permission.
    const context = await browser.newContext({ locale: 'en-US', permissions: ['local-network-access'] });
    try {
      await context.route('https://acme-care.my.connect.aws/agent-app-v2/', (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: `<!doctype html><html lang="en"><title>Agent workspace</title><iframe title="Switchboard" src="${twin.consoleUrl}/desk/workspace-app" style="width:1200px;height:800px"></iframe></html>`,
        }),
      );
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto('https://acme-care.my.connect.aws/agent-app-v2/');
      const app = page.frameLocator('iframe[title="Switchboard"]');
      await app.getByRole('heading', { name: 'Sign in to Switchboard' }).waitFor({ timeout: 60_000 });
      const [popup] = await Promise.all([context.waitForEvent('page'), app.getByRole('button', { name: 'Sign in' }).click()]);
      await popup.locator('#email').fill(withUrlAgent.email);
      await popup.locator('#password').fill(withUrlAgent.password);
      await popup.locator('#password').press('Enter');
      const closed = popup.waitForEvent('close', { timeout: 60_000 });
      const askedForCode = popup
        .locator('#code')
        .waitFor({ timeout: 60_000 })
        .then(async () => {
          await popup.locator('#code').fill(await freshTotpCode(twin, withUrlAgent.email));
          await popup.locator('#code').press('Enter');
        })
        .catch(() => undefined);
      await Promise.race([closed, askedForCode.then(() => closed)]);
      // Signed in inside the frame: the app's own page, which then waits for the workspace (absent here).
      await app.getByRole('heading', { name: 'Switchboard in the agent workspace' }).waitFor({ timeout: 60_000 });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  for (const locale of ['en', 'zh-TW'] as const) {
    it(`says outside Connect where it belongs, with no error, and may be framed by Connect alone (${locale})`, async () => {
      const { tab } = await open(withUrl, '/desk/workspace-app', locale);
      try {
        const { page } = tab;
        await page.getByText(words[locale].outside).waitFor();
        await page.waitForLoadState('networkidle');
        await checkAndPhotograph(tab, 'desk-workspace-app', locale);
      } finally {
        await tab.close();
      }
      const app = await fetch(`${twin.consoleUrl}/desk/workspace-app`);
      expect(app.headers.get('content-security-policy')).toMatch(/frame-ancestors https:\/\/\*\.my\.connect\.aws(;|$)/);
      expect(app.headers.get('x-frame-options')).toBeNull();
      const desk = await fetch(`${twin.consoleUrl}/desk`);
      expect(desk.headers.get('x-frame-options')).toBe('DENY');
      expect(desk.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }, 120_000);
  }
});
