import { getSettings, replaceSettings } from '../../shared/data/tenants-repo';
import { applySettingsPatch } from '../../shared/domain/settings';
import { checkOptionalIfMatch, etagOf } from '../../shared/http/etag';
import { createApiHandler, type TenantRequest } from '../../shared/http/handler';
import { conflict, notFound } from '../../shared/http/problem';
import type { SettingsPatch } from '../../shared/schemas/settings';

async function currentSettings(tenantId: string) {
  const settings = await getSettings(tenantId);
  if (!settings) throw notFound('The tenant has no settings');
  return settings;
}

export const handler = createApiHandler('settings', {
  async getSettings(request: TenantRequest) {
    const settings = await currentSettings(request.tenantId);
    return { status: 200, headers: { etag: etagOf(settings.version) }, body: settings };
  },

  async updateSettings(request: TenantRequest<SettingsPatch>) {
    const current = await currentSettings(request.tenantId);
    checkOptionalIfMatch(request.headers['if-match'], current.version);
    const next = applySettingsPatch(current, request.body, new Date().toISOString());
    if (!(await replaceSettings(request.tenantId, next, current.version))) {
      throw conflict('The settings were changed by another request at the same time; read them and try again');
    }
    return { status: 200, headers: { etag: etagOf(next.version) }, body: next };
  },
});
