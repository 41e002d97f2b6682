import { StaleCase, type StoredCase, getCase } from '../../shared/data/cases-repo';
import { saveReplySent } from '../../shared/data/case-replies-repo';
import {
  StaleCannedReply,
  cannedReplyKeys,
  countCannedReplies,
  deleteCannedReply,
  getCannedReply,
  insertCannedReply,
  listCannedReplies,
  maxCannedRepliesPerTenant,
  replaceCannedReply,
} from '../../shared/data/canned-replies-repo';
import { getCustomer, saveCustomerChange } from '../../shared/data/customers-repo';
import { getTenantWithSettings } from '../../shared/data/tenants-repo';
import { caseMailFrom } from '../../shared/domain/allocations';
import { CaseConflict } from '../../shared/domain/case';
import { type SentMessage, replySentChange, smsSendableAt } from '../../shared/domain/case-replies';
import {
  InvalidCannedReply,
  type ReplyLocale,
  cannedSubject,
  cannedText,
  newCannedReply,
  patchCannedReply,
  renderReply,
} from '../../shared/domain/canned-replies';
import { caseMessageId, tenantMailbox } from '../../shared/domain/mail-threading';
import { resolveSmsSettings } from '../../shared/domain/settings';
import { customerLanguage, smsOptOutChange } from '../../shared/domain/sms/opt-out';
import { resolveSurveyRules } from '../../shared/domain/surveys/rules';
import type { Caller, Principal } from '../../shared/http/caller';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { etagOf, requireIfMatch } from '../../shared/http/etag';
import { createApiHandler } from '../../shared/http/handler';
import { withIdempotency } from '../../shared/http/idempotency';
import { HttpError, conflict, notFound, preconditionFailed, validationFailed } from '../../shared/http/problem';
import { caseReplyRoutes } from '../../shared/http/routes/case-replies';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { looksLikeId, newId } from '../../shared/ids';
import { MetricUnit, logger, metrics } from '../../shared/observability';
import { functionClock } from '../../shared/ports/clock';
import { sendCaseMail } from '../../shared/ports/mail';
import { permanentSmsRefusal } from '../../shared/ports/sms-sender';
import type { Customer } from '../../shared/schemas/customer';
import { monotonicIds } from '../../shared/ids';
import { caseContextOf } from '../../shared/services/case-context';
import { lastCustomerMailId } from '../../shared/services/case-replies';
import { type SmsRefusal, sendMeteredSms } from '../../shared/services/metered-sms';
import { tenantSendingRefusal } from '../../shared/services/sending-rights';

type TenantRead = NonNullable<Awaited<ReturnType<typeof getTenantWithSettings>>>;

/** How often the record of a sent reply is written again when the case changed meanwhile: the message is out, its record must follow. */
const maxRecordAttempts = 4;

