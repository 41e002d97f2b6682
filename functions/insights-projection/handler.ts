import { syncCaseBacklog } from '../../shared/data/case-backlog-repo';
import { getCase } from '../../shared/data/cases-repo';
import { putSurveyCase, putSurveyWords } from '../../shared/data/survey-words-repo';
import { getSurvey } from '../../shared/data/surveys-repo';
import { insightEvents } from '../../shared/domain/analytics/insight-events';
import { finishedAtOf, wordsOf } from '../../shared/domain/analytics/survey-words';
import { createEventConsumer } from '../../shared/events/consumer';
import { logger } from '../../shared/observability';

const consumerName = 'insights-projection';

/**
 * Keeps the projections the console's insight pages read (docs/developers/data-model.md, "Case
 * backlog" and "Survey words"): each case event brings the case's place in the backlog up to the
 * case as it is now; each finished survey with words is listed. Both are safe under repeated and
 * reordered delivery (the case version and the fixed key say why).
 */
export const handler = createEventConsumer(consumerName, insightEvents, async (event) => {
  const { tenantId } = event.detail;
  switch (event.detailType) {
    case 'Case Opened':
    case 'Case Status Changed':
    case 'Case SLA Deadlines Changed': {
      const { caseId } = event.detail.data;
      const outcome = await syncCaseBacklog(tenantId, caseId, async () => (await getCase(tenantId, caseId))?.case);
      logger.info('Case backlog', { outcome });
      if (event.detailType === 'Case Opened') {
        // The survey a case follows up never changes: its opening names it once.
        const opened = (await getCase(tenantId, caseId))?.case;
        if (opened?.surveyId) await putSurveyCase(tenantId, opened.surveyId, caseId);
      }
      return;
    }
    case 'Survey Completed':
    case 'Survey Expired': {
      // The survey as stored: events never carry free text.
      const survey = await getSurvey(tenantId, event.detail.data.surveyId);
      const finishedAt = survey && finishedAtOf(survey);
      if (!survey || !finishedAt || wordsOf(survey.answers).length === 0) {
        logger.info('Survey words', { outcome: 'no words' });
        return;
      }
      await putSurveyWords(tenantId, survey.surveyId, finishedAt);
      logger.info('Survey words', { outcome: 'listed' });
      return;
    }
  }
});
