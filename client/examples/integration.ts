import { type Problem, type Schemas, createSwitchboardClient } from '../index';

/**
 * A whole integration with the typed client, from signing a business up to a CSV download for a BI
 * tool. It is written as an integrator would write it: every answer's type comes from the API's
 * OpenAPI document, with no casts, no `!` and no `any` — tests/integration/typed-client.test.ts
 * compiles this file under `tsc --strict` (and refuses any of those), then runs it against the
 * local twin. The steps are explained in docs/quick-start.md.
 */

export interface IntegrationOptions {
  /** The API: http://localhost:3000 on the local twin, the stage's EdgeUrl on AWS. */
  baseUrl: string;
  /** The operator key (printed by `npm start`); it signs the business up. */
  operatorKey: string;
  /** Where the webhook delivers events: an HTTPS endpoint of yours (on the twin, a loopback receiver it allows). */
  webhookUrl: string;
  /** Something unique to this run, so that idempotency keys and external ids do not collide. */
  runId: string;
}

export interface IntegrationResult {
  tenant: Schemas['Tenant'];
  agentKeyId: string;
  customers: Schemas['Customer'][];
  /** The first customer after the PATCH. */
  updatedCustomer: Schemas['Customer'];
  /** The same customer created again with the same Idempotency-Key: the first answer, nothing created twice. */
  retriedCustomerId: string;
  closedContact: Schemas['ContactWithReferrals'];
  survey: Schemas['CreatedSurvey'];
  caseAfterEvents: Schemas['Case'];
  webhook: Schemas['Webhook'];
  analytics: Schemas['AnalyticsSummary'];
  /** Every customer, read two a page by following `nextCursor`. */
  pagedCustomerIds: string[];
  pages: number;
  contactsCsv: string;
}

/** Thrown with the API's problem details (RFC 9457) when a call is refused. */
export class SwitchboardError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(`${step}: ${status} ${problem ? `${problem.title}${problem.detail ? ` — ${problem.detail}` : ''}` : ''}`.trim());
  }
}

/** The success body of a call, or a SwitchboardError with the problem the API answered. */
function expectData<Data>(step: string, result: { data?: Data; error?: Problem | unknown; response: Response }): Data {
  if (result.data !== undefined) return result.data;
  throw new SwitchboardError(step, result.response.status, isProblem(result.error) ? result.error : undefined);
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}

