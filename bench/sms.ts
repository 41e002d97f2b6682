import { countSegments } from '../shared/domain/sms/segments';
import { parseReply } from '../shared/domain/sms/reply-parser';
import { type Language, replyStep } from '../shared/domain/surveys/conversation';
import { defaultTemplateContent, fourQuestionTemplateContent } from '../shared/domain/surveys/default-template';
import { firstSmsText, surveyLinkUrl } from '../shared/domain/surveys/survey';
import type { Survey } from '../shared/schemas/survey';
import type { SurveyTemplateContent } from '../shared/schemas/survey-template';
import { listPrices } from './cost';

/**
 * `npm run bench -- sms`: the SMS segments a surveyed contact costs with the default template,
 * per language and path, through the same pure conversation the functions run (firstSmsText,
 * replyStep) and the carriers' segment rules (countSegments). No twin: nothing here is timed.
 * "Before" is the four-question template with the web link (43-character token) and the thanks,
 * as tenants from before issue 15 have; "now" is a new tenant's default (no link, no thanks).
 */

export const smsAssumptions = {
  company: 'Acme',
  publicBaseUrl: 'https://api.example.com',
  /** Share of answered surveys with CSAT 4–5 (no follow-up); the rest (1–3) are asked what to improve. */
  happyShare: 0.8,
  /** Share of surveyed contacts who answer at all (the rest leave the first SMS unanswered). */
  responseRate: 0.4,
};

interface Setup {
  name: string;
  template: SurveyTemplateContent;
  webLinkTokenLength?: number;
  sendThankYou: boolean;
}

const setups: Setup[] = [
  { name: 'before: four questions, link (43-character token), thanks', template: fourQuestionTemplateContent('en'), webLinkTokenLength: 43, sendThankYou: true },
  { name: 'now: new tenant default (no link, no thanks)', template: defaultTemplateContent('en'), sendThankYou: false },
  { name: 'now, with smsWebLink and smsThankYou on', template: defaultTemplateContent('en'), webLinkTokenLength: 16, sendThankYou: true },
];

/** The replies of each path; every path answers every question it is asked until the survey completes. */
const paths = {
  happy: ['5', 'yes', '9'],
  unhappy: ['2', 'The wait was long', 'no', '3'],
  'happy after one unreadable reply': ['great', '5', 'yes', '9'],
  unanswered: [],
} as const;
type PathName = keyof typeof paths;

export interface SmsPathCost {
  setup: string;
  language: Language;
  path: PathName;
  messages: number;
  segments: number;
}

export function measureSurveySms(): SmsPathCost[] {
  const results: SmsPathCost[] = [];
  for (const setup of setups) {
    for (const language of ['zh-TW', 'en'] as const) {
      for (const path of Object.keys(paths) as PathName[]) {
        const texts = conversation(setup, language, paths[path]);
        results.push({ setup: setup.name, language, path, messages: texts.length, segments: texts.reduce((sum, text) => sum + countSegments(text).segments, 0) });
      }
    }
  }
  return results;
}

function conversation(setup: Setup, language: Language, replies: readonly string[]): string[] {
  const at = '2026-12-05T02:00:00.000Z';
  const link = setup.webLinkTokenLength === undefined ? undefined : surveyLinkUrl(smsAssumptions.publicBaseUrl, 'x'.repeat(setup.webLinkTokenLength));
  const texts = [firstSmsText(setup.template, language, smsAssumptions.company, link)];
  let survey: Survey = {
    surveyId: 'svy_bench', contactId: 'con_bench', channel: 'voice', origin: 'rules', status: 'sent', deliveryChannel: 'sms',
    templateId: 'svt_bench', templateVersion: 1, language, answers: {}, version: 2, createdAt: at, updatedAt: at,
  };
  for (const body of replies) {
    const step = replyStep({
      survey, template: setup.template, reply: parseReply(body), body, language, company: smsAssumptions.company, sendThankYou: setup.sendThankYou, at,
    });
    if (step.kind === 'ignored') break;
    if (step.text !== undefined) texts.push(step.text);
    survey = step.after;
  }
  return texts;
}

const perThousand = (segments: number) => segments * listPrices.smsPerSegmentExample * 1000;

export function formatSurveySms(results: SmsPathCost[]): string {
  const a = smsAssumptions;
  const lines = [
    `Display name "${a.company}"; link on ${a.publicBaseUrl}. Answered in full: ${a.happyShare * 100} % CSAT 4–5, the rest 1–3. ` +
      `Per surveyed contact: ${a.responseRate * 100} % answer in full, the rest never reply. Price: $${listPrices.smsPerSegmentExample.toFixed(5)} a segment (US example, bench/cost.ts, ${listPrices.asOf}).`,
    '',
    '| setup | language | happy | unhappy | happy after one unreadable reply | unanswered | mean answered in full | mean per surveyed contact | SMS cost per 1,000 surveyed contacts |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const setup of setups) {
    for (const language of ['zh-TW', 'en'] as const) {
      const of = (path: PathName) => results.find((result) => result.setup === setup.name && result.language === language && result.path === path)!;
      const cell = (path: PathName) => `${of(path).segments} (${of(path).messages} SMS)`;
      const answered = a.happyShare * of('happy').segments + (1 - a.happyShare) * of('unhappy').segments;
      const perContact = a.responseRate * answered + (1 - a.responseRate) * of('unanswered').segments;
      lines.push(
        `| ${setup.name} | ${language} | ${cell('happy')} | ${cell('unhappy')} | ${cell('happy after one unreadable reply')} | ${cell('unanswered')} | ` +
          `${answered.toFixed(2)} | ${perContact.toFixed(2)} | $${perThousand(perContact).toFixed(2)} |`,
      );
    }
  }
  return lines.join('\n');
}
