import { randomBytes } from 'node:crypto';
import { type Client, describeAnswer } from './client';

/** The load run's actors: the tenants, customers and contacts it creates and expects, the steps of the traffic mix, and the survey conversations customers hold by SMS or on the web page. */

export type Consent = 'granted' | 'unknown';

export interface LoadCustomer {
  customerId: string;
  phone: string;
  consent: Consent;
}

export type SurveyMode = 'sms' | 'web' | 'unanswered';

export interface LoadContact {
  contactId: string;
  tenant: LoadTenant;
  customer?: LoadCustomer;
  purpose: 'service' | 'care' | 'sales';
  channel: string;
  /** Set once a close was acknowledged. */
  closedOutcome?: string;
}

export interface LoadTenant {
  tenantId: string;
  key: string;
  smsNumber: string;
  customers: LoadCustomer[];
  /** Opened and not closed yet; a close action takes one. */
  open: LoadContact[];
  contacts: LoadContact[];
  /** Closed contacts the survey rules must follow with exactly one survey. */
  eligible: Map<string, LoadContact>;
}

export interface SurveyConversation {
  tenant: LoadTenant;
  contact: LoadContact;
  customer: LoadCustomer;
  mode: Exclude<SurveyMode, 'unanswered'>;
  repliesSent: number;
  /** Whether the survey is recorded as sent, so that its link and SMS replies find it. */
  surveyRecorded: boolean;
  dueAt: number;
}

export const queues = ['billing', 'support', 'delivery'] as const;
export const agents = ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', 'agent-6'] as const;
export const reasonCodes = ['billing', 'delivery', 'returns', 'account'] as const;
export const timezones = ['Asia/Taipei', 'Europe/London', 'America/New_York'] as const;
/** The start of the default template's thanks, before issue 15 and since. */
export const completedText = 'Thank you';
export const webLink = /(https?:\/\/\S+\/s\/(?:[A-Za-z0-9_-]{43}|[A-Za-z0-9_-]{16}))(?:\s|$)/;

export const randomOf = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
export const chance = (probability: number) => Math.random() < probability;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Phone numbers unique in the run; a customer's and a stranger's never share a prefix. */
export class PhoneBook {
  private next = 0;
  private readonly prefix = String(10 + Math.floor(Math.random() * 80));
  /** Numbers no customer has: a prefix customers never get. */
  private readonly strangerPrefix = String((Number(this.prefix) + 10) % 90 + 10);
  customer = () => `+8869${this.prefix}${String(this.next++).padStart(6, '0')}`;
  stranger = () => `+8869${this.strangerPrefix}${String(this.next++).padStart(6, '0')}`;
}

// ---------------------------------------------------------------- the run

export class LoadRun {
  /**
   * One step of the traffic mix for one virtual user: 40 % of the time a customer's survey reply
   * when one is due, else a random tenant's lookups by id (22 %) or phone (14 %), a contact
   * opened (18 %) or closed (26 %), a dashboard read (13 %) or a deliberate miss (7 %).
   */
  async mixStep(): Promise<void> {
    const conversation = chance(0.4) ? this.takeDueConversation() : undefined;
    if (conversation) {
      await this.advanceConversation(conversation);
      return;
    }
    const tenant = randomOf(this.tenants);
    const draw = Math.random();
    if (draw < 0.22) await this.lookUpById(tenant);
    else if (draw < 0.36) await this.lookUpByPhone(tenant);
    else if (draw < 0.54) await this.openContact(tenant);
    else if (draw < 0.8) await this.closeNextContact(tenant);
    else if (draw < 0.93) await this.readDashboard(tenant);
    else await this.deliberateMisses(tenant);
  }

  readonly tenants: LoadTenant[] = [];
  readonly conversations: SurveyConversation[] = [];
  /** Surveys the run finished answering, by contact id. */
  readonly completedContacts = new Set<string>();
  readonly activity = {
    'customers created': 0,
    'contacts opened': 0,
    'contacts closed': 0,
    abandoned: 0,
    transferred: 0,
    'eligible for a survey': 0,
    'surveys answered by SMS': 0,
    'surveys answered on the web': 0,
    'surveys left unanswered': 0,
    'customer lookups': 0,
    'dashboard reads': 0,
  };
  /** Every SMS the outbox held while the run watched it, by message id. */
  readonly smsSeen = new Map<string, { to: string; body: string; context: Record<string, string> }>();
  outboxGaps = 0;
  readonly phones = new PhoneBook();
  readonly runStartedAt = new Date();

