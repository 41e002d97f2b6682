import { signInPerson } from '../people-sign-in';
import { acmeSupport, api } from '../twin';
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
  // The area's probe invites a person tenant A already has (what B must not learn); a valid request invites someone new.
  invitePerson: (s) => ({ path: '/v1/people', key: s.keys.admin, body: { email: `contract.${uniqueDigits()}@acme.test`, role: 'agent' } }),
  // The area's probe names tenant A's person, who has signed in (409); a valid request names someone still invited.
  resendInvitation: async (s) => {
    const invited = await api(s.twin.url, 'POST', '/v1/people', { key: s.keys.admin, body: { email: `contract.resend.${uniqueDigits()}@acme.test`, role: 'agent' } });
    if (invited.status !== 201) throw new Error(`inviting answered ${invited.status}: ${JSON.stringify(invited.body)}`);
    return { path: `/v1/people/${invited.body.personId}/invitation`, key: s.keys.admin };
  },
  // A person's own route: the area's probe would send an API key, which this route refuses.
  signOutEverywhere: async (s) => ({ path: '/v1/me/sign-out-everywhere', key: await freshPersonToken(s, 'agent') }),
  // The desk's own routes answer for a person (their agent id); an API key is refused.
  listMyCases: async (s) => ({ path: '/v1/me/cases?limit=10', key: await freshPersonToken(s, 'agent') }),
  claimCase: async (s) => {
    const opened = await api(s.twin.url, 'POST', '/v1/cases', {
      key: s.keys.admin,
      body: { type: 'complaint', category: 'billing', subject: 'Contract claim', customerId: await freshCustomer(s) },
    });
    if (opened.status !== 201) throw new Error(`opening a case answered ${opened.status}: ${JSON.stringify(opened.body)}`);
    return { path: `/v1/cases/${opened.body.caseId}/claim`, key: await freshPersonToken(s, 'agent') };
  },
  startSignup: () => ({ path: '/v1/signups', body: signupBody(`contract.${uniqueDigits()}@florist.test`) }),
  verifySignup: async (s) => ({ path: '/v1/signups/verify', body: { token: await signupToken(s, `contract.${uniqueDigits()}@florist.test`), password: 'Correct-Horse-42' } }),
  listSignups: (s) => ({ path: '/v1/operator/signups?state=awaiting-approval&limit=5', key: s.twin.operatorKey }),
  approveSignup: async (s) => ({ path: `/v1/operator/signups/${await signupAwaitingApproval(s)}/approve`, key: s.twin.operatorKey }),
  rejectSignup: async (s) => ({ path: `/v1/operator/signups/${await signupAwaitingApproval(s)}/reject`, key: s.twin.operatorKey, body: { reason: 'Contract test' } }),
  showSurveyPage: async (s) => ({ path: await linkSurveyPath(s) }),
  submitSurveyPage: async (s) => ({ path: await linkSurveyPath(s), body: 'csat=5', contentType: 'application/x-www-form-urlencoded' }),
};

export const signupBody = (adminEmail: string) => ({ businessName: 'Contract Florist', timezone: 'Asia/Taipei', country: 'TW', locale: 'en', adminEmail });

/** A person of the main tenant with `role`, invited by its admin key: their access token. */
export async function freshPersonToken(s: Scenario, role: string): Promise<string> {
  const email = `contract.${role}.${uniqueDigits()}@acme.test`;
  const invited = await api(s.twin.url, 'POST', '/v1/people', { key: s.keys.admin, body: { email, role } });
  if (invited.status !== 201) throw new Error(`inviting answered ${invited.status}: ${JSON.stringify(invited.body)}`);
  return (await signInPerson(s.twin, email)).accessToken;
}

/** Signs `email` up and answers the token of the link mailed to it. */
export async function signupToken(s: Scenario, email: string): Promise<string> {
  const started = await api(s.twin.url, 'POST', '/v1/signups', { body: signupBody(email) });
  if (started.status !== 202) throw new Error(`signing up answered ${started.status}: ${JSON.stringify(started.body)}`);
  const token = /token=([A-Za-z0-9_-]{43})/.exec(s.twin.mail.sentTo(email)[0]?.text ?? '')?.[1];
  if (!token) throw new Error(`no sign-up link was mailed to ${email}`);
  return token;
}

/** A verified sign-up waiting for the operator: its id. */
export async function signupAwaitingApproval(s: Scenario): Promise<string> {
  const email = `contract.approval.${uniqueDigits()}@florist.test`;
  const token = await signupToken(s, email);
  process.env.SIGNUP_REQUIRES_APPROVAL = 'true';
  try {
    const verified = await api(s.twin.url, 'POST', '/v1/signups/verify', { body: { token, password: 'Correct-Horse-42' } });
    if (verified.body.state !== 'awaiting-approval') throw new Error(`verifying answered ${verified.status}: ${JSON.stringify(verified.body)}`);
  } finally {
    delete process.env.SIGNUP_REQUIRES_APPROVAL;
  }
  const listed = await api(s.twin.url, 'GET', '/v1/operator/signups?limit=100', { key: s.twin.operatorKey });
  const signup = (listed.body.items as { signupId: string; adminEmail: string }[]).find((item) => item.adminEmail === email);
  if (!signup) throw new Error(`the sign-up of ${email} is not listed`);
  return signup.signupId;
}

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
