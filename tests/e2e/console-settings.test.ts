/// <reference lib="dom" />
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandPalette } from '../../shared/http/survey-page';
import { type ConsoleTab, axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';

/**
 * The console's Settings page in headless Chromium against a test twin: an admin key changes the
 * business hours and the calendar and finds them after a reload; a value the API refuses is shown
 * with the API's message beside its field; a save over someone else's change is refused (412) and
 * offers a reload; a readonly key sees the settings without a way to save them; both languages;
 * axe-core finds nothing serious. Screenshots: docs/images/console-settings-*.png.
 */

let twin: TestTwin;
let browser: Browser;
const opened: ConsoleTab[] = [];

beforeAll(async () => {
  twin = await startTestTwin();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const tab of opened) await tab.close().catch(() => undefined);
  await browser?.close();
  await twin?.close();
});

async function adminTenant(overrides: Record<string, unknown> = {}) {
  const created = await createTenant(twin, { locale: 'en', ...overrides });
  return created.apiKey;
}

async function settingsPage(key: string, locale: 'en' | 'zh-TW' = 'en', path = '/settings'): Promise<ConsoleTab> {
  const tab = await openConsole(browser, twin.consoleUrl, { token: key, path, locale });
  opened.push(tab);
  await tab.page.getByRole('heading', { level: 1, name: locale === 'en' ? 'Settings' : '設定' }).waitFor();
  await tab.page.getByRole('heading', { level: 2 }).first().waitFor();
  return tab;
}

/** The date field of the only special day: a DatePicker in the calendar's first row is named by its column, "Date". */
const specialDayDate = (page: Page) => page.getByRole('textbox', { name: 'Date', exact: true });

const readSettings = async (key: string) => (await api(twin.url, 'GET', '/v1/settings', { key })).body;

