/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleTab, axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';

/**
 * What the console loads, and when, in Chromium against a test twin: the first page fetches
 * Cloudscape's words of the language shown and not the other's, which comes when a person switches;
 * the notice bar's code comes with the first notice and the dashboard's breakdown table when a
 * breakdown is chosen. And the pages that share the console's helpers: the audit log pages by the
 * API's cursor (useCursorPages), the People page's one form invites and edits, with the API's
 * refusal beside its field. axe-core and the browser's console clean throughout.
 */

let twin: TestTwin;
let browser: Browser;
let adminKey: string;
const personEmail = 'wei-ting.lin@formosa-care.example';
/** Keys made here, each an audit entry beside the tenant's creation and the person's invitation. */
const keysMade = 26;
const auditEntries = keysMade + 2;

beforeAll(async () => {
  twin = await startTestTwin();
  const tenant = await createTenant(twin, { name: 'Formosa Care', locale: 'zh-TW', plan: 'business' });
  adminKey = tenant.apiKey;
  for (let index = 1; index <= keysMade; index++) {
    const made = await api(twin.url, 'POST', '/v1/api-keys', { key: adminKey, body: { name: `Integration ${index}`, scopes: ['readonly'] } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
  }
  const invited = await api(twin.url, 'POST', '/v1/people', { key: adminKey, body: { email: personEmail, role: 'agent' } });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

async function open(path: string, locale: 'en' | 'zh-TW'): Promise<ConsoleTab> {
  const tab = await openConsole(browser, twin.consoleUrl, { token: adminKey, path, locale });
  await tab.page.getByRole('heading', { level: 1 }).first().waitFor();
  return tab;
}

async function checkHealthy(tab: ConsoleTab) {
  expect(await axeViolations(tab.page)).toEqual([]);
  expect(tab.errors).toEqual([]);
}

/** The console's own files this page has fetched so far (Vite's `/assets/<name>-<hash>.js`), by name. */
async function fetchedScripts(page: Page): Promise<string[]> {
  const urls = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  return urls.flatMap((url) => /\/assets\/(.+)-[\w-]{8}\.js$/.exec(new URL(url).pathname)?.[1] ?? []);
}

describe('what the first page loads', { timeout: 180_000 }, () => {
  it("fetches Cloudscape's words of the shown language only, and the other's when a person switches", async () => {
    const tab = await open('/?refresh=3600', 'zh-TW');
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: '儀表板' }).waitFor();
    await page.getByTestId('offered').getByText(/\d/).first().waitFor();
    // A Cloudscape label the console does not give: it comes from the language's messages.
    await page.getByRole('button', { name: '關閉側邊導覽' }).first().waitFor();
    // The trend's chart, its code loaded beside the figures, says there is nothing to draw yet (no contacts here).
    await page.getByText('此期間尚無計入的資料。').first().waitFor();
    await expect.poll(async () => (await fetchedScripts(page)).some((name) => name === 'bar-chart' || name === 'line-chart')).toBe(true);
    let scripts = await fetchedScripts(page);
    expect(scripts).toContain('all.zh-TW');
    expect(scripts).not.toContain('all.en');
    expect(scripts).not.toContain('flashbar');
    expect(scripts).not.toContain('groups');
    expect(scripts).not.toContain('period-picker');
    await checkHealthy(tab);

    await page.getByRole('button', { name: /語言/ }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByRole('button', { name: 'Close side navigation' }).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    scripts = await fetchedScripts(page);
    expect(scripts).toContain('all.en');

    // The breakdown's table comes when a breakdown is asked for.
    await page.getByRole('button', { name: /Break down by/ }).click();
    await page.getByRole('option', { name: 'Queue' }).click();
    await page.getByRole('heading', { level: 2, name: /By Queue/i }).waitFor();
    expect(await fetchedScripts(page)).toContain('groups');
    expect(await fetchedScripts(page)).not.toContain('period-picker');

    // The period's calendar comes when a person opens the period choice, and opens at once, by keyboard too.
    const periodChoice = page.getByRole('button', { name: 'Period: Today' });
    await periodChoice.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('radio', { name: 'Last 7 days' }).waitFor();
    expect(await fetchedScripts(page)).toContain('period-picker');
    await page.getByRole('radio', { name: 'Last 7 days' }).check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: /Last 7 days/ }).waitFor();
    await expect.poll(() => page.getByText(/ – /).first().isVisible()).toBe(true);
    await checkHealthy(tab);
    await tab.close();
  });
});

describe('the audit log, a page at a time', { timeout: 180_000 }, () => {
  for (const [locale, words] of [
    ['en', { next: 'Next page', previous: 'Previous page', action: 'Action', tenantCreated: 'Account created', keyCreated: 'API key created' }],
    ['zh-TW', { next: '下一頁', previous: '上一頁', action: '動作', tenantCreated: '建立帳戶', keyCreated: '建立 API 金鑰' }],
  ] as const) {
    it(`follows the API's cursor forward and back, and a filter starts again at its first page, in ${locale}`, async () => {
      const tab = await open('/audit-log', locale);
      const { page } = tab;
      const rows = page.locator('tbody tr');
      // The table shows one loading row until the page arrives, which can take more than poll's 5 s on a busy machine.
      const pageLoad = { timeout: 30_000 };
      await page.getByRole('row', { name: new RegExp(words.keyCreated) }).first().waitFor();
      await expect.poll(() => rows.count(), pageLoad).toBe(25);
      const firstRow = await rows.first().innerText();
      await checkHealthy(tab);

      await page.getByRole('button', { name: words.next }).click();
      // 25 a page, newest first: the account's creation is on the second.
      await expect.poll(() => rows.count(), pageLoad).toBe(auditEntries - 25);
      await page.getByRole('row', { name: new RegExp(words.tenantCreated) }).waitFor();
      await page.getByRole('button', { name: words.previous }).click();
      await expect.poll(() => rows.count(), pageLoad).toBe(25);
      expect(await rows.first().innerText()).toBe(firstRow);

      await page.getByRole('button', { name: words.next }).click();
      await expect.poll(() => rows.count(), pageLoad).toBe(auditEntries - 25);
      await page.getByRole('button', { name: new RegExp(`^${words.action}`) }).first().click();
      await page.getByRole('option', { name: words.keyCreated }).click();
      await expect.poll(() => rows.count(), pageLoad).toBe(25);
      expect(await page.getByRole('button', { name: words.previous }).isDisabled()).toBe(true);
      expect(tab.errors).toEqual([]);
      await tab.close();
    });
  }
});

describe('the People page, one form to invite and to edit', { timeout: 180_000 }, () => {
  it("shows the API's refusal beside the agent id, then saves; the change survives a reload", async () => {
    const tab = await open('/people', 'en');
    const { page } = tab;
    await page.getByRole('row', { name: new RegExp(personEmail.replace(/[.]/g, '\\.')) }).waitFor();

    await page.getByRole('button', { name: 'Invite a person' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('E-mail').waitFor();
    await dialog.getByRole('button', { name: 'Send invitation' }).waitFor();
    await checkHealthy(tab);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: `Actions: ${personEmail}` }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByText(`Edit: ${personEmail}`).waitFor();
    expect(await dialog.getByLabel('E-mail').count()).toBe(0);
    await dialog.getByLabel('Agent id').fill('wei ting');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('An agent id has no #, :, spaces or control characters').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(await fetchedScripts(page)).not.toContain('flashbar');

    await dialog.getByLabel('Agent id').fill('wei-ting');
    await dialog.getByLabel('Name', { exact: true }).fill('Wei-Ting Lin');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // The notice bar's code arrives with its first notice.
    await page.getByText(`Saved ${personEmail}.`).waitFor();
    expect(await fetchedScripts(page)).toContain('flashbar');
    const row = page.getByRole('row', { name: new RegExp(personEmail.replace(/[.]/g, '\\.')) });
    await expect.poll(() => row.innerText()).toContain('wei-ting');
    expect(tab.errors.filter((error) => !/status of 400/.test(error))).toEqual([]);

    await page.reload();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Wei-Ting Lin[\s\S]*wei-ting/);
    await tab.close();
  });

  it('reads in Traditional Chinese, the edit form included', async () => {
    const tab = await open('/people', 'zh-TW');
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: '人員' }).waitFor();
    await page.getByRole('button', { name: `動作: ${personEmail}` }).click();
    await page.getByRole('menuitem', { name: '編輯' }).click();
    await page.getByRole('dialog').getByLabel('專員代號').waitFor();
    await checkHealthy(tab);
    await tab.close();
  });
});

