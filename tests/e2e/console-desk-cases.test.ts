import { mkdirSync } from 'node:fs';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleTab, axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { signInPerson } from '../support/people-sign-in';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';

/**
 * The agents' desk for cases (issue 14 §1, §4) in Chromium against a test twin, with people
 * signed in on the twin's issuer: an agent lands on My work, sees the overdue case first with a
 * live countdown, loses a claim to a colleague and is told who has it, claims another, works a
 * complaint on the case page (allowed moves only, an internal note, the service recovery steps,
 * an error beside its field); a supervisor sees the team's load and reassigns. In English and
 * Traditional Chinese, with axe-core, photographed for docs/guides/agents-desk.md.
 */

let twin: TestTwin;
let browser: Browser;
let key: string;
let customerId: string;
const tokens: Record<'mei' | 'wei' | 'lead', string> = { mei: '', wei: '', lead: '' };

const call = async (method: string, path: string, body?: unknown, as = key) => {
  const answer = await api(twin.url, method, path, { key: as, body });
  expect([200, 201], `${method} ${path}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
  return answer.body;
};
const openCase = async (body: Record<string, unknown>) =>
  (await call('POST', '/v1/cases', { type: 'complaint', category: 'billing', customerId, ...body })).caseId as string;

beforeAll(async () => {
  // The functions follow the twin's clock, so that a case can be opened hours ago.
  twin = await startTestTwin({ functionsFollowClock: true });
  browser = await launchChromium();
  const created = await createTenant(twin, { name: 'Desk Co', locale: 'en' });
  key = created.apiKey;
  customerId = (await call('POST', '/v1/customers', { displayName: 'Lin Mei-ling' })).customerId;
  const people: [keyof typeof tokens, string, string, string][] = [
    ['mei', 'agent', 'mei.lin', 'Mei Lin'],
    ['wei', 'agent', 'wei.chen', 'Wei Chen'],
    ['lead', 'supervisor', 'lead.wang', 'Lead Wang'],
  ];
  for (const [name, role, agentId, displayName] of people) {
    const email = `${agentId}.${Math.random().toString(36).slice(2, 8)}@desk.test`;
    await call('POST', '/v1/people', { email, role, agentId, displayName });
    tokens[name] = (await signInPerson(twin, email)).accessToken;
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

const screenshotDir = 'docs/images';

/** No axe finding, nothing written to the console but Chromium's line for a refusal the test provoked; then the picture. */
async function checkAndPhotograph(tab: ConsoleTab, name: string | undefined, locale: string, provoked?: number) {
  expect(await axeViolations(tab.page)).toEqual([]);
  const refusal = provoked && `Failed to load resource: the server responded with a status of ${provoked} `;
  expect(tab.errors.filter((error) => !refusal || !error.startsWith(refusal))).toEqual([]);
  if (!name) return;
  mkdirSync(screenshotDir, { recursive: true });
  await tab.page.screenshot({ path: `${screenshotDir}/console-desk-${name}-${locale}.png`, fullPage: false });
}

async function open(path: string, locale: 'en' | 'zh-TW', token: string) {
  const tab = await openConsole(browser, twin.consoleUrl, { token, path, locale });
  tab.page.setDefaultTimeout(60_000);
  return tab;
}

const words = {
  en: {
    overdue: 'Overdue by',
    claim: 'Claim case: ',
    lost: 'wei.chen claimed this case first',
    startWork: 'Start work',
    resolve: 'Resolve',
    wait: 'Wait for the customer',
    note: 'Note',
    addNote: 'Add note',
    internalTab: 'Internal notes',
    allTab: 'All activity',
    apology: 'We apologized to the customer',
    recordApology: 'Record the apology',
    currency: 'Currency',
    amount: 'Amount',
    recordCompensation: 'Record the compensation',
    workload: 'Team workload',
    reassign: 'Reassign a case of Mei Lin',
    case: 'Case',
    giveTo: 'Give it to',
    reassigned: 'Reassigned to wei.chen',
    save: 'Reassign',
    firstResponse: 'First response',
  },
  'zh-TW': {
    overdue: '已逾期',
    claim: '認領案件：',
    lost: 'wei.chen 已先認領這件案件',
    startWork: '開始處理',
    resolve: '標記為已解決',
    wait: '等待顧客回覆',
    note: '備註',
    addNote: '新增備註',
    internalTab: '內部備註',
    allTab: '全部紀錄',
    apology: '已向顧客致歉',
    recordApology: '記錄致歉',
    currency: '幣別',
    amount: '金額',
    recordCompensation: '記錄補償',
    workload: '團隊工作量',
    reassign: '改派 Mei Lin 的案件',
    case: '案件',
    giveTo: '改派給',
    reassigned: '已改派給 wei.chen',
    save: '改派',
    firstResponse: '首次回覆',
  },
} as const;

/** My work's tables in the order of the page: My cases, then the team queue. */
const tableOf = (tab: ConsoleTab, which: 'mine' | 'queue'): Locator => tab.page.locator('table').nth(which === 'mine' ? 0 : 1);

describe('My work', { timeout: 180_000 }, () => {
  for (const locale of ['en', 'zh-TW'] as const) {
    it(`an agent lands on My work: overdue first with a live countdown, a lost claim says who has it, a won claim moves the case to My cases (${locale})`, async () => {
      const w = words[locale];
      const tag = `${locale}-${Math.random().toString(36).slice(2, 6)}`;
      // Opened three hours ago with an hour to answer: overdue now.
      twin.clock.set(new Date(Date.now() - 3 * 3_600_000));
      const overdue = await openCase({ severity: 'critical', subject: `Double charge ${tag}`, assignee: 'mei.lin' });
      twin.clock.set(new Date());
      await openCase({ severity: 'critical', subject: `No dial tone ${tag}`, assignee: 'mei.lin' });
      await openCase({ severity: 'medium', subject: `Late refund ${tag}`, assignee: 'mei.lin' });
      const contested = await openCase({ severity: 'high', subject: `Router drops ${tag}` });
      const free = await openCase({ severity: 'low', subject: `Wrong invoice address ${tag}` });

      const tab = await open('/', locale, tokens.mei);
      try {
        await tab.page.waitForURL(/\/desk$/);
        const mine = tableOf(tab, 'mine');
        const mineRows = mine.getByRole('row').filter({ hasText: tag });
        await expect.poll(() => mineRows.count(), { timeout: 60_000 }).toBe(3);
        expect(await mineRows.nth(0).textContent()).toContain(`Double charge ${tag}`);
        expect(await mineRows.nth(0).textContent()).toContain(w.overdue);
        expect(await mineRows.nth(1).textContent()).toContain(`No dial tone ${tag}`);
        expect(await mineRows.nth(2).textContent()).toContain(`Late refund ${tag}`);
        // Due within the hour, its countdown runs by the second.
        const before = await mineRows.nth(1).textContent();
        await expect.poll(() => mineRows.nth(1).textContent(), { timeout: 5_000 }).not.toBe(before);

        // Wei takes the contested case while Mei's page still shows it in the queue.
        const queue = tableOf(tab, 'queue');
        await queue.getByRole('button', { name: `${w.claim}Router drops ${tag}` }).waitFor();
        await call('POST', `/v1/cases/${contested}/claim`, undefined, tokens.wei);
        await queue.getByRole('button', { name: `${w.claim}Router drops ${tag}` }).click();
        await tab.page.getByText(w.lost).waitFor();

        await queue.getByRole('button', { name: `${w.claim}Wrong invoice address ${tag}` }).click();
        await expect.poll(() => mineRows.count(), { timeout: 60_000 }).toBe(4);
        expect((await call('GET', `/v1/cases/${free}`)).assignee).toBe('mei.lin');
        expect((await call('GET', `/v1/cases/${overdue}`)).assignee).toBe('mei.lin');
        // An agent sees no team workload.
        expect(await tab.page.getByRole('heading', { name: w.workload }).count()).toBe(0);
        await checkAndPhotograph(tab, 'my-work', locale, 409);
      } finally {
        await tab.close();
      }
    });
  }
});

describe('A case', { timeout: 180_000 }, () => {
  for (const locale of ['en', 'zh-TW'] as const) {
    it(`offers only the allowed moves, keeps internal notes apart, records recovery steps, shows an error beside its field, and it all survives a reload (${locale})`, async () => {
      const w = words[locale];
      const caseId = await openCase({ severity: 'high', subject: `Charged twice for roaming (${locale})`, assignee: 'mei.lin' });
      const tab = await open(`/desk/cases/${caseId}`, locale, tokens.mei);
      try {
        const page = tab.page;
        await page.getByRole('heading', { name: `Charged twice for roaming (${locale})` }).waitFor();
        await page.getByText(w.firstResponse).first().waitFor();
        // Open: the one allowed move is to start work.
        await page.getByRole('button', { name: w.startWork }).waitFor();
        expect(await page.getByRole('button', { name: w.resolve }).count()).toBe(0);
        await page.getByRole('button', { name: w.startWork }).click();
        await page.getByRole('button', { name: w.wait }).waitFor();
        await page.getByRole('button', { name: w.resolve }).waitFor();
        expect(await page.getByRole('button', { name: w.startWork }).count()).toBe(0);

        await page.getByLabel(w.note, { exact: true }).fill('Customer sounded upset; check the roaming partner bill');
        await page.getByRole('button', { name: w.addNote }).click();
        await page.getByRole('tab', { name: w.internalTab }).click();
        await page.getByText('Customer sounded upset; check the roaming partner bill').waitFor();

        await page.getByText(w.apology).click();
        await page.getByRole('button', { name: w.recordApology }).click();
        await expect.poll(async () => (await call('GET', `/v1/cases/${caseId}`)).serviceRecovery?.apologyGiven, { timeout: 30_000 }).toBe(true);

        // A currency that is no ISO 4217 code: the API's message beside the field, nothing recorded.
        await page.getByLabel(w.amount, { exact: true }).fill('200');
        await page.getByLabel(w.currency, { exact: true }).fill('ZZZ');
        await page.getByRole('button', { name: w.recordCompensation }).click();
        await page.getByText('Must be an ISO 4217 currency code such as TWD').first().waitFor();
        expect((await call('GET', `/v1/cases/${caseId}`)).serviceRecovery.compensation).toBeUndefined();
        await page.getByLabel(w.currency, { exact: true }).fill('TWD');
        await page.getByRole('button', { name: w.recordCompensation }).click();
        await expect.poll(async () => (await call('GET', `/v1/cases/${caseId}`)).serviceRecovery?.compensation, { timeout: 30_000 }).toEqual({ type: 'refund', amount: 200, currency: 'TWD' });

        await page.reload();
        await page.getByRole('button', { name: w.resolve }).waitFor();
        const timeline = await call('GET', `/v1/cases/${caseId}`);
        expect(timeline.timeline.filter((entry: { type: string }) => entry.type === 'service_recovery').map((entry: { step: string }) => entry.step)).toEqual(['apology', 'compensation']);
        await page.getByRole('tab', { name: w.internalTab }).click();
        await page.getByText('Customer sounded upset; check the roaming partner bill').waitFor();
        await page.getByRole('tab', { name: w.allTab }).click();
        await page.evaluate(() => window.scrollTo(0, 0));
        await checkAndPhotograph(tab, 'case', locale, 400);
      } finally {
        await tab.close();
      }
    });
  }
});

describe('The team workload', { timeout: 180_000 }, () => {
  for (const locale of ['en', 'zh-TW'] as const) {
    it(`shows a supervisor each agent's load and reassigns a case (${locale})`, async () => {
      const w = words[locale];
      const caseId = await openCase({ severity: 'medium', subject: `Reassign me (${locale})`, assignee: 'mei.lin' });
      const tab = await open('/desk', locale, tokens.lead);
      try {
        const page = tab.page;
        await page.getByRole('heading', { name: w.workload }).waitFor();
        const meiRow = page.getByRole('row').filter({ hasText: 'Mei Lin (mei.lin)' });
        await meiRow.waitFor();
        const open = (await call('GET', '/v1/case-workload', undefined, tokens.lead)).agents.find((agent: { agentId: string }) => agent.agentId === 'mei.lin').open;
        expect(await meiRow.textContent()).toContain(String(open));

        await page.getByRole('button', { name: w.reassign }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('button', { name: new RegExp(w.case) }).click();
        await page.getByRole('option', { name: `Reassign me (${locale})` }).click();
        await dialog.getByRole('button', { name: new RegExp(w.giveTo) }).click();
        await page.getByRole('option', { name: /Wei Chen/ }).click();
        await dialog.getByRole('button', { name: w.save, exact: true }).click();
        await page.getByText(w.reassigned).waitFor();
        expect((await call('GET', `/v1/cases/${caseId}`)).assignee).toBe('wei.chen');
        await checkAndPhotograph(tab, 'supervisor', locale);
      } finally {
        await tab.close();
      }
    });
  }
});
