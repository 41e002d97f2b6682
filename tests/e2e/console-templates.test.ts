/// <reference lib="dom" />
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSegments } from '../../shared/domain/sms/segments';
import { type ConsoleTab, axeViolations, launchChromium, openConsole } from '../support/console-browser';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';

/**
 * The survey templates pages in headless Chromium against a test twin: a template made by
 * keyboard with several question types and a follow-up, in both languages; the SMS preview's
 * segment counts; saved, reloaded, kept; the API's messages beside the fields it names; a
 * change someone else saved first (412) and an archive the survey rules forbid (409) in words;
 * the list; axe in both languages; screenshots to docs/images.
 */

let twin: TestTwin;
let browser: Browser;
let key: string;
const company = 'Acme';
const tabs: ConsoleTab[] = [];

beforeAll(async () => {
  twin = await startTestTwin();
  browser = await launchChromium();
  const tenant = await createTenant(twin, { name: 'Acme Support', locale: 'en' });
  key = tenant.apiKey;
  const settings = await api(twin.url, 'PATCH', '/v1/settings', { key, body: { branding: { displayName: company, colour: '#0b6e4f' } } });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
});

afterAll(async () => {
  for (const tab of tabs) await tab.close().catch(() => undefined);
  await browser?.close();
  await twin?.close();
});

async function open(path: string, locale: 'en' | 'zh-TW' = 'en', token = key): Promise<ConsoleTab> {
  const tab = await openConsole(browser, twin.consoleUrl, { token, path, locale });
  tabs.push(tab);
  return tab;
}

/** Focuses a field by its label and types into it with the keyboard, as a person would. */
async function typeInto(field: Locator, text: string) {
  await field.focus();
  await field.page().keyboard.press('ControlOrMeta+A');
  await field.page().keyboard.type(text);
}

/** A Cloudscape Select or ButtonDropdown opened with the keyboard and an option chosen by its text. */
async function choose(page: Page, trigger: Locator, option: string) {
  await trigger.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: option, exact: true }).or(page.getByRole('menuitem', { name: option, exact: true })).first().click();
}

const question = (page: Page, index: number) => page.getByTestId(`question-${index}`);

async function addQuestion(page: Page, type: string) {
  await choose(page, page.getByRole('button', { name: 'Add question' }), type);
}

/** Long texts are filled in at once (typing each character would only slow the test); short ones are typed. */
async function fillBoth(scope: Locator, field: string, en: string, zh: string) {
  await scope.getByLabel(`${field} (English)`, { exact: true }).fill(en);
  await scope.getByLabel(`${field} (中文)`, { exact: true }).fill(zh);
}

const intro = { en: '{company}: thanks for contacting us! Reply STOP to opt out.', zh: '{company}感謝您今天與我們的維修團隊聯繫！想請您花一點時間回答幾個問題，回覆「退訂」即不再收到簡訊。' };
const csat = { en: 'How satisfied were you with our service?', zh: '您對這次的服務滿意嗎？' };

async function expectNoErrors(tab: ConsoleTab) {
  expect(tab.errors).toEqual([]);
  expect(await axeViolations(tab.page)).toEqual([]);
}