describe('the People page, an address the mail service refuses', { timeout: 180_000 }, () => {
  for (const [locale, words] of [
    ['en', { invite: 'Invite a person', email: 'E-mail', send: 'Send invitation', refused: 'The mail service refuses this address' }],
    ['zh-TW', { invite: '邀請人員', email: '電子郵件', send: '送出邀請', refused: '郵件服務拒收這個地址' }],
  ] as const) {
    it(`says so under the e-mail field in the page's words, and nothing is sent, in ${locale}`, async () => {
      // The twin refuses addresses at refused.example as SES refuses one on its suppression list.
      const address = `ana.${locale.toLowerCase()}@refused.example`;
      const tab = await open('/people', locale);
      const { page } = tab;
      await page.getByRole('button', { name: words.invite }).click();
      const dialog = page.getByRole('dialog');
      const emailInput = dialog.getByLabel(words.email);
      await emailInput.fill(address);
      await dialog.getByRole('button', { name: words.send }).click();
      await dialog.getByText(words.refused).first().waitFor();
      // Beside its field: the words are the input's own description (the FormField's error text).
      const describedBy = (await emailInput.getAttribute('aria-describedby')) ?? '';
      const description = await page.evaluate(
        (ids) => ids.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
        describedBy,
      );
      expect(description).toContain(words.refused);
      expect(twin.mail.sentTo(address)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(tab.errors.filter((error) => !/status of 422/.test(error))).toEqual([]);
      await tab.close();
    });
  }
});

describe('the People page, resending an invitation', { timeout: 180_000 }, () => {
  it('mails a person still invited a new invitation from the row’s actions, and says so', async () => {
    const before = twin.mail.sentTo(personEmail).length;
    const tab = await open('/people', 'en');
    const { page } = tab;
    await page.getByRole('button', { name: `Actions: ${personEmail}` }).click();
    await page.getByRole('menuitem', { name: 'Resend the invitation' }).click();
    await page.getByText(`A new invitation is on its way to ${personEmail}`).waitFor();
    await expect.poll(() => twin.mail.sentTo(personEmail).length).toBe(before + 1);
    expect(await axeViolations(page)).toEqual([]);
    expect(tab.errors).toEqual([]);
    await tab.close();

    // The resend is in the audit log, in each language's words.
    for (const [locale, resent] of [['en', 'Invitation resent'], ['zh-TW', '重新寄送邀請']] as const) {
      const log = await open('/audit-log', locale);
      await log.page.getByRole('row', { name: new RegExp(resent) }).first().waitFor();
      expect(log.errors).toEqual([]);
      await log.close();
    }
  });
});
