import { mkdirSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { recordDecision } from '../../shared/data/surveys-repo';
import { fourQuestionTemplateContent } from '../../shared/domain/surveys/default-template';
import { markSent, pendingSurvey, recordAnswer } from '../../shared/domain/surveys/survey';
import { answerEvents } from '../../shared/services/survey-replies';
import { newId } from '../../shared/ids';
import type { SurveyTemplate } from '../../shared/schemas/survey-template';
import { type ConsoleTab, axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { eventually, settle } from '../support/waiting';

/**
 * The console's insight pages (Survey results, Cases overview, Customer value) in Chromium
 * against a test twin: surveys with answers, cases of every backlog status (one breached on the
 * twin's clock, one due within the day), customers with purchases and a segments run. Each page
 * is read in English and in Traditional Chinese for the figures a supervisor would check, with
 * axe-core's serious and critical rules, and photographed for docs/guides/console.md.
 */

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

let twin: TestTwin;
let browser: Browser;
let key: string;
let readonlyKey: string;
let tenantId: string;
let template: SurveyTemplate;
const customers: Record<'chen' | 'lin' | 'wang', string> = { chen: '', lin: '', wang: '' };
const cases: Record<'breached' | 'recovery' | 'inProgress' | 'awaiting' | 'resolved', string> = {
  breached: '',
  recovery: '',
  inProgress: '',
  awaiting: '',
  resolved: '',
};
let lowSurveyId: string;

const call = async (method: string, path: string, body?: unknown, expected = [200, 201, 202]) => {
  const answer = await api(twin.url, method, path, { key, body });
  expect(expected, `${method} ${path}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
  return answer.body;
};

async function storeSurvey(spec: { customerId?: string; agentId: string; queue: string; channel?: 'voice' | 'chat'; daysAgo?: number; answers?: [string, number | boolean | string][] }) {
  const at = new Date(Date.now() - (spec.daysAgo ?? 0) * dayMs).toISOString();
  const origin = {
    surveyId: newId('svy'),
    contact: { contactId: newId('con'), customerId: spec.customerId, agentId: spec.agentId, queue: spec.queue, channel: spec.channel ?? 'voice' },
    origin: 'rules' as const,
    deliveryChannel: 'sms' as const,
    now: at,
  };
  const sent = markSent(pendingSurvey(origin, template, 'en', at), at, 72);
  let survey = sent;
  for (const [questionId, value] of spec.answers ?? []) survey = recordAnswer(survey, template, questionId, value, at);
  // Survey Completed only, as the survey's last answer publishes it (its Survey Answered events would open recovery cases of their own).
  const events = answerEvents(tenantId, sent, survey, template, at).filter((event) => event.detailType === 'Survey Completed');
  await recordDecision(tenantId, { survey, events });
  return survey.surveyId;
}

async function openCase(body: Record<string, unknown>) {
  return (await call('POST', '/v1/cases', { category: 'billing', ...body })).caseId as string;
}

const moveCase = (caseId: string, to: string) => call('POST', `/v1/cases/${caseId}/events`, { type: 'status_change', to });

beforeAll(async () => {
  // The functions follow the twin's clock, so that a case can be opened days ago.
  twin = await startTestTwin({ functionsFollowClock: true });
  browser = await launchChromium();
  const created = await createTenant(twin, { name: 'Insights Co', locale: 'en' });
  key = created.apiKey;
  tenantId = created.tenant.tenantId;
  readonlyKey = (await call('POST', '/v1/api-keys', { name: 'Wall screen', scopes: ['readonly'] })).secret;

  customers.chen = (await call('POST', '/v1/customers', { displayName: 'Chen Wei' })).customerId;
  customers.lin = (await call('POST', '/v1/customers', { displayName: 'Lin Mei-hua' })).customerId;
  customers.wang = (await call('POST', '/v1/customers', { displayName: 'Wang Hsiao-ming' })).customerId;

  // Surveys: the four-question template (CSAT, improve as free text when CSAT ≤ 3, resolved, NPS).
  const fourQuestions = await call('POST', '/v1/survey-templates', fourQuestionTemplateContent('en'));
  template = (await getSurveyTemplateVersion(tenantId, fourQuestions.templateId, 1))!;
  await storeSurvey({ customerId: customers.chen, agentId: 'agent-a', queue: 'billing', answers: [['csat', 5], ['resolved', true], ['nps', 10]] });
  lowSurveyId = await storeSurvey({
    customerId: customers.lin,
    agentId: 'agent-a',
    queue: 'billing',
    channel: 'chat',
    answers: [['csat', 2], ['improve', 'The wait was far too long'], ['resolved', false], ['nps', 6]],
  });
  await storeSurvey({ customerId: customers.wang, agentId: 'agent-b', queue: 'support', daysAgo: 2, answers: [['csat', 4], ['resolved', true], ['nps', 9]] });
  await storeSurvey({
    customerId: customers.wang,
    agentId: 'agent-b',
    queue: 'support',
    daysAgo: 2,
    answers: [['csat', 3], ['improve', '服務人員很親切，但問題還沒解決'], ['resolved', false], ['nps', 7]],
  });
  await storeSurvey({ customerId: customers.chen, agentId: 'agent-b', queue: 'support' });

  // Cases, with deadlines a test can reason about.
  await call('PATCH', '/v1/settings', {
    slaPolicy: {
      targets: {
        complaint: { high: { firstResponse: { amount: 2, unit: 'hours' } }, medium: { firstResponse: { amount: 8, unit: 'hours' }, resolution: { amount: 5, unit: 'days' } } },
        request: { low: { firstResponse: { amount: 3, unit: 'days' }, resolution: { amount: 10, unit: 'days' } } },
        inquiry: { medium: { firstResponse: { amount: 30, unit: 'days' }, resolution: { amount: 60, unit: 'days' } } },
      },
    },
  });
  const now = Date.now();
  twin.clock.set(new Date(now - 5 * dayMs));
  cases.breached = await openCase({ type: 'complaint', severity: 'high', subject: 'Charged twice for roaming', customerId: customers.wang, assignee: 'mei' });
  // Its timers are set by a consumer of its event, at its deadlines, before the clock moves on.
  await settle(twin);
  twin.clock.set(new Date(now - 10 * dayMs));
  cases.awaiting = await openCase({ type: 'inquiry', subject: 'Question about the March invoice', customerId: customers.chen, assignee: 'queue:billing' });
  await settle(twin);
  // Back to now: the breached case's first-response timer (5 days ago + 2 h) fires.
  twin.clock.set(new Date());
  await eventually(async () => {
    await twin.scheduler.settled();
    return (await call('GET', `/v1/cases/${cases.breached}`)).breached === true;
  }, 'the breach');
  await moveCase(cases.awaiting, 'in_progress');
  await moveCase(cases.awaiting, 'awaiting_customer');
  cases.recovery = await openCase({ type: 'complaint', subject: 'Call back after a low CSAT', customerId: customers.lin, surveyId: lowSurveyId, assignee: 'queue:complaints' });
  cases.inProgress = await openCase({ type: 'request', severity: 'low', subject: 'Change of address', customerId: customers.chen });
  await moveCase(cases.inProgress, 'in_progress');
  cases.resolved = await openCase({ type: 'request', severity: 'low', subject: 'New SIM card', customerId: customers.lin });
  await moveCase(cases.resolved, 'in_progress');
  await moveCase(cases.resolved, 'resolved');

  // Purchases: Chen often and lately, Wang twice, Lin once long ago.
  const buy = (customerId: string, daysAgo: number, amount: number) =>
    call('POST', `/v1/customers/${customerId}/transactions`, { amount, currency: 'TWD', at: new Date(Date.now() - daysAgo * dayMs).toISOString(), product: 'Fibre 500 plan' });
  for (const daysAgo of [1, 8, 20, 40, 60]) await buy(customers.chen, daysAgo, 1200);
  await buy(customers.wang, 30, 800);
  await buy(customers.wang, 90, 800);
  await buy(customers.lin, 300, 500);
  // The insights projection follows the cases' and surveys' events: let it catch up before a page reads it.
  await settle(twin);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

const screenshotDir = 'docs/images';

/** What every page must pass: nothing thrown or logged as an error, no serious or critical axe finding; then the picture. */
async function checkAndPhotograph(tab: ConsoleTab, name: string, locale: string) {
  expect(tab.errors).toEqual([]);
  expect(await axeViolations(tab.page)).toEqual([]);
  mkdirSync(screenshotDir, { recursive: true });
  await tab.page.screenshot({ path: `${screenshotDir}/console-${name}-${locale}.png`, fullPage: false });
}

/** The API paths (with their query) the page asked for since it was opened: the browser's own record, from navigation on. */
const apiRequests = (page: Page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name))
      .filter((url) => url.pathname.startsWith('/v1/'))
      .map((url) => `${url.pathname}${url.search}`),
  );

const figure = (page: Page, id: string) => page.locator(`[data-figure="${id}"]`);
const rowWith = (table: Locator, text: string) => table.getByRole('row').filter({ hasText: text });
const caseRows = (table: Locator) => table.getByRole('row').filter({ hasText: /cas_/ });

async function open(path: string, locale: 'en' | 'zh-TW', token = key) {
  const tab = await openConsole(browser, twin.consoleUrl, { token, path, locale });
  // Generous: the machines that run the suite are often busy.
  tab.page.setDefaultTimeout(60_000);
  return tab;
}

describe('the Survey results page', () => {
  for (const locale of ['en', 'zh-TW'] as const) {
    it(`shows the period's figures, each agent's, and the customers' words with their recovery case (${locale})`, async () => {
      const tab = await open('/survey-results', locale);
      try {
        const { page } = tab;
        const words = { en: { title: 'Survey results', table: 'In their own words', none: 'None', open: 'Open' }, 'zh-TW': { title: '問卷結果', table: '顧客的心聲', none: '無', open: '待處理' } }[locale];
        await page.getByRole('heading', { level: 1, name: words.title }).waitFor();
        // The last 30 days: five sent, four answered; CSAT 5, 2, 4, 3 → 50 %; NPS 10, 6, 9, 7 → 2 promoters − 1 detractor of 4 = 25.
        await expect.poll(() => figure(page, 'sent').textContent(), { timeout: 20_000 }).toBe('5');
        expect(await figure(page, 'responseRate').textContent()).toBe('80%');
        expect(await figure(page, 'csat').textContent()).toBe('50%');
        expect(await figure(page, 'nps').textContent()).toBe('25');
        expect(await figure(page, 'ces').textContent()).toBe('—');

        const breakdown = page.getByRole('table', { name: locale === 'en' ? 'Breakdown' : '細分', exact: true });
        // agent-a: both answered, CSAT 5 and 2; agent-b: three sent, two answered, CSAT 4 and 3.
        await expect.poll(() => rowWith(breakdown, 'agent-a').textContent(), { timeout: 20_000 }).toMatch(/agent-a\s*2\s*2\s*100%\s*50% \(2\)/);
        expect(await rowWith(breakdown, 'agent-b').textContent()).toMatch(/agent-b\s*3\s*2\s*66\.7%\s*50% \(2\)/);

        const comments = page.getByRole('table', { name: words.table, exact: true });
        const low = rowWith(comments, 'The wait was far too long');
        await low.waitFor();
        expect(await low.textContent()).toContain('CSAT 2/5');
        expect(await low.textContent()).toContain('NPS 6/10');
        await expect.poll(() => low.getByRole('link').textContent(), { timeout: 20_000 }).toBe(cases.recovery);
        expect(await low.textContent()).toContain(words.open);
        const kind = rowWith(comments, '服務人員很親切，但問題還沒解決');
        expect(await kind.textContent()).toContain('CSAT 3/5');
        await expect.poll(() => kind.textContent(), { timeout: 20_000 }).toContain(words.none);
        // Newest first: today's low score above the answer of two days ago.
        const rows = await comments.getByRole('row').allTextContents();
        expect(rows.findIndex((row) => row.includes('far too long'))).toBeLessThan(rows.findIndex((row) => row.includes('服務人員')));

        if (locale === 'en') {
          // By queue: billing has agent-a's two surveys.
          await page.getByRole('radio', { name: 'Queue' }).or(page.getByRole('button', { name: 'Queue' })).first().click();
          await expect.poll(() => rowWith(breakdown, 'billing').textContent(), { timeout: 20_000 }).toMatch(/billing\s*2\s*2/);
        }
        await page.waitForLoadState('networkidle');
        // The words are one page the server reads: no survey list, template or case is paged in the browser.
        const asked = await apiRequests(page);
        expect(asked.filter((path) => path.startsWith('/v1/analytics/survey-comments?'))).toHaveLength(1);
        expect(asked.filter((path) => /^\/v1\/(surveys|cases|survey-templates)\b/.test(path))).toEqual([]);
        await checkAndPhotograph(tab, 'survey-results', locale);
      } finally {
        await tab.close();
      }
    }, 90_000);
  }
});

