import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SESEvent, SESEventRecord } from 'aws-lambda';
import { StaleCase, getCase, insertCaseOnce, saveCaseChange } from '../../shared/data/cases-repo';
import { UniqueValueTaken, findCustomerIdBy, getCustomer, insertCustomer } from '../../shared/data/customers-repo';
import { type MailOutcome, attachmentPut, failedOnMarker, inboundMailConsumer, inboundMessagePut, mailOutcomeMarker, recordMailOutcome } from '../../shared/data/inbound-mail-repo';
import { isProcessed } from '../../shared/data/processed-events';
import { getSettings } from '../../shared/data/tenants-repo';
import type { CaseContext } from '../../shared/domain/case';
import { newCustomer } from '../../shared/domain/customer';
import { type ParsedInboundMail, type Verdict, attachmentObjectKey, inboundMailLimitsFrom, parseInboundMail, sortAttachments, verdictRefusal } from '../../shared/domain/inbound-mail';
import { type MailReply, decideMailCase, mailCaseChange, mailReplyChange } from '../../shared/domain/mail-reply';
import { caseIdFromThread, tenantIdFromMailbox } from '../../shared/domain/mail-threading';
import { newId } from '../../shared/ids';
import { MetricUnit, logger, metrics, withLambdaContext } from '../../shared/observability';
import { getObject, putObject } from '../../shared/ports/object-store';
import type { Settings } from '../../shared/schemas/settings';
import { caseContextOf } from '../../shared/services/case-context';

/**
 * Customers' e-mail to tenants' inbound mailboxes. SES receiving stores each message in the mail
 * bucket (`inbound/<SES message id>`) and then invokes this function with its receipt record
 * (infra/inbound-mail.ts); the twin's `POST /local/mail/inbound` does the same.
 *
 * For each tenant a recipient names (tenantIdFromMailbox): a spam or virus FAIL, an automatic
 * message (auto-reply, bounce) or one without a sender is recorded and goes no further. Otherwise
 * the sender is the tenant's customer by e-mail (created, with the e-mail only, when unknown);
 * the mail continues the case its headers quote when that case is the tenant's and the sender's
 * and not closed, else opens an inquiry. Attachments within the limits are kept in the bucket
 * under the tenant's prefix; the refused ones are named on the timeline with why.
 *
 * Once per message and tenant, however often it is delivered: the marker keyed by the SES message
 * id is written in the case's transaction. Only a failure of S3 or DynamoDB throws (Lambda
 * retries twice, then the failed-invocations queue).
 */
const maxCaseAttempts = 3;

async function receive(event: SESEvent): Promise<void> {
  for (const record of event.Records) await receiveOne(record);
}

async function receiveOne(record: SESEventRecord): Promise<void> {
  const { mail, receipt } = record.ses;
  logger.appendKeys({ sesMessageId: mail.messageId });
  const domain = process.env.INBOUND_MAIL_DOMAIN;
  const bucket = process.env.MAIL_BUCKET;
  if (!domain || !bucket) throw new Error('INBOUND_MAIL_DOMAIN and MAIL_BUCKET must be set');
  const tenantIds = [...new Set(receipt.recipients.map((recipient) => tenantIdFromMailbox(recipient, domain)).filter((id): id is string => id !== undefined))];
  if (tenantIds.length === 0) {
    logger.warn('Inbound mail to no tenant mailbox; dropped', { recipients: receipt.recipients.length });
    metrics.addMetric('InboundMailToUnknownMailbox', MetricUnit.Count, 1);
    return;
  }
  const receivedAt = mail.timestamp;
  const refusal = verdictRefusal({ spam: receipt.spamVerdict?.status as Verdict, virus: receipt.virusVerdict?.status as Verdict });
  let parsed: ParsedInboundMail | undefined;
  for (const tenantId of tenantIds) {
    logger.appendKeys({ tenantId });
    if (await isProcessed(inboundMailConsumer, tenantId, mail.messageId)) {
      logger.info('Inbound mail already handled for this tenant');
      continue;
    }
    if (refusal) {
      await recordMailOutcome(tenantId, mail.messageId, { outcome: refusal === 'spam' ? 'refused-spam' : 'refused-virus' }, receivedAt);
      metrics.addMetric(refusal === 'spam' ? 'InboundMailSpam' : 'InboundMailVirus', MetricUnit.Count, 1);
      logger.warn('Inbound mail failed SES verdicts; recorded, no case', { refusal });
      continue;
    }
    parsed ??= await parseInboundMail(await getObject(bucket, `${inboundMailPrefix()}${mail.messageId}`));
    const outcome = await deliver(tenantId, mail.messageId, parsed, bucket, receivedAt);
    metrics.addMetric(`InboundMail${outcome.outcome.replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) => letter.toUpperCase())}`, MetricUnit.Count, 1);
    logger.info('Inbound mail handled', { outcome: outcome.outcome, ...('caseId' in outcome && { caseId: outcome.caseId }) });
  }
}