  constructor(
    readonly client: Client,
    readonly operatorKey: string,
  ) {}

  // ------------------------------------------------------------ setup

  async setUp(index: number, seedCustomers: number): Promise<void> {
    const signup = await this.client.call('POST', '/v1/tenants', {
      key: this.operatorKey,
      json: { name: `Load Tenant ${index + 1}`, timezone: timezones[index % timezones.length], locale: 'en', defaultCountry: 'TW', plan: 'business' },
      expect: [201],
      harness: true,
    });
    if (signup.status !== 201) throw new Error(`POST /v1/tenants answered ${signup.status}: ${describeAnswer(signup)}`);
    const tenant: LoadTenant = {
      tenantId: signup.body.tenant.tenantId,
      key: signup.body.apiKey.secret,
      smsNumber: `+8862${randomBytes(2).readUInt16BE() % 90 + 10}${String(index).padStart(6, '0')}`,
      customers: [],
      open: [],
      contacts: [],
      eligible: new Map(),
    };
    // The operator allocates the sender before the tenant's settings may name it.
    const allocated = await this.client.call('POST', `/v1/operator/tenants/${tenant.tenantId}/allocations`, {
      key: this.operatorKey,
      json: { resource: { kind: 'sms-origination-identity', id: tenant.smsNumber } },
      expect: [200],
      harness: true,
    });
    if (allocated.status !== 200) throw new Error(`allocating the SMS sender answered ${allocated.status}: ${describeAnswer(allocated)}`);
    const settings = await this.client.call('PATCH', '/v1/settings', {
      key: tenant.key,
      json: {
        sms: { originationIdentity: tenant.smsNumber },
        reasonCodes: reasonCodes.map((code) => ({ code, label: { en: code } })),
        // Every closed service or care contact of a consenting customer is surveyed, at once.
        // The link and the thanks by SMS: the run answers some surveys on the web and knows an SMS survey is done by its thanks.
        surveys: {
          enabled: true,
          delayMinutes: 0,
          quietHours: null,
          suppressionDays: 0,
          samplingPercent: 100,
          dailyCap: null,
          requireExplicitConsent: true,
          smsWebLink: true,
          smsThankYou: true,
        },
      },
      expect: [200],
      harness: true,
    });
    if (settings.status !== 200) throw new Error(`PATCH /v1/settings answered ${settings.status}: ${describeAnswer(settings)}`);
    this.tenants.push(tenant);
    // Customers who gave no SMS consent: they call as often as chance has it and are never surveyed.
    for (let i = 0; i < seedCustomers; i++) {
      const customer = await this.createCustomer(tenant, 'unknown', true);
      if (customer) tenant.customers.push(customer);
    }
  }

  // ------------------------------------------------------------ the mix

  async createCustomer(tenant: LoadTenant, consent: Consent, harness = false): Promise<LoadCustomer | undefined> {
    const phone = this.phones.customer();
    const created = await this.client.call('POST', '/v1/customers', {
      key: tenant.key,
      json: {
        displayName: `Load customer ${phone.slice(-6)}`,
        phone,
        language: 'en',
        ...(consent === 'granted' && { consent: { sms: { status: 'granted', source: 'web-form' } } }),
      },
      expect: [201],
      harness,
    });
    if (created.status !== 201) return undefined;
    if (!harness) this.activity['customers created']++;
    return { customerId: created.body.customerId as string, phone, consent };
  }

  async lookUpById(tenant: LoadTenant): Promise<void> {
    if (tenant.customers.length === 0) return;
    const customer = randomOf(tenant.customers);
    await this.client.call('GET', `/v1/customers/${customer.customerId}`, { key: tenant.key, expect: [200] });
    this.activity['customer lookups']++;
  }

