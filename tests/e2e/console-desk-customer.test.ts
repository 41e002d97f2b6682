import { mkdirSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleTab, axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { eventually, settle } from '../support/waiting';

/**
 * The desk's customer pages in Chromium against a test twin: finding a customer by part of a
 * Chinese name, the customer at a glance with its suggested next step, the screen pop of a known
 * and of an unknown number, and a contact wrapped up with the keyboard alone, in both languages,
 * with axe-core's serious and critical rules; photographed for docs/guides/agents-desk.md.
 */

let twin: TestTwin;
let browser: Browser;
let key: string;
let customerId: string;
let complaintId: string;
const phone = '0912 345 678';

const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
  const answer = await api(twin.url, method, path, { key, body, headers });
  expect([200, 201, 202], `${method} ${path}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
  return answer.body;
};

beforeAll(async () => {
  twin = await startTestTwin();
  browser = await launchChromium();
  const created = await createTenant(twin, { name: 'Desk Co', locale: 'en' });
  key = created.apiKey;
  const settings = await api(twin.url, 'GET', '/v1/settings', { key });
  await call(
    'PATCH',
    '/v1/settings',
    {
      reasonCodes: [
        { code: 'billing.dispute', label: { en: 'Billing dispute', 'zh-TW': '帳單爭議' } },
        { code: 'plan.change', label: { en: 'Plan change', 'zh-TW': '變更方案' } },
      ],
      surveys: { enabled: true, deliveryChannel: 'link', delayMinutes: 5, quietHours: null },
    },
    { 'if-match': settings.headers.get('etag')! },
  );
  customerId = (await call('POST', '/v1/customers', { displayName: '林美玲', phone, email: 'mei@example.com', consent: { marketing: { status: 'granted', source: 'call' } } })).customerId;
  await call('POST', '/v1/customers', { displayName: '林美華', phone: '0922 000 111' });
  complaintId = (await call('POST', '/v1/cases', { type: 'complaint', category: 'billing', subject: 'Charged twice', customerId })).caseId;
  await eventually(async () => (await call('GET', `/v1/customers/${customerId}/overview`)).openCases.length === 1, 'the complaint in the overview');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

async function open(path: string, locale: 'en' | 'zh-TW') {
  const tab = await openConsole(browser, twin.consoleUrl, { token: key, path, locale });
  tab.page.setDefaultTimeout(60_000);
  return tab;
}

async function checkAndPhotograph(tab: ConsoleTab, name: string, locale: string) {
  expect(tab.errors).toEqual([]);
  expect(await axeViolations(tab.page)).toEqual([]);
  mkdirSync('docs/images', { recursive: true });
  await tab.page.screenshot({ path: `docs/images/console-${name}-${locale}.png`, fullPage: false });
}

const words = {
  en: { find: 'Search customers', matched: 'display name', nextStep: 'Recover first', log: 'Log a contact', unknown: 'No customer has the number', create: 'Create customer' },
  'zh-TW': { find: '查詢顧客', matched: '顯示名稱', nextStep: '先處理客訴', log: '記錄聯絡', unknown: '沒有顧客使用號碼', create: '新增顧客' },
} as const;

describe('finding a customer and the customer at a glance', () => {
  for (const locale of ['en', 'zh-TW'] as const) {
    it(`finds 林美玲 by 美玲, opens her with Enter, and shows her open complaint first (${locale})`, async () => {
      const tab = await open('/desk/customers', locale);
      try {
        const { page } = tab;
        const w = words[locale];
        const search = page.getByRole('searchbox', { name: w.find });
        await search.fill('美玲');
        const results = page.getByRole('table');
        await expect.poll(() => results.getByRole('row').filter({ hasText: '林美玲' }).count(), { timeout: 30_000 }).toBe(1);
        await expect.poll(() => results.getByRole('row').filter({ hasText: '林美華' }).count(), { timeout: 30_000 }).toBe(0);
        await expect.poll(() => results.getByRole('row').filter({ hasText: '林美玲' }).textContent(), { timeout: 30_000 }).toContain(w.matched);
        await checkAndPhotograph(tab, 'desk-customer-search', locale);

        await search.press('Enter');
        await page.waitForURL(`**/desk/customers/${customerId}`);
        await page.getByRole('heading', { level: 1, name: '林美玲' }).waitFor();
        await expect.poll(() => page.getByText(w.nextStep).count(), { timeout: 30_000 }).toBeGreaterThan(0);
        await expect.poll(() => page.getByRole('link', { name: 'billing' }).getAttribute('href'), { timeout: 30_000 }).toBe(`/desk/cases/${complaintId}`);
        await page.getByText('+886912345678').first().waitFor();
        await checkAndPhotograph(tab, 'desk-customer', locale);
      } finally {
        await tab.close();
      }
    }, 180_000);
  }
});

describe('the screen pop', () => {
  it('opens the customer at a glance for a known number in any format', async () => {
    const tab = await open(`/desk/pop?phone=${encodeURIComponent('+886-912-345-678')}`, 'en');
    try {
      await tab.page.waitForURL(`**/desk/customers/${customerId}`);
      await tab.page.getByRole('heading', { level: 1, name: '林美玲' }).waitFor();
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.close();
    }
  }, 120_000);

  for (const locale of ['en', 'zh-TW'] as const) {
    it(`offers to create an unknown caller, prefilled with the number (${locale})`, async () => {
      const unknown = locale === 'en' ? '0933 444 555' : '0933 444 666';
      const tab = await open(`/desk/pop?phone=${encodeURIComponent(unknown)}`, locale);
      try {
        const { page } = tab;
        const w = words[locale];
        await page.getByText(w.unknown).waitFor();
        const phoneField = page.getByRole('textbox', { name: locale === 'en' ? 'Phone' : '電話' });
        expect(await phoneField.inputValue()).toBe(unknown);
        await checkAndPhotograph(tab, 'desk-pop', locale);
        await page.getByRole('textbox', { name: locale === 'en' ? 'Name' : '姓名' }).fill(`New caller ${locale}`);
        await page.getByRole('button', { name: w.create }).click();
        await page.getByRole('heading', { level: 1, name: `New caller ${locale}` }).waitFor();
        const found = await call('GET', `/v1/customers?phone=${encodeURIComponent(unknown)}`);
        expect(found.items).toHaveLength(1);
        expect(page.url()).toContain(`/desk/customers/${found.items[0].customerId}`);
      } finally {
        await tab.close();
      }
    }, 180_000);
  }
});

/** Presses Tab until `target` has the focus: the way a keyboard user gets there. */
async function tabTo(page: Page, target: Locator) {
  for (let presses = 0; presses < 60; presses++) {
    if (await target.evaluate((element) => element === document.activeElement || element.contains(document.activeElement)).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

describe('logging a contact', () => {
  for (const locale of ['en', 'zh-TW'] as const) {
    it(`wraps up the popped contact with the keyboard only: reason, outcome, referral; then shows the survey decided (${locale})`, async () => {
      const contact = await call('POST', '/v1/contacts', { channel: 'voice', direction: 'inbound', phone, queue: 'billing' });
      expect(contact.customerId).toBe(customerId);
      const tab = await open(`/desk/pop?contactId=${contact.contactId}`, locale);
      try {
        const { page } = tab;
        const w = words[locale];
        await page.waitForURL(`**/desk/customers/${customerId}?contactId=${contact.contactId}`);
        const logButton = page.getByRole('button', { name: w.log });
        await tabTo(page, logButton);
        await page.keyboard.press('Enter');
        await page.waitForURL(`**/desk/contacts/new?customerId=${customerId}&contactId=${contact.contactId}`);
        await page.getByRole('heading', { level: 1 }).waitFor();

        // Direction: into the group (on its checked radio), then the arrow to the next.
        await tabTo(page, page.getByRole('radio', { name: locale === 'en' ? 'Inbound' : '來電／進線', exact: true }));
        await page.keyboard.press('ArrowDown');
        // Reason: open the picker, type to filter, choose.
        const reason = page.getByRole('button', { name: locale === 'en' ? /Reason/ : /聯絡原因/ });
        await tabTo(page, reason);
        await page.keyboard.press('Enter');
        // Typed only once the list is open (its filter has the focus), and chosen only once filtered.
        const disputeLabel = locale === 'en' ? 'Billing dispute' : '帳單爭議';
        await page.getByRole('option', { name: new RegExp(disputeLabel) }).waitFor();
        await page.keyboard.type(locale === 'en' ? 'Billing' : '帳單');
        await expect.poll(() => page.getByRole('option').count()).toBe(1);
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await page.getByRole('button', { name: new RegExp(disputeLabel) }).waitFor();
        // Outcome: from resolved to not resolved.
        await tabTo(page, page.getByRole('radio', { name: locale === 'en' ? 'Resolved' : '已解決', exact: true }));
        await page.keyboard.press('ArrowDown');
        // Not resolved on the first contact.
        await tabTo(page, page.getByRole('checkbox', { name: locale === 'en' ? 'Resolved on this first contact' : '首次聯絡即解決' }));
        await page.keyboard.press('Space');
        await tabTo(page, page.getByRole('textbox', { name: locale === 'en' ? 'Notes' : '備註' }));
        await page.keyboard.type('Wants the duplicate charge refunded');
        await tabTo(page, page.getByRole('checkbox', { name: locale === 'en' ? 'Refer to sales' : '轉介給業務' }));
        await page.keyboard.press('Space');
        await tabTo(page, page.getByRole('textbox', { name: locale === 'en' ? 'Product' : '產品' }));
        await page.keyboard.type('Fibre 1G');
        await page.keyboard.press('Enter');

        await page.getByText(locale === 'en' ? 'Contact saved and closed.' : '聯絡已儲存並結束。').waitFor();
        const saved = await call('GET', `/v1/contacts/${contact.contactId}`);
        expect(saved).toMatchObject({
          status: 'closed',
          direction: 'outbound',
          reasonCode: 'billing.dispute',
          outcome: 'unresolved',
          firstContactResolution: false,
          notes: 'Wants the duplicate charge refunded',
        });
        expect(saved.referrals.map((referral: { product: string }) => referral.product)).toEqual(['Fibre 1G']);
        // The survey rules' decision for the contact, as the API gives it.
        await settle(twin);
        const decided = await eventually(
          async () => (await call('GET', `/v1/surveys?contactId=${contact.contactId}`)).items[0] as { status: string } | undefined,
          'the survey decision',
          60_000,
        );
        const shown = {
          en: { not_sent: 'No survey was sent', pending: 'A survey will be sent', sent: 'A survey was sent' },
          'zh-TW': { not_sent: '未寄送問卷', pending: '將寄送問卷', sent: '問卷已寄出' },
        }[locale][decided.status as 'not_sent' | 'pending' | 'sent'];
        expect(shown, decided.status).toBeDefined();
        await page.getByText(shown).waitFor();
        await checkAndPhotograph(tab, 'desk-contact-log', locale);
      } finally {
        await tab.close();
      }
    }, 180_000);
  }
});