/** The text of what a control's aria-describedby names: where a FormField puts its error, beside the control. */
const describedText = (page: Page, label: string) => describedTextOf(page.getByLabel(label, { exact: true }));
const describedTextOf = (control: Locator) =>
  control.evaluate((control) =>
      (control.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );

/** No axe finding, and nothing written to the console but Chromium's line for a refusal the test provoked. */
async function expectAccessibleAndQuiet(tab: ConsoleTab, provoked?: 400 | 412 | 422) {
  expect(await axeViolations(tab.page)).toEqual([]);
  const refusal = provoked && `Failed to load resource: the server responded with a status of ${provoked} `;
  expect(tab.errors.filter((error) => !refusal || !error.startsWith(refusal))).toEqual([]);
}

describe('the Settings page', { timeout: 120_000 }, () => {
  it('saves business hours and a holiday, and shows them again after a reload', async () => {
    const key = await adminTenant();
    const before = await readSettings(key);
    const tab = await settingsPage(key);
    const { page } = tab;
    await page.getByText(`in your time zone (${before.timezone})`, { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Saturday: add opening hours' }).click();
    await page.getByLabel('Saturday, period 1: opens', { exact: true }).fill('10:00');
    await page.getByLabel('Saturday, period 1: closes', { exact: true }).fill('14:00');
    await page.getByRole('button', { name: 'Add a day' }).click();
    await specialDayDate(page).fill('2026/12/25');
    await page.getByLabel('Name of special day 1', { exact: true }).fill('Christmas Day');
    await expect(page.getByRole('tab', { name: 'Business hours (unsaved)' }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Business hours: saved.').waitFor();

    const saved = await readSettings(key);
    expect(saved.version).toBe(before.version + 1);
    expect(saved.businessHours.sat).toEqual([{ open: '10:00', close: '14:00' }]);
    expect(saved.businessHours.mon).toEqual(before.businessHours.mon);
    expect(saved.specialDays).toEqual([{ date: '2026-12-25', name: 'Christmas Day', hours: [] }]);

    await page.reload();
    await page.getByLabel('Saturday, period 1: opens', { exact: true }).waitFor();
    expect(await page.getByLabel('Saturday, period 1: opens', { exact: true }).inputValue()).toBe('10:00');
    expect(await page.getByLabel('Saturday, period 1: closes', { exact: true }).inputValue()).toBe('14:00');
    expect(await page.getByLabel('Name of special day 1', { exact: true }).inputValue()).toBe('Christmas Day');
    expect(await specialDayDate(page).inputValue()).toBe('2026/12/25');
    await expectAccessibleAndQuiet(tab);
    await page.screenshot({ path: 'docs/images/console-settings-en.png' });
  });

  it('saves a deadline, the reason codes and the survey rules, each tab with its own change', async () => {
    const key = await adminTenant();
    await api(twin.url, 'PATCH', '/v1/settings', { key, body: { reasonCodes: [{ code: 'billing.refund', label: { en: 'Refund' } }] } });
    const before = await readSettings(key);
    const tab = await settingsPage(key, 'en', '/settings?section=sla');
    const { page } = tab;
    await page.getByLabel('First response for Complaint, High: amount', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('SLA policy: saved.').waitFor();

    await page.getByRole('tab', { name: 'Reason codes', exact: true }).click();
    await page.getByRole('button', { name: 'Retire billing.refund' }).click();
    await page.getByRole('button', { name: 'Add a reason code' }).click();
    await page.getByLabel('Code of new reason 2', { exact: true }).fill('delivery.late');
    await page.getByLabel('Traditional Chinese label of delivery.late', { exact: true }).fill('延遲送達');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Reason codes: saved.').waitFor();

    await page.getByRole('tab', { name: 'Surveys', exact: true }).click();
    await page.getByLabel('Sampling (%)', { exact: true }).fill('25');
    await page.getByText('25% of the contacts that qualify are surveyed', { exact: false }).waitFor();
    await page.getByRole('radio', { name: 'As a web link you deliver yourself' }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Survey rules: saved.').waitFor();

    const saved = await readSettings(key);
    expect(saved.version).toBe(before.version + 3);
    expect(saved.slaPolicy.targets.complaint.high.firstResponse).toEqual({ amount: 2, unit: 'businessHours' });
    expect(saved.slaPolicy.targets.complaint.high.resolution).toEqual(before.slaPolicy.targets.complaint.high.resolution);
    expect(saved.reasonCodes).toEqual([
      { code: 'billing.refund', label: { en: 'Refund' }, active: false },
      { code: 'delivery.late', label: { 'zh-TW': '延遲送達' }, active: true },
    ]);
    expect(saved.surveys).toEqual({ ...before.surveys, samplingPercent: 25, deliveryChannel: 'link' });
    expect(saved.businessHours).toEqual(before.businessHours);
    await expectAccessibleAndQuiet(tab);
  });

  it("shows the API's message beside a field it refuses, and changes nothing", async () => {
    const key = await adminTenant();
    const before = await readSettings(key);
    const tab = await settingsPage(key);
    const { page } = tab;
    await page.getByLabel('Monday, period 1: closes', { exact: true }).fill('25:00');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('See the fields marked below.', { exact: false }).waitFor();
    expect(await describedText(page, 'Monday, period 1: closes')).toContain('Must be HH:MM, 24-hour');
    expect(await describedText(page, 'Monday, period 1: opens')).not.toContain('Must be HH:MM');
    expect((await readSettings(key)).version).toBe(before.version);
    await expectAccessibleAndQuiet(tab, 400);
  });

  it("refuses SMS surveys without a sender, in the API's words beside the switch", async () => {
    const key = await adminTenant();
    const before = await readSettings(key);
    expect(before.sms.originationIdentity).toBeUndefined();
    const tab = await settingsPage(key, 'en', '/settings?section=surveys');
    const { page } = tab;
    await page.getByRole('heading', { level: 2, name: 'Survey rules' }).waitFor();
    // The first switch of the tab: Surveys on or off.
    const surveysSwitch = page.getByRole('checkbox').first();
    expect(await surveysSwitch.isChecked()).toBe(false);
    await surveysSwitch.click();
    expect(await surveysSwitch.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('See the fields marked below.', { exact: false }).waitFor();
    expect(await describedTextOf(surveysSwitch)).toContain('SMS surveys need an SMS sender: set sms.originationIdentity');
    expect((await readSettings(key)).surveys.enabled).toBe(false);
    await expectAccessibleAndQuiet(tab, 422);
  });

  it('refuses a save over a change made meanwhile, and offers to reload', async () => {
    const key = await adminTenant();
    const tab = await settingsPage(key);
    const { page } = tab;
    // Someone else changes Monday through the API after the page has read the settings.
    const meanwhile = await api(twin.url, 'PATCH', '/v1/settings', { key, body: { businessHours: { mon: [{ open: '07:30', close: '16:00' }] } } });
    expect(meanwhile.status).toBe(200);

    await page.getByLabel('Tuesday, period 1: opens', { exact: true }).fill('08:00');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Someone else saved first').waitFor();
    const afterRefusal = await readSettings(key);
    expect(afterRefusal.version).toBe(meanwhile.body.version);
    expect(afterRefusal.businessHours.tue).toEqual([{ open: '09:00', close: '18:00' }]);

    await page.getByRole('button', { name: 'Reload settings' }).click();
    await page.getByText('Someone else saved first').waitFor({ state: 'detached' });
    expect(await page.getByLabel('Monday, period 1: opens', { exact: true }).inputValue()).toBe('07:30');
    expect(await page.getByLabel('Tuesday, period 1: opens', { exact: true }).inputValue()).toBe('09:00');

    await page.getByLabel('Tuesday, period 1: opens', { exact: true }).fill('08:00');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Business hours: saved.').waitFor();
    const saved = await readSettings(key);
    expect(saved.businessHours.mon).toEqual([{ open: '07:30', close: '16:00' }]);
    expect(saved.businessHours.tue).toEqual([{ open: '08:00', close: '18:00' }]);
    await expectAccessibleAndQuiet(tab, 412);
  });

  it('is not offered to a readonly key, and says the role does not include it when opened by its address', async () => {
    const adminKey = await adminTenant();
    const created = await api(twin.url, 'POST', '/v1/api-keys', { key: adminKey, body: { name: 'Wall screen', scopes: ['readonly'] } });
    expect(created.status).toBe(201);
    const tab = await openConsole(browser, twin.consoleUrl, { token: created.body.secret, path: '/settings', locale: 'en' });
    opened.push(tab);
    const { page } = tab;
    await page.getByText('Your role does not include this page').waitFor();
    expect(await page.getByRole('link', { name: 'Settings', exact: true }).count()).toBe(0);
    await expectAccessibleAndQuiet(tab);
  });

  it('speaks Traditional Chinese, and previews the survey page in the colours the server uses', async () => {
    const key = await adminTenant({ locale: 'zh-TW', name: '福爾摩沙客服' });
    const colour = '#D9534F';
    expect((await api(twin.url, 'PATCH', '/v1/settings', { key, body: { specialDays: [{ date: '2027-02-06', name: '春節', hours: [] }] } })).status).toBe(200);
    const tab = await settingsPage(key, 'zh-TW');
    const { page } = tab;
    await page.getByRole('tab', { name: '營業時間', exact: true }).waitFor();
    await page.getByText('星期一', { exact: true }).first().waitFor();
    expect(await page.getByLabel('第 1 個特殊日期的名稱', { exact: true }).inputValue()).toBe('春節');
    await expectAccessibleAndQuiet(tab);
    await page.screenshot({ path: 'docs/images/console-settings-zh-TW.png' });

    await page.getByRole('tab', { name: '品牌', exact: true }).click();
    await page.getByLabel('品牌色', { exact: true }).fill(colour);
    const preview = page.getByRole('group', { name: '問卷頁面預覽' });
    await preview.getByText('福爾摩沙客服想了解您最近一次聯繫的感受', { exact: false }).waitFor();
    const expected = brandPalette(colour);
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)).join(', ')})`;
    const header = preview.locator('[data-preview=brand]');
    expect(await header.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(rgb(expected.brand));
    expect(await header.evaluate((element) => getComputedStyle(element).color)).toBe(rgb(expected.onBrand));
    expect(await header.textContent()).toBe('福爾摩沙客服');
    // The chosen answer's border: the colour darkened to 4.5:1 on white, as the server does.
    expect(expected.accent).not.toBe(colour.toLowerCase());
    expect(await preview.locator('[data-preview=chosen]').evaluate((element) => getComputedStyle(element).borderTopColor)).toBe(rgb(expected.accent));
    await page.getByRole('button', { name: '儲存', exact: true }).click();
    await page.getByText('品牌：已儲存。').waitFor();
    expect((await readSettings(key)).branding.colour).toBe(colour);
    await expectAccessibleAndQuiet(tab);
    await page.screenshot({ path: 'docs/images/console-settings-branding-zh-TW.png' });
  });
});