  async lookUpByPhone(tenant: LoadTenant): Promise<void> {
    if (tenant.customers.length === 0) return;
    const customer = randomOf(tenant.customers);
    const found = await this.client.call('GET', `/v1/customers?phone=${encodeURIComponent(customer.phone)}`, { key: tenant.key, expect: [200] });
    if (found.status === 200 && found.body.items?.[0]?.customerId !== customer.customerId) {
      this.client.unexpected.push({ route: 'GET /v1/customers', status: 200, detail: `?phone= did not find customer ${customer.customerId}` });
    }
    this.activity['customer lookups']++;
  }

  /** Lookups that find nothing on purpose: an id that does not exist (404), a number no customer has (empty list), a phone already taken (409). */
  async deliberateMisses(tenant: LoadTenant): Promise<void> {
    const kind = Math.floor(Math.random() * 3);
    if (kind === 0) {
      await this.client.call('GET', `/v1/customers/cus_${randomBytes(8).toString('hex')}`, { key: tenant.key, expect: [404], deliberate: true });
    } else if (kind === 1) {
      const none = await this.client.call('GET', `/v1/customers?phone=${encodeURIComponent(this.phones.stranger())}`, { key: tenant.key, expect: [200] });
      if (none.status === 200 && none.body.items?.length !== 0) {
        this.client.unexpected.push({ route: 'GET /v1/customers', status: 200, detail: 'a phone no customer has found a customer' });
      }
    } else if (tenant.customers.length > 0) {
      await this.client.call('POST', '/v1/customers', {
        key: tenant.key,
        json: { displayName: 'Duplicate', phone: randomOf(tenant.customers).phone },
        expect: [409],
        deliberate: true,
      });
    }
    this.activity['customer lookups']++;
  }

  /**
   * A contact comes in. A consenting customer gets one contact in the run (a new customer, made
   * here), so that each survey conversation is the only one on that phone; customers without
   * consent, and callers no customer has, call as often as chance has it.
   */
  async openContact(tenant: LoadTenant): Promise<void> {
    const party = Math.random();
    let customer: LoadCustomer | undefined;
    let phone: string | undefined;
    if (party < 0.6) {
      customer = await this.createCustomer(tenant, 'granted');
      if (!customer) return;
      tenant.customers.push(customer);
    } else if (party < 0.9) {
      const withoutConsent = tenant.customers.filter((candidate) => candidate.consent === 'unknown');
      customer = withoutConsent.length > 0 ? randomOf(withoutConsent) : undefined;
    } else {
      phone = this.phones.stranger();
    }
    const purpose = chance(0.1) ? 'sales' : chance(0.1) ? 'care' : 'service';
    const channel = randomOf(['voice', 'voice', 'voice', 'chat', 'chat', 'email', 'sms'] as const);
    const abandoned = channel === 'voice' && chance(0.12);
    const now = Date.now();
    const waitSeconds = 2 + Math.floor(Math.random() * 60);
    const talkSeconds = 30 + Math.floor(Math.random() * 400);
    const queuedAt = new Date(now - (waitSeconds + (abandoned ? 0 : talkSeconds)) * 1000).toISOString();
    const opened = await this.client.call('POST', '/v1/contacts', {
      key: tenant.key,
      json: {
        channel,
        direction: 'inbound',
        purpose,
        queue: randomOf(queues),
        ...(customer && { customerId: customer.customerId }),
        ...(phone && { phone }),
        queuedAt,
        ...(!abandoned && { agentId: randomOf(agents), answeredAt: new Date(now - talkSeconds * 1000).toISOString() }),
      },
      expect: [201],
    });
    if (opened.status !== 201) return;
    const contact: LoadContact = { contactId: opened.body.contactId, tenant, customer, purpose, channel };
    tenant.contacts.push(contact);
    // An abandoned call is closed by the telephony at once; the rest wait for their agent.
    if (abandoned) await this.closeContact(contact, 'abandoned');
    else tenant.open.push(contact);
    this.activity['contacts opened']++;
  }

  async closeNextContact(tenant: LoadTenant): Promise<void> {
    const contact = tenant.open.shift();
    if (!contact) return this.openContact(tenant);
    const draw = Math.random();
    await this.closeContact(contact, draw < 0.75 ? 'resolved' : draw < 0.87 ? 'unresolved' : 'transferred');
  }

