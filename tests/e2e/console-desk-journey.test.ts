import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleTab, axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { allocateSmsSender, registerConnectInstance } from '../support/operator';
import { signInPerson } from '../support/people-sign-in';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { eventually, uniqueDigits } from '../support/waiting';
import { connectContactEvent } from '../support/connect-events';

/**
 * The agents' desk from end to end (issue 14 §7) in Chromium against a test twin, with agents
 * signed in on the twin's issuer: a Connect contact put on the twin's bus pops a known caller on
 * the open desk, the agent logs the contact, takes the complaint, replies by SMS, sees the
 * customer's SMS answer arrive on the case without a reload, records the recovery and resolves;
 * a second agent who tries to take the case is told who holds it. The whole journey runs in each
 * language (the words differ on every page, and the live channel and pop are the same code in
 * both), each on its own customer and case. axe-core on every page visited.
 */

let twin: TestTwin;
let browser: Browser;
let key: string;
let instanceArn: string;
const account = '123456789012';
const tenantNumber = `+8862${uniqueDigits()}`;
const agents = { first: { agentId: randomUUID(), token: '' }, second: { agentId: 'wei.chen', token: '' } };

const call = async (method: string, path: string, body?: unknown, options: { as?: string; headers?: Record<string, string> } = {}) => {
  const answer = await api(twin.url, method, path, { key: options.as ?? key, body, headers: options.headers });
  expect([200, 201, 202], `${method} ${path}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
  return answer.body;
};

beforeAll(async () => {
  twin = await startTestTwin();
  browser = await launchChromium();
  const created = await createTenant(twin, { name: 'Formosa Desk', locale: 'en' });
  key = created.apiKey;
  const tenantId = created.tenant.tenantId;
  instanceArn = `arn:aws:connect:us-west-2:${account}:instance/${randomUUID()}`;
  await registerConnectInstance(twin, tenantId, instanceArn);
  await allocateSmsSender(twin, tenantId, tenantNumber);
  const settings = await api(twin.url, 'GET', '/v1/settings', { key });
  await call(
    'PATCH',
    '/v1/settings',
    {
      connect: { instanceArns: [instanceArn] },
      sms: { originationIdentity: tenantNumber },
      reasonCodes: [{ code: 'billing.dispute', label: { en: 'Billing dispute', 'zh-TW': '帳單爭議' } }],
      surveys: { quietHours: null },
    },
    { headers: { 'if-match': settings.headers.get('etag')! } },
  );
  // The first agent's id is their Amazon Connect user id, as connect-ingest maps it.
  for (const [agent, displayName] of [
    [agents.first, 'Mei Lin'],
    [agents.second, 'Wei Chen'],
  ] as const) {
    const email = `agent.${uniqueDigits()}@journey.test`;
    await call('POST', '/v1/people', { email, role: 'agent', agentId: agent.agentId, displayName });
    agent.token = (await signInPerson(twin, email)).accessToken;
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

/** A Connect contact event of this test's call for the agent (tests/support/connect-events.ts). */
function connectEvent(eventType: 'INITIATED' | 'CONNECTED_TO_AGENT', contactId: string, phone: string) {
  return connectContactEvent({ instanceArn, eventType, contactId, phone, agentId: agents.first.agentId });
}

/** Nothing on the page for axe-core's serious or critical rules; nothing logged but Chromium's line for a refusal the test provoked. */
async function checkPage(tab: ConsoleTab, provoked?: number) {
  expect(await axeViolations(tab.page)).toEqual([]);
  const refusal = provoked && `Failed to load resource: the server responded with a status of ${provoked} `;
  expect(tab.errors.filter((error) => !refusal || !error.startsWith(refusal))).toEqual([]);
}

const words = {
  en: {
    live: /Live updates: connected/,
    nextStep: 'Recover first',
    log: 'Log a contact',
    reason: /Reason/,
    reasonOption: 'Billing dispute',
    notResolved: 'Not resolved',
    firstContact: 'Resolved on this first contact',
    save: 'Save and close the contact',
    saved: 'Contact saved and closed.',
    takeIt: 'Take it',
    assignFailed: 'The case could not be assigned',
    startWork: 'Start work',
    message: 'Message',
    send: 'Send',
    sent: 'Reply sent to the customer.',
    apology: 'We apologized to the customer',
    recordApology: 'Record the apology',
    resolve: 'Resolve',
    resolved: 'Resolved',
    reply: 'Your refund of NT$200 is on its way.',
    answer: 'Thank you, I see it now.',
  },
  'zh-TW': {
    live: /即時更新：已連線/,
    nextStep: '先處理客訴',
    log: '記錄聯絡',
    reason: /聯絡原因/,
    reasonOption: '帳單爭議',
    notResolved: '未解決',
    firstContact: '首次聯絡即解決',
    save: '儲存並結束聯絡',
    saved: '聯絡已儲存並結束。',
    takeIt: '由我處理',
    assignFailed: '無法指派這件案件',
    startWork: '開始處理',
    message: '訊息內容',
    send: '送出',
    sent: '已將回覆送給客戶。',
    apology: '已向顧客致歉',
    recordApology: '記錄致歉',
    resolve: '標記為已解決',
    resolved: '已解決',
    reply: '您好，重複扣款的 200 元已退回。',
    answer: '收到了，謝謝！',
  },
} as const;

describe('the desk from a call to a resolved complaint', () => {
  for (const locale of ['en', 'zh-TW'] as const) {
    it(`pops the caller, logs the contact, replies by SMS, shows the answer live, resolves; a second agent is told who holds the case (${locale})`, async () => {
      const w = words[locale];
      const phone = `+8869${uniqueDigits()}`;
      const customerId = (await call('POST', '/v1/customers', { displayName: `林美玲 ${locale}`, phone, consent: { sms: { status: 'granted', source: 'call' } } })).customerId as string;
      // A complaint already open for her, so that the customer at a glance suggests recovering first.
      const caseId = (await call('POST', '/v1/cases', { type: 'complaint', category: 'billing', subject: `Charged twice (${locale})`, customerId }, { as: agents.first.token }))
        .caseId as string;
      await eventually(async () => (await call('GET', `/v1/customers/${customerId}/overview`)).openCases.length === 1, 'the complaint in the overview');

      const tab = await openConsole(browser, twin.consoleUrl, { token: agents.first.token, locale });
      tab.page.setDefaultTimeout(60_000);
      const { page } = tab;
      try {
        // Signed in, the agent lands on My work with the live channel open.
        await page.waitForURL(/\/desk$/);
        await page.getByRole('button', { name: w.live }).waitFor();
        await checkPage(tab);

        // The call: Connect's events on the bus pop the caller on the open desk.
        const connectContactId = randomUUID();
        const eventBridge = new EventBridgeClient({ endpoint: twin.url, region: 'local', credentials: { accessKeyId: account, secretAccessKey: 'local' } });
        try {
          for (const eventType of ['INITIATED', 'CONNECTED_TO_AGENT'] as const) {
            expect((await eventBridge.send(new PutEventsCommand({ Entries: [connectEvent(eventType, connectContactId, phone)] }))).FailedEntryCount).toBe(0);
          }
        } finally {
          eventBridge.destroy();
        }
        await page.waitForURL(new RegExp(`/desk/customers/${customerId}\\?contactId=con_`), { timeout: 30_000 });
        const contactId = new URL(page.url()).searchParams.get('contactId')!;
        expect((await call('GET', `/v1/contacts/${contactId}`)).externalContactId).toBe(connectContactId);

        // The customer at a glance: who calls, and the open complaint first.
        await page.getByRole('heading', { level: 1, name: `林美玲 ${locale}` }).waitFor();
        await expect.poll(() => page.getByText(w.nextStep).count(), { timeout: 30_000 }).toBeGreaterThan(0);
        await expect.poll(() => page.getByRole('link', { name: 'billing' }).getAttribute('href'), { timeout: 30_000 }).toBe(`/desk/cases/${caseId}`);
        await checkPage(tab);

        // The wrap-up of the popped contact: reason and outcome.
        await page.getByRole('button', { name: w.log }).click();
        await page.waitForURL(`**/desk/contacts/new?customerId=${customerId}&contactId=${contactId}`);
        await page.getByRole('button', { name: w.reason }).click();
        await page.getByRole('option', { name: w.reasonOption }).click();
        await page.getByRole('radio', { name: w.notResolved, exact: true }).check();
        await page.getByRole('checkbox', { name: w.firstContact }).uncheck();
        await checkPage(tab);
        await page.getByRole('button', { name: w.save }).click();
        await page.getByText(w.saved).waitFor();
        expect(await call('GET', `/v1/contacts/${contactId}`)).toMatchObject({ status: 'closed', reasonCode: 'billing.dispute', outcome: 'unresolved', firstContactResolution: false, customerId });

        // The complaint: the agent takes it and starts work.
        await page.goto(`${twin.consoleUrl}/desk/cases/${caseId}`);
        await page.getByRole('heading', { name: `Charged twice (${locale})` }).waitFor();
        await page.getByRole('button', { name: w.takeIt }).click();
        await expect.poll(async () => (await call('GET', `/v1/cases/${caseId}`)).assignee, { timeout: 30_000 }).toBe(agents.first.agentId);
        await page.getByRole('button', { name: w.startWork }).click();
        await page.getByRole('button', { name: w.resolve }).waitFor();

        // The SMS reply from the case page lands in the twin's SMS outbox.
        await page.getByLabel(w.message, { exact: true }).fill(w.reply);
        await page.getByRole('button', { name: w.send, exact: true }).click();
        await page.getByText(w.sent).waitFor();
        const outbox = await eventually(async () => {
          const items = (await api(twin.url, 'GET', `/local/sms/outbox?to=${encodeURIComponent(phone)}`)).body.items as { body: string; originationIdentity: string }[];
          return items.length > 0 ? items : undefined;
        }, 'the SMS in the outbox');
        expect(outbox).toEqual([expect.objectContaining({ body: w.reply, originationIdentity: tenantNumber })]);
        await page.getByText(w.reply).first().waitFor();
        await page.getByRole('button', { name: w.live }).waitFor();
        await checkPage(tab);

        // The customer answers by SMS, delivered as AWS delivers it: on the open page within five seconds, without a reload.
        const navigations: string[] = [];
        page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
        const answered = Date.now();
        const delivered = await api(twin.url, 'POST', '/local/sms/inbound', {
          body: { originationNumber: phone, destinationNumber: tenantNumber, messageBody: w.answer, inboundMessageId: `in-${uniqueDigits()}` },
        });
        expect(delivered.status).toBe(202);
        await page.getByText(w.answer).first().waitFor({ timeout: 5_000 });
        expect(Date.now() - answered).toBeLessThan(5_000);
        expect(navigations).toEqual([]);

        // The recovery: the apology recorded, then the case resolved.
        await page.getByText(w.apology).click();
        await page.getByRole('button', { name: w.recordApology }).click();
        await expect.poll(async () => (await call('GET', `/v1/cases/${caseId}`)).serviceRecovery?.apologyGiven, { timeout: 30_000 }).toBe(true);
        await page.getByRole('button', { name: w.resolve }).click();
        await expect.poll(async () => (await call('GET', `/v1/cases/${caseId}`)).status, { timeout: 30_000 }).toBe('resolved');
        await page.getByText(w.resolved, { exact: true }).first().waitFor();
        const timeline = (await call('GET', `/v1/cases/${caseId}`)).timeline as { type: string; text?: string; step?: string }[];
        expect(timeline.filter((entry) => entry.type === 'customer_reply').map((entry) => entry.text)).toEqual([w.answer]);
        expect(timeline.filter((entry) => entry.type === 'service_recovery').map((entry) => entry.step)).toEqual(['apology']);
        await checkPage(tab);
      } finally {
        await tab.close();
      }

      // A second agent tries to take the case: refused, told who holds it, nothing changed.
      const second = await openConsole(browser, twin.consoleUrl, { token: agents.second.token, locale, path: `/desk/cases/${caseId}` });
      second.page.setDefaultTimeout(60_000);
      try {
        await second.page.getByRole('heading', { name: `Charged twice (${locale})` }).waitFor();
        await second.page.getByRole('button', { name: w.takeIt }).click();
        // The refusal in the page's words, and the API's detail naming who holds the case.
        await second.page.getByText(w.assignFailed).waitFor();
        await second.page.getByText(`${agents.first.agentId} holds the case already`).waitFor();
        expect((await call('GET', `/v1/cases/${caseId}`)).assignee).toBe(agents.first.agentId);
        await checkPage(second, 409);
      } finally {
        await second.close();
      }
    }, 300_000);
  }
});

describe('opening a case from the customer at a glance', () => {
  it('shows a refused field beside it, then opens the complaint, assigned to the agent, and goes to its page', async () => {
    const customer = await call('POST', '/v1/customers', { familyName: '陳', givenName: '小明', phone: `+8869${uniqueDigits().slice(0, 8)}` });
    const tab = await openConsole(browser, twin.consoleUrl, { token: agents.second.token, locale: 'zh-TW', path: `/desk/customers/${customer.customerId}` });
    tab.page.setDefaultTimeout(60_000);
    try {
      const { page } = tab;
      await page.getByRole('button', { name: '開立案件', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('主旨').fill('帳單重複扣款');
      // No category: the API refuses it, and the page says so beside the field.
      await dialog.getByRole('button', { name: '開立案件' }).click();
      const categoryField = dialog.getByLabel('類別');
      await expect.poll(() => categoryField.getAttribute('aria-invalid'), { timeout: 30_000 }).toBe('true');
      expect(await page.url()).toContain(`/desk/customers/${customer.customerId}`);
      await categoryField.fill('billing');
      await dialog.getByRole('button', { name: '開立案件' }).click();
      await page.getByRole('heading', { name: '帳單重複扣款' }).waitFor();
      const caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      const opened = await call('GET', `/v1/cases/${caseId}`);
      expect(opened).toMatchObject({ type: 'complaint', category: 'billing', customerId: customer.customerId, assignee: agents.second.agentId });
      await checkPage(tab, 400);
    } finally {
      await tab.close();
    }
  }, 180_000);
});
