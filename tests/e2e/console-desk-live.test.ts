import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { registerConnectInstance } from '../support/operator';
import { signInPerson } from '../support/people-sign-in';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { uniqueDigits } from '../support/waiting';
import { connectContactEvent } from '../support/connect-events';

/**
 * The live channel in Chromium: an agent's console opens it on sign-in (the top bar says so in
 * both languages), and an Amazon Connect contact put on the twin's bus through EventBridge's
 * PutEvents, as the tenant's Connect account sends it, navigates the open console to the screen
 * pop URL within five seconds. (The pop page itself is the customer desk's: once it is merged,
 * the page shows the caller; here the URL is what is checked.)
 */

let twin: TestTwin;
let browser: Browser;
let agentToken: string;
let agentId: string;
let instanceArn: string;
let phone: string;
let customerId: string;
const account = '123456789012';

beforeAll(async () => {
  twin = await startTestTwin();
  const tenant = await createTenant(twin, { name: 'Acme Live Desk' });
  const key = tenant.apiKey;
  instanceArn = `arn:aws:connect:us-west-2:${account}:instance/${randomUUID()}`;
  await registerConnectInstance(twin, tenant.tenant.tenantId, instanceArn);
  const listed = await api(twin.url, 'PATCH', '/v1/settings', { key, body: { connect: { instanceArns: [instanceArn] } } });
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  phone = `+8869${uniqueDigits()}`;
  const customer = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: '林美玲', phone } });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  customerId = customer.body.customerId;
  // The agent's id is their Amazon Connect user id, as connect-ingest maps it.
  agentId = randomUUID();
  const email = `agent.${uniqueDigits()}@live.test`;
  const invited = await api(twin.url, 'POST', '/v1/people', { key, body: { email, role: 'agent', agentId } });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  agentToken = (await signInPerson(twin, email)).accessToken;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

/** A Connect contact event of this test's call for the agent (tests/support/connect-events.ts). */
function connectEvent(eventType: 'INITIATED' | 'CONNECTED_TO_AGENT', contactId: string) {
  return connectContactEvent({ instanceArn, eventType, contactId, phone, agentId });
}

describe('the live desk in Chromium', () => {
  for (const locale of ['en', 'zh-TW'] as const) {
    it(`pops the caller on the open console within 5 seconds of Connect's event (${locale})`, async () => {
      const tab = await openConsole(browser, twin.consoleUrl, { token: agentToken, locale });
      try {
        const indicator = tab.page.getByRole('button', { name: locale === 'en' ? /Live updates: connected/ : /即時更新：已連線/ });
        await indicator.waitFor({ timeout: 15_000 });
        expect(await indicator.textContent()).toContain(locale === 'en' ? 'Live' : '即時');
        expect(await axeViolations(tab.page)).toEqual([]);

        const contactId = randomUUID();
        const eventBridge = new EventBridgeClient({ endpoint: twin.url, region: 'local', credentials: { accessKeyId: account, secretAccessKey: 'local' } });
        try {
          const started = Date.now();
          for (const eventType of ['INITIATED', 'CONNECTED_TO_AGENT'] as const) {
            const answer = await eventBridge.send(new PutEventsCommand({ Entries: [connectEvent(eventType, contactId)] }));
            expect(answer.FailedEntryCount).toBe(0);
          }
          await tab.page.waitForURL(/\/desk\/pop\?/, { timeout: 5_000 });
          expect(Date.now() - started).toBeLessThan(5_000);
        } finally {
          eventBridge.destroy();
        }
        const popped = new URL(tab.page.url());
        expect(popped.pathname).toBe('/desk/pop');
        expect(popped.searchParams.get('contactId')).toMatch(/^con_/);
        expect(popped.searchParams.get('phone')).toBe(phone);
        // The contact Connect named is the one logged for it, with the customer who holds the number.
        const contact = await api(twin.url, 'GET', `/v1/contacts/${popped.searchParams.get('contactId')}`, { key: agentToken });
        expect(contact.status, JSON.stringify(contact.body)).toBe(200);
        expect(contact.body.externalContactId).toBe(contactId);
        const posted = (await api(twin.url, 'GET', '/local/live')).body.posted as { data: { type: string; customerId?: string; contactId?: string } }[];
        expect(posted.find((entry) => entry.data.type === 'screen-pop' && entry.data.contactId === popped.searchParams.get('contactId'))?.data.customerId).toBe(customerId);
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });
  }
});
