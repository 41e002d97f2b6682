import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotp, totpStep } from '../../infra/local/oidc/totp';
import { type AxeViolation, axeViolations, launchChromium } from '../support/console-browser';
import { consoleClientId } from '../support/people-sign-in';
import { type TestTwin, api, startTestTwin } from '../support/twin';
import { eventually } from '../support/waiting';

/**
 * The console's whole journey in headless Chromium against a test twin, through the real pages
 * only (no session put in storage): a business signs up, verifies its e-mail from the mail
 * outbox, chooses its password, signs in through the issuer's pages with TOTP enrolment, sets
 * business hours and a holiday, invites a supervisor, creates a survey template and enables
 * surveys by web link (a trial has no SMS sender), makes an API key on the API keys page, and
 * watches contacts closed through the API with it reach the dashboard without a reload. The
 * supervisor then signs in in Traditional Chinese and can reach neither keys, settings nor people,
 * in the console or through the API. Both sign out; "sign out everywhere" ends the token.
 * axe-core on every page visited, and no console errors.
 */

let twin: TestTwin;
let browser: Browser;
const taipei = 'Asia/Taipei';
const adminEmail = `owner-${Date.now()}@formosa-tea.example`;
const adminPassword = 'Oolong-Harvest-2026!';
const supervisorEmail = `lead-${Date.now()}@formosa-tea.example`;
const supervisorPassword = 'Jasmine-Shift-2026!';

/** What each page visited had: axe's serious and critical violations, by page. */
const checkedPages: Record<string, AxeViolation[]> = {};
let adminToken = '';
let supervisorToken = '';

beforeAll(async () => {
  twin = await startTestTwin();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

interface Tab {
  page: Page;
  context: BrowserContext;
  errors: string[];
}

async function newTab(locale: 'en' | 'zh-TW'): Promise<Tab> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale, timezoneId: taipei });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return { page, context, errors };
}

async function check(page: Page, name: string): Promise<void> {
  checkedPages[name] = await axeViolations(page);
}

async function latestMail(to: string, kind: string): Promise<{ subject: string; text: string }> {
  let found: { subject: string; text: string; kind?: string } | undefined;
  await eventually(async () => {
    const outbox = await api(twin.url, 'GET', `/local/mail/outbox?to=${encodeURIComponent(to)}`);
    found = (outbox.body.items as { subject: string; text: string; kind?: string }[]).find((mail) => mail.kind === kind);
    return found !== undefined;
  }, `a ${kind} mail to ${to}`);
  return found!;
}

