import { expect } from 'vitest';
import { fourQuestionTemplateContent } from '../../shared/domain/surveys/default-template';
import { type TestTwin, api, createTenant } from './twin';
import { allocateSmsSender } from './operator';
import { advanceClock, busEventDetails, eventually, settle, uniqueDigits } from './waiting';

/** A tenant that surveys by SMS from its own number: surveys on, 5 minutes after a contact closes, no quiet hours. */
export interface SurveyTenant {
  key: string;
  tenantId: string;
  number: string;
}

/**
 * `rules` are merged into the survey rules (settings.surveys). By default the tenant is set up as
 * tenants created before the short default template are (issue 15): the four-question template
 * (CSAT, improve, resolved, NPS), the web link and the thanks by SMS — the longer conversation
 * most survey tests exercise. `{ as: 'new' }` keeps what a new tenant gets: the short default.
 */
export async function surveyTenant(
  twin: Pick<TestTwin, 'url' | 'operatorKey'>,
  rules: Record<string, unknown> = {},
  options: { as?: 'new' | 'before-short-default' } = {},
): Promise<SurveyTenant> {
  const created = await createTenant(twin, { name: 'Survey Co', locale: 'en' });
  const number = `+8862${uniqueDigits()}`;
  const earlier = options.as === 'new' ? {} : await earlierTenantRules(twin, created.apiKey);
  await allocateSmsSender(twin, created.tenant.tenantId, number);
  const patched = await api(twin.url, 'PATCH', '/v1/settings', {
    key: created.apiKey,
    body: { sms: { originationIdentity: number }, surveys: { enabled: true, delayMinutes: 5, quietHours: null, ...earlier, ...rules } },
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  return { key: created.apiKey, tenantId: created.tenant.tenantId, number };
}

/** Creates the four-question template and answers the survey rules that use it with the link and thanks, as tenants from before the short default have. */
export async function earlierTenantRules(twin: Pick<TestTwin, 'url'>, key: string) {
  const template = await api(twin.url, 'POST', '/v1/survey-templates', { key, body: fourQuestionTemplateContent('en') });
  expect(template.status, JSON.stringify(template.body)).toBe(201);
  return { templateId: template.body.templateId, smsWebLink: true, smsThankYou: true };
}

/** A customer with SMS consent whose contact has closed and whose first survey SMS has gone out (the clock moved past the delay). */
export async function surveyedCustomer(twin: TestTwin, t: SurveyTenant, language: 'en' | 'zh-TW' = 'en') {
  const phone = `+8869${uniqueDigits()}`;
  const created = await api(twin.url, 'POST', '/v1/customers', {
    key: t.key,
    body: { displayName: 'Ms Lin', phone, language, consent: { sms: { status: 'granted', source: 'web-form' } } },
  });
  expect(created.status).toBe(201);
  const customerId = created.body.customerId as string;
  const opened = await api(twin.url, 'POST', '/v1/contacts', {
    key: t.key,
    body: { channel: 'voice', direction: 'inbound', purpose: 'service', customerId, agentId: 'agent-7', queue: 'billing' },
  });
  expect(opened.status).toBe(201);
  const contactId = opened.body.contactId as string;
  expect((await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key: t.key, body: { outcome: 'resolved' } })).status).toBe(200);
  const surveyId = await eventually(async () => {
    const page = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: t.key });
    return (page.body.items as { contactId: string; surveyId: string }[]).find((survey) => survey.contactId === contactId)?.surveyId;
  }, 'the survey decision');
  await advanceClock(twin, 6 * 60_000);
  const first = await eventually(() => twin.sms.sentTo(phone)[0], 'the first survey SMS');
  return { phone, customerId, contactId, surveyId, first };
}

/** Injects a reply as AWS delivers it and waits for it to be handled; `to` names the message replied to (previousPublishedMessageId). */
export async function replyBySms(twin: TestTwin, t: SurveyTenant, phone: string, body: string, options: { to?: string; inboundMessageId?: string } = {}) {
  const inboundMessageId = options.inboundMessageId ?? `in-${Math.random()}`;
  const answer = await api(twin.url, 'POST', '/local/sms/inbound', {
    body: {
      originationNumber: phone,
      destinationNumber: t.number,
      messageKeyword: 'KEYWORD_NONE',
      messageBody: body,
      inboundMessageId,
      ...(options.to !== undefined && { previousPublishedMessageId: options.to }),
    },
  });
  expect(answer.status).toBe(202);
  await settle(twin);
  return inboundMessageId;
}

export const readSurvey = async (twin: TestTwin, t: SurveyTenant, surveyId: string) => (await api(twin.url, 'GET', `/v1/surveys/${surveyId}`, { key: t.key })).body;

/** The details of one survey's events of a type on the twin's bus, newest first. */
export const surveyEvents = (twin: TestTwin, t: SurveyTenant, detailType: string, surveyId: string) =>
  busEventDetails(twin, t.tenantId, detailType).filter((detail) => detail.data.surveyId === surveyId);