/** Where SES's S3 action puts messages: the prefix the receipt rule names (infra/inbound-mail.ts). */
const inboundMailPrefix = () => process.env.MAIL_INBOUND_PREFIX ?? 'inbound/';

async function deliver(tenantId: string, messageId: string, parsed: ParsedInboundMail, bucket: string, receivedAt: string): Promise<MailOutcome> {
  if (parsed.automatic) return recorded(tenantId, messageId, { outcome: 'automatic', detail: parsed.automatic }, receivedAt);
  if (!parsed.from) return recorded(tenantId, messageId, { outcome: 'no-sender' }, receivedAt);
  const settings = await getSettings(tenantId);
  if (!settings) throw new Error('The tenant has no settings');

  const { customerId, created } = await customerOf(tenantId, parsed.from, settings, receivedAt);
  const { kept, refused } = sortAttachments(messageId, parsed.attachments, inboundMailLimitsFrom(process.env));
  // Before the case's transaction, at keys that name the message's parts: a retry writes the same objects.
  for (const attachment of kept) {
    await putObject(bucket, attachmentObjectKey(tenantId, attachment.attachmentId), attachment.part.content, attachment.type);
  }
  const reply: MailReply = {
    customerId,
    subject: parsed.subject,
    text: parsed.text,
    attachments: kept.map(({ attachmentId, name, type, size }) => ({ attachmentId, name, type, size })),
    refusedAttachments: refused,
  };
  const quotedCaseId = caseIdFromThread(parsed);
  for (let attempt = 1; ; attempt++) {
    const quoted = quotedCaseId ? (await getCase(tenantId, quotedCaseId))?.case : undefined;
    const decision = decideMailCase(quotedCaseId, quoted, customerId);
    const context = caseContext(tenantId, settings);
    const caseId = decision.kind === 'continue' ? decision.current.caseId : newId('cas');
    const change = decision.kind === 'continue' ? mailReplyChange(decision.current, reply, context) : mailCaseChange(reply, { ...context, caseId }, decision.relatedCaseId);
    const entryId = change.entries.find((entry) => entry.type === 'customer_reply')!.entryId;
    const outcome: MailOutcome = { outcome: decision.kind === 'continue' ? 'continued' : 'opened', caseId, customerId, ...(created && { customerCreated: true }) };
    const writes = [
      ...kept.map((attachment) =>
        attachmentPut(tenantId, caseId, { attachmentId: attachment.attachmentId, entryId, objectKey: attachmentObjectKey(tenantId, attachment.attachmentId), name: attachment.name, type: attachment.type, size: attachment.size }),
      ),
      inboundMessagePut(tenantId, caseId, { messageId, entryId, objectKey: `${inboundMailPrefix()}${messageId}` }),
      mailOutcomeMarker(tenantId, messageId, outcome, receivedAt),
    ];
    try {
      if (decision.kind === 'continue') await saveCaseChange(tenantId, decision.current.version, change, writes);
      else await insertCaseOnce(tenantId, change, writes.at(-1)!, writes.slice(0, -1));
      return outcome;
    } catch (error) {
      if (failedOnMarker(error)) return outcome;
      if (!(error instanceof StaleCase) || attempt >= maxCaseAttempts) throw error;
      logger.info('The case changed meanwhile; reading it again', { attempt });
    }
  }
}

async function recorded(tenantId: string, messageId: string, outcome: MailOutcome, receivedAt: string): Promise<MailOutcome> {
  await recordMailOutcome(tenantId, messageId, outcome, receivedAt);
  return outcome;
}

/**
 * The tenant's customer with the sender's address. An unknown sender becomes a customer with the
 * e-mail alone (and the display name the mail gives): a tenant's mailbox is there for customers to
 * write to, and an agent can merge or erase the record later. Two messages of a new sender at
 * once: the second finds the first's claim on the address (UniqueValueTaken) and uses its customer.
 */
async function customerOf(tenantId: string, from: { address: string; name?: string }, settings: Settings, now: string): Promise<{ customerId: string; created: boolean }> {
  const known = await findCustomerIdBy(tenantId, 'EMAIL', from.address);
  if (known && (await getCustomer(tenantId, known))?.state === 'active') return { customerId: known, created: false };
  const customer = newCustomer({ email: from.address, ...(from.name && { displayName: [...from.name].slice(0, 200).join('') }) }, { customerId: newId('cus'), defaultCountry: settings.defaultCountry, now });
  try {
    await insertCustomer(tenantId, customer);
    return { customerId: customer.customerId, created: true };
  } catch (error) {
    if (error instanceof UniqueValueTaken) return { customerId: error.existingCustomerId, created: false };
    throw error;
  }
}

function caseContext(tenantId: string, settings: Settings): CaseContext {
  return caseContextOf(tenantId, settings, 'system', new Date().toISOString());
}

export const handler = middy<SESEvent, void, Error, Context>()
  .use(withLambdaContext())
  .use(logMetrics(metrics))
  .handler(receive);
