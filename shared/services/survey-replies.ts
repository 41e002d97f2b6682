import { applyOnce, isProcessed, processedMarkerPut } from '../data/processed-events';
import { type UnmatchedReason, putUnmatchedReply } from '../data/sms-messages-repo';
import { getSurveyTemplateVersion } from '../data/survey-templates-repo';
import { StaleSurveyInputs, findLatestSmsSurveyId, findSurveyBySmsMessage, getSurvey, saveSurveyChange } from '../data/surveys-repo';
import { getTenantWithSettings } from '../data/tenants-repo';
import type { DomainEvent } from '../events/catalog';
import { newEvent } from '../events/events';
import { surveyAnswered, surveyCompleted } from '../events/survey-events';
import { tenantSendingRefusal } from './sending-rights';
import { MetricUnit, logger, metrics } from '../observability';
import type { Survey } from '../schemas/survey';
import type { SurveyTemplate } from '../schemas/survey-template';
import { answeredData, newlyAnswered, replyStep } from '../domain/surveys/conversation';
import { surveyScores } from '../domain/surveys/scores';
import { surveyRef } from '../domain/surveys/survey';
import { resolveSurveyRules } from '../domain/surveys/rules';
import { nextQuestion } from '../domain/surveys/template';
import { parseReply } from '../domain/sms/reply-parser';
import { sendMeteredSms } from './metered-sms';

/**
 * The survey conversation's side of an SMS reply that is neither STOP nor HELP: finds the open
 * survey by `previousPublishedMessageId` (the message replied to), else by the customer's latest
 * SMS survey, takes one conversation step (shared/domain/surveys/conversation.ts), texts back the next
 * question or the thank-you, and records the answer with its events and a marker for the inbound
 * message in one transaction. A redelivered reply finds the marker and changes nothing; what
 * cannot be placed is recorded as unmatched (kept 30 days).
 */
export interface InboundSmsReply {
  tenantId: string;
  /** Undefined when the number is no customer of the tenant. */
  customerId?: string;
  /** The customer's number (E.164). */
  from: string;
  /** The tenant's number (E.164). */
  to: string;
  body: string;
  inboundMessageId: string;
  previousPublishedMessageId?: string;
  receivedAt: string;
}

export type SurveyReplyOutcome = 'answered' | 'reasked' | 'ignored' | 'duplicate' | 'unmatched';
export type SurveyReplyHandler = (reply: InboundSmsReply) => Promise<SurveyReplyOutcome>;

/** Records the reply as unmatched; `reason` when it quoted a survey but could not answer it. */
export const recordUnmatchedReply = async (reply: InboundSmsReply, reason?: UnmatchedReason): Promise<SurveyReplyOutcome> => {
  await putUnmatchedReply({ ...reply, ...(reason && { reason }) });
  return 'unmatched';
};

const consumerName = 'sms-survey-reply';
/** Another reply or the web page saved the survey meanwhile: read it again, this often. */
const maxAttempts = 4;

export const handleSurveyReply: SurveyReplyHandler = async (reply) => {
  for (let attempt = 1; ; attempt++) {
    if (await isHandled(reply)) return 'duplicate';
    const found = await findSurvey(reply);
    if (found === 'sender-not-surveyed') {
      metrics.addMetric('SurveySmsRepliesFromOtherNumbers', MetricUnit.Count, 1);
      return recordUnmatchedReply(reply, found);
    }
    if (!found) return recordUnmatchedReply(reply);
    const { survey, repliedToQuestionId, foundByLatest } = found;
    logger.appendKeys({ surveyId: survey.surveyId });
    try {
      return await step(reply, survey, repliedToQuestionId, foundByLatest);
    } catch (error) {
      if (!(error instanceof StaleSurveyInputs) || attempt >= maxAttempts) throw error;
      logger.info('Survey changed while the reply was handled; reading it again', { attempt });
    }
  }
};

const isHandled = (reply: InboundSmsReply) => isProcessed(consumerName, reply.tenantId, reply.inboundMessageId);

/** The same marker applyOnce writes, here beside the survey's change. */
const handledMarker = (reply: InboundSmsReply) =>
  processedMarkerPut(consumerName, reply.tenantId, reply.inboundMessageId, { expiresFrom: reply.receivedAt });

/**
 * The survey the reply belongs to; by the number pair only while that survey is open. A reply
 * quoting a survey's message counts only from the surveyed customer's number: a message id is
 * no secret from whoever saw the text, so anyone else is 'sender-not-surveyed'.
 */
async function findSurvey(
  reply: InboundSmsReply,
): Promise<{ survey: Survey; repliedToQuestionId?: string; foundByLatest?: boolean } | 'sender-not-surveyed' | undefined> {
  if (reply.previousPublishedMessageId) {
    const message = await findSurveyBySmsMessage(reply.tenantId, reply.previousPublishedMessageId);
    const survey = message && (await getSurvey(reply.tenantId, message.surveyId));
    if (survey && message && (!survey.customerId || survey.customerId !== reply.customerId)) return 'sender-not-surveyed';
    if (survey && message) {
      const template = await templateOf(reply.tenantId, survey);
      // The survey's first SMS names no question: it asked the template's first.
      const repliedToQuestionId = message.questionId ?? (template && nextQuestion(template, {})?.questionId);
      return { survey, ...(repliedToQuestionId !== undefined && { repliedToQuestionId }) };
    }
  }
  if (!reply.customerId) return undefined;
  const surveyId = await findLatestSmsSurveyId(reply.tenantId, reply.customerId);
  const survey = surveyId ? await getSurvey(reply.tenantId, surveyId) : undefined;
  return survey && (survey.status === 'sent' || survey.status === 'in_progress') ? { survey, foundByLatest: true } : undefined;
}