export const handler = createApiHandler(
  'case-replies',
  caseReplyRoutes,
  {
    async sendCaseReply(request) {
      const { tenantId, params, body } = request;
      const stored = looksLikeId('cas', params.caseId) ? await getCase(tenantId, params.caseId) : undefined;
      if (!stored) throw notFound('No such case');
      if (stored.case.status === 'closed') throw conflict('The case is closed; reopen it (status_change to open) to reply from it', 'case-closed');
      const tenant = await getTenantWithSettings(tenantId);
      if (!tenant) throw notFound('The tenant has no settings');
      const storedCustomer = await getCustomer(tenantId, stored.case.customerId);
      const customer = storedCustomer?.state === 'active' ? storedCustomer.customer : undefined;
      if (!customer) throw unreachable('$.channel', "The case's customer was erased");

      const locale: ReplyLocale = body.locale ?? customerLanguage(customer, tenant.settings.locale);
      const canned = body.cannedReplyId === undefined ? undefined : await cannedReplyOf(tenantId, body.cannedReplyId);
      const rawText = body.text ?? (canned && cannedText(canned, locale));
      if (rawText === undefined) throw validationFailed([{ path: '$.text', message: 'Write the text, or name a canned reply (cannedReplyId)' }]);
      const sources = {
        customer,
        case: { caseId: stored.case.caseId, dueAt: stored.case.sla.resolution.dueAt },
        timezone: tenant.settings.timezone,
        locale,
      };
      const text = rendered(() => renderReply(rawText, sources, body.text !== undefined ? '$.text' : `$.cannedReplyId (texts['${locale}'])`));
      const now = functionClock.now();
      const actor = timelineActor(request.caller);
      const entryId = newId('cev');

      if (body.channel === 'sms') {
        const sent = await sendSmsReply(tenantId, tenant, customer, stored, text, now);
        const message: SentMessage = { channel: 'sms', text, messageId: sent.messageId, ...(canned && { cannedReplyId: canned.cannedReplyId }) };
        const entry = await record(tenantId, tenant, stored, message, { actor, entryId, now }, { customerId: customer.customerId, tenantNumber: sent.from });
        metrics.addMetric('CaseRepliesSentSms', MetricUnit.Count, 1);
        metrics.addMetric('SmsSegmentsSent', MetricUnit.Count, sent.segments);
        return { status: 201, body: { entry, segments: sent.segments, encoding: sent.encoding } };
      }

      const rawSubject = body.subject ?? (canned && cannedSubject(canned, locale)) ?? `Re: ${stored.case.subject}`;
      const subject = rendered(() => renderReply(rawSubject, sources, body.subject !== undefined ? '$.subject' : `$.cannedReplyId (subjects['${locale}'])`));
      const messageId = await sendMailReply(tenantId, tenant, customer, stored, { text, subject, entryId });
      const message: SentMessage = { channel: 'email', text, subject, messageId, ...(canned && { cannedReplyId: canned.cannedReplyId }) };
      const entry = await record(tenantId, tenant, stored, message, { actor, entryId, now });
      metrics.addMetric('CaseRepliesSentEmail', MetricUnit.Count, 1);
      return { status: 201, body: { entry } };
    },

    async createCannedReply(request) {
      const { tenantId } = request;
      const reply = cannedRule(() => newCannedReply(request.body, { cannedReplyId: newId('cnr'), now: functionClock.now().toISOString() }));
      if ((await countCannedReplies(tenantId)) >= maxCannedRepliesPerTenant) {
        throw conflict(`A tenant keeps at most ${maxCannedRepliesPerTenant} canned replies; delete one first`, 'too-many-canned-replies');
      }
      await insertCannedReply(tenantId, reply);
      return { status: 201, headers: { location: `/v1/canned-replies/${reply.cannedReplyId}`, etag: etagOf(reply.version) }, body: reply };
    },

    async listCannedReplies(request) {
      const { tenantId, query } = request;
      const startKey = decodeCursor(query.cursor, tenantId, cannedReplyKeys.list(tenantId));
      const page = await listCannedReplies(tenantId, query.limit, startKey);
      return { status: 200, body: { items: page.items, nextCursor: encodeCursor(page.lastKey) } };
    },

    async getCannedReply(request) {
      const reply = await existingCannedReply(request.tenantId, request.params.cannedReplyId);
      return { status: 200, headers: { etag: etagOf(reply.version) }, body: reply };
    },

    async updateCannedReply(request) {
      const { tenantId } = request;
      const current = await existingCannedReply(tenantId, request.params.cannedReplyId);
      requireIfMatch(request.headers['if-match'], current.version);
      const next = cannedRule(() => patchCannedReply(current, request.body, functionClock.now().toISOString()));
      if (next !== current) {
        try {
          await replaceCannedReply(tenantId, current.version, next);
        } catch (error) {
          if (error instanceof StaleCannedReply) throw preconditionFailed('The canned reply changed while this request ran; read it again');
          throw error;
        }
      }
      return { status: 200, headers: { etag: etagOf(next.version) }, body: next };
    },

    async deleteCannedReply(request) {
      const { tenantId, params } = request;
      const deleted = looksLikeId('cnr', params.cannedReplyId) && (await deleteCannedReply(tenantId, params.cannedReplyId));
      if (!deleted) throw notFound('No such canned reply');
      return { status: 204 };
    },
  },
  { idempotency: withIdempotency, requestLimit: tenantRequestLimit },
);

/**
 * The SMS under the survey rules: a phone number and consent, an allocated sender, outside the
 * quiet hours, within quota and allowed destinations (sendMeteredSms), not opted out.
 */
