import { getCustomer } from '../../shared/data/customers-repo';
import { type DecisionWrite, StaleSurveyInputs, SurveyAlreadyDecided, getContactSurveyId, getSurvey, readQuotas, recordDecision } from '../../shared/data/surveys-repo';
import { getSurveyTemplate } from '../../shared/data/survey-templates-repo';
import { getTenantWithSettings } from '../../shared/data/tenants-repo';
import { type SendingRefusal, tenantSendingRefusal } from '../../shared/services/sending-rights';
import { createEventConsumer } from '../../shared/events/consumer';
import { type ContactSummary, contactClosed } from '../../shared/events/contact-events';
import { newEvent } from '../../shared/events/events';
import { surveyNotSent } from '../../shared/events/survey-events';
import { newId } from '../../shared/ids';
import { MetricUnit, logger, metrics } from '../../shared/observability';
import { customerLanguage } from '../../shared/domain/sms/opt-out';
import { type SurveyDecision, decideSurvey, localDay, resolveSurveyRules, samplingDraw, surveySendTime } from '../../shared/domain/surveys/rules';
import { notSentSurvey, pendingSurvey, surveyRef } from '../../shared/domain/surveys/survey';
import { functionClock } from '../../shared/ports/clock';
import { setSurveyTimer } from '../../shared/services/survey-timers';
import { countSurveyNotSent } from '../../shared/services/survey-metrics';

type ClosedContact = ContactSummary & { closedAt: string };

export type DispatchOutcome = 'scheduled' | 'not-sent' | 'disabled' | 'already-decided' | 'no-tenant';

/** Another dispatch of the same tenant moved the day's count or the customer's marker: decide again, this often. */
const maxAttempts = 5;

/**
 * Decides once per contact whether, and when, to survey it (docs/surveys.md, "The decision"), and
 * records the decision: a pending survey with a timer aimed at survey-send, or a not_sent survey
 * with its reason and `Survey Not Sent`. The decision item keyed by the contact id is written with
 * attribute_not_exists in the same transaction, so however often Contact Closed arrives there is
 * one decision; a repeat only makes sure the pending survey's timer is set (setting it is idempotent).
 * Surveys switched off (or with no usable template) record nothing: a tenant that never opted in
 * would otherwise collect a record per contact. That decision is counted only.
 */
export async function dispatchSurvey(tenantId: string, contact: ClosedContact): Promise<DispatchOutcome> {
  const decided = await getContactSurveyId(tenantId, contact.contactId);
  if (decided) return alreadyDecided(tenantId, decided);

  const tenant = await getTenantWithSettings(tenantId);
  if (!tenant) return 'no-tenant';
  const rules = resolveSurveyRules(tenant.settings.surveys);
  const template = rules.enabled && rules.templateId ? await getSurveyTemplate(tenantId, rules.templateId) : undefined;
  if (!template || template.status !== 'active') {
    countSurveyNotSent('disabled');
    return 'disabled';
  }
  const timezone = tenant.settings.timezone;
  const specialDays = tenant.settings.specialDays ?? [];
  const stored = contact.customerId ? await getCustomer(tenantId, contact.customerId) : undefined;
  const customer = stored?.state === 'active' ? stored.customer : undefined;
  // A suspended tenant gets no survey scheduled: the decision is recorded as not_sent with the reason.
  const sendingRefused = await tenantSendingRefusal(tenantId, 'survey decision', undefined, tenant.sendingRights);

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const day = localDay(surveySendTime(rules, contact.closedAt, timezone, specialDays), timezone);
    const quotas = await readQuotas(tenantId, customer?.customerId, day);
    const decision: SurveyDecision | { send: false; reason: SendingRefusal } = sendingRefused ? { send: false, reason: sendingRefused } : decideSurvey(rules, {
      contact,
      timezone,
      specialDays,
      customer: customer && { hasPhone: !!customer.phone, smsConsent: customer.consent.sms.status, lastSurveyedAt: quotas.lastSurveyedAt },
      samplingDraw: samplingDraw(contact.contactId),
      surveysOnSendDay: quotas.scheduledOnDay,
    });
    const now = functionClock.now().toISOString();
    const origin = { surveyId: newId('svy'), contact, origin: 'rules' as const, deliveryChannel: rules.deliveryChannel, now };
    let write: DecisionWrite;
    if (decision.send) {
      const survey = pendingSurvey(origin, template, customerLanguage(customer, tenant.settings.locale), decision.at);
      write = {
        survey,
        events: [],
        count: { day: decision.day, read: quotas.scheduledOnDay },
        ...(customer && { surveyed: { customerId: customer.customerId, at: decision.at, read: quotas.lastSurveyedAt } }),
      };
    } else {
      const survey = notSentSurvey(origin, decision.reason);
      write = { survey, events: [newEvent(surveyNotSent, tenantId, { ...surveyRef(survey), reason: decision.reason }, now)] };
    }
    try {
      await recordDecision(tenantId, write);
    } catch (error) {
      if (error instanceof SurveyAlreadyDecided) return alreadyDecided(tenantId, error.surveyId);
      if (error instanceof StaleSurveyInputs) continue;
      throw error;
    }
    logger.appendKeys({ surveyId: write.survey.surveyId });
    if (!decision.send) {
      countSurveyNotSent(decision.reason);
      logger.info('Survey not sent', { reason: decision.reason });
      return 'not-sent';
    }
    await setSurveyTimer(tenantId, write.survey.surveyId, 'send', decision.at);
    metrics.addMetric('SurveysScheduled', MetricUnit.Count, 1);
    logger.info('Survey scheduled', { at: decision.at });
    return 'scheduled';
  }
  throw new Error(`The day's survey count or the customer's last survey kept changing during ${maxAttempts} attempts`);
}

/** A redelivery, or a crash after the decision and before its timer: the pending survey's timer is set again. */
async function alreadyDecided(tenantId: string, surveyId: string): Promise<DispatchOutcome> {
  const survey = await getSurvey(tenantId, surveyId);
  if (survey?.status === 'pending' && survey.scheduledAt) await setSurveyTimer(tenantId, surveyId, 'send', survey.scheduledAt);
  logger.info('The contact already has its survey decision', { surveyId });
  return 'already-decided';
}

export const handler = createEventConsumer('survey-dispatch', [contactClosed], async ({ detail }) => {
  logger.appendKeys({ contactId: detail.data.contactId });
  const outcome = await dispatchSurvey(detail.tenantId, detail.data);
  logger.info('Contact Closed handled', { outcome });
});
