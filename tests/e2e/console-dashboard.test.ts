import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { eventually } from '../support/waiting';

/**
 * The console's Dashboard and Staffing pages in headless Chromium against a test twin, with
 * contacts created and closed through the API and counted by the real aggregation consumer:
 * the figures a supervisor reads, a contact closed while the page is open appearing without a
 * reload, and the agents a forecast needs, changing when the forecast is edited. Both languages,
 * axe-core, and the screenshots in docs/images/.
 */

let twin: TestTwin;
let browser: Browser;
let key: string;
const taipei = 'Asia/Taipei';
const second = 1000;

const todayInTaipei = () => new Intl.DateTimeFormat('en-CA', { timeZone: taipei, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const tomorrowInTaipei = () => new Date(Date.parse(`${todayInTaipei()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Seeded contacts arrive a few minutes ago but never before today's local midnight, so that
 * "Today" holds them whenever the test runs.
 */
function arrivalToday(offsetSeconds: number): number {
  const midnight = Date.parse(`${todayInTaipei()}T00:00:00+08:00`);
  return Math.max(midnight + second, Date.now() - 20 * 60 * second) + offsetSeconds * second;
}

async function closedContact(arrival: number, timing: { answeredAfter?: number; endedAfter: number }, outcome: 'resolved' | 'abandoned'): Promise<void> {
  const iso = (after: number) => new Date(arrival + after * second).toISOString();
  const created = await api(twin.url, 'POST', '/v1/contacts', {
    key,
    body: {
      channel: 'voice',
      direction: 'inbound',
      purpose: 'service',
      queue: 'billing',
      queuedAt: iso(0),
      ...(timing.answeredAfter !== undefined && { answeredAt: iso(timing.answeredAfter), agentId: 'agent-ann' }),
      endedAt: iso(timing.endedAfter),
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const closed = await api(twin.url, 'POST', `/v1/contacts/${created.body.contactId}/close`, {
    key,
    body: { outcome, ...(outcome === 'resolved' && { firstContactResolution: true }) },
  });
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
}

const offeredToday = async () => (await api(twin.url, 'GET', `/v1/analytics/summary?from=${todayInTaipei()}&to=${todayInTaipei()}`, { key })).body.metrics?.contacts.offered;

beforeAll(async () => {
  twin = await startTestTwin();
  const tenant = await createTenant(twin, { name: 'Formosa Care', timezone: taipei, locale: 'zh-TW' });
  key = tenant.apiKey;
  // Offered 3, handled 2, abandoned 1; answered within 20 s: one of the three queued.
  await closedContact(arrivalToday(0), { answeredAfter: 10, endedAfter: 310 }, 'resolved');
  await closedContact(arrivalToday(60), { answeredAfter: 40, endedAfter: 400 }, 'resolved');
  await closedContact(arrivalToday(120), { endedAfter: 45 }, 'abandoned');
  await eventually(async () => (await offeredToday()) === 3, 'the three contacts counted', 60_000);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

const open = (options: Parameters<typeof openConsole>[2]) => openConsole(browser, twin.consoleUrl, options);

const tileText = (page: Page, testId: string) => page.getByTestId(testId).innerText();

const words = {
  en: { dashboard: 'Dashboard', offered: 'Offered', staffing: 'Staffing', calculate: 'Calculate', closed: 'Closed', heatmap: 'Busy hours' },
  'zh-TW': { dashboard: '儀表板', offered: '進線數', staffing: '人力規劃', calculate: '計算', closed: '非營業時間', heatmap: '忙碌時段' },
} as const;

describe.each(['en', 'zh-TW'] as const)('the Dashboard in %s', (locale) => {
  it("shows today's figures from at most three requests, the heatmap as a table, and passes axe", async () => {
    // An hour between refreshes, so that only the first load's requests are counted however slow the machine.
    const tab = await open({ token: key, path: '/?refresh=3600', locale });
    try {
      const { page } = tab;
      await page.getByRole('heading', { level: 1, name: words[locale].dashboard }).waitFor();
      await page.getByTestId('offered').waitFor();
      expect(await tileText(page, 'offered')).toBe('3');
      expect(await tileText(page, 'handled')).toBe('2');
      expect(await tileText(page, 'abandoned')).toBe('1');
      // One of three queued contacts answered within the goal's 20 s.
      expect(await tileText(page, 'service-level')).toMatch(/^33(\.3)?\s?%$/);
      await page.getByTestId('heatmap').waitFor();
      // Every weekday and hour has its cell with its number; today's contacts make at least one not 0.
      const heatmapNumbers = await page.getByTestId('heatmap').locator('td').allInnerTexts();
      expect(heatmapNumbers).toHaveLength(7 * 24);
      expect(heatmapNumbers.filter((text) => text !== '0').length).toBeGreaterThan(0);
      await page.waitForLoadState('networkidle');
      // Every request since the page was opened (the browser's own record, from navigation on).
      const analyticsRequests = await page.evaluate(() =>
        performance.getEntriesByType('resource').map((entry) => entry.name).filter((url) => new URL(url).pathname.startsWith('/v1/analytics/')),
      );
      // The page's first load: the summary, the trend and the heatmap, nothing more.
      expect(new Set(analyticsRequests.map((url) => new URL(url).pathname))).toEqual(
        new Set(['/v1/analytics/summary', '/v1/analytics/timeseries', '/v1/analytics/heatmap']),
      );
      expect(analyticsRequests).toHaveLength(3);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `docs/images/console-dashboard-${locale}.png` });
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.close();
    }
  }, 180_000);
});

describe('the Dashboard, open', () => {
  it('shows a contact closed through the API without a reload, and breaks the figures down by queue', async () => {
    // ?refresh=2 reads the figures every 2 s instead of 30 (docs/guides/console.md).
    const tab = await open({ token: key, path: '/?refresh=2', locale: 'en' });
    try {
      const { page } = tab;
      await page.getByTestId('offered').waitFor();
      const before = Number(await tileText(page, 'offered'));
      const handledBefore = Number(await tileText(page, 'handled'));
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
      await closedContact(arrivalToday(180), { answeredAfter: 5, endedAfter: 100 }, 'resolved');
      await page.getByTestId('offered').filter({ hasText: String(before + 1) }).waitFor({ timeout: 30_000 });
      expect(await tileText(page, 'handled')).toBe(String(handledBefore + 1));
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

      await page.getByRole('button', { name: /Break down by/ }).click();
      await page.getByRole('option', { name: 'Queue' }).click();
      const row = page.getByRole('row', { name: /billing/ });
      await row.waitFor();
      expect(await row.getByRole('cell').first().innerText()).toBe(String(before + 1));
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.close();
    }
  }, 180_000);
});

describe.each(['en', 'zh-TW'] as const)('the Staffing page in %s', (locale) => {
  it('plans an entered forecast, and an edited forecast changes the agents required', async () => {
    const tab = await open({ token: key, path: '/staffing', locale });
    try {
      const { page } = tab;
      await page.getByRole('heading', { level: 1, name: words[locale].staffing }).waitFor();
      // No past week has a contact on tomorrow's weekday: the table waits for a forecast.
      const contactsAt = (start: string) => page.getByRole('spinbutton', { name: new RegExp(`^${start}`) }).first();
      const row = (start: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: start, exact: true }) });
      await contactsAt('09:00').waitFor();
      await contactsAt('09:00').fill('120');
      await page.getByRole('spinbutton', { name: /^09:00.*(handle|處理)/ }).fill('240');
      await page.getByRole('button', { name: words[locale].calculate, exact: true }).click();

      // The API's own plan for the same forecast: the page shows its figures.
      const expected = await api(twin.url, 'POST', '/v1/analytics/staffing', {
        key,
        body: { date: tomorrowInTaipei(), interval: 60, forecast: [{ start: '09:00', contacts: 120, averageHandleSeconds: 240 }] },
      });
      expect(expected.status).toBe(200);
      const nine = expected.body.intervals.find((entry: { start: string }) => entry.start === '09:00');
      // 120 contacts an hour at 240 s is 8 Erlangs: Erlang C needs 11 agents for 80 % in 20 s, 16 on the schedule at 30 % shrinkage.
      expect([nine.agentsRequired, nine.scheduledAgents]).toEqual([11, 16]);
      await page.getByTestId('peak-agents').filter({ hasText: '11' }).waitFor();
      const cells = () => row('09:00').getByRole('cell').allInnerTexts();
      await eventually(async () => (await cells()).slice(2, 4).join(' ') === '11 16', 'the 09:00 row planned');

      await contactsAt('09:00').fill('240');
      await page.getByRole('button', { name: words[locale].calculate, exact: true }).click();
      await page.getByTestId('peak-agents').filter({ hasNotText: /^11$/ }).waitFor();
      const agentsFor240 = Number(await page.getByTestId('peak-agents').innerText());
      expect(agentsFor240).toBeGreaterThan(11);
      expect(await page.getByTestId('total-contacts').innerText()).toBe('240');

      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `docs/images/console-staffing-${locale}.png`, fullPage: false });
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.close();
    }
  }, 180_000);
});

describe('the Staffing page, refused', () => {
  it("shows the API's message beside the goal it refused", async () => {
    const tab = await open({ token: key, path: '/staffing', locale: 'en' });
    try {
      const { page } = tab;
      const goal = page.getByRole('spinbutton', { name: /Service-level goal/ });
      await goal.waitFor();
      await goal.fill('150');
      await page.getByRole('button', { name: 'Calculate', exact: true }).click();
      const field = page.locator('[data-testid="goal-targetPercent"]');
      // zod's own words for the refused value, beside the field; the request's alert above.
      await field.getByText('expected number to be <100').waitFor();
      await page.getByText('See the fields marked below.').waitFor();
      // A refused request is reported as the browser console's network error; nothing else failed.
      expect(tab.errors.filter((error) => !/status of 400/.test(error))).toEqual([]);
    } finally {
      await tab.close();
    }
  }, 180_000);
});
