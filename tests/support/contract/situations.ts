import { defaultTemplateContent } from '../../../shared/domain/surveys/default-template';
import { surveyLinkMisses } from '../../../shared/http/rate-limit';
import { api, createTenant } from '../twin';
import { uniqueDigits } from '../waiting';
import { type Scenario, freshContact, freshCustomer, linkSurveyPath } from './scenario';
import { type ContractRequest, send } from './send';
import { signInPerson } from '../people-sign-in';
import { freshPersonToken, signupAwaitingApproval, signupBody, signupToken } from './recipes';

/**
 * A documented error the API must be brought into on purpose: what to make first, and the
 * request that then meets it. `status` is what the situation is meant to produce; an answer with
 * another status means the situation's recipe is broken (reported apart from the departures).
 */
export interface Situation {
  name: string;
  operationId: string;
  status: number;
  request(scenario: Scenario): Promise<ContractRequest>;
  /** Undoes what `request` set up for this one request (a fault, say). */
  after?(scenario: Scenario): void;
}

const nobody = (prefix: string) => `${prefix}_01JZZZZZZZZZZZZZZZZZZZZZZZ`;
const form = 'application/x-www-form-urlencoded';
const ok = (answer: { status: number }, status: number, what: string) => {
  if (answer.status !== status) throw new Error(`${what} answered ${answer.status}, not ${status}: ${JSON.stringify((answer as { body?: unknown }).body)}`);
};

async function openCase(s: Scenario) {
  const customerId = await freshCustomer(s);
  const opened = await api(s.twin.url, 'POST', '/v1/cases', { key: s.keys.admin, body: { type: 'complaint', category: 'billing', subject: 'Contract case', customerId } });
  ok(opened, 201, 'opening a case');
  return opened.body.caseId as string;
}

/** A tenant of its own whose one active admin is a person who signed in: their id and token. */
async function loneAdminPerson(s: Scenario): Promise<{ personId: string; token: string }> {
  const tenant = await createTenant(s.twin, { name: 'Lone admin person Co' });
  const email = `lone.admin.${uniqueDigits()}@acme.test`;
  const invited = await api(s.twin.url, 'POST', '/v1/people', { key: tenant.apiKey, body: { email, role: 'admin' } });
  ok(invited, 201, 'inviting an admin');
  const { accessToken: token } = await signInPerson(s.twin, email);
  ok(await api(s.twin.url, 'GET', '/v1/me', { key: token }), 200, 'signing in');
  return { personId: invited.body.personId as string, token };
}

/** A used link: answered once through its own form. */
async function usedLink(s: Scenario) {
  const path = await linkSurveyPath(s);
  ok(await send(s.twin.url, 'POST', { path, body: 'csat=5', contentType: form }), 200, 'answering the survey page');
  return path;
}

/** Enough unknown links from one address that its next try is refused. */
async function guessedFrom(s: Scenario, address: string) {
  for (let i = 0; i < surveyLinkMisses.limit; i++) {
    await send(s.twin.url, 'GET', { path: `/s/${'g'.repeat(39)}${String(i).padStart(4, '0')}`, fromAddress: address });
  }
}

/** Every transaction that carries all of `texts` is cancelled by a failed condition, as when another request changed the item first. */
const conditionFailsFor = (s: Scenario, texts: string[]) =>
  s.twin.faults.inject({
    operation: 'TransactWriteItems',
    bodyIncludes: texts,
    times: Infinity,
    answer: { type: 'TransactionCanceledException', message: 'Transaction cancelled [ConditionalCheckFailed]', fields: { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }] } },
  });

/** A lasting DynamoDB fault on the calls that carry `text`, for one request. */
const lastingFault = (operation: string, type: string, status: number) => (s: Scenario, text: string) =>
  s.twin.faults.inject({ operation, bodyIncludes: text, times: Infinity, answer: { type, status } });