describe('the Cases overview page', () => {
  for (const locale of ['en', 'zh-TW'] as const) {
    it(`counts the backlog by status, lists the breached case and the one due within the day (${locale})`, async () => {
      const tab = await open('/cases', locale);
      try {
        const { page } = tab;
        const words = {
          en: { title: 'Cases overview', breached: 'Breached', nearly: 'Nearly breached', missed: 'First response missed', due: 'First response due in 8 hours' },
          'zh-TW': { title: '案件總覽', breached: '已逾期', nearly: '即將逾期', missed: '首次回應期限已於', due: '首次回應期限：8 小時後' },
        }[locale];
        await page.getByRole('heading', { level: 1, name: words.title }).waitFor();
        // Not yet resolved: the breached and the recovery case (open), one in progress, one awaiting the customer; the resolved one is not counted.
        await expect.poll(() => figure(page, 'total').textContent(), { timeout: 20_000 }).toBe('4');
        expect(await figure(page, 'open').textContent()).toBe('2');
        expect(await figure(page, 'in_progress').textContent()).toBe('1');
        expect(await figure(page, 'awaiting_customer').textContent()).toBe('1');

        const breached = page.getByRole('table', { name: words.breached, exact: true });
        const breachedRow = rowWith(breached, cases.breached);
        await breachedRow.waitFor();
        await expect.poll(() => caseRows(breached).allTextContents(), { timeout: 20_000 }).toHaveLength(1);
        expect(await breachedRow.textContent()).toContain('Charged twice for roaming');
        expect(await breachedRow.textContent()).toContain('mei');
        expect(await breachedRow.textContent()).toContain(words.missed);
        await expect.poll(() => breachedRow.textContent(), { timeout: 20_000 }).toContain('Wang Hsiao-ming');

        const nearly = page.getByRole('table', { name: words.nearly, exact: true });
        const nearlyRow = rowWith(nearly, cases.recovery);
        await nearlyRow.waitFor();
        await expect.poll(() => caseRows(nearly).allTextContents(), { timeout: 20_000 }).toHaveLength(1);
        expect(await nearlyRow.textContent()).toContain(words.due);
        await expect.poll(() => nearlyRow.textContent(), { timeout: 20_000 }).toContain('Lin Mei-hua');

        if (locale === 'en') {
          // The deadline in the tenant's time zone (Asia/Taipei, UTC+8), as the API gave it.
          const recovery = await call('GET', `/v1/cases/${cases.recovery}`);
          const expected = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Taipei' }).format(new Date(recovery.sla.firstResponse.dueAt));
          expect(await nearlyRow.textContent()).toContain(expected);
          // Each row names the case's status.
          expect(await breachedRow.textContent()).toContain('Open');
        }
        await page.waitForLoadState('networkidle');
        // The backlog is one read of the server's counts and each list one page: no case list is paged in the browser.
        const asked = await apiRequests(page);
        expect(asked.filter((path) => path === '/v1/analytics/case-backlog')).toHaveLength(1);
        expect(asked.filter((path) => path.startsWith('/v1/analytics/case-backlog/deadlines?')).sort()).toEqual([
          '/v1/analytics/case-backlog/deadlines?list=breached&limit=10',
          '/v1/analytics/case-backlog/deadlines?list=nearly_breached&limit=10',
        ]);
        expect(asked.filter((path) => path.startsWith('/v1/cases'))).toEqual([]);
        await checkAndPhotograph(tab, 'cases', locale);

        // The case id opens the case (until the case page exists, what the case is and the way back).
        await rowWith(breached, cases.breached).getByRole('link', { name: cases.breached }).click();
        await page.getByRole('heading', { level: 1, name: new RegExp(cases.breached) }).waitFor();
        await page.getByText('Charged twice for roaming').waitFor();
        await page.getByRole('link', { name: locale === 'en' ? 'Back to the overview' : '返回總覽' }).or(page.getByRole('button', { name: locale === 'en' ? 'Back to the overview' : '返回總覽' })).first().click();
        await page.getByRole('heading', { level: 1, name: words.title }).waitFor();
      } finally {
        await tab.close();
      }
    }, 90_000);
  }
});

