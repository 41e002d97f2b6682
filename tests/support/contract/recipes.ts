import { acmeSupport } from '../twin';
import { uniqueDigits } from '../waiting';
import type { Operation } from './document';
import { type Scenario, freshContact, freshCustomer, linkSurveyPath } from './scenario';
import { type ContractRequest, send } from './send';

/** Builds one valid request for an operation (it may first make what the request needs). */
export type Recipe = (scenario: Scenario) => ContractRequest | Promise<ContractRequest>;

const operatorRoute = (scenario: Scenario, rest = '') => `/v1/operator/tenants/${scenario.operatedTenantId}${rest}`;
const smsIdentity = () => `+8862${uniqueDigits()}`;

/**
 * Valid requests for the operations the cross-tenant areas have no probe for: the operator's,
 * the public ones and the document itself. Tenant operations take their area's probe.
 */
const ownRecipes: Record<string, Recipe> = {
  getOpenApi: () => ({ path: '/openapi.json' }),
  getProblemType: () => ({ path: '/problems/not-found' }),
  createTenant: (s) => ({ path: '/v1/tenants', key: s.twin.operatorKey, body: { ...acmeSupport, name: 'Contract signup' } }),
  listTenants: (s) => ({ path: '/v1/operator/tenants?limit=5', key: s.twin.operatorKey }),
  getTenantForOperator: (s) => ({ path: operatorRoute(s), key: s.twin.operatorKey }),
  allocateResource: (s) => ({ path: operatorRoute(s, '/allocations'), key: s.twin.operatorKey, body: { resource: { kind: 'sms-origination-identity', id: smsIdentity() } } }),
  releaseResource: async (s) => {
    const resource = { kind: 'sms-origination-identity', id: smsIdentity() };
    const allocated = await send(s.twin.url, 'POST', { path: operatorRoute(s, '/allocations'), key: s.twin.operatorKey, body: { resource } });
    if (allocated.status !== 200) throw new Error(`allocating answered ${allocated.status}: ${allocated.text}`);
    return { path: operatorRoute(s, '/allocations/release'), key: s.twin.operatorKey, body: { resource } };
  },
  suspendTenant: (s) => ({ path: operatorRoute(s, '/suspend'), key: s.twin.operatorKey, body: { reason: 'Contract test' } }),
  resumeTenant: (s) => ({ path: operatorRoute(s, '/resume'), key: s.twin.operatorKey }),
  issueAdminKey: (s) => ({ path: operatorRoute(s, '/admin-keys'), key: s.twin.operatorKey, body: { name: 'Contract recovery admin' } }),
  // The areas' probes for these two name data tenant A has used up (a surveyed contact, a recorded transaction).
  createSurvey: async (s) => ({ path: '/v1/surveys', key: s.keys.admin, body: { contactId: await closedContactOf(s), deliveryChannel: 'link' } }),
  createCustomerTransaction: async (s) => ({
    path: `/v1/customers/${await freshCustomer(s)}/transactions`,
    key: s.keys.admin,
    body: { transactionId: `order-${uniqueDigits()}`, amount: 250, currency: 'TWD', at: new Date(Date.now() - 60_000).toISOString(), product: 'Plan' },
  }),
  showSurveyPage: async (s) => ({ path: await linkSurveyPath(s) }),
  submitSurveyPage: async (s) => ({ path: await linkSurveyPath(s), body: 'csat=5', contentType: 'application/x-www-form-urlencoded' }),
};

async function closedContactOf(s: Scenario): Promise<string> {
  const contactId = await freshContact(s, { customerId: await freshCustomer(s) });
  const closed = await send(s.twin.url, 'POST', { path: `/v1/contacts/${contactId}/close`, key: s.keys.admin, body: { outcome: 'resolved' } });
  if (closed.status !== 200) throw new Error(`closing answered ${closed.status}: ${closed.text}`);
  return contactId;
}

/** The valid-request recipe of an operation, or undefined when there is none (the test then fails). */
export function recipeFor(operation: Operation, scenario: Scenario): Recipe | undefined {
  const own = ownRecipes[operation.operationId];
  if (own) return own;
  const probe = scenario.probes.get(operation.operationId);
  if (!probe) return undefined;
  return () => {
    const { path, body, headers } = probe();
    return { path, body, headers, key: scenario.keys.admin };
  };
}