const templateOf = (tenantId: string, survey: Survey) =>
  survey.templateId && survey.templateVersion !== undefined ? getSurveyTemplateVersion(tenantId, survey.templateId, survey.templateVersion) : Promise.resolve(undefined);

async function step(reply: InboundSmsReply, survey: Survey, repliedToQuestionId: string | undefined, foundByLatest = false): Promise<SurveyReplyOutcome> {
  const tenant = await getTenantWithSettings(reply.tenantId);
  const template = await templateOf(reply.tenantId, survey);
  if (!tenant || !template) throw new Error('The survey’s tenant or template version is missing');
  const at = new Date().toISOString();
  const conversation = replyStep({
    survey,
    template,
    reply: parseReply(reply.body),
    body: reply.body,
    ...(repliedToQuestionId !== undefined && { repliedToQuestionId }),
    language: survey.language ?? tenant.settings.locale,
    company: tenant.settings.branding.displayName,
    sendThankYou: resolveSurveyRules(tenant.settings.surveys).smsThankYou,
    at,
  });
  if (conversation.kind === 'ignored') {
    // Late or repeated: the question it answers is behind us. The marker makes a redelivery cheap.
    await applyOnce(consumerName, reply.tenantId, reply.inboundMessageId, []);
    metrics.addMetric('SurveySmsRepliesIgnored', MetricUnit.Count, 1);
    logger.info('Survey reply ignored', { reason: conversation.reason });
    return 'ignored';
  }

  // Nothing to text when the last answer ends a survey whose rules send no thanks, or when the
  // tenant may not send (suspended): the answer is recorded all the same.
  const sendingRefused = conversation.text !== undefined && (await tenantSendingRefusal(reply.tenantId, 'survey question', { originationIdentity: reply.to }, tenant.sendingRights));
  const sent =
    conversation.text === undefined || sendingRefused
      ? undefined
      : await sendMeteredSms(
          {
            tenantId: reply.tenantId,
            to: reply.from,
            // From the number the customer wrote to.
            originationIdentity: reply.to,
            body: conversation.text,
            context: { surveyId: survey.surveyId, purpose: 'survey' },
            purpose: 'survey',
            surveyId: survey.surveyId,
          },
          tenant.settings,
        );
  const after: Survey =
    sent?.status === 'sent'
      ? { ...conversation.after, sms: [...(conversation.after.sms ?? []), { messageId: sent.messageId, segments: sent.segments, encoding: sent.encoding, sentAt: at }] }
      : conversation.after;
  if (sent?.status === 'sent') metrics.addMetric('SmsSegmentsSent', MetricUnit.Count, sent.segments);
  else if (sent?.status === 'opted-out') logger.info('Survey SMS not sent: AWS reports the number opted out');
  // The answer still counts; the next question waits for the quota (SMS Send Refused says so).
  else if (sent?.status === 'refused') logger.warn('Survey SMS not sent: refused by the quota or destination check', { reason: sent.reason });

  // The customer's latest SMS survey is rewritten only when it names another survey: a read (1 unit) instead of a transactional write (2).
  const latestSmsSurveyUnchanged =
    sent?.status === 'sent' && !!survey.customerId && (foundByLatest || (await findLatestSmsSurveyId(reply.tenantId, survey.customerId)) === survey.surveyId);
  try {
    await saveSurveyChange(reply.tenantId, {
      before: survey,
      after,
      events: answerEvents(reply.tenantId, survey, after, template, at),
      ...(sent?.status === 'sent' && {
        smsMessageId: sent.messageId,
        latestSmsSurveyUnchanged,
        ...(conversation.askedQuestionId !== undefined && { smsQuestionId: conversation.askedQuestionId }),
      }),
      extra: [handledMarker(reply)],
    });
  } catch (error) {
    if (error instanceof StaleSurveyInputs && (await isHandled(reply))) return 'duplicate';
    throw error;
  }
  logger.info('Survey reply recorded', { step: conversation.kind, status: after.status });
  return conversation.kind;
}

/** Survey Answered for each new entry (free text without its text), and Survey Completed when it completes. */
export function answerEvents(tenantId: string, before: Survey, after: Survey, template: Pick<SurveyTemplate, 'questions'>, at: string): DomainEvent[] {
  const events: DomainEvent[] = newlyAnswered(template, before.answers, after.answers).map(({ question, value }) =>
    newEvent(surveyAnswered, tenantId, { ...surveyRef(after), ...answeredData(question, value) }, at),
  );
  if (after.status === 'completed' && before.status !== 'completed') {
    events.push(
      newEvent(
        surveyCompleted,
        tenantId,
        { ...surveyRef(after), templateId: after.templateId!, templateVersion: after.templateVersion!, completedAt: after.completedAt ?? at, scores: surveyScores(template, after.answers) },
        at,
      ),
    );
  }
  return events;
}
