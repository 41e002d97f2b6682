import { CaseOpened, CaseSlaDeadlinesChanged, CaseStatusChanged } from '../../events/case-events';
import { surveyCompleted, surveyExpired } from '../../events/survey-events';

/**
 * Every event the insights projection keeps the case backlog and the survey words list from; the
 * `insights` subscription's pattern lists exactly their detail-types. A case's status and
 * deadlines change only with Case Status Changed or Case SLA Deadlines Changed (which every
 * opening, deadline move, first response, breach, resolution and reopening writes).
 */
export const insightEvents = [CaseOpened, CaseStatusChanged, CaseSlaDeadlinesChanged, surveyCompleted, surveyExpired] as const;
export type InsightDetailType = (typeof insightEvents)[number]['detailType'];
export const insightDetailTypes: readonly InsightDetailType[] = insightEvents.map((definition) => definition.detailType);