export const situations: Situation[] = [
  {
    name: 'unknown problem type',
    operationId: 'getProblemType',
    status: 404,
    request: async () => ({ path: '/problems/no-such-problem' }),
  },
  {
    name: 'duplicate customer (same phone)',
    operationId: 'createCustomer',
    status: 409,
    request: async (s) => {
      const phone = `+8869${uniqueDigits()}`;
      await freshCustomer(s, { phone });
      return { path: '/v1/customers', key: s.keys.admin, body: { displayName: 'Twin', phone } };
    },
  },
  {
    name: 'erased customer',
    operationId: 'getCustomer',
    status: 410,
    request: async (s) => {
      const customerId = await freshCustomer(s);
      ok(await api(s.twin.url, 'DELETE', `/v1/customers/${customerId}`, { key: s.keys.admin }), 204, 'erasing');
      return { path: `/v1/customers/${customerId}`, key: s.keys.admin };
    },
  },
  {
    name: 'DynamoDB unavailable (lasting throttling)',
    operationId: 'createCustomer',
    status: 503,
    request: async (s) => {
      const marker = `Fault ${uniqueDigits()}`;
      lastingFault('TransactWriteItems', 'ThrottlingException', 400)(s, marker);
      return { path: '/v1/customers', key: s.keys.admin, body: { displayName: marker } };
    },
    after: (s) => s.twin.faults.clear(),
  },
  {
    name: 'DynamoDB fails unexpectedly',
    operationId: 'getCustomer',
    status: 500,
    request: async (s) => {
      const customerId = await freshCustomer(s);
      lastingFault('GetItem', 'ValidationException', 400)(s, customerId);
      return { path: `/v1/customers/${customerId}`, key: s.keys.admin };
    },
    after: (s) => s.twin.faults.clear(),
  },
  {
    name: 'phone of another customer',
    operationId: 'updateCustomer',
    status: 409,
    request: async (s) => {
      const phone = `+8869${uniqueDigits()}`;
      await freshCustomer(s, { phone });
      return { path: `/v1/customers/${await freshCustomer(s)}`, key: s.keys.admin, body: { phone }, headers: { 'if-match': '*' } };
    },
  },
  {
    name: 'customer changed while it was erased',
    operationId: 'eraseCustomer',
    status: 412,
    request: async (s) => {
      const customerId = await freshCustomer(s);
      conditionFailsFor(s, [customerId]);
      return { path: `/v1/customers/${customerId}`, key: s.keys.admin };
    },
    after: (s) => s.twin.faults.clear(),
  },
  {
    name: 'unknown customer',
    operationId: 'updateContact',
    status: 422,
    request: async (s) => ({ path: `/v1/contacts/${await freshContact(s)}`, key: s.keys.admin, body: { customerId: nobody('cus') }, headers: { 'if-match': '*' } }),
  },
  {
    name: 'duplicate contact (same externalContactId)',
    operationId: 'createContact',
    status: 409,
    request: async (s) => {
      const externalContactId = `connect-${uniqueDigits()}`;
      await freshContact(s, { externalContactId });
      return { path: '/v1/contacts', key: s.keys.admin, body: { channel: 'voice', direction: 'inbound', externalContactId } };
    },
  },
  {
    name: 'closed contact',
    operationId: 'updateContact',
    status: 409,
    request: async (s) => {
      const contactId = await freshContact(s);
      ok(await api(s.twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key: s.keys.admin, body: { outcome: 'resolved' } }), 200, 'closing');
      return { path: `/v1/contacts/${contactId}`, key: s.keys.admin, body: { queue: 'late' }, headers: { 'if-match': '*' } };
    },
  },
  {
    name: 'closing a closed contact with another outcome',
    operationId: 'closeContact',
    status: 409,
    request: async (s) => {
      const contactId = await freshContact(s);
      ok(await api(s.twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key: s.keys.admin, body: { outcome: 'resolved' } }), 200, 'closing');
      return { path: `/v1/contacts/${contactId}/close`, key: s.keys.admin, body: { outcome: 'transferred' } };
    },
  },
  {
    name: 'resolving a contact that was queued and never answered',
    operationId: 'closeContact',
    status: 422,
    request: async (s) => {
      const contactId = await freshContact(s, { queue: 'billing', queuedAt: new Date(Date.now() - 60_000).toISOString() });
      return { path: `/v1/contacts/${contactId}/close`, key: s.keys.admin, body: { outcome: 'resolved' } };
    },
  },
  {
    name: 'settled referral',
    operationId: 'updateReferral',
    status: 409,
    request: async (s) => {
      const contactId = await freshContact(s);
      const referral = await api(s.twin.url, 'POST', `/v1/contacts/${contactId}/referrals`, { key: s.keys.admin, body: { product: 'Plan' } });
      ok(referral, 201, 'referring');
      const path = `/v1/contacts/${contactId}/referrals/${referral.body.referralId}`;
      const body = { status: 'converted', value: { amount: 10, currency: 'TWD' } };
      ok(await api(s.twin.url, 'PATCH', path, { key: s.keys.admin, body }), 200, 'converting');
      return { path, key: s.keys.admin, body };
    },
  },
  {
    name: 'transaction recorded before',
    operationId: 'createCustomerTransaction',
    status: 200,
    request: async (s) => {
      const path = `/v1/customers/${await freshCustomer(s)}/transactions`;
      const body = { transactionId: `order-${uniqueDigits()}`, amount: 100, currency: 'TWD', at: new Date(Date.now() - 60_000).toISOString(), product: 'Plan' };
      ok(await api(s.twin.url, 'POST', path, { key: s.keys.admin, body }), 201, 'recording');
      return { path, key: s.keys.admin, body };
    },
  },
  {
    name: 'wrong currency',
    operationId: 'createCustomerTransaction',
    status: 422,
    request: async (s) => ({
      path: `/v1/customers/${await freshCustomer(s)}/transactions`,
      key: s.keys.admin,
      body: { transactionId: `order-${uniqueDigits()}`, amount: 100, currency: 'USD', at: new Date(Date.now() - 60_000).toISOString(), product: 'Plan' },
    }),
  },
  {
    name: 'refresh too soon',
    operationId: 'refreshCustomerSegments',
    status: 429,
    request: async (s) => {
      await api(s.twin.url, 'POST', '/v1/analytics/segments/refresh', { key: s.keys.admin });
      return { path: '/v1/analytics/segments/refresh', key: s.keys.admin };
    },
  },
  {
    name: 'unknown customer',
    operationId: 'createCase',
    status: 422,
    request: async (s) => ({ path: '/v1/cases', key: s.keys.admin, body: { type: 'complaint', category: 'billing', subject: 'Nobody', customerId: nobody('cus') } }),
  },
  {
    name: 'illegal case transition',
    operationId: 'addCaseEvent',
    status: 409,
    request: async (s) => ({ path: `/v1/cases/${await openCase(s)}/events`, key: s.keys.admin, body: { type: 'status_change', to: 'resolved' } }),
  },
  {
    name: 'a case another agent claimed first',
    operationId: 'claimCase',
    status: 409,
    request: async (s) => {
      const caseId = await openCase(s);
      ok(await api(s.twin.url, 'POST', `/v1/cases/${caseId}/claim`, { key: await freshPersonToken(s, 'agent') }), 200, 'the first claim');
      return { path: `/v1/cases/${caseId}/claim`, key: await freshPersonToken(s, 'agent') };
    },
  },
  {
    name: 'a case claimed with an API key, which has no agent id',
    operationId: 'claimCase',
    status: 403,
    request: async (s) => ({ path: `/v1/cases/${await openCase(s)}/claim`, key: s.keys.admin }),
  },
  {
    name: 'closed case',
    operationId: 'updateCase',
    status: 409,
    request: async (s) => {
      const caseId = await openCase(s);
      for (const to of ['in_progress', 'resolved', 'closed']) {
        ok(await api(s.twin.url, 'POST', `/v1/cases/${caseId}/events`, { key: s.keys.admin, body: { type: 'status_change', to } }), 201, `moving the case to ${to}`);
      }
      return { path: `/v1/cases/${caseId}`, key: s.keys.admin, body: { subject: 'Late' }, headers: { 'if-match': '*' } };
    },
  },
  {
    name: 'test of a disabled webhook',
    operationId: 'testWebhook',
    status: 409,
    request: async (s) => {
      const created = await api(s.twin.url, 'POST', '/v1/webhooks', {
        key: s.keys.admin,
        body: { url: 'https://hooks.contract.example/disabled', eventTypes: ['*'], enabled: false },
      });
      ok(created, 201, 'creating a disabled webhook');
      return { path: `/v1/webhooks/${created.body.webhookId}/test`, key: s.keys.admin };
    },
  },
  {
    name: 'a person already in the tenant, invited again',
    operationId: 'invitePerson',
    status: 409,
    request: async (s) => {
      const body = { email: `twice.${uniqueDigits()}@acme.test`, role: 'agent' };
      ok(await api(s.twin.url, 'POST', '/v1/people', { key: s.keys.admin, body }), 201, 'inviting');
      return { path: '/v1/people', key: s.keys.admin, body };
    },
  },
  {
    name: "the tenant's last active admin person, demoted",
    operationId: 'updatePerson',
    status: 409,
    request: async (s) => {
      const lone = await loneAdminPerson(s);
      return { path: `/v1/people/${lone.personId}`, key: lone.token, body: { role: 'viewer' }, headers: { 'if-match': '*' } };
    },
  },
  {
    name: "the tenant's last active admin person, deactivated",
    operationId: 'deactivatePerson',
    status: 409,
    request: async (s) => {
      const lone = await loneAdminPerson(s);
      return { path: `/v1/people/${lone.personId}/deactivate`, key: lone.token };
    },
  },
  {
    name: 'an invitation to an address the mail service refuses',
    operationId: 'invitePerson',
    status: 422,
    request: async (s) => {
      const email = `suppressed.${uniqueDigits()}@acme.test`;
      s.twin.faults.inject({ operation: 'SendEmail', bodyIncludes: email, times: 1, answer: { type: 'MessageRejected', message: 'Email address is on the suppression list' } });
      return { path: '/v1/people', key: s.keys.admin, body: { email, role: 'agent' } };
    },
    after: (s) => s.twin.faults.clear(),
  },
  {
    name: 'an invitation sent again to an address the mail service now refuses',
    operationId: 'resendInvitation',
    status: 422,
    request: async (s) => {
      const email = `bounced.${uniqueDigits()}@acme.test`;
      const invited = await api(s.twin.url, 'POST', '/v1/people', { key: s.keys.admin, body: { email, role: 'agent' } });
      ok(invited, 201, 'inviting');
      s.twin.faults.inject({ operation: 'SendEmail', bodyIncludes: email, times: 1, answer: { type: 'MessageRejected', message: 'Email address is on the suppression list' } });
      return { path: `/v1/people/${invited.body.personId}/invitation`, key: s.keys.admin };
    },
    after: (s) => s.twin.faults.clear(),
  },
  {
    name: 'a sign-up for an address the mail service refuses',
    operationId: 'startSignup',
    status: 422,
    request: async (s) => {
      const email = `suppressed.${uniqueDigits()}@florist.test`;
      s.twin.faults.inject({ operation: 'SendEmail', bodyIncludes: email, times: 1, answer: { type: 'MessageRejected', message: 'Email address is on the suppression list' } });
      return { path: '/v1/signups', body: signupBody(email) };
    },
    after: (s) => s.twin.faults.clear(),
  },
  {
    name: 'an invitation sent again to a person who has signed in',
    operationId: 'resendInvitation',
    status: 409,
    request: async (s) => {
      const email = `resent.${uniqueDigits()}@acme.test`;
      const invited = await api(s.twin.url, 'POST', '/v1/people', { key: s.keys.admin, body: { email, role: 'agent' } });
      ok(invited, 201, 'inviting');
      // The first request with the person's token records the sign-in: invited → active.
      ok(await api(s.twin.url, 'GET', '/v1/me', { key: (await signInPerson(s.twin, email)).accessToken }), 200, 'the first request signed in');
      return { path: `/v1/people/${invited.body.personId}/invitation`, key: s.keys.admin };
    },
  },
  {
    name: 'a sign-up verified with the address of a person of another business',
    operationId: 'verifySignup',
    status: 409,
    request: async (s) => {
      const email = `taken.${uniqueDigits()}@acme.test`;
      ok(await api(s.twin.url, 'POST', '/v1/people', { key: s.keys.admin, body: { email, role: 'agent' } }), 201, 'inviting');
      return { path: '/v1/signups/verify', body: { token: await signupToken(s, email), password: 'Correct-Horse-42' } };
    },
  },
  {
    name: 'a rejected sign-up, approved',
    operationId: 'approveSignup',
    status: 409,
    request: async (s) => {
      const signupId = await signupAwaitingApproval(s);
      ok(await api(s.twin.url, 'POST', `/v1/operator/signups/${signupId}/reject`, { key: s.twin.operatorKey, body: { reason: 'Contract' } }), 200, 'rejecting');
      return { path: `/v1/operator/signups/${signupId}/approve`, key: s.twin.operatorKey };
    },
  },
  {
    name: 'an approved sign-up, rejected',
    operationId: 'rejectSignup',
    status: 409,
    request: async (s) => {
      const signupId = await signupAwaitingApproval(s);
      ok(await api(s.twin.url, 'POST', `/v1/operator/signups/${signupId}/approve`, { key: s.twin.operatorKey }), 200, 'approving');
      return { path: `/v1/operator/signups/${signupId}/reject`, key: s.twin.operatorKey, body: { reason: 'Contract' } };
    },
  },
  {
    name: 'last admin key',
    operationId: 'revokeApiKey',
    status: 409,
    request: async (s) => {
      const lone = await createTenant(s.twin, { name: 'Lone admin Co' });
      return { path: `/v1/api-keys/${lone.adminKeyId}`, key: lone.apiKey };
    },
  },
  {
    name: 'settings changed by another request meanwhile',
    operationId: 'updateSettings',
    status: 409,
    request: async (s) => {
      const marker = `Changed ${uniqueDigits()}`;
      s.twin.faults.inject({
        operation: 'TransactWriteItems',
        bodyIncludes: marker,
        times: 1,
        answer: { type: 'TransactionCanceledException', message: 'Transaction cancelled [ConditionalCheckFailed]', fields: { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] } },
      });
      return { path: '/v1/settings', key: s.keys.admin, body: { branding: { displayName: marker } } };
    },
    after: (s) => s.twin.faults.clear(),
  },
  {
    name: 'settings not-allocated',
    operationId: 'updateSettings',
    status: 422,
    request: async (s) => ({ path: '/v1/settings', key: s.keys.admin, body: { sms: { originationIdentity: `+8862${uniqueDigits()}` } } }),
  },
  {
    name: 'template in use by the survey rules',
    operationId: 'archiveSurveyTemplate',
    status: 409,
    request: async (s) => {
      const other = await createTenant(s.twin, { name: 'Template user Co' });
      const template = await api(s.twin.url, 'POST', '/v1/survey-templates', { key: other.apiKey, body: defaultTemplateContent('en') });
      ok(template, 201, 'creating a template');
      ok(await api(s.twin.url, 'PATCH', '/v1/settings', { key: other.apiKey, body: { surveys: { templateId: template.body.templateId } } }), 200, 'using the template');
      return { path: `/v1/survey-templates/${template.body.templateId}`, key: other.apiKey };
    },
  },
  {
    name: 'archived template',
    operationId: 'updateSurveyTemplate',
    status: 409,
    request: async (s) => {
      const template = await api(s.twin.url, 'POST', '/v1/survey-templates', { key: s.keys.admin, body: defaultTemplateContent('en') });
      ok(template, 201, 'creating a template');
      ok(await api(s.twin.url, 'DELETE', `/v1/survey-templates/${template.body.templateId}`, { key: s.keys.admin }), 204, 'archiving');
      return { path: `/v1/survey-templates/${template.body.templateId}`, key: s.keys.admin, body: { name: 'Late' }, headers: { 'if-match': '*' } };
    },
  },
  {
    name: 'template version that does not exist',
    operationId: 'getSurveyTemplate',
    status: 404,
    request: async (s) => {
      const template = await api(s.twin.url, 'POST', '/v1/survey-templates', { key: s.keys.admin, body: defaultTemplateContent('en') });
      ok(template, 201, 'creating a template');
      return { path: `/v1/survey-templates/${template.body.templateId}?version=99`, key: s.keys.admin };
    },
  },
  {
    name: 'contact not closed',
    operationId: 'createSurvey',
    status: 409,
    request: async (s) => ({ path: '/v1/surveys', key: s.keys.admin, body: { contactId: await freshContact(s, { customerId: await freshCustomer(s) }), deliveryChannel: 'link' } }),
  },
  {
    name: 'unknown contact',
    operationId: 'createSurvey',
    status: 422,
    request: async (s) => ({ path: '/v1/surveys', key: s.keys.admin, body: { contactId: nobody('con'), deliveryChannel: 'link' } }),
  },
  {
    name: 'unknown link',
    operationId: 'showSurveyPage',
    status: 404,
    request: async () => ({ path: `/s/${'u'.repeat(43)}` }),
  },
  {
    name: 'used link',
    operationId: 'showSurveyPage',
    status: 410,
    request: async (s) => ({ path: await usedLink(s) }),
  },
  {
    name: 'links guessed from one address',
    operationId: 'showSurveyPage',
    status: 429,
    request: async (s) => {
      await guessedFrom(s, '127.0.0.31');
      return { path: `/s/${'h'.repeat(43)}`, fromAddress: '127.0.0.31' };
    },
  },
  {
    name: 'invalid answers',
    operationId: 'submitSurveyPage',
    status: 400,
    request: async (s) => ({ path: await linkSurveyPath(s), body: 'csat=9', contentType: form }),
  },
  {
    name: 'unknown link',
    operationId: 'submitSurveyPage',
    status: 404,
    request: async () => ({ path: `/s/${'u'.repeat(43)}`, body: 'csat=5', contentType: form }),
  },
  {
    name: 'used link',
    operationId: 'submitSurveyPage',
    status: 410,
    request: async (s) => ({ path: await usedLink(s), body: 'csat=4', contentType: form }),
  },
  {
    name: 'links guessed from one address',
    operationId: 'submitSurveyPage',
    status: 429,
    request: async (s) => {
      await guessedFrom(s, '127.0.0.32');
      return { path: `/s/${'h'.repeat(43)}`, body: 'csat=5', contentType: form, fromAddress: '127.0.0.32' };
    },
  },
  {
    name: 'resource taken by another tenant',
    operationId: 'allocateResource',
    status: 409,
    request: async (s) => {
      const resource = { kind: 'sms-origination-identity', id: `+8862${uniqueDigits()}` };
      const holder = await createTenant(s.twin, { name: 'Holder Co' });
      ok(await api(s.twin.url, 'POST', `/v1/operator/tenants/${holder.tenant.tenantId}/allocations`, { key: s.twin.operatorKey, body: { resource } }), 200, 'allocating');
      return { path: `/v1/operator/tenants/${s.operatedTenantId}/allocations`, key: s.twin.operatorKey, body: { resource } };
    },
  },
  {
    name: 'connect account not registered',
    operationId: 'allocateResource',
    status: 422,
    request: async (s) => ({
      path: `/v1/operator/tenants/${s.operatedTenantId}/allocations`,
      key: s.twin.operatorKey,
      body: { resource: { kind: 'connect-instance', id: `arn:aws:connect:ap-northeast-1:${uniqueDigits()}1234:instance/${crypto.randomUUID()}` } },
    }),
  },
  {
    name: 'tenant changed at the same time',
    operationId: 'suspendTenant',
    status: 409,
    request: async (s) => {
      const { tenant } = await createTenant(s.twin, { name: 'Contested Co' });
      conditionFailsFor(s, [tenant.tenantId, 'tenant.suspended']);
      return { path: `/v1/operator/tenants/${tenant.tenantId}/suspend`, key: s.twin.operatorKey, body: { reason: 'Contract test' } };
    },
    after: (s) => s.twin.faults.clear(),
  },
  {
    name: 'tenant changed at the same time',
    operationId: 'resumeTenant',
    status: 409,
    request: async (s) => {
      const { tenant } = await createTenant(s.twin, { name: 'Contested Co' });
      ok(await api(s.twin.url, 'POST', `/v1/operator/tenants/${tenant.tenantId}/suspend`, { key: s.twin.operatorKey, body: { reason: 'Contract test' } }), 200, 'suspending');
      conditionFailsFor(s, [tenant.tenantId, 'tenant.resumed']);
      return { path: `/v1/operator/tenants/${tenant.tenantId}/resume`, key: s.twin.operatorKey };
    },
    after: (s) => s.twin.faults.clear(),
  },
  {
    name: 'resource in use by the settings',
    operationId: 'releaseResource',
    status: 409,
    request: async (s) => {
      const user = await createTenant(s.twin, { name: 'Sender Co' });
      const resource = { kind: 'sms-origination-identity', id: `+8862${uniqueDigits()}` };
      const operator = `/v1/operator/tenants/${user.tenant.tenantId}/allocations`;
      ok(await api(s.twin.url, 'POST', operator, { key: s.twin.operatorKey, body: { resource } }), 200, 'allocating');
      ok(await api(s.twin.url, 'PATCH', '/v1/settings', { key: user.apiKey, body: { sms: { originationIdentity: resource.id } } }), 200, 'using the sender');
      return { path: `${operator}/release`, key: s.twin.operatorKey, body: { resource } };
    },
  },
];
