/// <reference lib="dom" />
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSurveyTimer } from '../../functions/survey-send/handler';
import { contrastRatio } from '../../shared/http/survey-page';
import { earlierTenantRules } from '../support/surveys';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';

/**
 * The survey web page in real headless Chromium (Debian's chromium, driven by playwright-core) at a
 * phone's viewport, on the local twin: a customer opens the link, answers with taps and the
 * keyboard, sends it, and the survey record has the answers; the link is then used, and an expired
 * link says so. Screenshots go to reports/screenshots/ (kept by CI as artifacts).
 */

const screenshots = 'reports/screenshots';
const phone = { width: 390, height: 844 };
let twin: TestTwin;
let profile: string;
let browser: BrowserContext;
const unique = () => String(Math.floor(Math.random() * 1e8)).padStart(8, '0');

beforeAll(async () => {
  twin = await startTestTwin();
  await mkdir(screenshots, { recursive: true });
  profile = await mkdtemp(join(tmpdir(), 'survey-web-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: phone,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
});

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await twin?.close();
});

interface Brand {
  displayName: string;
  colour: string;
}

async function linkSurvey(language: 'en' | 'zh-TW', branding: Brand) {
  const created = await createTenant(twin, { name: branding.displayName, locale: 'zh-TW' });
  const key = created.apiKey;
  // The four-question template: the screenshots show every kind of question the page renders.
  const surveys = await earlierTenantRules(twin, key);
  expect((await api(twin.url, 'PATCH', '/v1/settings', { key, body: { branding, surveys } })).status).toBe(200);
  const customer = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Chen Mei', phone: `+8869${unique()}`, language } });
  const contact = await api(twin.url, 'POST', '/v1/contacts', {
    key,
    body: { channel: 'voice', direction: 'inbound', purpose: 'service', customerId: customer.body.customerId, agentId: 'agent-9', queue: 'repairs' },
  });
  expect((await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key, body: { outcome: 'resolved' } })).status).toBe(200);
  const survey = await api(twin.url, 'POST', '/v1/surveys', { key, body: { contactId: contact.body.contactId, deliveryChannel: 'link' } });
  expect(survey.status, JSON.stringify(survey.body)).toBe(201);
  return { key, tenantId: created.tenant.tenantId as string, surveyId: survey.body.surveyId as string, url: `${twin.url}${survey.body.linkPath}` };
}

/** Opens a page that records the CSP violations and console errors Chromium reports. */
async function openPage(url: string) {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // A 404 or 410 page is reported as a failed load: the status is checked by the test instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  const response = await page.goto(url);
  return { page, status: response?.status(), problems };
}

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)).join(', ')})`;
const hexOf = (css: string) => `#${(css.match(/\d+/g) ?? []).slice(0, 3).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`;

/** What a customer checks on a phone: the tenant's header, readable, no sideways scrolling, fingertip-sized answers. */
async function expectPhoneFriendly(page: Page, branding: Brand) {
  const header = page.locator('header.brand');
  await expect(header.textContent()).resolves.toBe(branding.displayName);
  const [background, text] = await header.evaluate((element) => [getComputedStyle(element).backgroundColor, getComputedStyle(element).color]);
  expect(background).toBe(rgb(branding.colour));
  expect(contrastRatio(hexOf(background!), hexOf(text!))).toBeGreaterThanOrEqual(4.5);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
}

const cases = [
  {
    language: 'zh-TW' as const,
    branding: { displayName: '晨光家電', colour: '#0a6e4f' },
    onBrand: 'rgb(255, 255, 255)',
    title: '意見調查',
    yes: '是',
    comment: '等候時間太長，希望能改善。',
    thanks: '感謝您撥冗回覆！您的寶貴意見將幫助晨光家電提供更好的服務。',
    used: '這份問卷已經填寫完成',
    expired: '這個問卷連結已經過期',
  },
  {
    language: 'en' as const,
    branding: { displayName: 'Brightside Energy', colour: '#ffc20e' },
    onBrand: 'rgb(0, 0, 0)',
    title: 'Your feedback',
    yes: 'Yes',
    comment: 'The wait was too long.',
    thanks: 'Thank you for your answers. Your feedback helps Brightside Energy serve you better.',
    used: 'This survey has already been answered',
    expired: 'This survey link has expired',
  },
];

