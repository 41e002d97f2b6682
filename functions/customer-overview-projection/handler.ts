import {
  contactItems,
  deleteProjection,
  deleteProjectionItems,
  putCaseSummary,
  putContactSummary,
  putLatestSurvey,
  recordReferral,
  referralItems,
} from '../../shared/data/customer-overview-repo';
import { getCase } from '../../shared/data/cases-repo';
import { getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { getSurvey } from '../../shared/data/surveys-repo';
import { contactItemsToTrim, convertedReferralsToTrim, surveyWords } from '../../shared/domain/customer-overview';
import { type ProjectedDetailType, projectedEvents } from '../../shared/domain/customer-overview-events';
import { type CatalogEvent, createEventConsumer } from '../../shared/events/consumer';
import { logger } from '../../shared/observability';
import type { SurveyScores } from '../../shared/schemas/customer-overview';
import { surveyScores } from '../../shared/domain/surveys/scores';

const consumerName = 'customer-overview-projection';

/**
 * Keeps each customer's overview projection (docs/developers/data-model.md, "Customer overview") so that
 * GET /v1/customers/{customerId}/overview is one Query. Safe under repeated and reordered delivery:
 * each write carries its own guard (shared/data/customer-overview-repo.ts says which).
 */
export const handler = createEventConsumer(consumerName, projectedEvents, async (event) => {
  const { tenantId } = event.detail;
  const outcome = await project(tenantId, event);
  logger.info('Overview projection', { outcome });
});

async function project(tenantId: string, event: CatalogEvent<ProjectedDetailType>): Promise<string> {
  switch (event.detailType) {
    case 'Contact Opened':
    case 'Contact Closed': {
      const contact = event.detail.data;
      if (!contact.customerId) return 'no customer';
      const written = await putContactSummary(tenantId, contact.customerId, contact);
      await deleteProjectionItems(tenantId, contact.customerId, contactItemsToTrim(await contactItems(tenantId, contact.customerId)));
      return written ? 'written' : 'kept';
    }
    case 'Case Opened':
    case 'Case Status Changed':
    case 'Case SLA Deadlines Changed':
    case 'Case SLA Breached': {
      // The case as it is now, not as the event describes it: no event carries every field the
      // overview shows (assignee and met times change without one), and the version orders them.
      const stored = await getCase(tenantId, event.detail.data.caseId);
      if (!stored || stored.case.customerId !== event.detail.data.customerId) return 'no case';
      return (await putCaseSummary(tenantId, stored.case.customerId, stored.case)) ? 'written' : 'kept';
    }
    case 'Referral Made':
    case 'Referral Converted':
    case 'Referral Lost': {
      const referral = event.detail.data;
      if (!referral.customerId) return 'no customer';
      const facts = {
        referralId: referral.referralId,
        contactId: referral.contactId,
        product: referral.product,
        referredBy: referral.referredBy,
        assignedTo: referral.assignedTo,
      };
      if ('madeAt' in referral) return (await recordReferral(tenantId, referral.customerId, facts, { madeAt: referral.madeAt })) ? 'written' : 'kept';
      if ('lostAt' in referral) {
        return (await recordReferral(tenantId, referral.customerId, facts, { status: 'lost', settledAt: referral.lostAt })) ? 'written' : 'kept';
      }
      const written = await recordReferral(tenantId, referral.customerId, facts, {
        status: 'converted',
        value: referral.value,
        settledAt: referral.convertedAt,
      });
      await deleteProjectionItems(tenantId, referral.customerId, convertedReferralsToTrim(await referralItems(tenantId, referral.customerId)));
      return written ? 'written' : 'kept';
    }
    case 'Survey Completed': {
      const survey = event.detail.data;
      if (!survey.customerId) return 'no customer';
      const answered = await answersOf(tenantId, survey.surveyId);
      const written = await putLatestSurvey(tenantId, survey.customerId, {
        surveyId: survey.surveyId,
        contactId: survey.contactId,
        completedAt: survey.completedAt,
        templateId: survey.templateId,
        templateVersion: survey.templateVersion,
        scores: survey.scores ?? answered.scores,
        words: answered.words,
      });
      return written ? 'written' : 'kept';
    }
    case 'Customer Erased':
      return `deleted ${await deleteProjection(tenantId, event.detail.data.customerId)}`;
  }
}

/**
 * The stored answers' scores (for a completion published without them, the web page's) and the
 * customer's own words (no event carries free text), from the survey and its template version.
 */
async function answersOf(tenantId: string, surveyId: string): Promise<{ scores: SurveyScores; words: string[] }> {
  const survey = await getSurvey(tenantId, surveyId);
  if (!survey || survey.templateId === undefined || survey.templateVersion === undefined) return { scores: {}, words: [] };
  const template = await getSurveyTemplateVersion(tenantId, survey.templateId, survey.templateVersion);
  return template ? { scores: surveyScores(template, survey.answers), words: surveyWords(template, survey.answers) } : { scores: {}, words: [] };
}