/** The code an authenticator app shows for the secret as the page shows it, never one the issuer has taken. */
async function authenticatorCode(secretAsShown: string, email: string): Promise<string> {
  const secret = secretAsShown.replace(/\s/g, '');
  for (;;) {
    const now = totpStep(Date.now());
    const used = twin.identity.findByEmail(email)?.lastTotpStep ?? -Infinity;
    if (used < now && Date.now() % 30_000 < 27_000) return hotp(secret, now);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** The access token the console holds for this tab, as oidc-client-ts keeps it. */
async function consoleAccessToken(page: Page): Promise<string> {
  const key = `oidc.user:${twin.consoleUrl}/oidc:${consoleClientId}`;
  const stored = await page.evaluate((storageKey) => window.sessionStorage.getItem(storageKey), key);
  if (!stored) throw new Error('The console holds no session');
  return (JSON.parse(stored) as { access_token: string }).access_token;
}

async function chooseOption(page: Page, label: string, filter: string, option: string | RegExp): Promise<void> {
  await page.getByRole('button', { name: label }).click();
  await page.keyboard.type(filter);
  await page.getByRole('option', { name: option }).first().click();
}

/** An item of the top bar's open menu. */
const menuItem = (page: Page, name: string) => page.getByRole('menuitem', { name, exact: true }).or(page.getByText(name, { exact: true })).first();

const todayInTaipei = () => new Intl.DateTimeFormat('en-CA', { timeZone: taipei, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

async function closedContact(key: string, secondsAgo: number): Promise<void> {
  const arrival = Math.max(Date.parse(`${todayInTaipei()}T00:00:00+08:00`) + 1000, Date.now() - secondsAgo * 1000);
  const iso = (after: number) => new Date(arrival + after * 1000).toISOString();
  const created = await api(twin.url, 'POST', '/v1/contacts', {
    key,
    body: { channel: 'voice', direction: 'inbound', purpose: 'service', queue: 'orders', queuedAt: iso(0), answeredAt: iso(8), agentId: 'owner', endedAt: iso(200) },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const closed = await api(twin.url, 'POST', `/v1/contacts/${created.body.contactId}/close`, { key, body: { outcome: 'resolved', firstContactResolution: true } });
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
}

describe('the console, from sign-up to sign-out', () => {
  let admin: Tab;

  it('a business signs up, verifies its e-mail, chooses its password and signs in with TOTP enrolment to its dashboard', async () => {
    admin = await newTab('en');
    const { page } = admin;
    await page.goto(`${twin.consoleUrl}/signup`);
    await page.getByRole('heading', { level: 1, name: 'Start your Switchboard trial' }).waitFor();
    await page.getByLabel('Business name').fill('Formosa Tea House');
    await page.getByLabel('Your e-mail address').fill(adminEmail);
    await chooseOption(page, 'Country', 'Taiwan', /\(TW\)/);
    // A Taiwanese business: its customers and people read Traditional Chinese by default.
    await chooseOption(page, 'Language', '', '繁體中文');
    expect(await page.getByRole('button', { name: 'Time zone' }).innerText()).toContain('Asia/Taipei');
    await check(page, 'sign-up');
    await page.screenshot({ path: 'docs/images/console-signup-en.png' });
    await page.getByRole('button', { name: 'Start the trial' }).click();
    await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
    await check(page, 'sign-up, sent');

    const verification = await latestMail(adminEmail, 'signup-verification');
    const link = /https?:\/\/\S+\/signup\/verify\?token=[\w-]+/.exec(verification.text)?.[0];
    expect(link, verification.text).toBeDefined();
    await page.goto(link!);
    await page.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor();
    await check(page, 'sign-up, verify');
    await page.getByLabel('Your name').fill('Mei-Ling Chen');
    await page.getByLabel('Password', { exact: true }).fill(adminPassword);
    await page.getByLabel('Password again').fill(adminPassword);
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByRole('heading', { name: 'Your trial is ready' }).waitFor();
    await check(page, 'sign-up, completed');

    await page.getByRole('link', { name: 'Sign in' }).or(page.getByRole('button', { name: 'Sign in' })).first().click();
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/'));
    await page.getByRole('heading', { level: 1, name: 'Sign in to Switchboard' }).waitFor();
    await check(page, 'issuer: sign-in');
    await page.getByLabel('E-mail address').fill(adminEmail);
    await page.getByLabel('Password').fill(adminPassword);
    await page.getByLabel('Password').press('Enter');
    await page.locator('#totp-secret').waitFor();
    await check(page, 'issuer: TOTP enrolment');
    const secretAsShown = await page.locator('#totp-secret').innerText();
    await page.getByLabel('6-digit code').fill(await authenticatorCode(secretAsShown, adminEmail));
    await page.getByLabel('6-digit code').press('Enter');

    // The tenant reads Traditional Chinese; this admin switches the console to English.
    await page
      .getByRole('heading', { level: 1, name: '儀表板' })
      .waitFor({ timeout: 60_000 })
      .catch(async (error: unknown) => {
        throw new Error(`No dashboard at ${page.url()}:\n${await page.locator('body').innerText()}\n${admin.errors.join('\n')}`, { cause: error });
      });
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('button', { name: /語言/ }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await check(page, 'dashboard (admin, en)');
    adminToken = await consoleAccessToken(page);
    const me = await api(twin.url, 'GET', '/v1/me', { key: adminToken });
    expect(me.status).toBe(200);
    expect(me.body.tenant).toMatchObject({ name: 'Formosa Tea House', locale: 'zh-TW', timezone: taipei });
    expect(me.body.principal).toMatchObject({ kind: 'person', role: 'admin', email: adminEmail });
    expect(admin.errors).toEqual([]);
  }, 240_000);

  it('sets business hours and a holiday, creates a survey template, enables web-link surveys and invites a supervisor', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('button', { name: 'Saturday: add opening hours' }).click();
    await page.getByLabel('Saturday, period 1: opens', { exact: true }).fill('10:00');
    await page.getByLabel('Saturday, period 1: closes', { exact: true }).fill('14:00');
    await page.getByRole('button', { name: 'Add a day' }).click();
    await page.getByRole('textbox', { name: 'Date', exact: true }).fill('2027/01/01');
    await page.getByLabel('Name of special day 1', { exact: true }).fill('New Year’s Day');
    await check(page, 'settings: business hours');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Business hours: saved.').waitFor();

    await page.getByRole('link', { name: 'Survey templates' }).click();
    await page.getByRole('heading', { level: 1, name: 'Survey templates' }).waitFor();
    await check(page, 'survey templates');
    await page.getByRole('link', { name: 'Create template' }).or(page.getByRole('button', { name: 'Create template' })).first().click();
    await page.getByRole('heading', { name: 'New survey template', level: 1 }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('After a tea order');
    await page.getByLabel('SMS introduction (English)', { exact: true }).fill('{company}: thanks for your order! Reply STOP to opt out.');
    await page.getByLabel('SMS introduction (中文)', { exact: true }).fill('{company}感謝您的訂購！回覆「退訂」即不再收到簡訊。');
    await page.getByLabel('Thank you (English)', { exact: true }).fill('Thank you!');
    await page.getByLabel('Thank you (中文)', { exact: true }).fill('感謝您！');
    await page.getByRole('button', { name: 'Add question' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Satisfaction (CSAT, 1–5)', exact: true }).or(page.getByRole('option', { name: 'Satisfaction (CSAT, 1–5)', exact: true })).first().click();
    await page.getByTestId('question-0').getByLabel('Question (English)', { exact: true }).fill('How satisfied were you with your order?');
    await page.getByTestId('question-0').getByLabel('Question (中文)', { exact: true }).fill('您對這次的訂購滿意嗎？');
    await check(page, 'survey template editor');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByText('Template created as version 1.').waitFor();

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('tab', { name: 'Surveys', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Survey rules' }).waitFor();
    const surveysSwitch = page.getByRole('checkbox').first();
    await surveysSwitch.click();
    await page.getByRole('radio', { name: 'As a web link you deliver yourself' }).check();
    await page.getByRole('button', { name: 'Survey template' }).click();
    await page.getByRole('option', { name: /After a tea order/ }).click();
    await check(page, 'settings: surveys');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Survey rules: saved.').waitFor();

    const settings = await api(twin.url, 'GET', '/v1/settings', { key: adminToken });
    expect(JSON.stringify(settings.body.businessHours)).toContain('10:00');
    expect(JSON.stringify(settings.body)).toContain('2027-01-01');
    expect(settings.body.surveys).toMatchObject({ enabled: true });
    expect(settings.body.surveys.templateId).toMatch(/^svt_/);

    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await check(page, 'people');
    await page.getByRole('button', { name: 'Invite a person' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('E-mail').fill(supervisorEmail);
    await dialog.getByRole('radio', { name: /Supervisor/ }).check();
    await dialog.getByLabel('Name', { exact: true }).fill('Wei-Ting Lin');
    await check(page, 'people: invite');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText(`Invitation sent to ${supervisorEmail}.`).waitFor();
    await page.getByRole('row', { name: new RegExp(supervisorEmail.replace(/[.]/g, '\\.')) }).waitFor();
    const invitation = await latestMail(supervisorEmail, 'invitation');
    expect(invitation.text).toMatch(/(temporary password: |臨時密碼：)\S+/);
    expect(admin.errors).toEqual([]);
  }, 240_000);

  it('makes an API key on the API keys page; contacts closed through the API with it reach the dashboard without a reload', async () => {
    const { page } = admin;
    // The order system's key, made on the console's API keys page; its secret is shown once.
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await page.getByRole('button', { name: 'Create key' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Order system');
    await dialog.getByText('Agent', { exact: true }).click();
    await check(page, 'API keys: create');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('shown-once-secret').waitFor();
    const key = (await page.getByTestId('shown-once-secret').textContent())!.trim();
    expect(key).toMatch(/^sb\./);
    await check(page, 'API keys: secret shown once');
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await page.getByRole('row', { name: /Order system/ }).waitFor();

    // On the origin the mail's link led to (this tab's session and language choice live there).
    await page.goto(new URL('/?refresh=2', page.url()).href);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByTestId('offered').waitFor();
    const before = Number(await page.getByTestId('offered').innerText());
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await closedContact(key, 600);
    await closedContact(key, 300);
    await page.getByTestId('offered').filter({ hasText: String(before + 2) }).waitFor({ timeout: 60_000 });
    expect(Number(await page.getByTestId('handled').innerText())).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await check(page, 'dashboard with contacts');
    expect(admin.errors).toEqual([]);
  }, 180_000);

  it('the supervisor signs in in Traditional Chinese and reaches neither keys, settings nor people', async () => {
    const supervisor = await newTab('zh-TW');
    const { page } = supervisor;
    const invitation = await latestMail(supervisorEmail, 'invitation');
    const temporary = /(?:temporary password: |臨時密碼：)(\S+)/.exec(invitation.text)![1]!;
    const consoleLink = /https?:\/\/[^\s/]+\/?/.exec(invitation.text)?.[0];
    expect(consoleLink).toBeDefined();
    await page.goto(consoleLink!);
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/'));
    await page.locator('#email').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-TW');
    await page.screenshot({ path: 'docs/images/console-sign-in-zh-TW.png' });
    await check(page, 'issuer: sign-in (zh-TW)');
    await page.locator('#email').fill(supervisorEmail);
    await page.locator('#password').fill(temporary);
    await page.locator('#password').press('Enter');
    await page.locator('#confirm').waitFor();
    await check(page, 'issuer: new password (zh-TW)');
    await page.locator('#password').fill(supervisorPassword);
    await page.locator('#confirm').fill(supervisorPassword);
    await page.locator('#confirm').press('Enter');
    await page.locator('#totp-secret').waitFor();
    await check(page, 'issuer: TOTP enrolment (zh-TW)');
    await page.locator('#code').fill(await authenticatorCode(await page.locator('#totp-secret').innerText(), supervisorEmail));
    await page.locator('#code').press('Enter');

    await page.getByRole('heading', { level: 1, name: '儀表板' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('offered').waitFor();
    await check(page, 'dashboard (supervisor, zh-TW)');
    const links = await page.getByRole('link').allInnerTexts();
    expect(links).toContain('人力規劃');
    for (const hidden of ['設定', '人員', 'API 金鑰', 'Settings', 'People', 'API keys']) expect(links).not.toContain(hidden);

    await page.goto(`${twin.consoleUrl}/people`);
    await page.getByText('您的角色不包含此頁面').waitFor();
    await check(page, 'people refused (supervisor, zh-TW)');

    supervisorToken = await consoleAccessToken(page);
    const me = await api(twin.url, 'GET', '/v1/me', { key: supervisorToken });
    expect(me.body.principal).toMatchObject({ kind: 'person', role: 'supervisor' });
    expect((await api(twin.url, 'GET', '/v1/api-keys', { key: supervisorToken })).status).toBe(403);
    expect((await api(twin.url, 'PATCH', '/v1/settings', { key: supervisorToken, body: { surveys: { enabled: false } }, headers: { 'if-match': '*' } })).status).toBe(403);
    expect((await api(twin.url, 'GET', '/v1/people', { key: supervisorToken })).status).toBe(403);

    // Signing out ends the issuer's session too: the console is back at the sign-in page.
    await page.getByRole('button', { name: /Wei-Ting Lin/ }).click();
    await menuItem(page, '登出').click();
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/'), { timeout: 30_000 });
    await page.locator('#email').waitFor();
    expect(await page.locator('#password').count()).toBe(1);
    expect(supervisor.errors).toEqual([]);
    await supervisor.context.close();
  }, 240_000);

  it('"sign out everywhere" refuses the admin\'s old token and the console asks to sign in again', async () => {
    const { page } = admin;
    expect((await api(twin.url, 'GET', '/v1/me', { key: adminToken })).status).toBe(200);
    await page.getByRole('button', { name: /Mei-Ling Chen/ }).click();
    await menuItem(page, 'Sign out everywhere').click();
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/'), { timeout: 30_000 });
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect((await api(twin.url, 'GET', '/v1/me', { key: adminToken })).status).toBe(401);
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    expect(checkedPages).toEqual(Object.fromEntries(Object.keys(checkedPages).map((name) => [name, []])));
  }, 120_000);
});