describe.each(cases)('the survey web page in $language', (c) => {
  it('is filled in on a phone with taps and the keyboard, recorded, and then used', async () => {
    const s = await linkSurvey(c.language, c.branding);
    const { page, status, problems } = await openPage(s.url);
    expect(status).toBe(200);
    await expect(page.getAttribute('html', 'lang')).resolves.toBe(c.language);
    await expect(page.locator('h1').textContent()).resolves.toBe(c.title);
    await expectPhoneFriendly(page, c.branding);
    expect(await page.locator('header.brand').evaluate((element) => getComputedStyle(element).color)).toBe(c.onBrand);

    // Every question is a fieldset with its legend; the scale's answers are big enough for a finger.
    expect(await page.locator('fieldset > legend').count()).toBe(4);
    const option = await page.locator('label.opt').first().boundingBox();
    expect(option!.height).toBeGreaterThanOrEqual(44);
    expect(option!.width).toBeGreaterThanOrEqual(44);

    // CSAT by keyboard: focus the scale, arrow to 2; the focus ring shows.
    await page.locator('input[name="csat"][value="1"]').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('input[name="csat"][value="2"]').isChecked()).resolves.toBe(true);
    const ring = await page.locator('input[name="csat"][value="2"] + span').evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(ring).toBe('solid');
    // The follow-up, found by its label, typed into; the rest tapped.
    await page.locator('#q-improve').click();
    await page.keyboard.type(c.comment);
    await page.locator('label.opt', { has: page.locator('input[name="resolved"][value="yes"]') }).tap();
    await page.locator('label.opt', { has: page.locator('input[name="nps"][value="8"]') }).tap();
    await expect(page.locator('input[name="nps"][value="8"]').isChecked()).resolves.toBe(true);
    await page.screenshot({ path: `${screenshots}/survey-web-${c.language}-form.png`, fullPage: true });

    await page.locator('button[type="submit"]').focus();
    const [submitted] = await Promise.all([
      page.waitForResponse((response) => response.url() === s.url && response.request().method() === 'POST'),
      page.keyboard.press('Enter'),
    ]);
    expect(submitted.status()).toBe(200);
    await page.waitForLoadState('load');
    await expect(page.locator('main').textContent()).resolves.toContain(c.thanks);
    await page.screenshot({ path: `${screenshots}/survey-web-${c.language}-thanks.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();

    const survey = (await api(twin.url, 'GET', `/v1/surveys/${s.surveyId}`, { key: s.key })).body;
    expect(survey).toMatchObject({ status: 'completed', answers: { csat: 2, improve: c.comment, resolved: true, nps: 8 } });

    const reopened = await openPage(s.url);
    expect(reopened.status).toBe(410);
    await expect(reopened.page.locator('h1').textContent()).resolves.toBe(c.used);
    await expect(reopened.page.getAttribute('html', 'lang')).resolves.toBe(c.language);
    await reopened.page.screenshot({ path: `${screenshots}/survey-web-${c.language}-used.png`, fullPage: true });
    await reopened.page.close();
  });

  it('shows the expired page for an expired link', async () => {
    const s = await linkSurvey(c.language, c.branding);
    // The expiry timer fires (invoked directly: the link lives 72 hours).
    await expect(handleSurveyTimer({ tenantId: s.tenantId, surveyId: s.surveyId, action: 'expire' })).resolves.toBe('expired');
    const { page, status, problems } = await openPage(s.url);
    expect(status).toBe(410);
    await expect(page.locator('h1').textContent()).resolves.toBe(c.expired);
    await expect(page.getAttribute('html', 'lang')).resolves.toBe(c.language);
    await expectPhoneFriendly(page, c.branding);
    await page.screenshot({ path: `${screenshots}/survey-web-${c.language}-expired.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});

it('answers a mistyped link with a friendly page in both languages', async () => {
  const { page, status } = await openPage(`${twin.url}/s/not-the-whole-link`);
  expect(status).toBe(404);
  await expect(page.locator('section[lang="zh-TW"] h1').textContent()).resolves.toBe('找不到這份問卷');
  await expect(page.locator('section[lang="en"] h1').textContent()).resolves.toBe('We could not find this survey');
  await page.close();
});