describe('the Customer value page', () => {
  it('lets an admin refresh the segments, shows the progress, then the segments, tiers, quadrants and a segment’s customers (en)', async () => {
    const tab = await open('/customer-value', 'en');
    try {
      const { page } = tab;
      await page.getByRole('heading', { level: 1, name: 'Customer value' }).waitFor();
      await page.getByText('No scores yet').waitFor();
      await page.getByRole('button', { name: 'Refresh now' }).click();
      await page.getByText(/The scores were computed again at/).waitFor({ timeout: 30_000 });

      const summary = await call('GET', '/v1/analytics/segments');
      expect(summary.customersScored).toBe(3);
      expect(await figure(page, 'customersScored').textContent()).toBe('3');
      for (const tier of ['high', 'mid', 'low']) expect(await figure(page, `tier-${tier}`).textContent()).toBe(String(summary.tiers[tier]));
      for (const quadrant of ['true_friends', 'butterflies', 'barnacles', 'strangers']) {
        expect(await figure(page, `quadrant-${quadrant}`).textContent()).toBe(String(summary.quadrants[quadrant]));
      }

      // Chen bought most often and most lately: the segment the run put Chen in lists Chen.
      const chen = await call('GET', `/v1/customers/${customers.chen}`);
      const segmentName = { champions: 'Champions', loyal: 'Loyal', potential_loyalist: 'Potential loyalists', new: 'New', promising: 'Promising' }[chen.value.segment as string];
      expect(segmentName, `Chen is in ${chen.value.segment}`).toBeDefined();
      const segments = page.getByRole('table', { name: 'Segments', exact: true });
      const row = rowWith(segments, segmentName!).first();
      expect(await row.textContent()).toContain(String(summary.segments.find((entry: { segment: string }) => entry.segment === chen.value.segment).customers));
      await page.getByRole('radio', { name: `Show the customers of ${segmentName}` }).check();
      const members = page.getByRole('table', { name: `Customers in ${segmentName}`, exact: true });
      await rowWith(members, 'Chen Wei').waitFor();
      expect(await rowWith(members, 'Chen Wei').textContent()).toMatch(/5.*NT\$6,000/);

      // Chen's tier and Chen's quadrant list Chen, with as many rows as the figure above counts.
      const tierName = { high: 'High', mid: 'Mid', low: 'Low' }[chen.value.tier as string]!;
      await page.getByRole('button', { name: `Show the customers of ${tierName}` }).click();
      const inTier = page.getByRole('table', { name: `Customers in ${tierName}`, exact: true });
      await rowWith(inTier, 'Chen Wei').waitFor();
      await expect.poll(() => inTier.locator('tbody tr').count(), { timeout: 10_000 }).toBe(summary.tiers[chen.value.tier]);
      const quadrantName = { true_friends: 'True friends', butterflies: 'Butterflies', barnacles: 'Barnacles', strangers: 'Strangers' }[chen.value.quadrant as string]!;
      await page.getByRole('button', { name: `Show the customers of ${quadrantName}` }).click();
      const inQuadrant = page.getByRole('table', { name: `Customers in ${quadrantName}`, exact: true });
      await rowWith(inQuadrant, 'Chen Wei').waitFor();
      await expect.poll(() => inQuadrant.locator('tbody tr').count(), { timeout: 10_000 }).toBe(summary.quadrants[chen.value.quadrant]);
      await page.waitForLoadState('networkidle');
      await checkAndPhotograph(tab, 'customer-value', 'en');
    } finally {
      await tab.close();
    }
  }, 90_000);

  it('explains the segments in Traditional Chinese (zh-TW)', async () => {
    const tab = await open('/customer-value', 'zh-TW');
    try {
      const { page } = tab;
      await page.getByRole('heading', { level: 1, name: '顧客價值' }).waitFor();
      await expect.poll(() => figure(page, 'customersScored').textContent(), { timeout: 20_000 }).toBe('3');
      const segments = page.getByRole('table', { name: '顧客分群', exact: true });
      expect(await rowWith(segments, '冠軍顧客').textContent()).toContain('最近才購買，而且經常購買。');
      await page.getByRole('button', { name: '立即重新計算' }).waitFor();
      const chen = await call('GET', `/v1/customers/${customers.chen}`);
      const tierName = { high: '高', mid: '中', low: '低' }[chen.value.tier as string]!;
      await page.getByRole('button', { name: `查看「${tierName}」的顧客` }).click();
      await rowWith(page.getByRole('table', { name: `「${tierName}」的顧客`, exact: true }), 'Chen Wei').waitFor();
      await page.waitForLoadState('networkidle');
      await checkAndPhotograph(tab, 'customer-value', 'zh-TW');
    } finally {
      await tab.close();
    }
  }, 90_000);

  it('hides the refresh from a key that does not reach admin, and still shows the figures', async () => {
    const tab = await open('/customer-value', 'en', readonlyKey);
    try {
      const { page } = tab;
      await page.getByRole('heading', { level: 1, name: 'Customer value' }).waitFor();
      await expect.poll(() => figure(page, 'customersScored').textContent(), { timeout: 20_000 }).toBe('3');
      expect(await page.getByRole('button', { name: 'Refresh now' }).count()).toBe(0);
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.close();
    }
  }, 60_000);
});
