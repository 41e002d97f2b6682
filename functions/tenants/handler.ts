import {
  allocateResource,
  getOperatorTenant,
  getSettings,
  getTenantWithSettings,
  insertAdminKeyForTenant,
  insertTenant,
  listOperatorTenants,
  releaseResource,
  setTenantState,
} from '../../shared/data/tenants-repo';
import { allocationList, canonicalResourceId, connectInstanceAccount, isAllocated, maxAllocationsPerKind, settingUsing } from '../../shared/domain/allocations';
import type { OperatorTenant, ResourceRef } from '../../shared/schemas/operator';
import { issueApiKey } from '../../shared/domain/api-key';
import { type AuditContext, newAuditEntry } from '../../shared/domain/audit';
import { auditContextOf } from '../../shared/http/audit';
import { newTenantRecords } from '../../shared/domain/tenant';
import { withIdempotency } from '../../shared/http/idempotency';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { HttpError, badRequest, conflict, notFound } from '../../shared/http/problem';
import { publicApiKey } from '../../shared/data/api-keys-repo';
import type { Settings } from '../../shared/schemas/settings';
import type { Tenant } from '../../shared/schemas/tenant';
import type { TenantProfile } from '../../shared/data/tenants-repo';
import { looksLikeId } from '../../shared/ids';
import { logger } from '../../shared/observability';
import { tenantRoutes } from '../../shared/http/routes/tenants';
import { operatorRoutes } from '../../shared/http/routes/operator';

const tenantView = (profile: TenantProfile, settings: Settings): Tenant => ({
  tenantId: profile.tenantId,
  name: profile.name,
  timezone: settings.timezone,
  locale: settings.locale,
  defaultCountry: settings.defaultCountry,
  plan: profile.plan,
  createdAt: profile.createdAt,
});

export const handler = createApiHandler('tenants', [...tenantRoutes, ...operatorRoutes], {
  async createTenant(request) {
    const now = new Date().toISOString();
    const { profile, settings, surveyTemplate } = newTenantRecords(request.body, now);
    const tenantId = profile.tenantId;
    const issued = issueApiKey(tenantId);
    const adminKey = { tenantId, keyId: issued.keyId, name: 'Initial admin key', scopes: ['admin' as const], secretHash: issued.secretHash, createdAt: now };
    const audit = newAuditEntry(tenantId, auditContextOf(request), {
      action: 'tenant.created',
      target: { type: 'tenant', id: tenantId },
      summary: { plan: profile.plan, adminKeyId: adminKey.keyId },
      at: now,
    });
    await insertTenant(profile, settings, { key: adminKey }, surveyTemplate, audit);
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
    return { status: 200, body: { ...tenantView(found.profile, found.settings), allocations: found.sendingRights.allocations } };
  },

  async listTenants(request) {
    const page = await listOperatorTenants(request.query.limit, decodeTenantCursor(request.query.cursor));
    return { status: 200, body: { items: page.items, ...(page.lastTenantId && { nextCursor: encodeTenantCursor(page.lastTenantId) }) } };
  },

  async getTenantForOperator(request) {
    return { status: 200, body: await operatorTenant(request.params.tenantId) };
  },

  async allocateResource(request) {
    const resource = canonical(request.body.resource);
    for (let attempt = 0; ; attempt++) {
      const tenant = await operatorTenant(request.params.tenantId);
      if (isAllocated(tenant.allocations, resource)) return { status: 200, body: tenant };
      refuseAllocation(tenant, resource);
      const settings = await tenantSettings(tenant.tenantId);
      const instanceListed = resource.kind === 'connect-instance' && (settings.connect?.instanceArns ?? []).includes(resource.id);
      const now = new Date().toISOString();
      const audit = newAuditEntry(tenant.tenantId, auditContextOf(request), {
        action: 'allocation.granted',
        target: { type: 'allocation', id: resource.id },
        summary: { kind: resource.kind, resourceId: resource.id },
        at: now,
      });
      const written = await allocateResource(tenant, resource, { version: settings.version, instanceListed }, now, audit);
      if (written === 'taken') {
        // Which tenant holds it is that tenant's business: the resource is named, the holder is not.
        throw new HttpError('resource-taken', `${resource.id} is allocated to another tenant; nothing was changed`, {
          errors: [{ path: '$.resource.id', message: 'Allocated to another tenant' }],
        });
      }
      if (written === 'written') {
        logger.info('Resource allocated', { tenantId: tenant.tenantId, kind: resource.kind });
        return { status: 200, body: await operatorTenant(tenant.tenantId) };
      }
      if (attempt >= 2) throw conflict('The tenant changed while allocating; try again');
    }
  },

  async releaseResource(request) {
    const resource = canonical(request.body.resource);
    for (let attempt = 0; ; attempt++) {
      const tenant = await operatorTenant(request.params.tenantId);
      if (!isAllocated(tenant.allocations, resource)) return { status: 200, body: tenant };
      const settings = await tenantSettings(tenant.tenantId);
      const setting = settingUsing(settings, resource);
      if (setting) {
        throw new HttpError('resource-in-use', `The tenant's settings still use ${resource.id} (${setting}); its admin changes that setting first. Nothing was changed`, {
          errors: [{ path: '$.resource.id', message: `Used by the tenant's setting ${setting}` }],
        });
      }
      const instances = resource.kind === 'connect-account' ? tenant.allocations.connectInstances.filter((arn) => connectInstanceAccount(arn) === resource.id) : [];
      if (instances.length > 0) {
        throw new HttpError('resource-in-use', `Amazon Connect instances of account ${resource.id} are still registered to the tenant; release them first. Nothing was changed`, {
          errors: [{ path: '$.resource.id', message: `Instances still registered: ${instances.join(', ')}` }],
        });
      }
      const audit = newAuditEntry(tenant.tenantId, auditContextOf(request), {
        action: 'allocation.released',
        target: { type: 'allocation', id: resource.id },
        summary: { kind: resource.kind, resourceId: resource.id },
        at: new Date().toISOString(),
      });
      const written = await releaseResource(tenant, resource, settings.version, audit);
      if (written === 'written') {
        logger.info('Resource released', { tenantId: tenant.tenantId, kind: resource.kind });
        return { status: 200, body: await operatorTenant(tenant.tenantId) };
      }
      if (attempt >= 2) throw conflict('The tenant changed while releasing; try again');
    }
  },

  async suspendTenant(request) {
    return { status: 200, body: await changeTenantState(request.params.tenantId, 'suspended', auditContextOf(request), request.body.reason) };
  },

  async resumeTenant(request) {
    return { status: 200, body: await changeTenantState(request.params.tenantId, 'active', auditContextOf(request)) };
  },

  async issueAdminKey(request) {
    const tenantId = request.params.tenantId;
    const issued = issueApiKey(tenantId);
    const adminKey = { tenantId, keyId: issued.keyId, name: request.body.name, scopes: ['admin' as const], secretHash: issued.secretHash, createdAt: new Date().toISOString() };
    const audit = newAuditEntry(tenantId, auditContextOf(request), {
      action: 'api-key.created',
      target: { type: 'api-key', id: adminKey.keyId },
      summary: { scopes: adminKey.scopes },
      at: adminKey.createdAt,
    });
    if (!(await insertAdminKeyForTenant(adminKey, audit))) throw notFound('No such tenant');
    logger.info('Admin key issued by the operator', { tenantId, keyId: adminKey.keyId });
    return { status: 201, body: { tenantId, apiKey: { ...publicApiKey(adminKey), secret: issued.secret } } };
  },
}, { idempotency: withIdempotency, requestLimit: tenantRequestLimit });

