import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { keys } from '../../../shared/data/keys';
import { localClientConfig } from '../../../infra/local/dynamodb';
import type { CrossTenantArea, Probe } from '../cross-tenant/area';
import { discoverAreas } from '../fuzz/route-requests';
import type { FaultyTwin } from '../faults';
import { api, createTenant, testDatabase } from '../twin';
import type { OpenApiDocument, Operation } from './document';

/**
 * The data one contract test file aims its requests at, seeded once: a tenant signed up through
 * the operator route with a key of each scope and a second admin key, the cross-tenant areas'
 * data for the file's operations (so that their probes, aimed at this tenant with its own key,
 * are valid requests), a tenant the operator routes act on, a suspended tenant and a tenant
 * that will be over its request limit.
 */
export interface Scenario {
  twin: FaultyTwin;
  /** The served document the requests are checked against. */
  document: OpenApiDocument;
  tenantId: string;
  keys: { admin: string; agent: string; readonly: string; otherAdmin: string };
  /** Keys of tenants in a state of their own. */
  suspendedKey: string;
  throttledKey: string;
  /** The tenant the operator routes are aimed at (not the one the tenant routes use). */
  operatedTenantId: string;
  /** A valid request for each tenant operation an area has a probe for, by operationId. */
  probes: Map<string, () => Probe>;
  /** The admin key of a tenant whose settings item is gone (made on first use). */
  withoutSettingsKey(): Promise<string>;
  /** A customer of the main tenant that was erased (made on first use). */
  erasedCustomerId(): Promise<string>;
}

const once = <T>(make: () => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
};

/** Deletes a tenant's settings item in DynamoDB: a state no request can bring about. */
async function deleteSettings(tenantId: string): Promise<void> {
  const { endpoint, tableName } = testDatabase();
  const client = new DynamoDBClient({ ...localClientConfig, endpoint });
  try {
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: marshall(keys.settings(tenantId)) }));
  } finally {
    client.destroy();
  }
}

async function scopedKey(twin: FaultyTwin, adminKey: string, scope: string): Promise<string> {
  const created = await api(twin.url, 'POST', '/v1/api-keys', { key: adminKey, body: { name: `Contract ${scope}`, scopes: [scope] } });
  if (created.status !== 201) throw new Error(`creating a ${scope} key answered ${created.status}: ${JSON.stringify(created.body)}`);
  return created.body.secret as string;
}

export async function seedScenario(twin: FaultyTwin, document: OpenApiDocument, operations: Operation[]): Promise<Scenario> {
  const main = await createTenant(twin, { name: 'Contract Co', plan: 'enterprise' });
  const admin = main.apiKey;
  const keys = {
    admin,
    agent: await scopedKey(twin, admin, 'agent'),
    readonly: await scopedKey(twin, admin, 'readonly'),
    otherAdmin: await scopedKey(twin, admin, 'admin'),
  };

  const wanted = new Set(operations.map((operation) => operation.operationId));
  const areas: CrossTenantArea[] = (await discoverAreas()).filter((area) => Object.keys(area.probes).some((id) => wanted.has(id)));
  const probes = new Map<string, () => Probe>();
  for (const area of areas) {
    const seeded = await area.seed(twin, admin);
    for (const [operationId, probe] of Object.entries(area.probes)) if (!probes.has(operationId)) probes.set(operationId, () => probe(seeded));
  }

  const operated = await createTenant(twin, { name: 'Operated Co' });
  const suspended = await createTenant(twin, { name: 'Suspended Co' });
  const suspension = await api(twin.url, 'POST', `/v1/operator/tenants/${suspended.tenant.tenantId}/suspend`, { key: twin.operatorKey, body: { reason: 'Contract test' } });
  if (suspension.status !== 200) throw new Error(`suspending answered ${suspension.status}: ${JSON.stringify(suspension.body)}`);
  const throttled = await createTenant(twin, { name: 'Throttled Co' });

  const scenario: Scenario = {
    twin,
    document,
    tenantId: main.tenant.tenantId,
    keys,
    suspendedKey: suspended.apiKey,
    throttledKey: throttled.apiKey,
    operatedTenantId: operated.tenant.tenantId,
    probes,
    withoutSettingsKey: once(async () => {
      const bare = await createTenant(twin, { name: 'Settingless Co' });
      await deleteSettings(bare.tenant.tenantId);
      return bare.apiKey;
    }),
    erasedCustomerId: once(async () => {
      const customerId = await freshCustomer(scenario);
      const erased = await api(twin.url, 'DELETE', `/v1/customers/${customerId}`, { key: admin });
      if (erased.status !== 204) throw new Error(`erasing answered ${erased.status}: ${JSON.stringify(erased.body)}`);
      return customerId;
    }),
  };
  return scenario;
}

/** A link survey of the main tenant, freshly made: its page path (`/s/<token>`). */
export async function linkSurveyPath(scenario: Scenario): Promise<string> {
  const { twin, keys } = scenario;
  const customer = await api(twin.url, 'POST', '/v1/customers', { key: keys.admin, body: { displayName: 'Link holder' } });
  const contact = await api(twin.url, 'POST', '/v1/contacts', {
    key: keys.admin,
    body: { channel: 'chat', direction: 'inbound', purpose: 'service', customerId: customer.body.customerId },
  });
  const closed = await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key: keys.admin, body: { outcome: 'resolved' } });
  const survey = await api(twin.url, 'POST', '/v1/surveys', { key: keys.admin, body: { contactId: contact.body.contactId, deliveryChannel: 'link' } });
  if (closed.status !== 200 || survey.status !== 201) throw new Error(`making a link survey answered ${closed.status}, ${survey.status}: ${JSON.stringify(survey.body)}`);
  return survey.body.linkPath as string;
}

/** A fresh customer of the main tenant; answers its id. */
export async function freshCustomer(scenario: Scenario, body: Record<string, unknown> = {}): Promise<string> {
  const created = await api(scenario.twin.url, 'POST', '/v1/customers', { key: scenario.keys.admin, body: { displayName: 'Contract customer', ...body } });
  if (created.status !== 201) throw new Error(`creating a customer answered ${created.status}: ${JSON.stringify(created.body)}`);
  return created.body.customerId as string;
}

/** A fresh open contact of the main tenant; answers its id. */
export async function freshContact(scenario: Scenario, body: Record<string, unknown> = {}): Promise<string> {
  const created = await api(scenario.twin.url, 'POST', '/v1/contacts', { key: scenario.keys.admin, body: { channel: 'voice', direction: 'inbound', purpose: 'service', ...body } });
  if (created.status !== 201) throw new Error(`creating a contact answered ${created.status}: ${JSON.stringify(created.body)}`);
  return created.body.contactId as string;
}
