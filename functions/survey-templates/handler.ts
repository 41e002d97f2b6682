import {
  StaleSurveyTemplate,
  SurveyTemplateInUse,
  archiveSurveyTemplate,
  getSurveyTemplate,
  getSurveyTemplateVersion,
  insertSurveyTemplate,
  listSurveyTemplates,
  saveSurveyTemplateVersion,
  surveyTemplateKeys,
} from '../../shared/data/survey-templates-repo';
import { getTenantWithSettings } from '../../shared/data/tenants-repo';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { checkOptionalIfMatch, etagOf, requireIfMatch } from '../../shared/http/etag';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { withIdempotency } from '../../shared/http/idempotency';
import { conflict, notFound, preconditionFailed, validationFailed } from '../../shared/http/problem';
import { looksLikeId, newId } from '../../shared/ids';
import type { SurveyTemplate } from '../../shared/schemas/survey-template';
import { resolveSurveyRules } from '../../shared/domain/surveys/rules';
import { templateSmsSegments } from '../../shared/domain/surveys/sms-segments';
import { jsonPath } from '../../shared/domain/surveys/template';
import { ArchivedTemplate, InvalidTemplate, newSurveyTemplate, nextTemplateVersion } from '../../shared/domain/surveys/versions';
import { surveyTemplateRoutes } from '../../shared/http/routes/survey-templates';

export const handler = createApiHandler(
  'survey-templates', surveyTemplateRoutes,
  {
    async createSurveyTemplate(request) {
      const template = domainRule(() =>
        newSurveyTemplate(request.body, { templateId: newId('svt'), now: new Date().toISOString() }),
      );
      await insertSurveyTemplate(request.tenantId, template);
      return {
        status: 201,
        headers: { location: `/v1/survey-templates/${template.templateId}`, etag: etagOf(template.version) },
        body: (await smsCosts(request.tenantId))(template),
      };
    },

    async getSurveyTemplate(request) {
      const { tenantId, params, query } = request;
      const current = await currentTemplate(tenantId, params.templateId);
      const shown =
        query.version === undefined || query.version === current.currentVersion
          ? current
          : await getSurveyTemplateVersion(tenantId, params.templateId, query.version);
      if (!shown) throw notFound(`The template has no version ${query.version}; its current version is ${current.currentVersion}`);
      return { status: 200, headers: { etag: etagOf(shown.version) }, body: (await smsCosts(tenantId))(shown) };
    },

    async updateSurveyTemplate(request) {
      const { tenantId, params } = request;
      const current = await currentTemplate(tenantId, params.templateId);
      requireIfMatch(request.headers['if-match'], current.currentVersion);
      const next = domainRule(() => nextTemplateVersion(current, request.body, new Date().toISOString()));
      const withSmsCosts = await smsCosts(tenantId);
      if (!next) return { status: 200, headers: { etag: etagOf(current.version) }, body: withSmsCosts(current) };
      try {
        await saveSurveyTemplateVersion(tenantId, next, current.currentVersion);
      } catch (error) {
        if (error instanceof StaleSurveyTemplate) throw preconditionFailed('The template changed while this request ran; read it again');
        throw error;
      }
      return { status: 200, headers: { etag: etagOf(next.version) }, body: withSmsCosts(next) };
    },

    async archiveSurveyTemplate(request) {
      const { tenantId, params } = request;
      const current = await currentTemplate(tenantId, params.templateId);
      checkOptionalIfMatch(request.headers['if-match'], current.currentVersion);
      if (current.status === 'archived') return { status: 204 };
      try {
        await archiveSurveyTemplate(tenantId, current.templateId, current.currentVersion, new Date().toISOString());
      } catch (error) {
        if (error instanceof SurveyTemplateInUse) {
          throw conflict(
            'The survey rules (settings.surveys.templateId) use this template; choose another template there first',
            'survey-template-in-use',
          );
        }
        if (error instanceof StaleSurveyTemplate) {
          const now = await getSurveyTemplate(tenantId, current.templateId);
          if (now?.status === 'archived') return { status: 204 };
          throw preconditionFailed('The template changed while this request ran; read it again');
        }
        throw error;
      }
      return { status: 204 };
    },

    async listSurveyTemplates(request) {
      const { tenantId, query } = request;
      const startKey = decodeCursor(query.cursor, tenantId, surveyTemplateKeys.all(tenantId));
      const page = await listSurveyTemplates(tenantId, query.status, query.limit, startKey);
      const withSmsCosts = await smsCosts(tenantId);
      return { status: 200, body: { items: page.items.map(withSmsCosts), nextCursor: encodeCursor(page.lastKey) } };
    },
  },
  { idempotency: withIdempotency, requestLimit: tenantRequestLimit },
);

async function currentTemplate(tenantId: string, templateId: string): Promise<SurveyTemplate> {
  const template = looksLikeId('svt', templateId) ? await getSurveyTemplate(tenantId, templateId) : undefined;
  if (!template) throw notFound('No such survey template');
  return template;
}

/**
 * Adds what each SMS of a template costs for this tenant: its display name fills {company}, its
 * rules say whether the first SMS carries the web link and how many segments a message may take.
 */
async function smsCosts(tenantId: string) {
  const tenant = await getTenantWithSettings(tenantId);
  if (!tenant) throw new Error('The tenant of an authorized request is missing');
  const rules = resolveSurveyRules(tenant.settings.surveys);
  const options = {
    company: tenant.settings.branding.displayName,
    maxSegmentsPerMessage: rules.maxSegmentsPerMessage,
    // This function may not know the deployment's address; a link of a typical length is counted then.
    ...(rules.smsWebLink && { webLinkBaseUrl: process.env.PUBLIC_BASE_URL ?? typicalPublicBaseUrl }),
  };
  return (template: SurveyTemplate) => ({ ...template, sms: templateSmsSegments(template, options) });
}

const typicalPublicBaseUrl = 'https://api.example.com';

function domainRule<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof InvalidTemplate) throw validationFailed(error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message })));
    if (error instanceof ArchivedTemplate) throw conflict('The template is archived; create a new template instead', 'survey-template-archived');
    throw error;
  }
}
