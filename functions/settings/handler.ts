import { getOperatorTenant, getSettings, replaceSettings } from '../../shared/data/tenants-repo';
import { applySettingsPatch, connectInstanceChanges } from '../../shared/domain/settings';
import { settingsAllocationIssues } from '../../shared/domain/allocations';
import { type AuditContext, changedFieldPaths, newAuditEntry } from '../../shared/domain/audit';
import { auditContextOf } from '../../shared/http/audit';
import { checkOptionalIfMatch, etagOf } from '../../shared/http/etag';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { HttpError, conflict, notFound } from '../../shared/http/problem';
import type { RequestOf } from '../../shared/http/operation';
import type { Settings } from '../../shared/schemas/settings';
import type { Allocations } from '../../shared/schemas/operator';
import { getSurveyTemplate } from '../../shared/data/survey-templates-repo';
import { looksLikeId } from '../../shared/ids';
import { surveyRulesIssues } from '../../shared/domain/surveys/rules';
import { settingsRoutes } from '../../shared/http/routes/settings';

async function currentSettings(tenantId: string) {
  const settings = await getSettings(tenantId);
  if (!settings) throw notFound('The tenant has no settings');
  return settings;
}

export const handler = createApiHandler('settings', settingsRoutes, {
  async getSettings(request) {
    const settings = await currentSettings(request.tenantId);
    return { status: 200, headers: { etag: etagOf(settings.version) }, body: settings };
  },

  async updateSettings(request) {
    const [current, tenant] = await Promise.all([currentSettings(request.tenantId), getOperatorTenant(request.tenantId)]);
    if (!tenant) throw notFound('The tenant no longer exists');
    checkOptionalIfMatch(request.headers['if-match'], current.version);
    const next = applySettingsPatch(current, request.body, new Date().toISOString());
    await checkSurveyRules(request.tenantId, request.body, next);
    checkAllocations(current, next, tenant.allocations);
    const audit = settingsAudit(request.tenantId, current, next, auditContextOf(request));
    if (!(await replaceSettings(request.tenantId, next, current.version, tenant.version, connectInstanceChanges(current, next), audit))) {
      throw conflict('The settings were changed by another request at the same time; read them and try again');
    }
    return { status: 200, headers: { etag: etagOf(next.version) }, body: next };
  },
}, { requestLimit: tenantRequestLimit });

/**
 * The change's audit entry: the paths whose value the patch changed, compared with the stored
 * settings as an empty patch reads them (so defaults filled in for older tenants are no change).
 * A patch that changes no value records no entry: nothing changed.
 */
function settingsAudit(tenantId: string, current: Settings, next: Settings, context: AuditContext) {
  const before = applySettingsPatch(current, {}, next.updatedAt);
  const changedFields = changedFieldPaths(before, next, ['version', 'updatedAt']);
  if (changedFields.length === 0) return undefined;
  return newAuditEntry(tenantId, context, { action: 'settings.changed', target: { type: 'settings' }, summary: { changedFields }, at: next.updatedAt });
}

/** Survey rules must name an active template of the tenant; checked when a change touches which template or whether surveys run. */
async function checkSurveyRules(tenantId: string, patch: RequestOf<typeof settingsRoutes, 'updateSettings'>['body'], next: Settings): Promise<void> {
  if (patch.surveys?.templateId === undefined && patch.surveys?.enabled === undefined) return;
  const templateId = next.surveys.templateId;
  const template = templateId && looksLikeId('svt', templateId) ? await getSurveyTemplate(tenantId, templateId) : undefined;
  const errors = surveyRulesIssues(next.surveys, template);
  if (errors.length > 0) {
    throw new HttpError('invalid-survey-rules', 'The survey rules cannot use that template; nothing was changed', { errors });
  }
}

/** Settings choose only among what the operator allocated to the tenant (shared/domain/allocations.ts). */
function checkAllocations(current: Settings, next: Settings, allocations: Allocations): void {
  const errors = settingsAllocationIssues(current, next, allocations);
  if (errors.length === 0) return;
  throw new HttpError(
    'not-allocated',
    'The settings name an SMS sender, configuration set, opt-out list or Amazon Connect instance the operator has not allocated to this tenant, or turn SMS surveys on without a sender; nothing was changed',
    { errors },
  );
}
