import type { SurveyTemplateContent } from '../../schemas/survey-template';

/**
 * The template every tenant starts with, short because every SMS segment is billed: satisfaction
 * first (the one answer most customers give), in the same message as the greeting, and a request
 * for detail only from those who were not satisfied. A happy customer costs one segment, an
 * unhappy one two (docs/surveys.md, "The default template", says why resolved and NPS are not
 * asked by default). Every text fits one segment in its language with a display name of up to
 * 10 characters, and the English texts are GSM-7 only (tests/unit/survey-default-template.test.ts).
 */
export function defaultTemplateContent(defaultLanguage: SurveyTemplateContent['defaultLanguage']): SurveyTemplateContent {
  return {
    name: 'Satisfaction after a contact',
    description: 'CSAT, and what to improve after a CSAT of 3 or less',
    defaultLanguage,
    smsIntro: {
      en: '{company}: thanks for contacting us! Reply STOP to opt out.',
      'zh-TW': '{company}感謝您的聯繫！回覆「退訂」即不再收到簡訊。',
    },
    questions: [
      {
        questionId: 'csat',
        type: 'csat',
        required: true,
        text: {
          en: 'How satisfied were you with our service?',
          'zh-TW': '您對這次的服務滿意嗎？',
        },
        scaleLabels: {
          min: { en: 'Very dissatisfied', 'zh-TW': '非常不滿意' },
          max: { en: 'Very satisfied', 'zh-TW': '非常滿意' },
        },
      },
      {
        questionId: 'improve',
        type: 'freeText',
        required: false,
        maxLength: 500,
        text: {
          en: 'Sorry we fell short. What could we have done better?',
          'zh-TW': '很抱歉沒能讓您滿意，哪些地方可以做得更好？',
        },
        showIf: { questionId: 'csat', operator: 'lte', value: 3 },
      },
    ],
    thankYou: {
      en: 'Thank you! Your answers help {company} serve you better.',
      'zh-TW': '感謝您的回覆！您的意見將幫助{company}做得更好。',
    },
  };
}

/**
 * The default template of tenants created before the short default (issue 15): CSAT, what to
 * improve (CSAT 3 or less), resolved, NPS, with a longer introduction and thanks; five to seven
 * SMS segments per surveyed contact. Tenants created then keep it; the SMS bench compares with it.
 */
export function fourQuestionTemplateContent(defaultLanguage: SurveyTemplateContent['defaultLanguage']): SurveyTemplateContent {
  return {
    name: 'Satisfaction after a contact',
    description: 'CSAT, what to improve (only after a CSAT of 3 or less), resolved yes/no, NPS',
    defaultLanguage,
    smsIntro: {
      en: 'Hello from {company}. Thank you for contacting us. Could you answer a few short questions? Reply STOP to opt out.',
      'zh-TW': '您好，這裡是{company}。感謝您日前與我們聯繫，想請您花一分鐘回覆幾個簡短問題。回覆「退訂」即不再收到訊息。',
    },
    questions: [
      {
        questionId: 'csat',
        type: 'csat',
        required: true,
        text: {
          en: 'Overall, how satisfied are you with the service you received?',
          'zh-TW': '整體而言，您對這次的服務滿意嗎？',
        },
        scaleLabels: {
          min: { en: 'Very dissatisfied', 'zh-TW': '非常不滿意' },
          max: { en: 'Very satisfied', 'zh-TW': '非常滿意' },
        },
      },
      {
        questionId: 'improve',
        type: 'freeText',
        required: false,
        maxLength: 500,
        text: {
          en: 'We are sorry we fell short. What could we have done better?',
          'zh-TW': '很抱歉這次沒能讓您滿意。請告訴我們，哪些地方可以做得更好？',
        },
        showIf: { questionId: 'csat', operator: 'lte', value: 3 },
      },
      {
        questionId: 'resolved',
        type: 'resolved',
        required: true,
        text: {
          en: 'Was your issue resolved?',
          'zh-TW': '您這次反映的問題是否已經解決？',
        },
      },
      {
        questionId: 'nps',
        type: 'nps',
        required: true,
        text: {
          en: 'How likely are you to recommend {company} to a friend or family member?',
          'zh-TW': '您有多大的可能會向親友推薦{company}？',
        },
        scaleLabels: {
          min: { en: 'Not at all likely', 'zh-TW': '完全不可能' },
          max: { en: 'Extremely likely', 'zh-TW': '非常可能' },
        },
      },
    ],
    thankYou: {
      en: 'Thank you for your answers. Your feedback helps {company} serve you better.',
      'zh-TW': '感謝您撥冗回覆！您的寶貴意見將幫助{company}提供更好的服務。',
    },
  };
}