async function sendSmsReply(tenantId: string, tenant: TenantRead, customer: Customer, stored: StoredCase, text: string, now: Date) {
  const { settings } = tenant;
  if (!customer.phone) throw unreachable('$.channel', "The case's customer has no phone number");
  const rules = resolveSurveyRules(settings.surveys);
  const consent = customer.consent.sms.status;
  if (consent === 'denied' || (consent === 'unknown' && rules.requireExplicitConsent)) {
    throw unreachable('$.channel', consent === 'denied' ? 'The customer denied (or opted out of) SMS' : 'The customer has not consented to SMS, and the settings ask for explicit consent');
  }
  const smsSettings = resolveSmsSettings(settings);
  const from = smsSettings.originationIdentity;
  if (!from) throw new HttpError('sms-not-configured', 'The tenant has no SMS number (settings.sms.originationIdentity)', { errors: [{ path: '$.channel', message: 'No SMS sender' }] });
  const refusal = await tenantSendingRefusal(tenantId, 'case-reply', { originationIdentity: from, configurationSetName: smsSettings.configurationSetName }, tenant.sendingRights);
  if (refusal) throw new HttpError('sms-not-configured', 'The tenant may not send from its SMS number: it is not allocated to it', { errors: [{ path: '$.channel', message: refusal }] });
  const sendableAt = smsSendableAt(now, rules.quietHours, settings.timezone);
  if (sendableAt.getTime() > now.getTime()) {
    throw conflict("It is inside the tenant's quiet hours (settings.surveys.quietHours): the SMS was not sent; send it after sendableAt, or reply by e-mail", 'quiet-hours', {
      sendableAt: sendableAt.toISOString(),
    });
  }
  let result;
  try {
    result = await sendMeteredSms(
      {
        tenantId,
        to: customer.phone,
        body: text,
        originationIdentity: from,
        configurationSetName: smsSettings.configurationSetName,
        context: { caseId: stored.case.caseId, purpose: 'case-reply' },
        purpose: 'case-reply',
      },
      settings,
    );
  } catch (error) {
    const permanent = permanentSmsRefusal(error);
    if (!permanent) throw error;
    logger.warn('AWS refused the case reply SMS for good', { refusal: permanent });
    throw unreachable('$.channel', 'AWS refused to send an SMS to this number');
  }
  if (result.status === 'refused') throw smsRefused(result);
  if (result.status === 'opted-out') {
    await recordOptOutList(tenantId, customer, now);
    throw unreachable('$.channel', 'The number is on the SMS opt-out list (the customer sent STOP)');
  }
  return { ...result, from };
}

/** How often the opt-out is written again on a customer changed meanwhile. */
const maxOptOutAttempts = 3;

/**
 * AWS holds the number on its opt-out list: the customer's SMS consent follows (denied, source
 * `sms-opt-out-list`) with Customer Opted Out, as a survey SMS refused the same way does. Once: a
 * customer whose consent is denied already changes nothing, and the next reply is refused on the
 * consent before any SMS. A failure to record it is logged and the refusal still answered: the
 * next reply to the number meets the list again and records it then.
 */
async function recordOptOutList(tenantId: string, customer: Customer, now: Date): Promise<void> {
  let current: Customer | undefined = customer;
  try {
    for (let attempt = 1; current; attempt++) {
      const change = smsOptOutChange(tenantId, current, 'sms-opt-out-list', now.toISOString());
      if (!change) return;
      if ((await saveCustomerChange(tenantId, current, change)) === 'saved') {
        logger.info("The number is on AWS's opt-out list: the customer's SMS consent is now denied");
        return;
      }
      if (attempt >= maxOptOutAttempts) throw new Error(`The customer kept changing during ${maxOptOutAttempts} attempts to record the opt-out`);
      const reread = await getCustomer(tenantId, current.customerId);
      current = reread?.state === 'active' ? reread.customer : undefined;
    }
  } catch (error) {
    logger.error("Could not record the opt-out list's refusal on the customer's consent; the reply is refused all the same", { error });
  }
}

/** The e-mail from the tenant's identity, threaded so that the customer's answer comes back to the case. */
async function sendMailReply(tenantId: string, tenant: TenantRead, customer: Customer, stored: StoredCase, mail: { text: string; subject: string; entryId: string }): Promise<string> {
  if (!customer.email) throw unreachable('$.channel', "The case's customer has no e-mail address");
  if (customer.consent.email.status === 'denied') throw unreachable('$.channel', 'The customer denied e-mail');
  const sender = caseMailFrom(tenant.sendingRights.allocations, tenant.settings.branding.displayName);
  if (!sender) {
    throw new HttpError('no-mail-identity', 'The operator has allocated no mail identity to the tenant', { errors: [{ path: '$.channel', message: 'No e-mail identity to send from' }] });
  }
  const suspended = await tenantSendingRefusal(tenantId, 'case-reply-mail', undefined, tenant.sendingRights);
  if (suspended) throw new HttpError('tenant-suspended', 'The tenant is suspended: nothing is sent in its name');
  const inboundDomain = process.env.INBOUND_MAIL_DOMAIN;
  if (!inboundDomain) throw new Error('INBOUND_MAIL_DOMAIN is not set: replies could not come back to the case');
  const messageId = caseMessageId(stored.case.caseId, mail.entryId, sender.domain);
  const inReplyTo = await lastCustomerMailId(tenantId, stored.case.caseId);
  await sendCaseMail({
    tenantId,
    from: sender.from,
    to: customer.email,
    replyTo: tenantMailbox(tenantId, inboundDomain),
    subject: mail.subject,
    text: mail.text,
    messageId,
    ...(inReplyTo && { inReplyTo }),
  });
  return messageId;
}