describe('the survey templates pages', { timeout: 300_000 }, () => {
  let templateId: string;

  it('makes a template with several question types and a follow-up in both languages, counts its SMS, saves it, and keeps it on reload', async () => {
    const tab = await open('/survey-templates/new');
    const { page } = tab;
    await page.getByRole('heading', { name: 'New survey template', level: 1 }).waitFor();

    await typeInto(page.getByLabel('Name', { exact: true }), 'After a repair call');
    await page.getByLabel('Description', { exact: true }).fill('CSAT, a follow-up, resolved and NPS');
    await fillBoth(page.locator('body'), 'SMS introduction', intro.en, intro.zh);
    await fillBoth(page.locator('body'), 'Thank you', 'Thank you!', '感謝您！');

    await addQuestion(page, 'Satisfaction (CSAT, 1–5)');
    await fillBoth(question(page, 0), 'Question', csat.en, csat.zh);
    await question(page, 0).getByRole('checkbox', { name: 'Explain the ends of the scale' }).focus();
    await page.keyboard.press('Space');
    await fillBoth(question(page, 0), 'Lowest (1)', 'Very dissatisfied', '非常不滿意');
    await fillBoth(question(page, 0), 'Highest (5)', 'Very satisfied', '非常滿意');

    await addQuestion(page, 'Resolved (yes/no)');
    await fillBoth(question(page, 1), 'Question', 'Was your issue resolved?', '您的問題解決了嗎？');

    await addQuestion(page, 'Free text');
    await fillBoth(question(page, 2), 'Question', 'What could we have done better?', '哪些地方可以做得更好？');
    await question(page, 2).getByRole('checkbox', { name: 'Ask only after a certain answer (follow-up)' }).focus();
    await page.keyboard.press('Space');
    // The follow-up names the first earlier rating (csat), "is at most" 3.
    await typeInto(question(page, 2).getByLabel('Value', { exact: true }), '3');

    await addQuestion(page, 'Likelihood to recommend (NPS, 0–10)');
    await fillBoth(question(page, 3), 'Question', 'How likely are you to recommend {company}?', '您有多大可能向親友推薦{company}？');
    // Order: NPS moves above the free text, with the keyboard.
    await question(page, 3).getByRole('button', { name: 'Move up: question 4' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => question(page, 2).getByRole('heading').textContent()).toContain('NPS');

    // The SMS preview: the first SMS is the introduction with the CSAT question and its scale, as the customer reads it.
    const firstEn = `${intro.en.replace('{company}', company)}\n${csat.en} (1 = Very dissatisfied, 5 = Very satisfied)`;
    const firstZh = `${intro.zh.replace('{company}', company)}\n${csat.zh}（1 = 非常不滿意, 5 = 非常滿意）`;
    const en = page.getByTestId('sms-en').getByTestId('sms-message').first();
    const zh = page.getByTestId('sms-zh-TW').getByTestId('sms-message').first();
    await expect.poll(() => en.locator('.sms-bubble').textContent()).toBe(firstEn);
    expect(await zh.locator('.sms-bubble').textContent()).toBe(firstZh);
    expect(Number(await en.getAttribute('data-segments'))).toBe(countSegments(firstEn).segments);
    expect(await en.getAttribute('data-encoding')).toBe('GSM-7');
    expect(await zh.getAttribute('data-encoding')).toBe('UCS-2');
    expect(Number(await zh.getAttribute('data-segments'))).toBe(countSegments(firstZh).segments);
    expect(countSegments(firstZh).segments).toBe(2);
    // Two UCS-2 segments where the rules allow one: said beside the message and above the preview.
    await page.getByText('Breaks into 2 segments; the survey rules allow 1 per message.').first().waitFor();

    // The web page preview renders the follow-up's note, as the served page does.
    await page.getByText('Answer this only if you chose 1–3 in question 1.').waitFor();

    await page.getByRole('button', { name: 'Create template' }).click();
    await page.waitForURL(/\/survey-templates\/svt_/);
    templateId = page.url().split('/').pop()!;
    await page.getByText('Template created as version 1.').waitFor();
    await page.getByText('Segment counts of the saved version 1, as the service counts them.').waitFor();

    const saved = await api(twin.url, 'GET', `/v1/survey-templates/${templateId}`, { key });
    expect(saved.body.questions.map((entry: { type: string }) => entry.type)).toEqual(['csat', 'resolved', 'nps', 'freeText']);
    expect(saved.body.questions[3].showIf).toEqual({ questionId: 'csat', operator: 'lte', value: 3 });
    expect(saved.body.questions[0].scaleLabels.min['zh-TW']).toBe('非常不滿意');
    const apiFirstZh = saved.body.sms.messages.find((message: { message: string; language: string }) => message.message === 'first' && message.language === 'zh-TW');
    expect(Number(await zh.getAttribute('data-segments'))).toBe(apiFirstZh.segments);

    await page.reload();
    await page.getByRole('heading', { name: 'After a repair call', level: 1 }).waitFor();
    expect(await page.getByLabel('Description', { exact: true }).inputValue()).toBe('CSAT, a follow-up, resolved and NPS');
    expect(await question(page, 3).getByLabel('Question (中文)', { exact: true }).inputValue()).toBe('哪些地方可以做得更好？');
    expect(await question(page, 3).getByLabel('Value', { exact: true }).inputValue()).toBe('3');
    expect(await question(page, 0).getByLabel('Lowest (1) (English)', { exact: true }).inputValue()).toBe('Very dissatisfied');
    await expectNoErrors(tab);
    await page.screenshot({ path: 'docs/images/console-survey-template-editor-en.png', fullPage: false });
  });

  it("shows the API's messages beside the fields they name", async () => {
    const tab = await open(`/survey-templates/${templateId}`);
    const { page } = tab;
    await page.getByRole('heading', { name: 'After a repair call', level: 1 }).waitFor();
    // A Chinese text emptied, and a follow-up's value off the CSAT scale.
    await question(page, 1).getByLabel('Question (中文)', { exact: true }).fill('');
    await typeInto(question(page, 3).getByLabel('Value', { exact: true }), '9');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const refused = await api(twin.url, 'PATCH', `/v1/survey-templates/${templateId}`, {
      key,
      headers: { 'if-match': '"1"' },
      body: { questions: [{ questionId: 'csat', type: 'csat', text: { en: 'x', 'zh-TW': '' } }] },
    });
    const emptyMessage = refused.body.errors.find((error: { path: string }) => error.path === '$.questions[0].text.zh-TW').message;
    await question(page, 1).getByText(emptyMessage).waitFor();
    await page.getByText('See the fields marked below.', { exact: false }).waitFor();

    // The domain's rule comes once the schema is satisfied: fix the text, and the value's message appears beside it.
    await question(page, 1).getByLabel('Question (中文)', { exact: true }).fill('您的問題解決了嗎？');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await question(page, 3).getByText('Must be within the csat scale, 1–5').waitFor();
    expect((await api(twin.url, 'GET', `/v1/survey-templates/${templateId}`, { key })).body.currentVersion).toBe(1);
    expect(tab.errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
  });

  it('explains a change someone else saved first (412), shows older versions, and refuses to archive a template the rules use (409)', async () => {
    const tab = await open(`/survey-templates/${templateId}`);
    const { page } = tab;
    await page.getByRole('heading', { name: 'After a repair call', level: 1 }).waitFor();
    await typeInto(page.getByLabel('Name', { exact: true }), 'After a repair or billing call');
    const elsewhere = await api(twin.url, 'PATCH', `/v1/survey-templates/${templateId}`, { key, headers: { 'if-match': '"1"' }, body: { description: 'Changed in another tab' } });
    expect(elsewhere.status).toBe(200);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Someone else saved this template first').waitFor();
    await page.getByRole('button', { name: 'Load the latest version' }).click();
    await page.getByText('Version 2 of 2', { exact: false }).waitFor();
    expect(await page.getByLabel('Description', { exact: true }).inputValue()).toBe('Changed in another tab');

    await typeInto(page.getByLabel('Name', { exact: true }), 'After a repair or billing call');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 3. New surveys use it from now on.').waitFor();

    await page.goto(`${twin.consoleUrl}/survey-templates/${templateId}?version=1`);
    await page.getByText('You are looking at version 1').waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('After a repair call');
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);

    const rules = await api(twin.url, 'PATCH', '/v1/settings', { key, body: { surveys: { templateId } } });
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
    await page.goto(`${twin.consoleUrl}/survey-templates/${templateId}`);
    await page.getByRole('heading', { name: 'After a repair or billing call', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Archive' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('No new survey will use this template.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Archive' }).click();
    await dialog.getByText('The survey rules use this template').waitFor();
    expect((await api(twin.url, 'GET', `/v1/survey-templates/${templateId}`, { key })).body.status).toBe('active');
    expect(tab.errors.filter((error) => !/status of (409|412)/.test(error))).toEqual([]);
  });

  it('lets a readonly credential read a template but not change it', async () => {
    const readonly = await api(twin.url, 'POST', '/v1/api-keys', { key, body: { name: 'Viewer', scopes: ['readonly'] } });
    expect(readonly.status, JSON.stringify(readonly.body)).toBe(201);
    const tab = await open(`/survey-templates/${templateId}`, 'en', readonly.body.secret);
    const { page } = tab;
    await page.getByRole('heading', { name: 'After a repair or billing call', level: 1 }).waitFor();
    await page.getByText('Your role can read templates but not change them.').waitFor();
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Archive' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add question' }).count()).toBe(0);
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('readonly')).not.toBeNull();
    await page.goto(`${twin.consoleUrl}/survey-templates`);
    await page.getByRole('link', { name: 'After a repair or billing call' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create template' }).count()).toBe(0);
    await expectNoErrors(tab);
  });

  it('lists the templates and works in Traditional Chinese, with screenshots of both languages', async () => {
    for (const locale of ['en', 'zh-TW'] as const) {
      const list = await open('/survey-templates', locale);
      const title = locale === 'en' ? 'Survey templates' : '問卷範本';
      await list.page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await list.page.getByRole('link', { name: 'After a repair or billing call' }).waitFor();
      await list.page.getByText(locale === 'en' ? 'Used by the survey rules' : '問卷規則正在使用').waitFor();
      await expectNoErrors(list);
      await list.page.screenshot({ path: `docs/images/console-survey-templates-${locale}.png` });

      const editor = await open(`/survey-templates/${templateId}`, locale);
      await editor.page.getByRole('heading', { name: 'After a repair or billing call', level: 1 }).waitFor();
      await editor.page.getByText(locale === 'en' ? 'SMS preview' : '簡訊預覽').first().waitFor();
      if (locale === 'zh-TW') {
        await editor.page.getByText('第 1 題：滿意度（CSAT，1–5 分）').waitFor();
        expect(await editor.page.getByTestId('question-0').getByLabel('題目（中文）', { exact: true }).inputValue()).toBe(csat.zh);
      }
      await expectNoErrors(editor);
      await editor.page.screenshot({ path: `docs/images/console-survey-template-editor-${locale}.png` });
      await editor.page.getByRole('heading', { name: locale === 'en' ? 'SMS preview' : '簡訊預覽' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
      await editor.page.screenshot({ path: `docs/images/console-survey-template-sms-${locale}.png` });
      await editor.page.getByRole('heading', { name: locale === 'en' ? 'Web page preview' : '網頁預覽' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
      await editor.page.screenshot({ path: `docs/images/console-survey-template-web-${locale}.png` });
    }
  });
});
