import { StaleCase, getCase, getTimeline } from '../data/cases-repo';
import { getSmsConversation, saveCustomerSmsReplyOnce } from '../data/case-replies-repo';
import { findLatestSmsSurveyId, findSurveyBySmsMessage, getSurvey } from '../data/surveys-repo';
import { getSettings } from '../data/tenants-repo';
import { conversationOpen, customerSmsReplyChange } from '../domain/case-replies';
import { logger } from '../observability';
import { caseContextOf } from './case-context';

/**
 * The Message-ID of the customer's latest e-mail on the case, which a reply answers
 * (In-Reply-To): a customer_reply entry by e-mail that kept its message id. Reads the recent timeline.
 */
export async function lastCustomerMailId(tenantId: string, caseId: string): Promise<string | undefined> {
  const { entries } = await getTimeline(tenantId, caseId, 100);
  return entries.findLast((entry) => entry.type === 'customer_reply' && entry.channel === 'email' && entry.messageId?.startsWith('<'))?.messageId;
}

export interface InboundCaseSms {
  tenantId: string;
  customerId: string;
  /** The tenant's number the customer wrote to (E.164). */
  tenantNumber: string;
  body: string;
  inboundMessageId: string;
  previousPublishedMessageId?: string;
  receivedAt: string;
}

/**
 * The case an SMS that is no keyword continues, if any (docs/sms.md, "Replies from a case"): the
 * case we last texted the customer from this number, while that conversation is open (within
 * 14 days, the case not closed), unless the message quotes a survey's message or the customer's
 * open SMS survey was sent after our last case reply — then it is the survey's answer.
 */
export async function caseForInboundSms(sms: InboundCaseSms): Promise<string | undefined> {
  const conversation = await getSmsConversation(sms.tenantId, sms.customerId, sms.tenantNumber);
  if (!conversation) return undefined;
  if (sms.previousPublishedMessageId && (await findSurveyBySmsMessage(sms.tenantId, sms.previousPublishedMessageId))) return undefined;
  const stored = await getCase(sms.tenantId, conversation.caseId);
  if (!stored || stored.case.customerId !== sms.customerId || !conversationOpen(conversation, stored.case.status, new Date(sms.receivedAt))) return undefined;
  const surveyId = await findLatestSmsSurveyId(sms.tenantId, sms.customerId);
  const survey = surveyId ? await getSurvey(sms.tenantId, surveyId) : undefined;
  const surveyOpen = survey && (survey.status === 'sent' || survey.status === 'in_progress');
  if (surveyOpen && survey.sentAt && Date.parse(survey.sentAt) > Date.parse(conversation.lastSentAt)) return undefined;
  return stored.case.caseId;
}

const maxAttempts = 4;

/** Appends the customer's SMS to the case's timeline, once per inbound message; re-reads the case when it changed meanwhile. */
export async function appendCustomerSms(sms: InboundCaseSms, caseId: string): Promise<'applied' | 'duplicate'> {
  const settings = await getSettings(sms.tenantId);
  if (!settings) throw new Error('The tenant has no settings');
  for (let attempt = 1; ; attempt++) {
    const stored = await getCase(sms.tenantId, caseId);
    if (!stored) throw new Error('The case of the conversation is gone');
    const change = customerSmsReplyChange(stored.case, { text: sms.body, inboundMessageId: sms.inboundMessageId }, caseContextOf(sms.tenantId, settings, 'system', sms.receivedAt));
    try {
      return await saveCustomerSmsReplyOnce(sms.tenantId, stored.case.version, change, sms.inboundMessageId, sms.receivedAt);
    } catch (error) {
      if (!(error instanceof StaleCase) || attempt >= maxAttempts) throw error;
      logger.info('Case changed while the customer SMS was added; reading it again', { attempt });
    }
  }
}
