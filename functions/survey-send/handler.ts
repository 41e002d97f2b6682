import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { customerChangeWrite, getCustomer } from '../../shared/data/customers-repo';
import { StaleSurveyInputs, getSurvey, saveSurveyChange } from '../../shared/data/surveys-repo';
import { getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { getTenantWithSettings } from '../../shared/data/tenants-repo';
import { resolveSmsSettings } from '../../shared/domain/settings';
import { newEvent } from '../../shared/events/events';
import { surveyExpired, surveyNotSent, surveySent } from '../../shared/events/survey-events';
import { permanentSmsRefusal } from '../../shared/ports/sms-sender';
import { type MeteredSmsResult, sendMeteredSms } from '../../shared/services/metered-sms';
import { tenantSendingRefusal } from '../../shared/services/sending-rights';
import { MetricUnit, logger, metrics, withLambdaContext } from '../../shared/observability';
import type { NotSentReason, Survey } from '../../shared/schemas/survey';
import { smsOptOutChange } from '../../shared/domain/sms/opt-out';
import { countSurveyNotSent } from '../../shared/services/survey-metrics';
import { resolveSurveyRules } from '../../shared/domain/surveys/rules';
import {
  expireSurvey,
  firstSmsText,
  markNotSent,
  markSent,
  newSurveyToken,
  surveyLinkPath,
  surveyLinkUrl,
  surveyRef,
  surveyTokenHash,
} from '../../shared/domain/surveys/survey';
import { SurveyTimerPayload, setSurveyTimer } from '../../shared/services/survey-timers';

export type SurveySendOutcome = 'sent' | 'not-sent' | 'expired' | 'ignored' | 'invalid';

/**
 * A survey's timer fired. `send`: a pending survey goes out — by SMS (consent and phone checked
 * again, as they may have changed since the decision), or as a one-time web link in `Survey Sent`
 * for the tenant to deliver — and its expiry timer is set. `expire`: a survey sent and not completed
 * (unanswered or part-answered) expires, its answers kept. Both act only on the state the timer expects, so a second firing changes nothing.
 *
 * Between the SMS and the write that records it a crash (or two overlapping firings) can send the
 * first SMS twice; never zero times, as with the keyword answers.
 */
export async function handleSurveyTimer(event: unknown): Promise<SurveySendOutcome> {
  const parsed = SurveyTimerPayload.safeParse(event);
  if (!parsed.success) {
    logger.error('Survey timer payload is not valid', { issues: parsed.error.issues.map((issue) => issue.path.join('.')) });
    return 'invalid';
  }
  const { tenantId, surveyId, action } = parsed.data;
  logger.appendKeys({ tenantId, surveyId, action });
  const survey = await getSurvey(tenantId, surveyId);
  if (!survey) {
    logger.warn('Survey timer fired for a survey that does not exist');
    return 'ignored';
  }
  return action === 'send' ? send(tenantId, survey) : expire(tenantId, survey);
}

async function send(tenantId: string, survey: Survey): Promise<SurveySendOutcome> {
  if (survey.status !== 'pending') {
    // This firing may be the retry of one that recorded the send and then failed to set the
    // expiry timer: setting it again is harmless, and otherwise the survey would never expire.
    if ((survey.status === 'sent' || survey.status === 'in_progress') && survey.expiresAt) {
      await setSurveyTimer(tenantId, survey.surveyId, 'expire', survey.expiresAt);
    }
    logger.info('Survey is no longer pending; nothing to send', { status: survey.status });
    return 'ignored';
  }
  const tenant = await getTenantWithSettings(tenantId);
  const template = await getSurveyTemplateVersion(tenantId, survey.templateId!, survey.templateVersion!);
  if (!tenant || !template) throw new Error('The survey’s tenant or template version is missing');
  const rules = resolveSurveyRules(tenant.settings.surveys);
  const now = new Date().toISOString();
  const sendingRefused = await tenantSendingRefusal(
    tenantId,
    'survey',
    survey.deliveryChannel === 'sms' ? resolveSmsSettings(tenant.settings) : undefined,
    tenant.sendingRights,
  );
  if (sendingRefused) return notSent(tenantId, survey, sendingRefused, now);

  if (survey.deliveryChannel === 'link') {
    const token = newSurveyToken();
    const sent = markSent(survey, now, rules.linkExpiryHours);
    const linkPath = surveyLinkPath(token);
    await saveSurveyChange(tenantId, {
      before: survey,
      after: sent,
      surveyedAt: now,
      token: { hash: surveyTokenHash(token), expiresAt: sent.expiresAt! },
      events: [newEvent(surveySent, tenantId, sentData(sent, linkPath), now)],
    });
    return afterSent(tenantId, sent);
  }

  const stored = survey.customerId ? await getCustomer(tenantId, survey.customerId) : undefined;
  const customer = stored?.state === 'active' ? stored.customer : undefined;
  const consent = customer?.consent.sms.status;
  if (!customer?.phone) return notSent(tenantId, survey, 'no-contact-point', now);
  if (consent === 'denied' || (consent === 'unknown' && rules.requireExplicitConsent)) return notSent(tenantId, survey, 'no-consent', now);
  const smsSettings = resolveSmsSettings(tenant.settings);
  if (!smsSettings.originationIdentity) return notSent(tenantId, survey, 'sms-not-configured', now);

  const language = survey.language ?? tenant.settings.locale;
  // The SMS offers the web page's link when the tenant wants it there and the deployment knows its
  // public address; only then is a link token made and stored. The token is kept only as its hash,
  // so a token no message carries could never be used, and its item would cost 2 write units.
  const publicBaseUrl = rules.smsWebLink ? process.env.PUBLIC_BASE_URL : undefined;
  const token = publicBaseUrl ? newSurveyToken() : undefined;
  let result: MeteredSmsResult;
  try {
    result = await sendMeteredSms(
      {
        tenantId,
        to: customer.phone,
        body: firstSmsText(template, language, tenant.settings.branding.displayName, publicBaseUrl && token ? surveyLinkUrl(publicBaseUrl, token) : undefined),
        originationIdentity: smsSettings.originationIdentity,
        configurationSetName: smsSettings.configurationSetName,
        context: { surveyId: survey.surveyId, purpose: 'survey' },
        purpose: 'survey',
        surveyId: survey.surveyId,
      },
      tenant.settings,
    );
  } catch (error) {
    // Retrying a refusal like this cannot help: the survey is recorded as not sent instead of
    // failing every retry of the timer into its dead-letter queue. Anything else is retried.
    const refusal = permanentSmsRefusal(error);
    if (!refusal) throw error;
    logger.warn('AWS refused the survey SMS for good', { refusal });
    return notSent(tenantId, survey, 'sms-refused', now);
  }
  // Over the tenant's SMS quota or to a destination it may not text: recorded with the reason (and SMS Send Refused).
  if (result.status === 'refused') return notSent(tenantId, survey, result.reason, now);
  if (result.status === 'opted-out') {
    // AWS holds the number on its opt-out list: the customer's consent follows, with Customer Opted Out.
    const optedOut = smsOptOutChange(tenantId, customer, 'sms-opt-out-list', now);
    const extra = optedOut ? [customerChangeWrite(tenantId, customer, optedOut.next)] : [];
    const events = optedOut?.events ?? [];
    return notSent(tenantId, survey, 'opted-out', now, { extra, events });
  }
  metrics.addMetric('SmsSegmentsSent', MetricUnit.Count, result.segments);
  const sent = markSent(survey, now, rules.linkExpiryHours, { messageId: result.messageId, segments: result.segments, encoding: result.encoding, sentAt: now });
  try {
    await saveSurveyChange(tenantId, {
      before: survey,
      after: sent,
      surveyedAt: now,
      smsMessageId: result.messageId,
      ...(token && { token: { hash: surveyTokenHash(token), expiresAt: sent.expiresAt! } }),
      events: [newEvent(surveySent, tenantId, sentData(sent), now)],
    });
  } catch (error) {
    if (!(error instanceof StaleSurveyInputs)) throw error;
    // Another firing of the same timer recorded its send first: this SMS was a second copy.
    logger.warn('Survey sent by an overlapping firing as well; the first record stands');
    return 'ignored';
  }
  return afterSent(tenantId, sent);
}

async function afterSent(tenantId: string, sent: Survey): Promise<SurveySendOutcome> {
  await setSurveyTimer(tenantId, sent.surveyId, 'expire', sent.expiresAt!);
  metrics.addMetric('SurveysSent', MetricUnit.Count, 1);
  logger.info('Survey sent', { deliveryChannel: sent.deliveryChannel });
  return 'sent';
}

async function notSent(
  tenantId: string,
  survey: Survey,
  reason: NotSentReason,
  now: string,
  also: { extra?: Parameters<typeof saveSurveyChange>[1]['extra']; events?: ReturnType<typeof newEvent>[] } = {},
): Promise<SurveySendOutcome> {
  const after = markNotSent(survey, reason, now);
  const events = [...(also.events ?? []), newEvent(surveyNotSent, tenantId, { ...surveyRef(after), reason }, now)];
  try {
    await saveSurveyChange(tenantId, { before: survey, after, events, extra: also.extra });
  } catch (error) {
    if (!(error instanceof StaleSurveyInputs)) throw error;
    logger.info('Survey changed meanwhile (another firing); leaving it as it is');
    return 'ignored';
  }
  countSurveyNotSent(reason);
  logger.info('Survey not sent when due', { reason });
  return 'not-sent';
}

async function expire(tenantId: string, survey: Survey): Promise<SurveySendOutcome> {
  const now = new Date().toISOString();
  const expired = expireSurvey(survey, now);
  if (!expired) {
    logger.info('Survey answered or already finished; nothing to expire', { status: survey.status });
    return 'ignored';
  }
  try {
    await saveSurveyChange(tenantId, { before: survey, after: expired, events: [newEvent(surveyExpired, tenantId, { ...surveyRef(expired), expiredAt: now }, now)] });
  } catch (error) {
    if (!(error instanceof StaleSurveyInputs)) throw error;
    return 'ignored';
  }
  metrics.addMetric('SurveysExpired', MetricUnit.Count, 1);
  return 'expired';
}

const sentData = (sent: Survey, linkPath?: string) => ({
  ...surveyRef(sent),
  deliveryChannel: sent.deliveryChannel,
  templateId: sent.templateId!,
  templateVersion: sent.templateVersion!,
  sentAt: sent.sentAt!,
  expiresAt: sent.expiresAt!,
  ...(linkPath !== undefined && { linkPath }),
});

export const handler = middy<unknown, SurveySendOutcome, Error, Context>()
  .use(withLambdaContext())
  .use(logMetrics(metrics))
  .handler(async (event) => handleSurveyTimer(event));
