import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/console-browser';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { eventually } from '../support/waiting';

/**
 * Issue 13, mail links: the invitation and sign-up mails link to the console where people sign
 * in (the twin's `consoleUrl`, http://localhost:<port>), not to the twin's 127.0.0.1 address — a
 * page opened on another origin would know nothing of the console's sign-in. Each link is
 * followed in Chromium to a working page on that origin.
 */

let twin: TestTwin;
let browser: Browser;

beforeAll(async () => {
  twin = await startTestTwin();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

const unique = () => `${Date.now()}${Math.floor(Math.random() * 1e6)}`;

async function mailTo(to: string, kind: string): Promise<string> {
  let text: string | undefined;
  await eventually(async () => {
    const outbox = await api(twin.url, 'GET', `/local/mail/outbox?to=${encodeURIComponent(to)}`);
    text = (outbox.body.items as { kind?: string; text: string }[]).find((mail) => mail.kind === kind)?.text;
    return text !== undefined;
  }, `a ${kind} mail to ${to}`);
  return text!;
}

/** Every distinct link in a mail (bilingual mails give each link once per language). */
const linksIn = (text: string) => [...new Set([...text.matchAll(/https?:\/\/[^\s)）]+/g)].map((match) => match[0]))];

describe('links in mail go to the console, where people sign in', () => {
  it('the twin runs its console on another origin than its API address, so the difference is real', () => {
    expect(new URL(twin.consoleUrl).origin).not.toBe(new URL(twin.url).origin);
  });

  it('an invitation links to the console, which opens the sign-in page on its own origin', async () => {
    const { apiKey } = await createTenant(twin);
    const email = `invited.${unique()}@acme.test`;
    const invited = await api(twin.url, 'POST', '/v1/people', { key: apiKey, body: { email, role: 'agent' } });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);

    const links = linksIn(await mailTo(email, 'invitation'));
    expect(links).toEqual([`${twin.consoleUrl}/`]);
    const context = await browser.newContext({ locale: 'en' });
    try {
      const page = await context.newPage();
      await page.goto(links[0]!);
      await page.getByRole('heading', { level: 1, name: 'Sign in to Switchboard' }).waitFor();
      expect(new URL(page.url()).origin).toBe(twin.consoleUrl);
    } finally {
      await context.close();
    }
  });

  it("a sign-up's verification link opens the console's page to choose a password, and the sign-up completes there", async () => {
    const email = `owner.${unique()}@florist.test`;
    const started = await api(twin.url, 'POST', '/v1/signups', {
      body: { businessName: 'Lin Florist', timezone: 'Asia/Taipei', country: 'TW', locale: 'en', adminEmail: email },
    });
    expect(started.status).toBe(202);

    const links = linksIn(await mailTo(email, 'signup-verification'));
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(new RegExp(`^${twin.consoleUrl.replace(/[.]/g, '\\.')}/signup/verify\\?token=[\\w-]+$`));
    const context = await browser.newContext({ locale: 'en' });
    try {
      const page = await context.newPage();
      await page.goto(links[0]!);
      await page.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor();
      expect(new URL(page.url()).origin).toBe(twin.consoleUrl);
      await page.getByLabel('Your name').fill('Lin Mei');
      await page.getByLabel('Password', { exact: true }).fill('Orchid-Bloom-2026!');
      await page.getByLabel('Password again').fill('Orchid-Bloom-2026!');
      await page.getByRole('button', { name: 'Create my account' }).click();
      await page.getByRole('heading', { name: 'Your trial is ready' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
