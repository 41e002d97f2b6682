import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SNSEvent, SNSEventRecord } from 'aws-lambda';
import { customerChangeWrite, findCustomerIdBy, getCustomer } from '../../shared/data/customers-repo';
import { outboxPut } from '../../shared/data/outbox';
import { applyOnce } from '../../shared/data/processed-events';
import { cancellationCodes } from '../../shared/data/transaction-errors';
import { answerOnce } from '../../shared/data/sms-messages-repo';
import { findTenantIdBySmsNumber, getTenantWithSettings } from '../../shared/data/tenants-repo';
import { resolveSmsSettings } from '../../shared/domain/settings';
import { addToOptOutList, defaultOptOutListName } from '../../shared/ports/sms-sender';
import { sendMeteredSms } from '../../shared/services/metered-sms';
import { tenantSendingRefusal } from '../../shared/services/sending-rights';
import { MetricUnit, logger, metrics, withLambdaContext } from '../../shared/observability';
import type { Customer } from '../../shared/schemas/customer';
import { type InboundSms, parseInboundSms } from '../../shared/schemas/sms-inbound';
import { detectKeyword } from '../../shared/domain/sms/keywords';
import { customerLanguage, smsOptOutChange } from '../../shared/domain/sms/opt-out';
import { handleSurveyReply } from '../../shared/services/survey-replies';
import { appendCustomerSms, caseForInboundSms } from '../../shared/services/case-replies';

/**
 * Two-way SMS from customers (the SNS topic AWS End User Messaging SMS publishes to). The number
 * written to names the tenant (its claim, written when the operator allocated the number), the sender's
 * number the customer. STOP opts the customer out (consent and Customer Opted Out in one
 * transaction), confirms, and puts the number on AWS's opt-out list; HELP answers the tenant's
 * help text; an answer to a reply sent from a case goes to that case's timeline; anything else
 * goes to the survey conversation (docs/sms.md).
 *
 * Each message is applied once, keyed by its inboundMessageId, however often SNS delivers it. Only
 * a failure of DynamoDB or of AWS's SMS API throws (Lambda retries, then the dead-letter queue).
 * A message that can never be applied (unreadable, to a number no tenant has) is logged and dropped.
 */
const consumerName = 'sms-inbound';
const maxOptOutAttempts = 3;

async function receive(event: SNSEvent): Promise<void> {
  for (const record of event.Records) await receiveOne(record);
}

/** The tenant as read once per inbound message: its settings and its sending rights. */
type TenantRead = NonNullable<Awaited<ReturnType<typeof getTenantWithSettings>>>;

async function receiveOne(record: SNSEventRecord): Promise<void> {
  logger.appendKeys({ snsMessageId: record.Sns.MessageId });
  const parsed = parseInboundSms(record.Sns.Message);
  if (!parsed.ok) {
    logger.warn('Inbound SMS not readable; dropped', { issues: parsed.issues });
    metrics.addMetric('InboundSmsUnreadable', MetricUnit.Count, 1);
    return;
  }
  const sms = parsed.sms;
  logger.appendKeys({ inboundMessageId: sms.inboundMessageId });

  const tenantId = await findTenantIdBySmsNumber(sms.destinationNumber);
  const tenant = tenantId ? await getTenantWithSettings(tenantId) : undefined;
  if (!tenantId || !tenant) {
    logger.warn('Inbound SMS to a number no tenant has connected; dropped');
    metrics.addMetric('InboundSmsToUnknownNumber', MetricUnit.Count, 1);
    return;
  }
  logger.appendKeys({ tenantId });

  const customerId = await findCustomerIdBy(tenantId, 'PHONE', sms.originationNumber);
  const stored = customerId ? await getCustomer(tenantId, customerId) : undefined;
  const customer = stored?.state === 'active' ? stored.customer : undefined;
  if (customer) logger.appendKeys({ customerId: customer.customerId });

  const keyword = detectKeyword(sms.messageBody);
  metrics.addMetric(keyword === 'stop' ? 'InboundSmsStop' : keyword === 'help' ? 'InboundSmsHelp' : 'InboundSmsReplies', MetricUnit.Count, 1);
  if (keyword === 'stop') return optOut(tenantId, tenant, sms, customer);
  if (keyword === 'help') {
    const smsSettings = resolveSmsSettings(tenant.settings);
    return answer(tenantId, tenant, sms, smsSettings.helpText[customerLanguage(customer, tenant.settings.locale)], 'help');
  }
  const receivedAt = new Date().toISOString();
  if (customer) {
    const caseSms = {
      tenantId,
      customerId: customer.customerId,
      tenantNumber: sms.destinationNumber,
      body: sms.messageBody,
      inboundMessageId: sms.inboundMessageId,
      previousPublishedMessageId: sms.previousPublishedMessageId,
      receivedAt,
    };
    const caseId = await caseForInboundSms(caseSms);
    if (caseId) {
      const outcome = await appendCustomerSms(caseSms, caseId);
      logger.info('Inbound SMS added to the case it answers', { caseId, outcome });
      return;
    }
  }
  const outcome = await handleSurveyReply({
    tenantId,
    customerId: customer?.customerId,
    from: sms.originationNumber,
    to: sms.destinationNumber,
    body: sms.messageBody,
    inboundMessageId: sms.inboundMessageId,
    previousPublishedMessageId: sms.previousPublishedMessageId,
    receivedAt,
  });
  logger.info('Inbound SMS reply handed to the survey conversation', { outcome, knownCustomer: !!customer });
}