  private async closeContact(contact: LoadContact, outcome: 'resolved' | 'unresolved' | 'transferred' | 'abandoned'): Promise<void> {
    const { tenant } = contact;
    const endedAt = new Date();
    const afterContactWorkSeconds = outcome === 'abandoned' ? 0 : 10 + Math.floor(Math.random() * 120);
    const closed = await this.client.call('POST', `/v1/contacts/${contact.contactId}/close`, {
      key: tenant.key,
      json: {
        outcome,
        firstContactResolution: outcome === 'resolved' && chance(0.8),
        ...(outcome !== 'abandoned' && {
          reasonCode: randomOf(reasonCodes),
          endedAt: endedAt.toISOString(),
          afterContactWorkEndedAt: new Date(endedAt.getTime() + afterContactWorkSeconds * 1000).toISOString(),
          notes: 'Handled during the load run',
        }),
      },
      expect: [200],
    });
    if (closed.status !== 200) return;
    contact.closedOutcome = outcome;
    this.activity['contacts closed']++;
    if (outcome === 'abandoned') this.activity.abandoned++;
    if (outcome === 'transferred') this.activity.transferred++;
    const customer = contact.customer;
    if (!customer || customer.consent !== 'granted' || contact.purpose === 'sales') return;
    tenant.eligible.set(contact.contactId, contact);
    this.activity['eligible for a survey']++;
    const draw = Math.random();
    const mode: SurveyMode = draw < 0.45 ? 'sms' : draw < 0.8 ? 'web' : 'unanswered';
    if (mode === 'unanswered') {
      this.activity['surveys left unanswered']++;
      return;
    }
    this.conversations.push({ tenant, contact, customer, mode, repliesSent: 0, surveyRecorded: false, dueAt: Date.now() + 500 });
  }