/** Today in the tenant's time zone (YYYY-MM-DD): analytics and exports count the tenant's own days. */
function tenantToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runIntegration(options: IntegrationOptions): Promise<IntegrationResult> {
  // 1. The operator signs the business up; the answer holds the first admin key, shown only now.
  const operator = createSwitchboardClient({ baseUrl: options.baseUrl, apiKey: options.operatorKey });
  const signUp = expectData(
    'create tenant',
    await operator.POST('/v1/tenants', {
      body: { name: `Acme Support ${options.runId}`, timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW', plan: 'trial' },
    }),
  );
  const admin = createSwitchboardClient({ baseUrl: options.baseUrl, apiKey: signUp.apiKey.secret });

  // 2. The admin gives the front desk an agent key: that is the key the desk's system uses.
  const agentKey = expectData(
    'create agent key',
    await admin.POST('/v1/api-keys', {
      params: { header: { 'Idempotency-Key': `agent-key-${options.runId}` } },
      body: { name: 'Front desk', scopes: ['agent'] },
    }),
  );
  const desk = createSwitchboardClient({ baseUrl: options.baseUrl, apiKey: agentKey.secret });

  // 3. A webhook, so that the tenant's CRM hears of closed contacts and resolved cases; its signing
  //    secret is shown only now (docs/webhooks.md shows how to verify a delivery with it).
  const createdWebhook = expectData(
    'register webhook',
    await admin.POST('/v1/webhooks', {
      params: { header: { 'Idempotency-Key': `webhook-${options.runId}` } },
      body: { url: options.webhookUrl, eventTypes: ['Contact Closed', 'Case Resolved'], description: 'CRM sync' },
    }),
  );
  const webhook = expectData('read webhook', await admin.GET('/v1/webhooks/{webhookId}', { params: { path: { webhookId: createdWebhook.webhookId } } }));

  // 4. Customers, each with an Idempotency-Key, so that a retry after a timeout creates nothing twice.
  const people = [
    { displayName: '林美玲', phone: '0912 345 678', email: 'Mei@Example.com' },
    { displayName: '陳志明', phone: '0912 345 679', email: 'chih-ming@example.com' },
    { displayName: 'Grace Wu', phone: '+886 912 345 680', email: 'grace@example.com' },
  ];
  const customers: Schemas['Customer'][] = [];
  for (const [index, person] of people.entries()) {
    customers.push(
      expectData(
        `create customer ${index + 1}`,
        await desk.POST('/v1/customers', {
          params: { header: { 'Idempotency-Key': `customer-${options.runId}-${index}` } },
          body: { ...person, externalId: `crm-${options.runId}-${index}`, consent: { sms: { status: 'granted', source: 'web-form' } } },
        }),
      ),
    );
  }
  const [first] = customers;
  if (!first) throw new Error('no customer was created');
  const retried = expectData(
    'retry customer 1',
    await desk.POST('/v1/customers', {
      params: { header: { 'Idempotency-Key': `customer-${options.runId}-0` } },
      body: { ...people[0], displayName: '林美玲', externalId: `crm-${options.runId}-0`, consent: { sms: { status: 'granted', source: 'web-form' } } },
    }),
  );

  // 5. Read, then update with the ETag that was read: a change made in between is refused (412), not overwritten.
  const read = await desk.GET('/v1/customers/{customerId}', { params: { path: { customerId: first.customerId } } });
  expectData('read customer', read);
  const etag = read.response.headers.get('etag');
  if (!etag) throw new Error('the customer was answered without an ETag');
  const updatedCustomer = expectData(
    'update customer',
    await desk.PATCH('/v1/customers/{customerId}', {
      params: { path: { customerId: first.customerId }, header: { 'If-Match': etag } },
      body: { tags: ['vip'] },
    }),
  );

  // 6. A call: logged when it was answered, closed when it ended.
  const now = Date.now();
  const contact = expectData(
    'log contact',
    await desk.POST('/v1/contacts', {
      params: { header: { 'Idempotency-Key': `contact-${options.runId}` } },
      body: {
        customerId: first.customerId,
        channel: 'voice',
        direction: 'inbound',
        purpose: 'service',
        queue: 'billing',
        agentId: 'agent-1',
        queuedAt: new Date(now - 60_000).toISOString(),
        answeredAt: new Date(now - 45_000).toISOString(),
      },
    }),
  );
  const closedContact = expectData(
    'close contact',
    await desk.POST('/v1/contacts/{contactId}/close', {
      params: { path: { contactId: contact.contactId } },
      body: { outcome: 'resolved', firstContactResolution: true },
    }),
  );

  // 7. A satisfaction survey for that call, as a web link the tenant hands to the customer itself
  //    (by SMS, the tenant's rules and an SMS number decide: docs/guides/surveys-and-sms.md).
  const survey = expectData(
    'survey by link',
    await admin.POST('/v1/surveys', {
      params: { header: { 'Idempotency-Key': `survey-${options.runId}` } },
      body: { contactId: contact.contactId, deliveryChannel: 'link' },
    }),
  );

  // 8. A complaint becomes a case; the agent takes it up, notes what was done and resolves it.
  const opened = expectData(
    'open case',
    await desk.POST('/v1/cases', {
      params: { header: { 'Idempotency-Key': `case-${options.runId}` } },
      body: {
        type: 'complaint',
        severity: 'high',
        category: 'billing',
        subject: 'Charged twice',
        customerId: first.customerId,
        contactIds: [contact.contactId],
        assignee: 'agent:mei',
      },
    }),
  );
  const events: Schemas['CaseEventInput'][] = [
    { type: 'status_change', to: 'in_progress' },
    { type: 'note', text: 'Refund of the second charge requested from finance', visibility: 'internal' },
    { type: 'status_change', to: 'resolved', reason: 'Refunded' },
  ];
  let caseAfterEvents: Schemas['Case'] = opened;
  for (const [index, event] of events.entries()) {
    caseAfterEvents = expectData(
      `case event ${index + 1}`,
      await desk.POST('/v1/cases/{caseId}/events', {
        params: { path: { caseId: opened.caseId }, header: { 'Idempotency-Key': `case-event-${options.runId}-${index}` } },
        body: event,
      }),
    ).case;
  }

  // 9. The dashboards: today's figures by queue. A closed contact is counted within a second or so.
  const readOnly = createSwitchboardClient({
    baseUrl: options.baseUrl,
    apiKey: expectData('create readonly key', await admin.POST('/v1/api-keys', { body: { name: 'BI tool', scopes: ['readonly'] } })).secret,
  });
  const today = tenantToday(signUp.tenant.timezone);
  let analytics = expectData('read analytics', await readOnly.GET('/v1/analytics/summary', { params: { query: { from: today, to: today, groupBy: 'queue' } } }));
  for (let attempt = 0; attempt < 50 && analytics.metrics.contacts.handled < 1; attempt++) {
    await sleep(100);
    analytics = expectData('read analytics', await readOnly.GET('/v1/analytics/summary', { params: { query: { from: today, to: today, groupBy: 'queue' } } }));
  }

  // 10. Every customer, a page at a time: pass `nextCursor` back until there is none.
  const pagedCustomerIds: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = expectData('list customers', await readOnly.GET('/v1/customers', { params: { query: { limit: 2, ...(cursor && { cursor }) } } }));
    pagedCustomerIds.push(...page.items.map((customer) => customer.customerId));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);

  // 11. Today's contacts as CSV for a spreadsheet or BI tool. The file starts with a UTF-8 byte order
  //     mark (for Excel); reading it as text drops it, `parseAs: 'blob'` keeps the bytes as sent.
  const contactsCsv = expectData(
    'export contacts',
    await readOnly.GET('/v1/exports/contacts', { params: { query: { from: today, to: today } }, parseAs: 'text' }),
  );

  return {
    tenant: signUp.tenant,
    agentKeyId: agentKey.keyId,
    customers,
    updatedCustomer,
    retriedCustomerId: retried.customerId,
    closedContact,
    survey,
    caseAfterEvents,
    webhook,
    analytics,
    pagedCustomerIds,
    pages,
    contactsCsv,
  };
}