async function operatorTenant(tenantId: string): Promise<OperatorTenant> {
  const tenant = await getOperatorTenant(tenantId);
  if (!tenant) throw notFound('No such tenant');
  return tenant;
}

async function tenantSettings(tenantId: string): Promise<Settings> {
  const settings = await getSettings(tenantId);
  if (!settings) throw notFound('No such tenant');
  return settings;
}

const canonical = (resource: ResourceRef): ResourceRef => ({ ...resource, id: canonicalResourceId(resource.kind, resource.id) }) as ResourceRef;

/** An allocation the tenant may not take, whoever holds the resource. */
function refuseAllocation(tenant: OperatorTenant, resource: ResourceRef): void {
  if (tenant.allocations[allocationList[resource.kind]].length >= maxAllocationsPerKind) {
    throw new HttpError('too-many-allocations', `A tenant holds at most ${maxAllocationsPerKind} resources of one kind; nothing was changed`, {
      errors: [{ path: '$.resource.kind', message: `At most ${maxAllocationsPerKind} of this kind` }],
    });
  }
  if (resource.kind === 'connect-instance') {
    const account = connectInstanceAccount(resource.id);
    if (!account || !tenant.allocations.connectAccounts.includes(account)) {
      throw new HttpError('connect-account-not-registered', `Register the instance's AWS account ${account ?? ''} to the tenant first; nothing was changed`, {
        errors: [{ path: '$.resource.id', message: "The instance's AWS account is not registered to this tenant" }],
      });
    }
  }
}

/** Suspends or resumes; doing it again changes nothing (the first suspension's reason and time stay). */
async function changeTenantState(tenantId: string, state: 'active' | 'suspended', context: AuditContext, reason?: string): Promise<OperatorTenant> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const tenant = await operatorTenant(tenantId);
    if (tenant.state === state) return tenant;
    const now = new Date().toISOString();
    const suspension = state === 'suspended' ? { reason: reason ?? '', suspendedAt: now } : undefined;
    const audit = suspension
      ? newAuditEntry(tenantId, context, { action: 'tenant.suspended', target: { type: 'tenant', id: tenantId }, summary: { reason: suspension.reason }, at: now })
      : newAuditEntry(tenantId, context, { action: 'tenant.resumed', target: { type: 'tenant', id: tenantId }, summary: {}, at: now });
    if (await setTenantState(tenant, state, suspension, audit)) {
      logger.info(state === 'suspended' ? 'Tenant suspended' : 'Tenant resumed', { tenantId });
      return operatorTenant(tenantId);
    }
  }
  throw conflict('The tenant changed at the same time; try again');
}

/** The operator list's cursor: the last tenant id read, opaque to the client. */
const encodeTenantCursor = (tenantId: string) => Buffer.from(JSON.stringify({ after: tenantId })).toString('base64url');

function decodeTenantCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const after = (decoded as { after?: unknown } | null)?.after;
    if (typeof after === 'string' && looksLikeId('ten', after)) return after;
  } catch {
    // answered below
  }
  throw badRequest('The cursor is not valid for this list; start again without it');
}
