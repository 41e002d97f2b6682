import { ConnectInstanceTaken, getSettings, replaceSettings } from '../../shared/data/tenants-repo';
import { applySettingsPatch, connectInstanceChanges } from '../../shared/domain/settings';
import { checkOptionalIfMatch, etagOf } from '../../shared/http/etag';
import { createApiHandler, type TenantRequest } from '../../shared/http/handler';
import { HttpError, conflict, notFound } from '../../shared/http/problem';
import type { Settings, SettingsPatch } from '../../shared/schemas/settings';

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
    if (!(await writeSettings(request.tenantId, current, next))) {
      throw conflict('The settings were changed by another request at the same time; read them and try again');
    }
    return { status: 200, headers: { etag: etagOf(next.version) }, body: next };
  },
});

async function writeSettings(tenantId: string, current: Settings, next: Settings): Promise<boolean> {
  try {
    return await replaceSettings(tenantId, next, current.version, connectInstanceChanges(current, next));
  } catch (error) {
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
