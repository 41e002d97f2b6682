import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCustomer } from '../../shared/data/customers-repo';
import { getSurvey, listSurveys } from '../../shared/data/surveys-repo';
import { getTenantWithSettings } from '../../shared/data/tenants-repo';
import { apiFunctions } from '../../shared/http/functions';
import { withTableGrants } from '../../infra/local/table-grants';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { uniqueDigits } from '../support/waiting';

/**
 * Issue 11 §5: survey-web, the public page, had read-write on every tenant's data. Its role now
 * allows only the token lookup, its guess counters and a survey's own items, by
 * dynamodb:LeadingKeys (tests/infra/iam.test.ts reads the policy); the twin holds the function to
 * the same grants, so the page working here proves the grants are enough, and the refusals below
 * prove the twin refuses what IAM would.
 */

let twin: TestTwin;
let key: string;
let tenantId: string;
let customerId: string;
let surveyId: string;
let linkPath: string;

beforeAll(async () => {
  twin = await startTestTwin();
  const created = await createTenant(twin, { name: 'Grants Co' });
  key = created.apiKey;
  tenantId = created.tenant.tenantId;
  // An Australian mobile in a range that exists (+61 41…): a random +61 4… number is unallocated about one time in twelve.
  const customer = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Ms Grant', phone: `+6141${uniqueDigits().slice(1)}` } });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  customerId = customer.body.customerId;
  const contact = await api(twin.url, 'POST', '/v1/contacts', { key, body: { channel: 'chat', direction: 'inbound', purpose: 'service', customerId } });
  await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key, body: { outcome: 'resolved' } });
  const survey = await api(twin.url, 'POST', '/v1/surveys', { key, body: { contactId: contact.body.contactId, deliveryChannel: 'link' } });
  expect(survey.status, JSON.stringify(survey.body)).toBe(201);
  surveyId = survey.body.surveyId;
  linkPath = survey.body.linkPath;
});
afterAll(() => twin.close());

const asSurveyWeb = <T>(work: () => Promise<T>) => withTableGrants('survey-web', apiFunctions['survey-web'], work);

describe('survey-web holds only the grants of a survey link (least privilege, issue 11 §5)', () => {
  it('opens and answers a survey through the twin, which holds it to the grants its IAM role has', async () => {
    const page = await api(twin.url, 'GET', linkPath);
    expect(page.status).toBe(200);
    const fields = Object.fromEntries([...String(page.body).matchAll(/name="([^"]+)"[^>]*value="5"/g)].map((match) => [match[1]!, '5']));
    expect(Object.keys(fields).length).toBeGreaterThan(0);
    const answered = await api(twin.url, 'POST', linkPath, { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(answered.status, String(answered.body)).toBe(200);
    expect((await api(twin.url, 'GET', `/v1/surveys/${surveyId}`, { key })).body.status).toBe('completed');
    expect((await api(twin.url, 'GET', '/s/AAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('may read a survey and its tenant’s settings, as the page does', async () => {
    await expect(asSurveyWeb(() => getSurvey(tenantId, surveyId))).resolves.toMatchObject({ surveyId });
    await expect(asSurveyWeb(() => getTenantWithSettings(tenantId))).resolves.toBeDefined();
  });

  it('is refused, as IAM refuses it, a customer item and any Query (AccessDeniedException, nothing read)', async () => {
    await expect(asSurveyWeb(() => getCustomer(tenantId, customerId))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(asSurveyWeb(() => listSurveys(tenantId, {}, 10))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    // Other functions keep their table-wide grants.
    expect(await getCustomer(tenantId, customerId)).toMatchObject({ state: 'active' });
  });
});
