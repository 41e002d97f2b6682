import { syncCaseBacklog } from '../data/case-backlog-repo';
import { getCase, listCases } from '../data/cases-repo';
import { putSurveyWords } from '../data/survey-words-repo';
import { listSurveys } from '../data/surveys-repo';
import { backlogStatuses } from '../domain/analytics/case-backlog';
import { finishedAtOf, wordsOf } from '../domain/analytics/survey-words';

type Key = Record<string, unknown>;

/**
 * Brings a tenant's items from before the insights projection into it: each unresolved case
 * (the status lists, C7) is synced exactly as its next event would sync it, and each finished
 * survey with words (the survey list, SV5) is listed. Safe to run while events flow and to run
 * again: a case already projected at its version changes nothing, a listed survey's key is fixed.
 * A batch job, not a request path: it reads the tenant's unresolved cases and every survey once.
 */
export async function backfillInsights(tenantId: string, report: (line: string) => void = () => {}): Promise<{ cases: number; surveys: number }> {
  let cases = 0;
  for (const status of backlogStatuses) {
    let startKey: Key | undefined;
    do {
      const page = await listCases(tenantId, { status }, 100, startKey);
      for (const listed of page.items) {
        const outcome = await syncCaseBacklog(tenantId, listed.caseId, async () => (await getCase(tenantId, listed.caseId))?.case);
        if (outcome === 'written') cases++;
      }
      startKey = page.lastKey;
    } while (startKey);
    report(`${status}: done`);
  }
  let surveys = 0;
  let startKey: Key | undefined;
  do {
    const page = await listSurveys(tenantId, {}, 100, startKey);
    for (const survey of page.items) {
      const finishedAt = finishedAtOf(survey);
      if (!finishedAt || wordsOf(survey.answers).length === 0) continue;
      await putSurveyWords(tenantId, survey.surveyId, finishedAt);
      surveys++;
    }
    startKey = page.lastKey;
  } while (startKey);
  report(`surveys with words: ${surveys}`);
  return { cases, surveys };
}
