import type { QuestionType, ShowIf } from '../../schemas/survey-template';
import { scaleOf } from './template';

/**
 * What the survey's web page says to the customer, in the customer's language: the one source of
 * shared/http/survey-page.ts, which serves the page, and of the console's preview of it (the survey
 * template editor). Imports nothing the browser lacks.
 */

export type PageLanguage = 'en' | 'zh-TW';

export const surveyPageWords = {
  en: {
    title: 'Your feedback',
    intro: (company: string) => `${company} would like to know how your recent contact went. It takes about a minute.`,
    smsDone: (count: number) => `You already answered ${count === 1 ? 'one question' : `${count} questions`} by SMS. Here are the rest.`,
    required: '(required)',
    optional: '(optional)',
    yes: 'Yes',
    no: 'No',
    yourAnswer: (max: number, required: boolean) => `Your answer (${required ? 'required' : 'optional'}, up to ${max} characters)`,
    submit: 'Send my answers',
    errorSummary: 'Some answers need a look. They are marked below.',
    ifAnswered: (range: string, number: number) => `Answer this only if you chose ${range} in question ${number}.`,
    needsAnswer: 'Please answer this question.',
    onScale: (min: number, max: number) => `Please choose a number from ${min} to ${max}.`,
    yesOrNo: 'Please choose Yes or No.',
    tooLong: (max: number) => `Please keep it to ${max} characters.`,
    thanksTitle: 'Thank you',
    usedTitle: 'This survey has already been answered',
    usedText: 'Your answers were recorded. The link works only once, so there is nothing more to do.',
    expiredTitle: 'This survey link has expired',
    expiredText: 'The link was valid for a limited time and can no longer be used. Thank you all the same.',
    unknownTitle: 'We could not find this survey',
    unknownText: 'Please check that the whole link was copied from the message.',
    errorTitle: 'Something went wrong',
    errorText: 'Please try again in a moment.',
    busyTitle: 'Please wait a moment',
    busyText: 'We received many survey links from your network that we could not find. Please check the link and try again later.',
  },
  'zh-TW': {
    title: '意見調查',
    intro: (company: string) => `${company}想了解您最近一次聯繫的感受，大約只需一分鐘。`,
    smsDone: (count: number) => `您已透過簡訊回答 ${count} 題，以下是其餘的問題。`,
    required: '（必填）',
    optional: '（選填）',
    yes: '是',
    no: '否',
    yourAnswer: (max: number, required: boolean) => `您的回答（${required ? '必填' : '選填'}，最多 ${max} 字）`,
    submit: '送出回答',
    errorSummary: '有些回答需要修正，請看下方標示的題目。',
    ifAnswered: (range: string, number: number) => `若第 ${number} 題選擇 ${range}，才需回答此題。`,
    needsAnswer: '請回答這一題。',
    onScale: (min: number, max: number) => `請選擇 ${min} 到 ${max} 之間的數字。`,
    yesOrNo: '請選擇「是」或「否」。',
    tooLong: (max: number) => `請在 ${max} 字以內。`,
    thanksTitle: '感謝您',
    usedTitle: '這份問卷已經填寫完成',
    usedText: '您的回答已經收到。此連結只能使用一次，無須再做任何事。',
    expiredTitle: '這個問卷連結已經過期',
    expiredText: '此連結的有效期限已過，無法再使用。仍然感謝您。',
    unknownTitle: '找不到這份問卷',
    unknownText: '請確認您從訊息中複製了完整的連結。',
    errorTitle: '發生了一點問題',
    errorText: '請稍後再試一次。',
    busyTitle: '請稍候再試',
    busyText: '我們從您的網路收到多個無法辨識的問卷連結，請確認連結後稍後再試。',
  },
} as const;

/**
 * Without JavaScript a follow-up cannot appear when its condition starts to hold, so the page
 * shows it with a note saying when to answer it; on submission an answer to a follow-up whose
 * condition does not hold is ignored, and a required one whose condition holds must be answered.
 * Undefined when the question has no condition, or its condition's question is not on the page
 * (answered before, by SMS: the page shows a follow-up only when it applies), or cannot be read
 * (a rating condition on a question without a scale, as a template being edited may have).
 */
export function followUpNote(
  question: { showIf?: ShowIf },
  onPage: readonly { questionId: string; type: QuestionType }[],
  language: PageLanguage,
): string | undefined {
  const showIf = question.showIf;
  if (!showIf) return undefined;
  const index = onPage.findIndex((candidate) => candidate.questionId === showIf.questionId);
  if (index === -1) return undefined;
  const w = surveyPageWords[language];
  if ('equals' in showIf) {
    const answer = showIf.equals ? w.yes : w.no;
    return w.ifAnswered(language === 'en' ? `"${answer}"` : `「${answer}」`, index + 1);
  }
  const scale = scaleOf(onPage[index]!);
  if (!scale) return undefined;
  const range = showIf.operator === 'eq' ? `${showIf.value}` : showIf.operator === 'lte' ? `${scale.min}–${showIf.value}` : `${showIf.value}–${scale.max}`;
  return w.ifAnswered(range, index + 1);
}
