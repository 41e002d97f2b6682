/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleTab, axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';

/**
 * The desk's canned replies page in Chromium against a test twin: a supervisor's work (here the
 * tenant's admin key) in English — an unknown variable refused beside its field, a reply added
 * that survives a reload, changed and deleted — and an agent's view in Traditional Chinese, which
 * reads them and changes nothing. axe-core on each; screenshots to docs/images.
 */

const images = 'docs/images';
let twin: TestTwin;
let browser: Browser;
let adminKey: string;
let agentKey: string;

beforeAll(async () => {
  twin = await startTestTwin();
  const tenant = await createTenant(twin, { name: 'Formosa Telecom Care', locale: 'en' });
  adminKey = tenant.apiKey;
  const agent = await api(twin.url, 'POST', '/v1/api-keys', { key: adminKey, body: { name: 'Desk agent', scopes: ['agent'] } });
  expect(agent.status).toBe(201);
  agentKey = agent.body.secret;
  browser = await launchChromium();
  await mkdir(images, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

async function open(token: string, locale: 'en' | 'zh-TW'): Promise<ConsoleTab> {
  const tab = await openConsole(browser, twin.consoleUrl, { token, path: '/desk/canned-replies', locale });
  await tab.page.getByRole('heading', { level: 1 }).first().waitFor();
  return tab;
}

async function checkHealthy(tab: ConsoleTab) {
  expect(await axeViolations(tab.page)).toEqual([]);
  expect(tab.errors).toEqual([]);
}

const shoot = async (page: Page, locale: string) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: `${images}/console-canned-replies-${locale}.png` });
};

describe('canned replies', { timeout: 180_000 }, () => {
  it('a supervisor adds one (an unknown variable is shown beside its field), and it survives a reload', async () => {
    const tab = await open(adminKey, 'en');
    const { page } = tab;
    await page.getByText('No canned replies yet').waitFor();
    await page.getByRole('button', { name: 'Add canned reply' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title', { exact: true }).fill('Refund on its way');
    await dialog.getByLabel('Text in Traditional Chinese', { exact: true }).fill('{customerName}您好，案件 {caseNumber} 的退款將於 {deadline} 前完成。');
    await dialog.getByLabel('Text in English', { exact: true }).fill('Dear {name}, your refund is on its way.');
    await dialog.getByRole('button', { name: 'Add canned reply' }).click();
    await dialog.getByText('Unknown variable {name}', { exact: false }).waitFor();
    expect((await api(twin.url, 'GET', '/v1/canned-replies', { key: adminKey })).body.items).toEqual([]);

    await dialog.getByLabel('Text in English', { exact: true }).fill('Dear {customerName}, your refund for case {caseNumber} is on its way.');
    await dialog.getByRole('button', { name: 'Add canned reply' }).click();
    await page.getByText('Canned reply saved.').waitFor();
    await page.getByRole('row', { name: /Refund on its way/ }).waitFor();
    // The refusal above is logged by the browser as a failed request: the rest is checked in a fresh tab, as after a reload.
    await tab.close();

    const reloaded = await open(adminKey, 'en');
    const row = reloaded.page.getByRole('row', { name: /Refund on its way/ });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('退款將於 {deadline} 前完成');
    await checkHealthy(reloaded);
    await shoot(reloaded.page, 'en');

    await reloaded.page.getByRole('button', { name: 'Actions: Refund on its way' }).click();
    await reloaded.page.getByRole('menuitem', { name: 'Edit' }).click();
    await reloaded.page.getByRole('dialog').getByLabel('Title', { exact: true }).fill('Refund sent');
    await reloaded.page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await reloaded.page.getByRole('row', { name: /Refund sent/ }).waitFor();
    const stored = (await api(twin.url, 'GET', '/v1/canned-replies', { key: adminKey })).body.items;
    expect(stored).toEqual([expect.objectContaining({ title: 'Refund sent', version: 2 })]);
    expect(reloaded.errors).toEqual([]);
    await reloaded.close();
  });

  it('an agent reads them in Traditional Chinese and cannot change them', async () => {
    await api(twin.url, 'POST', '/v1/canned-replies', {
      key: adminKey,
      body: { title: '維修進度', texts: { 'zh-TW': '{customerName}您好，您的維修案件 {caseNumber} 正在處理中。' } },
    });
    const tab = await open(agentKey, 'zh-TW');
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: '常用回覆' }).waitFor();
    await page.getByRole('row', { name: /維修進度/ }).waitFor();
    await page.getByText('只有主管與管理員可以修改常用回覆。', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: '新增常用回覆' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^動作：/ }).count()).toBe(0);
    await checkHealthy(tab);
    await shoot(page, 'zh-TW');
    await tab.close();
  });

  it('a supervisor deletes one, and agents no longer see it', async () => {
    const tab = await open(adminKey, 'en');
    const { page } = tab;
    await page.getByRole('button', { name: 'Actions: Refund sent' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Canned reply deleted.').waitFor();
    await page.getByRole('row', { name: /Refund sent/ }).waitFor({ state: 'detached' });
    const titles = (await api(twin.url, 'GET', '/v1/canned-replies', { key: agentKey })).body.items.map((item: { title: string }) => item.title);
    expect(titles).toEqual(['維修進度']);
    await checkHealthy(tab);
    await tab.close();
  });

  it('an agent picks one on a case: read only once the picker is reached, filled in for the customer and the case', async () => {
    await api(twin.url, 'POST', '/v1/canned-replies', {
      key: adminKey,
      body: { title: 'Repair update', texts: { en: 'Dear {customerName}, case {caseNumber} is in progress.', 'zh-TW': '{customerName}您好，案件 {caseNumber} 處理中。' } },
    });
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: adminKey, body: { givenName: 'Mei', familyName: 'Lin', phone: '+886912000345', language: 'en' } });
    expect(customer.status).toBe(201);
    const opened = await api(twin.url, 'POST', '/v1/cases', { key: adminKey, body: { type: 'inquiry', category: 'repair', subject: 'Router repair', customerId: customer.body.customerId } });
    expect(opened.status).toBe(201);
    const tab = await openConsole(browser, twin.consoleUrl, { token: agentKey, path: `/desk/cases/${opened.body.caseId}`, locale: 'en' });
    const { page } = tab;
    const cannedReads: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/v1/canned-replies') cannedReads.push(request.url());
    });
    await page.getByRole('heading', { name: 'Router repair' }).first().waitFor();
    await page.getByText('Choose a canned reply').waitFor();
    expect(cannedReads).toEqual([]);
    await page.getByText('Choose a canned reply').click();
    await page.getByRole('option', { name: /Repair update/ }).click();
    expect(cannedReads).toHaveLength(1);
    const text = page.getByLabel('Message', { exact: true });
    await expect.poll(() => text.inputValue()).toMatch(/^Dear Mei Lin, case \S+ is in progress\.$/);
    expect(await text.inputValue()).not.toContain('{');
    await checkHealthy(tab);
    await tab.close();
  });
});
