import { ConnectInstanceTaken, SmsNumberTaken, getSettings, replaceSettings } from '../../shared/data/tenants-repo';
import { applySettingsPatch, connectInstanceChanges, smsNumberChanges } from '../../shared/domain/settings';
import { type AuditContext, changedFieldPaths, newAuditEntry } from '../../shared/domain/audit';
import { auditContextOf } from '../../shared/http/audit';
import { checkOptionalIfMatch, etagOf } from '../../shared/http/etag';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { HttpError, conflict, notFound } from '../../shared/http/problem';
import type { RequestOf } from '../../shared/http/operation';
import type { Settings } from '../../shared/schemas/settings';
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
    const current = await currentSettings(request.tenantId);
    checkOptionalIfMatch(request.headers['if-match'], current.version);
    const next = applySettingsPatch(current, request.body, new Date().toISOString());
    await checkSurveyRules(request.tenantId, request.body, next);
    if (!(await writeSettings(request.tenantId, current, next, auditContextOf(request)))) {
      throw conflict('The settings were changed by another request at the same time; read them and try again');
    }
    return { status: 200, headers: { etag: etagOf(next.version) }, body: next };
  },
}, { requestLimit: tenantRequestLimit });

/** Survey rules must name an active template of the tenant; checked when a change touches which template or whether surveys run. */
async function checkSurveyRules(tenantId: string, patch: RequestOf<typeof settingsRoutes, 'updateSettings'>['body'], next: Settings): Promise<void> {
  if (patch.surveys?.templateId === undefined && patch.surveys?.enabled === undefined) return;
  const templateId = next.surveys.templateId;
  const template = templateId && looksLikeId('svt', templateId) ? await getSurveyTemplate(tenantId, templateId) : undefined;
  const errors = surveyRulesIssues(next.surveys, template);
  if (errors.length > 0) {
    throw new HttpError(422, 'invalid-survey-rules', 'Unprocessable request', 'The survey rules cannot use that template; nothing was changed', errors);
  }
}

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

async function writeSettings(tenantId: string, current: Settings, next: Settings, context: AuditContext): Promise<boolean> {
  try {
    const audit = settingsAudit(tenantId, current, next, context);
    return await replaceSettings(tenantId, next, current.version, connectInstanceChanges(current, next), smsNumberChanges(current, next), audit);
  } catch (error) {
    if (error instanceof SmsNumberTaken) {
      throw new HttpError(
        409,
        'sms-number-taken',
        'Conflict',
        `The SMS number ${error.phoneNumber} is already connected to another Switchboard tenant; nothing was changed`,
        [{ path: '$.sms.originationIdentity', message: 'Connected to another tenant' }],
      );
    }
    if (!(error instanceof ConnectInstanceTaken)) throw error;
    // Which tenant holds it is that tenant's business; the instance is named, the tenant is not.
    throw new HttpError(
      409,
      'connect-instance-taken',
      'Conflict',
      `The Amazon Connect instance ${error.instanceArn} is already connected to another Switchboard tenant; nothing was changed`,
      [{ path: `$.connect.instanceArns[${next.connect.instanceArns.indexOf(error.instanceArn)}]`, message: 'Connected to another tenant' }],
    );
  }
}