/** Records the sent message on the case: written again on a fresher case when another change got in first. */
async function record(
  tenantId: string,
  tenant: TenantRead,
  stored: StoredCase,
  message: SentMessage,
  at: { actor: string; entryId: string; now: Date },
  conversation?: { customerId: string; tenantNumber: string },
) {
  let current = stored;
  for (let attempt = 1; ; attempt++) {
    const context = { ...caseContextOf(tenantId, tenant.settings, at.actor, at.now.toISOString(), monotonicIds('cev', at.entryId)), entryId: at.entryId };
    const change = caseRule(() => replySentChange(current.case, message, context));
    try {
      await saveReplySent(tenantId, current.case.version, change, conversation && { ...conversation, sentAt: at.now.toISOString() });
      return change.entries.find((entry) => entry.entryId === at.entryId)!;
    } catch (error) {
      if (!(error instanceof StaleCase) || attempt >= maxRecordAttempts) throw error;
      const reread = await getCase(tenantId, current.case.caseId);
      if (!reread) throw error;
      current = reread;
    }
  }
}

async function cannedReplyOf(tenantId: string, cannedReplyId: string) {
  const reply = looksLikeId('cnr', cannedReplyId) ? await getCannedReply(tenantId, cannedReplyId) : undefined;
  if (!reply) throw new HttpError('unknown-reference', 'No such canned reply in this tenant', { errors: [{ path: '$.cannedReplyId', message: 'No such canned reply' }] });
  return reply;
}

async function existingCannedReply(tenantId: string, cannedReplyId: string) {
  const reply = looksLikeId('cnr', cannedReplyId) ? await getCannedReply(tenantId, cannedReplyId) : undefined;
  if (!reply) throw notFound('No such canned reply');
  return reply;
}

const unreachable = (path: string, message: string) => new HttpError('customer-unreachable', message, { errors: [{ path, message }] });

/** 429 sms-quota-exceeded (Retry-After: when the limit resets) or 422 destination-not-allowed, as for surveys. */
function smsRefused(refusal: SmsRefusal): HttpError {
  if (refusal.reason === 'quota') {
    const limits = { day: "today's (UTC) SMS segments", month: "this month's (UTC) SMS segments", spend: "this month's SMS spend cap" } as const;
    return new HttpError('sms-quota-exceeded', `The SMS would pass ${limits[refusal.limit]} for the tenant's plan; GET /v1/usage shows the usage and the limits`, {
      headers: { 'retry-after': String(refusal.retryAfterSeconds) },
      extensions: { limit: refusal.limit },
    });
  }
  const why =
    refusal.rule === 'blocked-prefix'
      ? 'The number is on the platform block list (satellite, international network or premium rate)'
      : `The number's country${refusal.country ? ` (${refusal.country})` : ''} is not in settings.sms.allowedDestinationCountries`;
  return new HttpError('destination-not-allowed', why, { errors: [{ path: '$.channel', message: why }] });
}

/** A person is named on the timeline as the agent they are; an API key by its id. */
const timelineActor = (caller: Caller): string => (caller.kind === 'tenant' ? principalActor(caller.principal) : 'system');
const principalActor = (principal: Principal): string => (principal.kind === 'person' ? principal.agentId : principal.keyId);

function rendered(render: () => string): string {
  try {
    return render();
  } catch (error) {
    if (error instanceof InvalidCannedReply) throw validationFailed(error.errors);
    throw error;
  }
}

const cannedRule = rendered as <T>(build: () => T) => T;

function caseRule<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof CaseConflict) throw conflict(error.message, error.slug, error.extensions);
    throw error;
  }
}
