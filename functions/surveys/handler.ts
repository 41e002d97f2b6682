import { getContact } from '../../shared/data/contacts-repo';
import { getCustomer } from '../../shared/data/customers-repo';
import { SurveyAlreadyDecided, StaleSurveyInputs, getContactSurveyId, getSurvey, listSurveys, readQuotas, recordDecision, surveyListPartition } from '../../shared/data/surveys-repo';
import { getSurveyTemplate, getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { getTenantWithSettings } from '../../shared/data/tenants-repo';
import { newEvent } from '../../shared/events/events';
import { surveySent } from '../../shared/events/survey-events';
import { decodeCursor, encodeCursor, invalidCursor } from '../../shared/http/cursor';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { withIdempotency } from '../../shared/http/idempotency';
import { HttpError, badRequest, conflict, forbidden, notFound } from '../../shared/http/problem';
import type { ProblemSlugOf } from '../../shared/http/problem-types';
import { looksLikeId, newId } from '../../shared/ids';
import type { Survey } from '../../shared/schemas/survey';
import type { SurveyTemplate } from '../../shared/schemas/survey-template';
import { surveyScores } from '../../shared/domain/surveys/scores';
import { type ScoredSurvey, resultsRange, summarizeSurveys } from '../../shared/domain/surveys/results';
import { customerLanguage } from '../../shared/domain/sms/opt-out';
import { localDay, resolveSurveyRules, secondsToNextLocalDay } from '../../shared/domain/surveys/rules';
import { countSegments } from '../../shared/domain/sms/segments';
import { type SmsRefusal, recordRefusalBeforeSending, smsRefusalBeforeSending } from '../../shared/services/metered-sms';
import { functionClock } from '../../shared/ports/clock';
import { firstSmsText, markSent, newSurveyToken, pendingSurvey, surveyLinkPath, surveyRef, surveyTokenHash } from '../../shared/domain/surveys/survey';
import { setSurveyTimer } from '../../shared/services/survey-timers';
import { surveyRoutes } from '../../shared/http/routes/surveys';

const unprocessable = (slug: ProblemSlugOf<422>, path: string, message: string) => new HttpError(slug, message, { errors: [{ path, message }] });

export const handler = createApiHandler(
  'surveys', surveyRoutes,
  {
    /**
     * An agent asks for a survey of a closed contact. Sampling and suppression are the rules' way
     * of choosing contacts and do not apply; consent does, and so do the daily cap (an ad hoc
     * survey counts in it), the destination allow-list and the SMS quota (docs/sms.md): refused
     * here with 429 or 422 before anything is written. The contact keeps one survey: a decision
     * not to send (sampled out, say) gives way to this one, a survey does not.
     */
    async createSurvey(request) {
      const { tenantId, body } = request;
      const tenant = await getTenantWithSettings(tenantId);
      if (!tenant) throw notFound('No such tenant');
      const rules = resolveSurveyRules(tenant.settings.surveys);
      const deliveryChannel = body.deliveryChannel ?? rules.deliveryChannel;
      // A link answers whoever holds it: an agent handed its own contact's link could score itself.
      if (deliveryChannel === 'link' && !(request.caller.kind === 'tenant' && request.caller.scopes.includes('admin'))) {
        throw forbidden("A survey link is handed only to admin keys (the tenant's own systems deliver it to the customer); an agent key can survey by SMS");
      }

      const stored = looksLikeId('con', body.contactId) ? await getContact(tenantId, body.contactId) : undefined;
      if (!stored) throw unprocessable('unknown-contact', '$.contactId', 'No such contact');
      const contact = stored.contact;
      if (contact.status !== 'closed' || !contact.closedAt) throw conflict('Only a closed contact can be surveyed; close it first', 'contact-not-closed');
      const storedCustomer = contact.customerId ? await getCustomer(tenantId, contact.customerId) : undefined;
      const customer = storedCustomer?.state === 'active' ? storedCustomer.customer : undefined;
      if (!customer) throw unprocessable('no-contact-point', '$.contactId', 'The contact has no customer (or it was erased)');
      if (deliveryChannel === 'sms') {
        if (!customer.phone) throw unprocessable('no-contact-point', '$.contactId', "The contact's customer has no phone number");
        const consent = customer.consent.sms.status;
        if (consent === 'denied' || (consent === 'unknown' && rules.requireExplicitConsent)) {
          throw unprocessable('no-consent', '$.contactId', "The contact's customer has not consented to SMS");
        }
      }

      const templateId = body.templateId ?? rules.templateId;
      const template = templateId && looksLikeId('svt', templateId) ? await getSurveyTemplate(tenantId, templateId) : undefined;
      if (!template) throw unprocessable('unknown-template', '$.templateId', templateId ? 'No such survey template' : 'Name a template, or set settings.surveys.templateId');
      if (template.status !== 'active') throw unprocessable('unknown-template', '$.templateId', 'The survey template is archived');

      const earlier = await getContactSurveyId(tenantId, contact.contactId);
      const earlierSurvey = earlier ? await getSurvey(tenantId, earlier) : undefined;
      if (earlierSurvey && earlierSurvey.status !== 'not_sent') throw alreadySurveyed(earlierSurvey.surveyId);

      const language = customerLanguage(customer, tenant.settings.locale);
      if (deliveryChannel === 'sms') {
        const segments = countSegments(firstSmsText(template, language, tenant.settings.branding.displayName)).segments;
        const refusal = await smsRefusalBeforeSending(tenantId, customer.phone!, segments, tenant.settings);
        if (refusal) {
          await recordRefusalBeforeSending(tenantId, 'survey', refusal);
          throw smsRefused(refusal);
        }
      }
      const timezone = tenant.settings.timezone;
      const clock = functionClock.now();
      const day = localDay(clock, timezone);
      let countRead = (await readQuotas(tenantId, undefined, day)).scheduledOnDay;
      if (rules.dailyCap !== null && countRead >= rules.dailyCap) {
        if (deliveryChannel === 'sms') await recordRefusalBeforeSending(tenantId, 'survey', { reason: 'quota', limit: 'survey-daily-cap', segments: 0 });
        throw dailyCapReached(rules.dailyCap, secondsToNextLocalDay(clock, timezone));
      }

      const now = clock.toISOString();
      const pending = pendingSurvey({ surveyId: newId('svy'), contact, origin: 'ad-hoc', deliveryChannel, now }, template, language, now);
      const replacesNotSent = earlierSurvey?.surveyId;
      let created: Survey = pending;
      let linkPath: string | undefined;
      // The day's count moves with every survey of the tenant: read it again when another took the slot meanwhile.
      for (let attempt = 1; ; attempt++) {
        try {
          const count = { day, read: countRead };
          if (deliveryChannel === 'link') {
            const token = newSurveyToken();
            linkPath = surveyLinkPath(token);
            created = markSent(pending, now, rules.linkExpiryHours);
            const sentData = {
              ...surveyRef(created),
              deliveryChannel,
              templateId: template.templateId,
              templateVersion: template.version,
              sentAt: now,
              expiresAt: created.expiresAt!,
              linkPath,
            };
            await recordDecision(tenantId, {
              survey: created,
              events: [newEvent(surveySent, tenantId, sentData, now)],
              count,
              surveyed: { customerId: customer.customerId, at: now, read: 'any' },
              token: { hash: surveyTokenHash(token), expiresAt: created.expiresAt! },
              replacesNotSent,
            });
            await setSurveyTimer(tenantId, created.surveyId, 'expire', created.expiresAt!);
          } else {
            await recordDecision(tenantId, { survey: pending, events: [], count, replacesNotSent });
            await setSurveyTimer(tenantId, pending.surveyId, 'send', now);
          }
          break;
        } catch (error) {
          if (error instanceof SurveyAlreadyDecided) throw alreadySurveyed(error.surveyId);
          if (error instanceof StaleSurveyInputs && attempt < maxCountAttempts) {
            countRead = (await readQuotas(tenantId, undefined, day)).scheduledOnDay;
            if (rules.dailyCap !== null && countRead >= rules.dailyCap) throw dailyCapReached(rules.dailyCap, secondsToNextLocalDay(clock, timezone));
            continue;
          }
          if (error instanceof StaleSurveyInputs) throw conflict('The contact was surveyed while this request ran', 'survey-exists');
          throw error;
        }
      }
      return {
        status: 201,
        headers: { location: `/v1/surveys/${created.surveyId}` },
        body: { ...created, ...(linkPath !== undefined && { linkPath }) },
      };
    },

    async getSurvey(request) {
      const { tenantId, params } = request;
      const survey = looksLikeId('svy', params.surveyId) ? await getSurvey(tenantId, params.surveyId) : undefined;
      if (!survey) throw notFound('No such survey');
      return { status: 200, body: survey };
    },

    async listSurveys(request) {
      const { tenantId, query } = request;
      if (query.contactId !== undefined) {
        // One contact has at most one survey: the answer is a single page, and no cursor belongs to it.
        if (query.cursor !== undefined) throw invalidCursor();
        const surveyId = await getContactSurveyId(tenantId, query.contactId);
        const survey = surveyId ? await getSurvey(tenantId, surveyId) : undefined;
        return { status: 200, body: { items: survey ? [survey] : [] } };
      }
      const { key } = surveyListPartition(tenantId, query);
      const startKey = decodeCursor(query.cursor, tenantId, key);
      // Stored times are UTC (toISOString); a bound given with an offset compares as the same instant.
      const utc = (time: string | undefined) => (time === undefined ? undefined : new Date(time).toISOString());
      const page = await listSurveys(
        tenantId,
        { from: utc(query.from), to: utc(query.to), agentId: query.agentId, queue: query.queue, status: query.status },
        query.limit,
        startKey,
      );
      return { status: 200, body: { items: page.items, nextCursor: encodeCursor(page.lastKey) } };
    },

    /**
     * Reads every survey decided in the range (the tenant's survey list, page after page) and each
     * template version they were asked with once: the cost grows with the surveys in the range,
     * which is why the range is capped. Figures kept as surveys are written come with issue 5.
     */
    async getSurveyResultsSummary(request) {
      const { tenantId, query } = request;
      const tenant = await getTenantWithSettings(tenantId);
      if (!tenant) throw notFound('No such tenant');
      const range = resultsRange(query, new Date(), tenant.settings.timezone);
      if (!range.ok) throw badRequest(range.message, [{ path: range.path, message: range.message }]);

      const surveys: Survey[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await listSurveys(tenantId, { from: range.from, to: range.to }, 500, startKey);
        surveys.push(...page.items);
        startKey = page.lastKey;
      } while (startKey);

      const templates = new Map<string, Promise<SurveyTemplate | undefined>>();
      const templateOf = (survey: Survey) => {
        if (survey.templateId === undefined || survey.templateVersion === undefined) return Promise.resolve(undefined);
        const key = `${survey.templateId}#${survey.templateVersion}`;
        if (!templates.has(key)) templates.set(key, getSurveyTemplateVersion(tenantId, survey.templateId, survey.templateVersion));
        return templates.get(key)!;
      };
      const scored: ScoredSurvey[] = await Promise.all(
        surveys.map(async (survey) => {
          const template = await templateOf(survey);
          return { survey, scores: template ? surveyScores(template, survey.answers) : {} };
        }),
      );
      const summary = summarizeSurveys(scored, query.groupBy);
      return { status: 200, body: { from: range.from, to: range.to, ...(query.groupBy && { groupBy: query.groupBy }), ...summary } };
    },
  },
  { idempotency: withIdempotency, requestLimit: tenantRequestLimit },
);

/** Another survey of the tenant moved the day's count: read it and try again, this often. */
const maxCountAttempts = 4;

/** 429 sms-quota-exceeded (Retry-After: when the limit resets) or 422 destination-not-allowed. */
function smsRefused(refusal: SmsRefusal): HttpError {
  if (refusal.reason === 'quota') {
    const limits = { day: "today's (UTC) SMS segments", month: "this month's (UTC) SMS segments", spend: "this month's SMS spend cap" } as const;
    return new HttpError(
      'sms-quota-exceeded',
      `The survey SMS would pass ${limits[refusal.limit]} for the tenant's plan; GET /v1/usage shows the usage and the limits`,
      { headers: { 'retry-after': String(refusal.retryAfterSeconds) }, extensions: { limit: refusal.limit } },
    );
  }
  const why =
    refusal.rule === 'blocked-prefix'
      ? 'The number is on the platform block list (satellite, international network or premium rate)'
      : `The number's country${refusal.country ? ` (${refusal.country})` : ''} is not in settings.sms.allowedDestinationCountries`;
  return new HttpError('destination-not-allowed', why, { errors: [{ path: '$.contactId', message: why }] });
}

const dailyCapReached = (cap: number, retryAfterSeconds: number) =>
  new HttpError(
    'survey-daily-cap-reached',
    `The tenant's settings allow ${cap} surveys a day (settings.surveys.dailyCap, tenant-local day), ad hoc ones included`,
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  );

const alreadySurveyed = (surveyId: string) =>
  conflict('The contact already has a survey; a contact is surveyed once', 'survey-exists', { surveyId });
