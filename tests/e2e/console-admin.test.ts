/// <reference lib="dom" />
import { mkdir, readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleTab, axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { parseCsv } from '../support/csv-parser';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';

/**
 * The console's administration pages in Chromium against a test twin, as a tenant admin uses
 * them: an API key created (its secret shown once) and revoked; a webhook to a receiver on this
 * machine, a test event sent and its delivery listed; a CSV export downloaded and read back; the
 * audit log naming those changes; usage against the plan. Both languages, axe-core on each page,
 * screenshots to docs/images/console-<page>-<locale>.png.
 */

const images = 'docs/images';
let twin: TestTwin;
let browser: Browser;
let adminKey: string;
let adminKeyId: string;
let receiver: Server;
let receiverUrl: string;
const arrivals: { headers: Record<string, unknown>; body: { type: string; data: { webhookId: string } } }[] = [];
/** The contacts seeded in the first week of November 2026 (tenant time, Asia/Taipei). */
const contactIds: string[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      arrivals.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  receiverUrl = `http://127.0.0.1:${port}/switchboard`;
  twin = await startTestTwin({ webhookReceiverPorts: [port] });
  const tenant = await createTenant(twin, { name: 'Formosa Telecom Care', locale: 'en' });
  adminKey = tenant.apiKey;
  adminKeyId = tenant.adminKeyId;
  for (const [channel, day] of [['voice', '02'], ['chat', '03'], ['email', '04']] as const) {
    const created = await api(twin.url, 'POST', '/v1/contacts', {
      key: adminKey,
      body: { channel, direction: 'inbound', queue: 'billing', queuedAt: `2026-11-${day}T09:00:00+08:00` },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    contactIds.push(created.body.contactId);
  }
  browser = await launchChromium();
  await mkdir(images, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function open(path: string, locale: 'en' | 'zh-TW'): Promise<ConsoleTab> {
  const tab = await openConsole(browser, twin.consoleUrl, { token: adminKey, path, locale });
  await tab.page.getByRole('heading', { level: 1 }).first().waitFor();
  return tab;
}

/** Nothing the console logged as an error, and nothing serious or critical for axe-core. */
async function checkHealthy(tab: ConsoleTab) {
  expect(await axeViolations(tab.page)).toEqual([]);
  expect(tab.errors).toEqual([]);
}

const shoot = (page: Page, name: string, locale: string) => page.screenshot({ path: `${images}/console-${name}-${locale}.png` });

describe('the administration pages in English', { timeout: 180_000 }, () => {
  it('create an API key whose secret is shown once and works, then revoke it', async () => {
    const tab = await open('/api-keys', 'en');
    const { page } = tab;
    await page.getByRole('button', { name: 'Create key' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('BI export');
    await dialog.getByText('Read only', { exact: true }).click();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secretText = page.getByTestId('shown-once-secret');
    await secretText.waitFor();
    const secret = (await secretText.textContent())!.trim();
    expect(secret).toMatch(/^sb\./);
    await expect(page.getByText('This is the only time the secret is shown').count()).resolves.toBe(1);
    expect((await api(twin.url, 'GET', '/v1/usage', { key: secret })).status).toBe(200);
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    const row = page.getByRole('row', { name: /BI export/ });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Read only');
    expect(await page.content()).not.toContain(secret);
    await checkHealthy(tab);
    await shoot(page, 'api-keys', 'en');

    await page.reload();
    await page.getByRole('row', { name: /BI export/ }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.getByRole('button', { name: 'Revoke: BI export' }).click();
    await page.getByRole('dialog').getByText('This cannot be undone', { exact: false }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Key "BI export" revoked.').waitFor();
    await page.getByRole('row', { name: /BI export/ }).waitFor({ state: 'detached' });
    expect((await api(twin.url, 'GET', '/v1/usage', { key: secret })).status).toBe(401);

    await page.getByRole('button', { name: /^Revoke: / }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    // The API's refusal, in the dialog: the last admin key stays.
    await page.getByRole('dialog').getByText('Conflict', { exact: false }).first().waitFor();
    expect((await api(twin.url, 'GET', '/v1/api-keys', { key: adminKey })).body.items.map((key: { keyId: string }) => key.keyId)).toContain(adminKeyId);
    await tab.close();
  });

  it('create a webhook to a receiver, send a test event and see its delivery listed', async () => {
    const tab = await open('/webhooks', 'en');
    const { page } = tab;
    await page.getByText('No webhooks').waitFor();
    await page.getByRole('button', { name: 'Create webhook' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Endpoint URL').fill(receiverUrl);
    await dialog.getByText('Every event', { exact: true }).click();
    await dialog.getByLabel('Description').fill('Ticketing sync');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    const secret = (await page.getByTestId('shown-once-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await page.getByRole('row', { name: /Ticketing sync/ }).waitFor();
    await checkHealthy(tab);
    await shoot(page, 'webhooks', 'en');

    await page.getByRole('link', { name: `Deliveries: ${receiverUrl}` }).click();
    await page.getByText('No deliveries yet').waitFor();
    await page.getByRole('button', { name: 'Send test event' }).click();
    const delivered = page.getByRole('row', { name: /Webhook Test.*Delivered/ });
    await delivered.waitFor({ timeout: 20_000 });
    await expect(delivered.textContent()).resolves.toContain('HTTP 200');
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]!.body.type).toBe('Webhook Test');
    expect(arrivals[0]!.headers['switchboard-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    await checkHealthy(tab);
    await shoot(page, 'webhook-deliveries', 'en');
    await tab.close();
  });

  it('download the contacts of a period as CSV, with its header and one row per contact', async () => {
    const tab = await open('/exports', 'en');
    const { page } = tab;
    await page.getByRole('textbox', { name: 'Period From' }).fill('2026/11/01');
    await page.getByRole('textbox', { name: 'Period To' }).fill('2026/11/07');
    await page.getByRole('button', { name: 'Prepare the CSV' }).click();
    await page.getByText('Ready: 3 rows').waitFor({ timeout: 20_000 });
    const save = page.getByRole('link', { name: /^Save / });
    const href = (await save.getAttribute('href'))!;
    expect(href).toMatch(/^blob:/);
    expect(await save.getAttribute('download')).toMatch(/^contacts_2026-11-01_2026-11-07\.csv$/);
    const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
    expect(download.suggestedFilename()).toBe('contacts_2026-11-01_2026-11-07.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
    expect(header!.slice(0, 4)).toEqual(['contactId', 'externalContactId', 'customerId', 'status']);
    expect(rows.map((row) => row[0]).sort()).toEqual([...contactIds].sort());
    expect(rows.map((row) => row[header!.indexOf('channel')]).sort()).toEqual(['chat', 'email', 'voice']);
    await checkHealthy(tab);
    await shoot(page, 'exports', 'en');

    await page.getByRole('textbox', { name: 'Period From' }).fill('2026/09/01');
    await page.getByRole('button', { name: 'Prepare the CSV' }).click();
    // A period over 31 days: the API's words beside the field.
    await page.getByText('An export spans at most 31 days').waitFor();
    await tab.close();
  });

  it('show the key created and revoked and the export in the audit log, filtered by action', async () => {
    const tab = await open('/audit-log', 'en');
    const { page } = tab;
    await page.getByRole('row', { name: /API key created/ }).first().waitFor();
    const created = page.getByRole('row', { name: /API key created/ }).first();
    await expect(created.textContent()).resolves.toContain(`(${adminKeyId})`);
    await expect(created.textContent()).resolves.toContain('Scopes: readonly');
    await page.getByRole('row', { name: /API key revoked/ }).first().waitFor();
    await page.getByRole('row', { name: /Export downloaded/ }).first().waitFor();
    await page.getByRole('row', { name: /Webhook created/ }).first().waitFor();
    await checkHealthy(tab);
    await shoot(page, 'audit-log', 'en');

    await page.getByRole('button', { name: /^Action/ }).click();
    await page.getByRole('option', { name: 'API key revoked' }).click();
    await page.getByRole('row', { name: /API key revoked/ }).first().waitFor();
    await expect(page.getByRole('row', { name: /API key created|Export downloaded/ }).count()).resolves.toBe(0);
    await page.getByLabel('Who').fill('someone');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Must be an API key id (key_…), a person id (per_…) or operator').waitFor();
    await tab.close();
  });

  it('show usage against the plan with the numbers the API gives', async () => {
    const usage = (await api(twin.url, 'GET', '/v1/usage', { key: adminKey })).body;
    const tab = await open('/usage', 'en');
    const { page } = tab;
    await page.getByText('SMS segments today', { exact: true }).waitFor();
    const text = (await page.getByRole('main').textContent()) ?? '';
    const en = (value: number) => new Intl.NumberFormat('en').format(value);
    expect(text).toContain(`of ${en(usage.limits.smsSegmentsPerDay)}`);
    expect(text).toContain(`of ${en(usage.limits.smsSegmentsPerMonth)}`);
    expect(text).toContain(`${en(usage.limits.apiRequestsPerMinute)} requests a minute`);
    expect(text).toContain(`Plan: Trial`);
    expect(await page.getByRole('progressbar').count()).toBe(3);
    await checkHealthy(tab);
    await shoot(page, 'usage', 'en');
    await tab.close();
  });
});

describe('the administration pages in Traditional Chinese', { timeout: 120_000 }, () => {
  it.each([
    ['api-keys', '/api-keys', 'API 金鑰', '建立金鑰'],
    ['webhooks', '/webhooks', 'Webhook', '建立 Webhook'],
    ['exports', '/exports', '匯出', '準備 CSV 檔'],
    ['audit-log', '/audit-log', '稽核紀錄', '建立 API 金鑰'],
    ['usage', '/usage', '用量', '今日簡訊則數'],
    ['webhook-deliveries', '/webhooks/{first}', '傳送紀錄', '已送達'],
  ])('%s speaks zh-TW, passes axe and is photographed', async (name, path, heading, text) => {
    const firstWebhook = async () => (await api(twin.url, 'GET', '/v1/webhooks', { key: adminKey })).body.items[0].webhookId as string;
    const tab = await open(path.includes('{first}') ? path.replace('{first}', await firstWebhook()) : path, 'zh-TW');
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.getByText(text).first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], [class*="awsui_loading"]'), undefined, { timeout: 10_000 }).catch(() => undefined);
    await checkHealthy(tab);
    await shoot(page, name, 'zh-TW');
    await tab.close();
  });
});
