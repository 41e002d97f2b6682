import { getTenantWithSettings, insertTenant } from '../../shared/data/tenants-repo';
import { issueApiKey } from '../../shared/domain/api-key';
import { newAuditEntry } from '../../shared/domain/audit';
import { auditContextOf } from '../../shared/http/audit';
import { defaultSettings } from '../../shared/domain/settings';
import { withIdempotency } from '../../shared/http/idempotency';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { notFound } from '../../shared/http/problem';
import { publicApiKey } from '../../shared/data/api-keys-repo';
import type { Settings } from '../../shared/schemas/settings';
import type { Tenant } from '../../shared/schemas/tenant';
import type { TenantProfile } from '../../shared/data/tenants-repo';
import { newId } from '../../shared/ids';
import { logger } from '../../shared/observability';
import { defaultTemplateContent } from '../../shared/domain/surveys/default-template';
import { newSurveyTemplate } from '../../shared/domain/surveys/versions';
import { tenantRoutes } from '../../shared/http/routes/tenants';

const tenantView = (profile: TenantProfile, settings: Settings): Tenant => ({
  tenantId: profile.tenantId,
  name: profile.name,
  timezone: settings.timezone,
  locale: settings.locale,
  defaultCountry: settings.defaultCountry,
  plan: profile.plan,
  createdAt: profile.createdAt,
});

export const handler = createApiHandler('tenants', tenantRoutes, {
  async createTenant(request) {
    const now = new Date().toISOString();
    const tenantId = newId('ten');
    const profile: TenantProfile = { tenantId, name: request.body.name, plan: request.body.plan, createdAt: now };
    const surveyTemplate = newSurveyTemplate(defaultTemplateContent(request.body.locale), { templateId: newId('svt'), now, isDefault: true });
    const settings = defaultSettings(request.body, now, surveyTemplate.templateId);
    const issued = issueApiKey(tenantId);
    const adminKey = { tenantId, keyId: issued.keyId, name: 'Initial admin key', scopes: ['admin' as const], secretHash: issued.secretHash, createdAt: now };
    const audit = newAuditEntry(tenantId, auditContextOf(request), {
      action: 'tenant.created',
      target: { type: 'tenant', id: tenantId },
      summary: { plan: profile.plan, adminKeyId: adminKey.keyId },
      at: now,
    });
    await insertTenant(profile, settings, adminKey, surveyTemplate, audit);
    logger.info('Tenant created', { tenantId });
    return {
      status: 201,
      headers: { location: '/v1/tenant' },
      body: { tenant: tenantView(profile, settings), apiKey: { ...publicApiKey(adminKey), secret: issued.secret } },
    };
  },

  async getOwnTenant(request) {
    const found = await getTenantWithSettings(request.tenantId);
    if (!found) throw notFound('The tenant no longer exists');
    return { status: 200, body: tenantView(found.profile, found.settings) };
  },
}, { idempotency: withIdempotency, requestLimit: tenantRequestLimit });