  async readDashboard(tenant: LoadTenant): Promise<void> {
    const summaryServed = !this.client.missingRoutes.has('GET /v1/analytics/summary');
    const timeseriesServed = !this.client.missingRoutes.has('GET /v1/analytics/timeseries');
    if (!summaryServed && !timeseriesServed) return this.lookUpById(tenant);
    const from = new Date(this.runStartedAt.getTime() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    if (summaryServed && (chance(0.6) || !timeseriesServed)) {
      const groupBy = chance(0.5) ? '' : `&groupBy=${randomOf(['queue', 'agent', 'channel'])}`;
      await this.client.call('GET', `/v1/analytics/summary?${period}${groupBy}`, { key: tenant.key, expect: [200] });
    } else {
      const metric = randomOf(['offered', 'handled', 'serviceLevelPercent', 'averageHandleTimeSeconds', 'csat']);
      await this.client.call('GET', `/v1/analytics/timeseries?metric=${metric}&interval=hour&${period}`, { key: tenant.key, expect: [200] });
    }
    this.activity['dashboard reads']++;
  }

  /** The next due survey conversation, if any: taken off the list while a virtual user works on it. */
  takeDueConversation(): SurveyConversation | undefined {
    const now = Date.now();
    const index = this.conversations.findIndex((conversation) => conversation.dueAt <= now);
    return index === -1 ? undefined : this.conversations.splice(index, 1)[0];
  }

  /**
   * One step of a customer answering their survey: read what their phone received, and answer
   * the latest question by SMS, or open the link in the first SMS and submit the form.
   */
  async advanceConversation(conversation: SurveyConversation): Promise<void> {
    const later = (ms: number) => {
      conversation.dueAt = Date.now() + ms;
      this.conversations.push(conversation);
    };
    const { customer, tenant } = conversation;
    const outbox = await this.client.call('GET', `/local/sms/outbox?to=${encodeURIComponent(customer.phone)}&limit=20`, { expect: [200], harness: true });
    const received = (outbox.body?.items ?? []) as { messageId: string; body: string; context: Record<string, string> }[];
    for (const sms of received) this.smsSeen.set(sms.messageId, { to: customer.phone, body: sms.body, context: sms.context });
    if (received.length === 0) return later(500);
    if (!conversation.surveyRecorded) {
      // survey-send sends the SMS, then records the survey as sent with its link: a reply or a click
      // in between would find no open survey (and a link miss counts towards the guessing limit).
      const surveyId = received[received.length - 1]!.context.surveyId;
      const survey = await this.client.call('GET', `/v1/surveys/${surveyId}`, { key: tenant.key, expect: [200], harness: true });
      if (survey.body?.status !== 'sent') return later(300);
      conversation.surveyRecorded = true;
    }

    if (conversation.mode === 'web') {
      const link = webLink.exec(received[received.length - 1]!.body)?.[1];
      if (!link) {
        this.client.unexpected.push({ route: 'survey SMS', status: 0, detail: 'The first survey SMS carries no web link' });
        return;
      }
      const path = new URL(link).pathname;
      const page = await this.client.call('GET', path, { expect: [200] });
      if (page.status !== 200) return;
      const submitted = await this.client.call('POST', path, { form: webAnswers(String(page.body)), expect: [200] });
      if (submitted.status === 200 && String(submitted.body).includes(completedText)) {
        this.completedContacts.add(conversation.contact.contactId);
        this.activity['surveys answered on the web']++;
      }
      return;
    }

    const latest = received[0]!;
    if (latest.body.startsWith(completedText)) {
      this.completedContacts.add(conversation.contact.contactId);
      this.activity['surveys answered by SMS']++;
      return;
    }
    // Each reply is answered by the next question (or the thanks); until it arrives, wait.
    if (received.length <= conversation.repliesSent) return later(300);
    const reply = smsAnswer(latest.body);
    await this.client.call('POST', '/local/sms/inbound', {
      json: {
        originationNumber: customer.phone,
        destinationNumber: tenant.smsNumber,
        messageKeyword: 'KEYWORD_NONE',
        messageBody: reply,
        inboundMessageId: `load-${randomBytes(8).toString('hex')}`,
      },
      expect: [202],
    });
    conversation.repliesSent++;
    later(300);
  }

  /** Tails the twin's SMS outbox (it keeps the newest 500), so that each survey's first SMS is seen. */
  async watchOutbox(stopped: () => boolean): Promise<void> {
    const limit = 200;
    while (!stopped()) {
      const outbox = await this.client.call('GET', `/local/sms/outbox?limit=${limit}`, { expect: [200], harness: true });
      const items = (outbox.body?.items ?? []) as { messageId: string; to: string; body: string; context: Record<string, string> }[];
      const knewSome = this.smsSeen.size > 0;
      const oldestNew = items.length === limit && !this.smsSeen.has(items[items.length - 1]!.messageId);
      for (const sms of items) this.smsSeen.set(sms.messageId, { to: sms.to, body: sms.body, context: sms.context });
      if (knewSome && oldestNew) this.outboxGaps++;
      await sleep(250);
    }
  }
}

/** What a customer texts back to a question of the default template. */
export function smsAnswer(question: string): string {
  if (/satisfied/i.test(question)) return randomOf(['5', '5', '4', '4', '3', '2']);
  if (/done better/i.test(question)) return 'Shorter waiting times, please';
  if (/resolved/i.test(question)) return randomOf(['yes', 'yes', 'no']);
  if (/recommend/i.test(question)) return randomOf(['10', '9', '8', '6']);
  return 'ok';
}

/** The survey form filled in: one choice for each radio group on the page, free text left empty. */
export function webAnswers(html: string): Record<string, string> {
  const options = new Map<string, string[]>();
  for (const [, name, value] of html.matchAll(/<input type="radio" name="([^"]+)" value="([^"]*)"/g)) {
    options.set(name!, [...(options.get(name!) ?? []), value!]);
  }
  const likely: Record<string, string[]> = { csat: ['5', '5', '4', '3', '1'], nps: ['10', '9', '9', '7', '3'], resolved: ['yes', 'yes', 'no'] };
  return Object.fromEntries(
    [...options.entries()].map(([name, values]) => {
      const choices = (likely[name] ?? []).filter((value) => values.includes(value));
      return [name, choices.length > 0 ? randomOf(choices) : values[0]!];
    }),
  );
}