async function optOut(tenantId: string, tenant: TenantRead, sms: InboundSms, customer: Customer | undefined): Promise<void> {
  const { settings } = tenant;
  const smsSettings = resolveSmsSettings(settings);
  if (customer) await denySmsConsent(tenantId, sms.inboundMessageId, customer);
  else logger.info('STOP from a number that is no customer of the tenant; confirming and listing the number only');

  // The opt-out holds even when the quota refuses its confirmation.
  await answer(tenantId, tenant, sms, smsSettings.optOutConfirmation[customerLanguage(customer, settings.locale)], 'stop');
  // After the confirmation, which the list would block: from now on AWS refuses every send to the number.
  await addToOptOutList(sms.originationNumber, smsSettings.optOutListName ?? defaultOptOutListName);
}

/** Consent denied and Customer Opted Out in one transaction, once per inbound message; re-read when the customer changed meanwhile. */
async function denySmsConsent(tenantId: string, inboundMessageId: string, customer: Customer): Promise<void> {
  let current: Customer | undefined = customer;
  for (let attempt = 1; current; attempt++) {
    const at = new Date().toISOString();
    const change = smsOptOutChange(tenantId, current, 'sms-keyword', at);
    if (!change) {
      logger.info('STOP from a customer whose SMS consent is already denied');
      return;
    }
    try {
      const result = await applyOnce(consumerName, tenantId, inboundMessageId, [customerChangeWrite(tenantId, current, change.next), ...change.events.map(outboxPut)]);
      logger.info('Customer opted out of SMS', { result });
      return;
    } catch (error) {
      const customerMoved = cancellationCodes(error)?.[1] === 'ConditionalCheckFailed';
      if (!customerMoved || attempt >= maxOptOutAttempts) throw error;
      const reread = await getCustomer(tenantId, current.customerId);
      current = reread?.state === 'active' ? reread.customer : undefined;
    }
  }
  logger.info('The customer was erased meanwhile; nothing to opt out');
}

async function answer(tenantId: string, tenant: TenantRead, sms: InboundSms, body: string, purpose: 'stop' | 'help'): Promise<void> {
  const { settings } = tenant;
  const smsSettings = resolveSmsSettings(settings);
  // A suspended tenant answers nothing (a STOP still opts the number out); the refusal is logged and counted.
  const refused = await tenantSendingRefusal(tenantId, `keyword-${purpose}`, {
    originationIdentity: sms.destinationNumber,
    configurationSetName: smsSettings.configurationSetName,
  }, tenant.sendingRights);
  if (refused) return;
  const outcome = await answerOnce(tenantId, sms.inboundMessageId, async () => {
    const result = await sendMeteredSms(
      {
        tenantId,
        to: sms.originationNumber,
        // From the number the customer wrote to, whatever identity the tenant's surveys go out from.
        originationIdentity: sms.destinationNumber,
        body,
        configurationSetName: smsSettings.configurationSetName,
        context: { inboundMessageId: sms.inboundMessageId, purpose: `keyword-${purpose}` },
        purpose: `keyword-${purpose}`,
      },
      settings,
    );
    if (result.status === 'refused') {
      logger.warn('Keyword answer not sent: refused by the quota or destination check', { purpose, reason: result.reason });
    } else if (result.status === 'opted-out') {
      // AWS manages opt-outs on this number and already listed it (and sent its own keyword answer).
      logger.info('Keyword answer not sent: AWS reports the number opted out', { purpose });
    } else {
      metrics.addMetric('SmsSegmentsSent', MetricUnit.Count, result.segments);
    }
  });
  logger.info('Keyword answered', { purpose, outcome });
}

export const handler = middy<SNSEvent, void, Error, Context>()
  .use(withLambdaContext())
  .use(logMetrics(metrics))
  .handler(receive);
