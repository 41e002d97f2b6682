import { CustomerNotFound, insertCaseOnce } from '../../shared/data/cases-repo';
import { processedMarkerPut } from '../../shared/data/processed-events';
import { getSettings } from '../../shared/data/tenants-repo';
import { openCase } from '../../shared/domain/case';
import { createEventConsumer } from '../../shared/events/consumer';
import { surveyAnswered } from '../../shared/events/survey-events';
import { newId } from '../../shared/ids';
import { MetricUnit, logger, metrics } from '../../shared/observability';
import type { Severity } from '../../shared/schemas/case';
import { resolveSurveyRules } from '../../shared/domain/surveys/rules';
import { caseContextOf } from '../../shared/services/case-context';

/**
 * The closed loop: a CSAT or NPS answer at or below the tenant's threshold opens a complaint case
 * (category "service recovery") linked to the contact, with its SLA, so someone calls the customer
 * back. Once per survey, whichever low answer comes first and however often it is delivered: a
 * marker keyed by the survey id is written in the case's transaction.
 */
const consumerName = 'survey-recovery';
export const recoveryCategory = 'service recovery';

export type LowScore = { type: 'csat' | 'nps'; value: number };

/** The low score an answer is, if it is one: CSAT ≤ thresholds.csat, NPS ≤ thresholds.nps (a null threshold is off). */
export function lowScoreOf(questionType: string, value: unknown, thresholds: { csat: number | null; nps: number | null }): LowScore | undefined {
  if (typeof value !== 'number') return undefined;
  if (questionType === 'csat' && thresholds.csat !== null && value <= thresholds.csat) return { type: 'csat', value };
  if (questionType === 'nps' && thresholds.nps !== null && value <= thresholds.nps) return { type: 'nps', value };
  return undefined;
}

/** The very unhappy (CSAT 1, NPS 0–3) are called back first. */
export const recoverySeverity = (score: LowScore): Severity => ((score.type === 'csat' ? score.value <= 1 : score.value <= 3) ? 'high' : 'medium');

export const recoverySubject = (score: LowScore, contactId: string) =>
  `Low ${score.type === 'csat' ? 'CSAT' : 'NPS'} (${score.value}/${score.type === 'csat' ? 5 : 10}) after contact ${contactId}`;

export type RecoveryOutcome = 'opened' | 'not-low' | 'already-opened' | 'no-customer';

export async function recoverFromAnswer(
  tenantId: string,
  answer: { surveyId: string; contactId: string; customerId?: string; agentId?: string; questionType: string; value?: number | boolean | null },
): Promise<RecoveryOutcome> {
  const settings = await getSettings(tenantId);
  if (!settings) return 'no-customer';
  const score = lowScoreOf(answer.questionType, answer.value, resolveSurveyRules(settings.surveys).lowScoreThresholds);
  if (!score) return 'not-low';
  if (!answer.customerId) {
    logger.warn('Low survey score without a customer; no case can be opened');
    return 'no-customer';
  }
  const now = new Date().toISOString();
  const change = openCase(
    {
      type: 'complaint',
      severity: recoverySeverity(score),
      category: recoveryCategory,
      subject: recoverySubject(score, answer.contactId),
      description: `Service recovery after survey ${answer.surveyId}${answer.agentId ? ` (agent ${answer.agentId})` : ''}: call the customer back.`,
      customerId: answer.customerId,
      contactIds: [answer.contactId],
      surveyId: answer.surveyId,
      agentId: answer.agentId,
    },
    { ...caseContextOf(tenantId, settings, 'system', now), caseId: newId('cas') },
  );
  const marker = processedMarkerPut(consumerName, tenantId, answer.surveyId, { attributes: { caseId: change.next.caseId } });
  try {
    if ((await insertCaseOnce(tenantId, change, marker)) === 'duplicate') return 'already-opened';
  } catch (error) {
    if (error instanceof CustomerNotFound) {
      logger.info('The survey’s customer is gone (erased); no recovery case');
      return 'no-customer';
    }
    throw error;
  }
  metrics.addMetric('ServiceRecoveryCasesOpened', MetricUnit.Count, 1);
  logger.info('Service recovery case opened', { caseId: change.next.caseId, scoreType: score.type });
  return 'opened';
}

export const handler = createEventConsumer(consumerName, [surveyAnswered], async ({ detail }) => {
  logger.appendKeys({ surveyId: detail.data.surveyId });
  const outcome = await recoverFromAnswer(detail.tenantId, detail.data);
  logger.info('Survey Answered handled', { outcome });
});
