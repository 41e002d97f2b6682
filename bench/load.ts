import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { matchPath } from '../shared/http/routes';
import { startTwinProcess } from './latency';
import { type Check, type LoadResult, type LoadSetup, type RequestSample, type UnexpectedAnswer, formatLoadReport } from './load-report';

/**
 * `npm run load`: many tenants at once on the local twin (its own process, loopback only), a
 * realistic mix for a bounded time and request count, then a reconciliation of what the run was
 * told against what the twin stored, counted and sent. Never part of `npm test`.
 *
 *   npm run load -- --tenants 20 --duration 60 --concurrency 16 --max-requests 50000
 *
 * Each flag has an environment variable too: LOAD_TENANTS, LOAD_DURATION_SECONDS,
 * LOAD_CONCURRENCY, LOAD_MAX_REQUESTS, LOAD_SEED_CUSTOMERS, LOAD_SETTLE_SECONDS.
 * Exits 1 when the reconciliation fails or an answer was not one the run expected.
 */

interface Options {
  tenants: number;
  durationSeconds: number;
  concurrency: number;
  maxRequests: number;
  seedCustomers: number;
  settleSeconds: number;
}

function readOptions(): Options {
  const flags = {
    tenants: { env: 'LOAD_TENANTS', fallback: 20, max: 500 },
    duration: { env: 'LOAD_DURATION_SECONDS', fallback: 60, max: 3600 },
    concurrency: { env: 'LOAD_CONCURRENCY', fallback: 16, max: 256 },
    'max-requests': { env: 'LOAD_MAX_REQUESTS', fallback: 50_000, max: 10_000_000 },
    'seed-customers': { env: 'LOAD_SEED_CUSTOMERS', fallback: 10, max: 1000 },
    'settle-timeout': { env: 'LOAD_SETTLE_SECONDS', fallback: 120, max: 3600 },
  } as const;
  const usage = `Usage: npm run load -- ${Object.entries(flags)
    .map(([flag, { env, fallback }]) => `[--${flag} N (${env}, default ${fallback})]`)
    .join(' ')}`;
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: Object.fromEntries(Object.keys(flags).map((flag) => [flag, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  const read = (flag: keyof typeof flags) => {
    const { env, fallback, max } = flags[flag];
    const given = values[flag] ?? process.env[env];
    if (given === undefined || given === '') return fallback;
    const value = Number(given);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      console.error(`--${flag} (${env}) must be a whole number from 1 to ${max}, not "${given}"\n${usage}`);
      process.exit(2);
    }
    return value;
  };
  return {
    tenants: read('tenants'),
    durationSeconds: read('duration'),
    concurrency: read('concurrency'),
    maxRequests: read('max-requests'),
    seedCustomers: read('seed-customers'),
    settleSeconds: read('settle-timeout'),
  };
}

// ---------------------------------------------------------------- HTTP, measured

interface Answer {
  status: number;
  // The run reads answers by the contract it checks, not by a declared type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

interface CallOptions {
  key?: string;
  json?: unknown;
  form?: Record<string, string>;
  /** The statuses this request may get; anything else is an unexpected answer. */
  expect: number[];
  /** The request asks for a 4xx on purpose. */
  deliberate?: boolean;
  /** Not part of the load (reading the outbox, reconciling): neither timed nor counted in the mix. */
  harness?: boolean;
}

const requestTimeoutMs = 30_000;

class Client {
  readonly samples: RequestSample[] = [];
  readonly unexpected: UnexpectedAnswer[] = [];
  readonly missingRoutes = new Set<string>();
  harnessRequests = 0;

  constructor(private readonly baseUrl: string) {}

  async call(method: string, path: string, options: CallOptions): Promise<Answer> {
    const { route, declared } = routeOf(method, path);
    const headers: Record<string, string> = {};
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const started = performance.now();
    let answer: Answer;
    try {
      const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(requestTimeoutMs) });
      const text = await response.text();
      const isJson = /json/.test(response.headers.get('content-type') ?? '');
      answer = { status: response.status, body: isJson && text ? JSON.parse(text) : text };
    } catch (error) {
      answer = { status: 0, body: `${(error as Error).name}: ${(error as Error).message}` };
    }
    const ms = performance.now() - started;
    if (options.harness) {
      this.harnessRequests++;
    } else {
      this.samples.push({ route, status: answer.status, ms, deliberate: options.deliberate === true && answer.status >= 400 && answer.status < 500 });
    }
    // A harness request's failure shows in the reconciliation it serves, not among the mix's answers.
    if (!options.expect.includes(answer.status) && !options.harness) {
      // A route not built yet is left out of the mix and named in the report, not counted as an error.
      if (answer.status === 404 && !declared && !route.includes(' /local/')) this.missingRoutes.add(route);
      else this.unexpected.push({ route, status: answer.status, detail: describeAnswer(answer) });
    }
    return answer;
  }
}

/** The declared route a request matched, e.g. `POST /v1/contacts/{contactId}/close`; the path itself for `/local/...`. */
function routeOf(method: string, path: string): { route: string; declared: boolean } {
  const bare = path.split('?')[0]!;
  const match = bare.startsWith('/local/') ? undefined : matchPath(method, bare);
  return match && 'route' in match ? { route: `${match.route.method} ${match.route.path}`, declared: true } : { route: `${method} ${bare}`, declared: false };
}

function describeAnswer(answer: Answer): string {
  if (typeof answer.body === 'string') return answer.body.replace(/\s+/g, ' ').slice(0, 200);
  const { title, detail, errors } = (answer.body ?? {}) as { title?: string; detail?: string; errors?: unknown };
  return [title, detail, errors ? JSON.stringify(errors) : undefined].filter(Boolean).join(' — ').slice(0, 300);
}

// ---------------------------------------------------------------- what the run creates and expects

type Consent = 'granted' | 'unknown';

interface LoadCustomer {
  customerId: string;
  phone: string;
  consent: Consent;
}

type SurveyMode = 'sms' | 'web' | 'unanswered';

interface LoadContact {
  contactId: string;
  tenant: LoadTenant;
  customer?: LoadCustomer;
  purpose: 'service' | 'care' | 'sales';
  channel: string;
  /** Set once a close was acknowledged. */
  closedOutcome?: string;
}

interface LoadTenant {
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

interface SurveyConversation {
  tenant: LoadTenant;
  contact: LoadContact;
  customer: LoadCustomer;
  mode: Exclude<SurveyMode, 'unanswered'>;
  repliesSent: number;
  /** Whether the survey is recorded as sent, so that its link and SMS replies find it. */
  surveyRecorded: boolean;
  dueAt: number;
}

const queues = ['billing', 'support', 'delivery'] as const;
const agents = ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', 'agent-6'] as const;
const reasonCodes = ['billing', 'delivery', 'returns', 'account'] as const;
const timezones = ['Asia/Taipei', 'Europe/London', 'America/New_York'] as const;
const completedText = 'Thank you for your answers';
const webLink = /(https?:\/\/\S+\/s\/[A-Za-z0-9_-]{43})/;

const randomOf = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const chance = (probability: number) => Math.random() < probability;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Phone numbers unique in the run; a customer's and a stranger's never share a prefix. */
class PhoneBook {
  private next = 0;
  private readonly prefix = String(10 + Math.floor(Math.random() * 80));
  /** Numbers no customer has: a prefix customers never get. */
  private readonly strangerPrefix = String((Number(this.prefix) + 10) % 90 + 10);
  customer = () => `+8869${this.prefix}${String(this.next++).padStart(6, '0')}`;
  stranger = () => `+8869${this.strangerPrefix}${String(this.next++).padStart(6, '0')}`;
}

// ---------------------------------------------------------------- the run

class LoadRun {
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
    const settings = await this.client.call('PATCH', '/v1/settings', {
      key: tenant.key,
      json: {
        sms: { originationIdentity: tenant.smsNumber },
        reasonCodes: reasonCodes.map((code) => ({ code, label: { en: code } })),
        // Every closed service or care contact of a consenting customer is surveyed, at once.
        surveys: { enabled: true, delayMinutes: 0, quietHours: null, suppressionDays: 0, samplingPercent: 100, dailyCap: null, requireExplicitConsent: true },
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
function smsAnswer(question: string): string {
  if (/satisfied/i.test(question)) return randomOf(['5', '5', '4', '4', '3', '2']);
  if (/done better/i.test(question)) return 'Shorter waiting times, please';
  if (/resolved/i.test(question)) return randomOf(['yes', 'yes', 'no']);
  if (/recommend/i.test(question)) return randomOf(['10', '9', '8', '6']);
  return 'ok';
}

/** The survey form filled in: one choice for each radio group on the page, free text left empty. */
function webAnswers(html: string): Record<string, string> {
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

// ---------------------------------------------------------------- reconciliation

async function inBatches<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Every write the API acknowledged, read back: the customers made, each contact open or closed with its outcome. */
async function checkWritesStored(run: LoadRun): Promise<Check> {
  const failures: string[] = [];
  let customers = 0;
  let contacts = 0;
  const reads: (() => Promise<void>)[] = [];
  for (const tenant of run.tenants) {
    for (const customer of tenant.customers) {
      customers++;
      reads.push(async () => {
        const read = await run.client.call('GET', `/v1/customers/${customer.customerId}`, { key: tenant.key, expect: [200], harness: true });
        if (read.status !== 200 || read.body.phone !== customer.phone) failures.push(`customer ${customer.customerId}: ${read.status} ${read.body?.phone ?? ''}`);
      });
    }
    for (const contact of tenant.contacts) {
      contacts++;
      reads.push(async () => {
        const read = await run.client.call('GET', `/v1/contacts/${contact.contactId}`, { key: tenant.key, expect: [200], harness: true });
        const expected = contact.closedOutcome ? `closed ${contact.closedOutcome}` : 'open';
        const stored = read.status === 200 ? (read.body.status === 'closed' ? `closed ${read.body.outcome}` : read.body.status) : `answered ${read.status}`;
        if (stored !== expected) failures.push(`contact ${contact.contactId}: expected ${expected}, stored ${stored}`);
      });
    }
  }
  await inBatches(reads, 8, (read) => read());
  return {
    name: 'every acknowledged write is stored',
    passed: failures.length === 0,
    summary: `${customers} customers (201) and ${contacts} contacts (201, ${run.activity['contacts closed']} closed with 200) read back`,
    failures,
  };
}

interface SurveyListItem {
  surveyId: string;
  contactId: string;
  status: string;
  notSentReason?: string;
}

/** All the tenant's surveys, page by page; undefined when a page is refused. */
async function listSurveys(run: LoadRun, tenant: LoadTenant): Promise<SurveyListItem[] | undefined> {
  const items: SurveyListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await run.client.call('GET', `/v1/surveys?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      key: tenant.key,
      expect: [200],
      harness: true,
    });
    if (page.status !== 200) return undefined;
    items.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** What the survey rules decide for a closed contact the run made not eligible: the reason it names. */
function expectedNotSentReason(contact: LoadContact): string {
  if (contact.purpose === 'sales') return 'purpose';
  if (!contact.customer) return 'no-contact-point';
  return 'no-consent';
}

/**
 * One survey decision per closed contact and none for an open one: an eligible contact's survey
 * sent with exactly one first SMS (and completed when the run answered it in full), any other's
 * not sent for the reason the rules give.
 */
async function checkSurveys(run: LoadRun): Promise<{ check: Check; sentByTenant: Map<string, number>; completedByTenant: Map<string, number> }> {
  const failures: string[] = [];
  const sentByTenant = new Map<string, number>();
  const completedByTenant = new Map<string, number>();
  const firstSms = new Map<string, number>();
  for (const sms of run.smsSeen.values()) {
    if (sms.context.purpose === 'survey' && sms.context.surveyId && webLink.test(sms.body)) {
      firstSms.set(sms.context.surveyId, (firstSms.get(sms.context.surveyId) ?? 0) + 1);
    }
  }
  let closedCount = 0;
  let surveysSent = 0;
  let notSent = 0;
  let eligible = 0;
  for (const tenant of run.tenants) {
    const items = await listSurveys(run, tenant);
    if (!items) {
      failures.push(`tenant ${tenant.tenantId}: GET /v1/surveys did not answer 200`);
      continue;
    }
    const byContact = new Map<string, SurveyListItem[]>();
    for (const item of items) byContact.set(item.contactId, [...(byContact.get(item.contactId) ?? []), item]);
    const contacts = new Map(tenant.contacts.map((contact) => [contact.contactId, contact]));
    for (const [contactId, ofContact] of byContact) {
      if (!contacts.get(contactId)?.closedOutcome) failures.push(`contact ${contactId} was not closed by the run but has ${ofContact.length} survey(s)`);
      else if (ofContact.length !== 1) failures.push(`contact ${contactId} has ${ofContact.length} surveys`);
    }
    let sent = 0;
    let completed = 0;
    for (const contact of tenant.contacts.filter((candidate) => candidate.closedOutcome)) {
      closedCount++;
      const survey = byContact.get(contact.contactId)?.[0];
      if (!survey) {
        failures.push(`closed contact ${contact.contactId} has no survey decision`);
        continue;
      }
      if (!tenant.eligible.has(contact.contactId)) {
        const reason = expectedNotSentReason(contact);
        if (survey.status !== 'not_sent' || survey.notSentReason !== reason) {
          failures.push(`survey ${survey.surveyId} of contact ${contact.contactId}: ${survey.status} ${survey.notSentReason ?? ''}, expected not_sent ${reason}`);
        } else notSent++;
        continue;
      }
      eligible++;
      if (['pending', 'not_sent'].includes(survey.status)) {
        failures.push(`survey ${survey.surveyId} is ${survey.status}${survey.notSentReason ? ` (${survey.notSentReason})` : ''}`);
        continue;
      }
      sent++;
      if (survey.status === 'completed') completed++;
      const copies = firstSms.get(survey.surveyId) ?? 0;
      if (copies !== 1) failures.push(`survey ${survey.surveyId}: ${copies} first-question SMS in the outbox`);
      if (run.completedContacts.has(contact.contactId) && survey.status !== 'completed') failures.push(`survey ${survey.surveyId} was answered in full but is ${survey.status}`);
    }
    surveysSent += sent;
    sentByTenant.set(tenant.tenantId, sent);
    completedByTenant.set(tenant.tenantId, completed);
  }
  const gaps = run.outboxGaps > 0 ? `; the outbox watch may have missed SMS ${run.outboxGaps} time(s)` : '';
  return {
    check: {
      name: 'every eligible contact got exactly one survey',
      passed: failures.length === 0,
      summary:
        `${closedCount} closed contacts: ${eligible} eligible, ${surveysSent} surveys sent, each with one first SMS (${firstSms.size} seen); ` +
        `${notSent} not sent for the expected reason; ${run.completedContacts.size} answered in full by the run and completed${gaps}`,
      failures,
    },
    sentByTenant,
    completedByTenant,
  };
}

/** Each tenant's summary over the run's period counts each closed contact once, and the surveys sent and completed. */
async function checkAnalytics(run: LoadRun, sentByTenant: Map<string, number>, completedByTenant: Map<string, number>): Promise<Check> {
  const name = 'every closed contact is counted once in analytics';
  const failures: string[] = [];
  const from = new Date(run.runStartedAt.getTime() - 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  let offered = 0;
  for (const tenant of run.tenants) {
    const summary = await run.client.call('GET', `/v1/analytics/summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
      key: tenant.key,
      expect: [200],
      harness: true,
    });
    if (summary.status === 404) return { name, passed: false, summary: 'GET /v1/analytics/summary is not served: analytics could not be checked', failures: [] };
    if (summary.status !== 200) {
      failures.push(`tenant ${tenant.tenantId}: summary answered ${summary.status}`);
      continue;
    }
    const closed = tenant.contacts.filter((contact) => contact.closedOutcome);
    const expected = {
      offered: closed.length,
      abandoned: closed.filter((contact) => contact.closedOutcome === 'abandoned').length,
      transferred: closed.filter((contact) => contact.closedOutcome === 'transferred').length,
      'surveys sent': sentByTenant.get(tenant.tenantId) ?? 0,
      'surveys completed': completedByTenant.get(tenant.tenantId) ?? 0,
    };
    const { contacts, surveys } = summary.body.metrics;
    const counted = {
      offered: contacts.offered,
      abandoned: contacts.abandoned,
      // The summary gives the transfer rate over handled contacts; the count is rate × handled.
      transferred: contacts.transferRate === null ? 0 : Math.round((contacts.transferRate * contacts.handled) / 100),
      'surveys sent': surveys?.sent,
      'surveys completed': surveys?.completed,
    };
    offered += counted.offered ?? 0;
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      if (counted[key] !== expected[key]) failures.push(`tenant ${tenant.tenantId}: ${key} ${counted[key]}, expected ${expected[key]}`);
    }
  }
  return {
    name,
    passed: failures.length === 0,
    summary: `offered ${offered} against ${run.activity['contacts closed']} closes acknowledged; abandoned, transfers, surveys sent and completed per tenant`,
    failures,
  };
}

async function checkDeadLetters(run: LoadRun): Promise<Check> {
  const letters = await run.client.call('GET', '/local/events/dead-letters', { expect: [200], harness: true });
  const items = (letters.body?.items ?? []) as { consumer?: string; event?: { 'detail-type'?: string }; error?: string }[];
  const stream = (letters.body?.stream ?? []) as unknown[];
  return {
    name: 'no dead letters',
    passed: letters.status === 200 && items.length === 0 && stream.length === 0,
    summary: `${items.length} dead-lettered deliveries, ${stream.length} stream relay failures`,
    failures: items.map((letter) => `${letter.consumer ?? '?'} ← ${letter.event?.['detail-type'] ?? '?'}: ${String(letter.error ?? '').slice(0, 160)}`),
  };
}

/** Runs the asynchronous checks until they pass or the settle time is up; the last results stand. */
async function reconcile(run: LoadRun, deadline: number): Promise<Check[]> {
  const writes = await checkWritesStored(run);
  for (;;) {
    const surveys = await checkSurveys(run);
    const analytics = await checkAnalytics(run, surveys.sentByTenant, surveys.completedByTenant);
    const deadLetters = await checkDeadLetters(run);
    const checks = [writes, analytics, surveys.check, deadLetters];
    if (checks.every((check) => check.passed) || Date.now() > deadline) return checks;
    await sleep(2_000);
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const options = readOptions();
  const command =
    `npm run load -- --tenants ${options.tenants} --duration ${options.durationSeconds} --concurrency ${options.concurrency} ` +
    `--max-requests ${options.maxRequests} --seed-customers ${options.seedCustomers} --settle-timeout ${options.settleSeconds}`;
  console.error(`Starting the twin (loopback only) for: ${command}`);
  const loadBefore = loadavg()[0]!;
  const twin = await startTwinProcess();
  let rssPeak = 0;
  const rssTimer = setInterval(() => void twin.rssMiB().then((rss) => (rssPeak = Math.max(rssPeak, rss))).catch(() => undefined), 1_000);
  try {
    const client = new Client(twin.url);
    // startTwinProcess's operator key; the twin listens on 127.0.0.1 only (HOST defaults to it).
    const run = new LoadRun(client, 'op_bench');

    const setupStarted = performance.now();
    for (let i = 0; i < options.tenants; i++) await run.setUp(i, options.seedCustomers);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    console.error(`Set up ${run.tenants.length} tenants in ${setupSeconds.toFixed(1)} s; running the mix…`);

    let watching = true;
    const outboxWatch = run.watchOutbox(() => !watching);
    const mixStarted = performance.now();
    const mixEnds = Date.now() + options.durationSeconds * 1000;
    const mixOver = () => Date.now() >= mixEnds || client.samples.length >= options.maxRequests;
    const settleDeadline = () => mixEnds + options.settleSeconds * 1000;
    let mixSeconds = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (!mixOver()) {
          const conversation = chance(0.4) ? run.takeDueConversation() : undefined;
          if (conversation) {
            await run.advanceConversation(conversation);
            continue;
          }
          const tenant = randomOf(run.tenants);
          const draw = Math.random();
          if (draw < 0.22) await run.lookUpById(tenant);
          else if (draw < 0.36) await run.lookUpByPhone(tenant);
          else if (draw < 0.54) await run.openContact(tenant);
          else if (draw < 0.8) await run.closeNextContact(tenant);
          else if (draw < 0.93) await run.readDashboard(tenant);
          else await run.deliberateMisses(tenant);
        }
        mixSeconds = Math.max(mixSeconds, (performance.now() - mixStarted) / 1000);
      }),
    );
    const settleStarted = performance.now();
    console.error(`Mix done: ${client.samples.length} requests in ${mixSeconds.toFixed(1)} s; finishing ${run.conversations.length} survey conversations…`);
    // Customers still in the middle of a survey finish it; the load is over, so one at a time per virtual user.
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (run.conversations.length > 0 && Date.now() < settleDeadline()) {
          const conversation = run.takeDueConversation();
          if (conversation) await run.advanceConversation(conversation);
          else await sleep(100);
        }
      }),
    );
    if (run.conversations.length > 0) {
      client.unexpected.push({ route: 'survey conversations', status: 0, detail: `${run.conversations.length} still waiting for an SMS at the settle deadline` });
    }
    const checks = await reconcile(run, settleDeadline());
    watching = false;
    await outboxWatch;

    const setup: LoadSetup = {
      command,
      tenants: options.tenants,
      seedCustomersPerTenant: options.seedCustomers,
      concurrency: options.concurrency,
      durationLimitSeconds: options.durationSeconds,
      maxRequests: options.maxRequests,
      setupSeconds,
    };
    const endRss = await twin.rssMiB();
    const result: LoadResult = {
      setup,
      mixSeconds,
      samples: client.samples,
      unexpected: client.unexpected,
      activity: run.activity,
      skippedRoutes: [...client.missingRoutes],
      settleSeconds: (performance.now() - settleStarted) / 1000,
      checks,
      twinRssMiB: { peak: Math.max(rssPeak, endRss), end: endRss },
      harnessRequests: client.harnessRequests,
      machine: { cores: availableParallelism(), loadBefore, loadAfter: loadavg()[0]! },
    };
    console.log(formatLoadReport(result));
    console.log(`\nMeasured ${new Date().toISOString()} with Node ${process.version} on ${process.arch}; the twin and DynamoDB Local on this machine, not AWS.`);
    return checks.every((check) => check.passed) && client.unexpected.length === 0 ? 0 : 1;
  } finally {
    clearInterval(rssTimer);
    await twin.stop();
  }
}

process.exitCode = await main();
