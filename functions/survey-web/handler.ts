import { StaleSurvey, findSurveyByTokenHash, getSurvey, saveSurveyAnswers } from '../../shared/data/surveys-repo';
import { getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { getTenantWithSettings } from '../../shared/data/tenants-repo';
import type { DomainEvent } from '../../shared/events/catalog';
import { newEvent } from '../../shared/events/events';
import { surveyAnswered, surveyCompleted } from '../../shared/events/survey-events';
import { dynamoWindowCounter } from '../../shared/data/rate-limit-repo';
import { createPageHandler } from '../../shared/http/handler';
import type { PageRequestOf, PageResult, RouteNamed } from '../../shared/http/operation';
import { surveyClientOf, surveyLinkGuard } from '../../shared/http/rate-limit';
import { MetricUnit, logger, metrics } from '../../shared/observability';
import type { Survey } from '../../shared/schemas/survey';
import type { Question, SurveyTemplate } from '../../shared/schemas/survey-template';
import { isSurveyTokenFormat, recordAnswer, surveyRef, surveyTokenHash } from '../../shared/domain/surveys/survey';
import { type AnswerValue, isAsked, validateAnswer } from '../../shared/domain/surveys/template';
import { surveyScores } from '../../shared/domain/surveys/scores';
import {
  type AnswerProblem,
  type PageBranding,
  type PageLanguage,
  answerProblemText,
  renderLinkProblem,
  renderNeutralPage,
  renderSurveyForm,
  renderThankYou,
} from '../../shared/http/survey-page';
import { surveyWebRoutes } from '../../shared/http/routes/survey-web';

/** newSurveyToken: 32 random bytes in base64url. Anything else is not a link we made: no lookup. */

type SurveyPage = 'showSurveyPage' | 'submitSurveyPage';
/** What either page may answer, whichever it is. */
type EitherPageResult = PageResult<RouteNamed<typeof surveyWebRoutes, SurveyPage>>;

interface OpenLink {
  state: 'open';
  tenantId: string;
  survey: Survey;
  template: SurveyTemplate;
  language: PageLanguage;
  branding: PageBranding;
}

type Link = OpenLink | { state: 'used' | 'expired'; language: PageLanguage; branding: PageBranding } | { state: 'unknown' };

/**
 * The survey behind a link, by the SHA-256 of its token. A completed survey makes the link used
 * (its one submission records every question); a link past its expiry, or a survey the expiry
 * timer closed, is expired.
 */
async function openLink(token: string): Promise<Link> {
  if (!isSurveyTokenFormat(token)) return { state: 'unknown' };
  const link = await findSurveyByTokenHash(surveyTokenHash(token));
  if (!link) return { state: 'unknown' };
  logger.appendKeys({ tenantId: link.tenantId, surveyId: link.surveyId });
  const [survey, tenant] = await Promise.all([getSurvey(link.tenantId, link.surveyId), getTenantWithSettings(link.tenantId)]);
  if (!survey || !tenant || !survey.templateId || !survey.templateVersion) return { state: 'unknown' };
  const template = await getSurveyTemplateVersion(link.tenantId, survey.templateId, survey.templateVersion);
  if (!template) throw new Error('The survey’s template version is missing');
  const language = survey.language ?? template.defaultLanguage;
  const branding = { company: tenant.settings.branding.displayName, colour: tenant.settings.branding.colour };
  if (survey.status === 'completed') return { state: 'used', language, branding };
  if (survey.status === 'expired' || Date.now() >= Date.parse(link.linkExpiresAt)) return { state: 'expired', language, branding };
  if (survey.status !== 'sent' && survey.status !== 'in_progress') return { state: 'unknown' };
  return { state: 'open', tenantId: link.tenantId, survey, template, language, branding };
}

/**
 * The questions the page asks: those not answered yet (by SMS, say), in template order. A
 * follow-up on an earlier answer is shown when that answer is on the page too (with a note on when
 * to answer it), or already recorded and matching; one on a question not asked is left out.
 */
function questionsToAsk(template: SurveyTemplate, answers: Survey['answers']): Question[] {
  const onPage: Question[] = [];
  for (const question of template.questions) {
    if (question.questionId in answers) continue;
    const showIf = question.showIf;
    const applies = !showIf || (showIf.questionId in answers ? isAsked(question, answers) : onPage.some((asked) => asked.questionId === showIf.questionId));
    if (applies) onPage.push(question);
  }
  return onPage;
}

function problemOf(question: Question, value: string | undefined): AnswerProblem {
  if (value === undefined || value.trim() === '') return 'missing';
  return question.type === 'freeText' && [...value.trim()].length > question.maxLength ? 'too-long' : 'invalid';
}

const guessGuard = surveyLinkGuard(dynamoWindowCounter);

/**
 * The link behind the request's token, unless its client has tried too many links that named no
 * open survey lately: then a 429 page, before any lookup, so a guess that would hit stays unanswered.
 */
async function guardedLink(request: PageRequestOf<typeof surveyWebRoutes, SurveyPage>): Promise<Link | EitherPageResult> {
  const client = surveyClientOf(request.sourceIp);
  const retryAfter = await guessGuard.blockedFor(client);
  if (retryAfter !== undefined) {
    return { status: 429, html: renderNeutralPage('busy', request.styleNonce), headers: { 'retry-after': String(retryAfter) } };
  }
  const link = await openLink(request.params.token);
  if (link.state === 'unknown' || link.state === 'expired') await guessGuard.recordMiss(client);
  return link;
}

function linkPage(link: Exclude<Link, OpenLink>, styleNonce: string): EitherPageResult {
  if (link.state === 'unknown') return { status: 404, html: renderNeutralPage('unknown', styleNonce) };
  return { status: 410, html: renderLinkProblem({ language: link.language, branding: link.branding, styleNonce, problem: link.state }) };
}

function formPage<Status extends 200 | 400 | 409>(
  link: OpenLink,
  styleNonce: string,
  status: Status,
  values?: Record<string, string>,
  errors?: Record<string, string>,
): { status: Status; html: string } {
  const html = renderSurveyForm({
    language: link.language,
    branding: link.branding,
    questions: questionsToAsk(link.template, link.survey.answers),
    answeredBefore: link.survey.answers,
    values,
    errors,
    styleNonce,
  });
  return { status, html };
}

export const handler = createPageHandler(
  'survey-web', surveyWebRoutes,
  {
    async showSurveyPage(request) {
      const link = await guardedLink(request);
      if ('html' in link) return link;
      return link.state === 'open' ? formPage(link, request.styleNonce, 200) : linkPage(link, request.styleNonce);
    },

    /**
     * Every question on the page is checked with validateAnswer; with any refused, nothing is
     * recorded and the form comes back (400) with the answers given and each error beside its
     * question. Otherwise the answers, one Survey Answered each and Survey Completed are saved in
     * one transaction, on the condition that the survey is still the version read: a second
     * submission (or an SMS reply) racing this one finds the link used.
     */
    async submitSurveyPage(request) {
      const link = await guardedLink(request);
      if ('html' in link) return link;
      if (link.state !== 'open') return linkPage(link, request.styleNonce);
      const form = request.form ?? {};
      const { survey, template, language, tenantId } = link;

      const answers: Record<string, AnswerValue | null> = { ...survey.answers } as Record<string, AnswerValue | null>;
      const given: { question: Question; value: AnswerValue | null }[] = [];
      const errors: Record<string, string> = {};
      for (const question of questionsToAsk(template, survey.answers)) {
        // A follow-up whose condition does not hold with the answers given is not asked: its field is ignored.
        if (!isAsked(question, answers)) continue;
        const check = validateAnswer(question, form[question.questionId]);
        if (!check.ok) {
          errors[question.questionId] = answerProblemText(question, problemOf(question, form[question.questionId]), language);
          continue;
        }
        answers[question.questionId] = check.value;
        given.push({ question, value: check.value });
      }
      if (Object.keys(errors).length > 0) return formPage(link, request.styleNonce, 400, form, errors);

      const now = new Date().toISOString();
      let after = survey;
      const events: DomainEvent[] = [];
      for (const { question, value } of given) {
        after = recordAnswer(after, template, question.questionId, value, now);
        events.push(
          newEvent(
            surveyAnswered,
            tenantId,
            { ...surveyRef(after), questionId: question.questionId, questionType: question.type, ...(question.type !== 'freeText' && { value: value as number | boolean | null }) },
            now,
          ),
        );
      }
      if (after.status === 'completed') {
        events.push(
          newEvent(
            surveyCompleted,
            tenantId,
            { ...surveyRef(after), templateId: after.templateId!, templateVersion: after.templateVersion!, completedAt: now, scores: surveyScores(template, after.answers) },
            now,
          ),
        );
      }
      try {
        await saveSurveyAnswers(tenantId, survey, after, events);
      } catch (error) {
        if (!(error instanceof StaleSurvey)) throw error;
        logger.info('The survey changed while the page was submitted; showing it as it is now');
        const current = await openLink(request.params.token);
        return current.state === 'open' ? formPage(current, request.styleNonce, 409) : linkPage(current, request.styleNonce);
      }
      metrics.addMetric('SurveyWebAnswers', MetricUnit.Count, given.length);
      if (after.status === 'completed') metrics.addMetric('SurveysCompleted', MetricUnit.Count, 1);
      return { status: 200 as const, html: renderThankYou({ language, branding: link.branding, styleNonce: request.styleNonce, thankYou: template.thankYou[language] }) };
    },
  },
  { errorPage: (status, styleNonce) => renderNeutralPage(status === 404 ? 'unknown' : 'error', styleNonce) },
);
