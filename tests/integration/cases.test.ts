import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import type { SlaKind } from '../../shared/schemas/case';
import { atExpression } from '../../shared/ports/scheduler';
import { signInPerson } from '../support/people-sign-in';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';
import { eventually, settle } from '../support/waiting';

let twin: TestTwin;
let key: string;
let tenantId: string;
let customerId: string;

/**
 * Scheduler calls that set a timer of one of these tenants fail while the count lasts (Infinity:
 * until removed): EventBridge Scheduler down, as far as those timers are concerned. Other tenants'
 * timers (other test files share the table, and this twin's consumers see their events) go through.
 */
const schedulerFailures = new Map<string, number>();
const realSchedulerSend = SchedulerClient.prototype.send;

beforeAll(async () => {
  twin = await startTestTwin({ events: { busRetryBaseDelayMs: 5 } });
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  tenantId = tenant.tenant.tenantId;
  customerId = (await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Case customer' } })).body.customerId;
  vi.spyOn(SchedulerClient.prototype, 'send').mockImplementation(function (this: SchedulerClient, ...args: unknown[]) {
    const [command] = args;
    if (command instanceof CreateScheduleCommand || command instanceof UpdateScheduleCommand) {
      const input = command.input as CreateScheduleCommandInput;
      for (const [failing, remaining] of schedulerFailures) {
        if (remaining > 0 && input.Target?.Input?.includes(failing)) {
          schedulerFailures.set(failing, remaining - 1);
          return Promise.reject(Object.assign(new Error('Scheduler unavailable'), { name: 'InternalServerException' }));
        }
      }
    }
    return (realSchedulerSend as (...a: unknown[]) => Promise<unknown>).apply(this, args);
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await twin.close();
});
afterEach(() => {
  schedulerFailures.clear();
  twin.bus.setDeliverTwice(false);
});

const hour = 60 * 60 * 1000;
const context = { functionName: 'test', awsRequestId: 'test' } as Context;
const openCase = (body: Record<string, unknown> = {}, apiKey = key, customer = customerId) =>
  api(twin.url, 'POST', '/v1/cases', {
    key: apiKey,
    body: { type: 'complaint', severity: 'medium', category: 'billing', subject: 'Charged twice', customerId: customer, ...body },
  });
const post = (caseId: string, body: unknown, headers: Record<string, string> = {}) =>
  api(twin.url, 'POST', `/v1/cases/${caseId}/events`, { key, body, headers });
const read = (caseId: string) => api(twin.url, 'GET', `/v1/cases/${caseId}`, { key });
const patch = async (caseId: string, body: unknown) => {
  const current = await read(caseId);
  return api(twin.url, 'PATCH', `/v1/cases/${caseId}`, { key, body, headers: { 'if-match': current.headers.get('etag')! } });
};


interface Timer {
  at: string;
  target: string;
  payload: Record<string, unknown>;
}

/** The case's timer in the twin's EventBridge Scheduler, if there is one. */
function timerOf(caseId: string, kind: SlaKind): Timer | undefined {
  try {
    const schedule = twin.scheduler.get(process.env.SCHEDULE_GROUP_NAME!, `${caseId}.${kind}`);
    return { at: schedule.ScheduleExpression!, target: schedule.Target!.Arn, payload: JSON.parse(schedule.Target!.Input ?? '{}') };
  } catch {
    return undefined;
  }
}

/** The due times the scheduler holds for the case: kind → dueAt of the timer's payload, for each timer that exists. */
function scheduledDeadlines(caseId: string): Partial<Record<SlaKind, string>> {
  const found: Partial<Record<SlaKind, string>> = {};
  for (const kind of ['firstResponse', 'resolution'] as const) {
    const timer = timerOf(caseId, kind);
    if (!timer) continue;
    expect(timer.at, `${kind} timer fires at its payload's dueAt`).toBe(atExpression(new Date(timer.payload.dueAt as string)));
    found[kind] = timer.payload.dueAt as string;
  }
  return found;
}

/**
 * Waits until the scheduler holds exactly these timers for the case, then lets every delivery in
 * flight finish and checks again: a late event must not change them.
 */
async function expectTimers(caseId: string, wanted: Partial<Record<SlaKind, string>>): Promise<void> {
  const normal = (timers: Partial<Record<SlaKind, string>>) => JSON.stringify(Object.entries(timers).sort());
  // On a timeout the expectation below says what differs.
  await eventually(() => normal(scheduledDeadlines(caseId)) === normal(wanted), `the timers of ${caseId}`).catch(() => undefined);
  expect(scheduledDeadlines(caseId), `timers of ${caseId}`).toEqual(wanted);
  await settle(twin);
  expect(scheduledDeadlines(caseId), `timers of ${caseId} once deliveries settled`).toEqual(wanted);
}

type DeadlinesEvent = EventBridgeEvent<
  'Case SLA Deadlines Changed',
  { tenantId: string; data: { caseId: string; caseVersion: number; firstResponse: { dueAt: string; state: string }; resolution: { dueAt: string; state: string } } }
>;

/** The case's `Case SLA Deadlines Changed` events seen on the bus, oldest first. */
const deadlineEvents = (caseId: string): DeadlinesEvent[] =>
  twin.bus.recent
    .map((record) => record.event as DeadlinesEvent)
    .filter((event) => event['detail-type'] === 'Case SLA Deadlines Changed' && event.detail.data.caseId === caseId)
    .reverse();

const deadlineEventOf = (caseId: string, caseVersion: number) =>
  eventually(() => deadlineEvents(caseId).find((event) => event.detail.data.caseVersion === caseVersion), `the deadlines event of version ${caseVersion}`);

async function fireTimer(payload: Record<string, unknown>) {
  const { handler } = await import('../../functions/sla-timer/handler');
  return handler(payload, { functionName: 'sla-timer', awsRequestId: 'test' } as Context);
}

describe('opening a case', () => {
  it("sets its deadlines from the tenant's policy and a timer for each", async () => {
    const opened = await openCase();
    expect(opened.status).toBe(201);
    const c = opened.body;
    expect(opened.headers.get('location')).toBe(`/v1/cases/${c.caseId}`);
    expect(opened.headers.get('etag')).toBe('"1"');
    expect(c).toMatchObject({ status: 'open', type: 'complaint', severity: 'medium', customerId, breached: false, version: 1 });
    // Complaints: 15 calendar days; Asia/Taipei has no DST, so exactly 15 × 24 h.
    expect(Date.parse(c.sla.resolution.dueAt) - Date.parse(c.openedAt)).toBe(15 * 24 * hour);
    expect(Date.parse(c.sla.firstResponse.dueAt)).toBeGreaterThan(Date.parse(c.openedAt));

    await expectTimers(c.caseId, { firstResponse: c.sla.firstResponse.dueAt, resolution: c.sla.resolution.dueAt });
    for (const kind of ['firstResponse', 'resolution'] as const) {
      expect(timerOf(c.caseId, kind)).toEqual({
        at: atExpression(new Date(c.sla[kind].dueAt)),
        target: `${process.env.FUNCTION_ARN_PREFIX}sla-timer`,
        payload: { tenantId, caseId: c.caseId, kind, dueAt: c.sla[kind].dueAt },
      });
    }
    // What the sla-timers consumer heard, and what a tenant's webhook for the type would get.
    expect((await deadlineEventOf(c.caseId, 1)).detail).toMatchObject({
      tenantId,
      data: {
        caseId: c.caseId,
        customerId,
        caseVersion: 1,
        firstResponse: { dueAt: c.sla.firstResponse.dueAt, state: 'running' },
        resolution: { dueAt: c.sla.resolution.dueAt, state: 'running' },
      },
    });
  });

  it('refuses a customer that does not exist, belongs to another tenant, or was erased, and writes nothing', async () => {
    const other = await createTenant(twin, { name: 'Other' });
    const theirs = (await api(twin.url, 'POST', '/v1/customers', { key: other.apiKey, body: { displayName: 'Theirs' } })).body.customerId;
    const erased = (await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Gone' } })).body.customerId;
    await api(twin.url, 'DELETE', `/v1/customers/${erased}`, { key });
    for (const id of ['cus_01JZZZZZZZZZZZZZZZZZZZZZZZ', theirs, erased, 'not-an-id']) {
      const refused = await openCase({ customerId: id });
      expect(refused.status, id).toBe(422);
      expect(refused.body.errors).toEqual([{ path: '$.customerId', message: 'No such customer' }]);
      const listed = await api(twin.url, 'GET', `/v1/cases?customerId=${id}`, { key });
      expect(listed.body.items).toEqual([]);
    }
  });

  it('validates its input with JSON paths', async () => {
    const bad = await openCase({ type: 'praise', severity: 'urgent', subject: '', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['$', '$.severity', '$.subject', '$.type']);
  });

  it('keeps the agent a case follows up, and refuses a survey that does not exist in the tenant or is not a survey id', async () => {
    // A real survey is followed up in tests/integration/survey-sms.test.ts (service recovery).
    const linked = await openCase({ agentId: 'agent-9' });
    expect(linked.status).toBe(201);
    expect((await read(linked.body.caseId)).body).toMatchObject({ agentId: 'agent-9' });
    const unknown = await openCase({ surveyId: 'svy_01JABCDEFGHJKMNPQRSTVWXYZ0', contactIds: ['con_01JZZZZZZZZZZZZZZZZZZZZZZ1'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['$.contactIds[0]', '$.surveyId']);
    const bad = await openCase({ surveyId: 'not-a-survey' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['$.surveyId']);
  });

  it('answers a retry with the same Idempotency-Key with the first case', async () => {
    const headers = { 'idempotency-key': `open-${Math.random()}` };
    const body = { type: 'inquiry', severity: 'low', category: 'hours', subject: 'Open on Sunday?', customerId };
    const first = await api(twin.url, 'POST', '/v1/cases', { key, body, headers });
    const again = await api(twin.url, 'POST', '/v1/cases', { key, body, headers });
    expect(again.status).toBe(201);
    expect(again.body.caseId).toBe(first.body.caseId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('the timeline and lifecycle', () => {
  it('runs open → in_progress → awaiting_customer → in_progress → resolved → closed → reopen, with every step on the timeline', async () => {
    const c = (await openCase()).body;
    const both = { firstResponse: c.sla.firstResponse.dueAt, resolution: c.sla.resolution.dueAt };
    await expectTimers(c.caseId, both);

    const internal = await post(c.caseId, { type: 'note', text: 'Checking the ledger' });
    expect(internal.status).toBe(201);
    expect(internal.body.case.sla.firstResponse.metAt).toBeUndefined();
    await expectTimers(c.caseId, both);

    const answered = await post(c.caseId, { type: 'note', text: 'We are looking into it', visibility: 'customer' });
    expect(answered.body.case.sla.firstResponse.metAt).toBe(answered.body.entry.at);
    await expectTimers(c.caseId, { resolution: c.sla.resolution.dueAt });

    for (const to of ['in_progress', 'awaiting_customer']) {
      const moved = await post(c.caseId, { type: 'status_change', to });
      expect(moved.status, to).toBe(201);
      expect(moved.body.entry).toMatchObject({ type: 'status_change', to });
    }
    const reply = await post(c.caseId, { type: 'customer_reply', channel: 'email', text: 'Here is the receipt' });
    expect(reply.body.case.status).toBe('in_progress');

    const resolved = await post(c.caseId, { type: 'status_change', to: 'resolved' });
    expect(resolved.body.case).toMatchObject({ status: 'resolved', sla: { resolution: { metAt: resolved.body.entry.at } } });
    await expectTimers(c.caseId, {});

    expect((await post(c.caseId, { type: 'status_change', to: 'closed' })).body.case.status).toBe('closed');
    const onClosed = await post(c.caseId, { type: 'note', text: 'late' });
    expect(onClosed.status).toBe(409);
    expect(onClosed.body.type).toMatch(/case-closed$/);
    expect((await patch(c.caseId, { subject: 'late' })).status).toBe(409);

    const reopened = await post(c.caseId, { type: 'status_change', to: 'open', reason: 'Charged again' });
    expect(reopened.status).toBe(201);
    const resolution = reopened.body.case.sla.resolution;
    expect(resolution.startedAt).toBe(reopened.body.entry.at);
    expect(Date.parse(resolution.dueAt) - Date.parse(resolution.startedAt)).toBe(15 * 24 * hour);
    await expectTimers(c.caseId, { resolution: resolution.dueAt });

    const full = await read(c.caseId);
    expect(full.status).toBe(200);
    expect(full.headers.get('etag')).toBe(`"${full.body.version}"`);
    expect(full.body.timelineTruncated).toBe(false);
    expect(full.body.timeline.map((e: { type: string; to?: string }) => e.to ?? e.type)).toEqual([
      'open',
      'note',
      'note',
      'in_progress',
      'awaiting_customer',
      'customer_reply',
      'in_progress',
      'resolved',
      'closed',
      'open',
    ]);
    expect(full.body.timeline[2]).toMatchObject({ text: 'We are looking into it', visibility: 'customer' });
  });

  it('names who made each change: a person by their agent id, an API key by its id', async () => {
    const c = (await openCase()).body;
    const email = `case.agent.${Math.random().toString(36).slice(2, 8)}@acme.test`;
    const invited = await api(twin.url, 'POST', '/v1/people', { key, body: { email, role: 'agent', agentId: 'case-agent-mei' } });
    expect(invited.status).toBe(201);
    const person = await signInPerson(twin, email);
    const byPerson = await api(twin.url, 'POST', `/v1/cases/${c.caseId}/events`, { key: person.accessToken, body: { type: 'note', text: 'Called back' } });
    expect(byPerson.status).toBe(201);
    expect(byPerson.body.entry.actor).toBe('case-agent-mei');
    const byKey = await post(c.caseId, { type: 'note', text: 'Filed by the integration' });
    expect(byKey.body.entry.actor).toMatch(/^key_[0-9A-Z]{26}$/);
    expect(key).toContain(`.${byKey.body.entry.actor}.`);
  });

  it('answers an illegal transition with 409 naming the allowed ones, and changes nothing', async () => {
    const c = (await openCase()).body;
    const illegal = await post(c.caseId, { type: 'status_change', to: 'resolved' });
    expect(illegal.status).toBe(409);
    expect(illegal.body).toMatchObject({ from: 'open', to: 'resolved', allowed: ['in_progress'] });
    expect((await read(c.caseId)).body).toMatchObject({ status: 'open', version: 1 });
  });

  it('assigns, links contacts, and honours If-Match on events', async () => {
    const c = (await openCase()).body;
    // agent:mei is agent mei, as contacts name it (one agent id).
    const assigned = await post(c.caseId, { type: 'assign', assignee: 'agent:mei' });
    expect(assigned.body.case.assignee).toBe('mei');
    const upper = await post(c.caseId, { type: 'assign', assignee: 'Mei' });
    expect(upper.status).toBe(400);
    expect(upper.body.errors).toEqual([{ path: '$.assignee', message: 'Agent ids are lower case; if this agent is mei, send that' }]);
    const contact = await api(twin.url, 'POST', '/v1/contacts', { key, body: { channel: 'chat', direction: 'inbound', purpose: 'service', customerId } });
    expect(contact.status).toBe(201);
    const linked = await post(c.caseId, { type: 'link_contact', contactId: contact.body.contactId });
    expect(linked.body.case.contactIds).toEqual([contact.body.contactId]);
    const unknown = await post(c.caseId, { type: 'link_contact', contactId: 'con_01JZZZZZZZZZZZZZZZZZZZZZZ1' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ path: '$.contactId', message: 'No such contact' }]);
    const stale = await post(c.caseId, { type: 'note', text: 'x' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    const unassigned = await post(c.caseId, { type: 'assign', assignee: null }, { 'if-match': `"${linked.body.case.version}"` });
    expect(unassigned.status).toBe(201);
    expect(unassigned.body.case).not.toHaveProperty('assignee');
    expect((await post(c.caseId, { type: 'shout' })).status).toBe(400);
  });

  it('answers 404 for a case that does not exist', async () => {
    for (const id of ['cas_01JZZZZZZZZZZZZZZZZZZZZZZZ', 'nonsense']) {
      expect((await read(id)).status).toBe(404);
      expect((await post(id, { type: 'note', text: 'x' })).status).toBe(404);
    }
  });
});

describe('changing a case', () => {
  it('requires If-Match, and moves the timers when the severity changes', async () => {
    const c = (await openCase({ severity: 'low' })).body;
    const without = await api(twin.url, 'PATCH', `/v1/cases/${c.caseId}`, { key, body: { severity: 'critical' } });
    expect(without.status).toBe(428);
    const stale = await api(twin.url, 'PATCH', `/v1/cases/${c.caseId}`, { key, body: { severity: 'critical' }, headers: { 'if-match': '"9"' } });
    expect(stale.status).toBe(412);

    await expectTimers(c.caseId, { firstResponse: c.sla.firstResponse.dueAt, resolution: c.sla.resolution.dueAt });
    const raised = await patch(c.caseId, { severity: 'critical' });
    expect(raised.status).toBe(200);
    expect(raised.headers.get('etag')).toBe('"2"');
    // Critical complaints: first response within 1 hour of opening.
    const firstResponse = raised.body.sla.firstResponse;
    expect(Date.parse(firstResponse.dueAt) - Date.parse(c.openedAt)).toBe(hour);
    // The resolution target is the same for every complaint severity, so its timer stays.
    expect(raised.body.sla.resolution).toEqual(c.sla.resolution);
    await expectTimers(c.caseId, { firstResponse: firstResponse.dueAt, resolution: c.sla.resolution.dueAt });
    expect((await deadlineEventOf(c.caseId, 2)).detail.data.firstResponse).toEqual({ dueAt: firstResponse.dueAt, state: 'running' });

    // A change that moves no deadline sets nothing.
    const recategorised = await patch(c.caseId, { category: 'refunds' });
    expect(recategorised.status).toBe(200);
    await twin.bus.settled();
    expect(deadlineEvents(c.caseId).map((event) => event.detail.data.caseVersion)).toEqual([1, 2]);
  });

  it('keeps a service recovery record on complaints, with valid compensation', async () => {
    const c = (await openCase()).body;
    const recovered = await patch(c.caseId, {
      serviceRecovery: { apologyGiven: true, remedy: 'Refund of the double charge', compensation: { type: 'refund', amount: 1250, currency: 'TWD' } },
    });
    expect(recovered.status).toBe(200);
    const followed = await patch(c.caseId, {
      serviceRecovery: { followUp: { customerSatisfied: true, checkedAt: '2026-03-20T10:00:00+08:00' } },
    });
    expect(followed.body.serviceRecovery).toEqual({
      apologyGiven: true,
      remedy: 'Refund of the double charge',
      compensation: { type: 'refund', amount: 1250, currency: 'TWD' },
      followUp: { customerSatisfied: true, checkedAt: '2026-03-20T10:00:00+08:00' },
    });

    const bad = await patch(c.caseId, { serviceRecovery: { compensation: { type: 'refund', amount: -1, currency: 'XXY' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '$.serviceRecovery.compensation.amount',
      '$.serviceRecovery.compensation.currency',
    ]);
    const fractionalYen = await patch(c.caseId, { serviceRecovery: { compensation: { type: 'credit', amount: 10.5, currency: 'JPY' } } });
    expect(fractionalYen.status).toBe(400);

    const request = (await openCase({ type: 'request' })).body;
    const notComplaint = await patch(request.caseId, { serviceRecovery: { apologyGiven: true } });
    expect(notComplaint.status).toBe(400);
    expect(notComplaint.body.errors).toEqual([{ path: '$.serviceRecovery', message: 'Only complaints have a service recovery record' }]);
  });
});

describe('listing cases', () => {
  it('filters by status, type, assignee, customer and breach, and pages with a cursor', async () => {
    const customer = (await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Lister' } })).body.customerId;
    const assignee = `agent:list-${Date.now()}`;
    const a = (await openCase({ customerId: customer, assignee, type: 'request' })).body;
    const b = (await openCase({ customerId: customer, assignee })).body;
    const c = (await openCase({ customerId: customer })).body;
    await post(b.caseId, { type: 'status_change', to: 'in_progress' });
    await fireTimer({ tenantId, caseId: c.caseId, kind: 'firstResponse', dueAt: c.sla.firstResponse.dueAt });

    const ids = async (query: string) => {
      const page = await api(twin.url, 'GET', `/v1/cases?${query}`, { key });
      expect(page.status, query).toBe(200);
      return page.body.items.map((item: { caseId: string }) => item.caseId);
    };
    expect(await ids(`customerId=${customer}`)).toEqual([a.caseId, b.caseId, c.caseId]);
    expect(await ids(`customerId=${customer}&status=open`)).toEqual([a.caseId, c.caseId]);
    expect(await ids(`assignee=${assignee}`)).toEqual([a.caseId, b.caseId]);
    expect(await ids(`assignee=${assignee}&type=complaint`)).toEqual([b.caseId]);
    expect(await ids(`customerId=${customer}&breached=true`)).toEqual([c.caseId]);
    expect(await ids('status=in_progress&limit=100')).toContain(b.caseId);
    expect(await ids('status=in_progress&limit=100')).not.toContain(a.caseId);
    expect(await ids('breached=true&limit=100')).toContain(c.caseId);

    const first = await api(twin.url, 'GET', `/v1/cases?customerId=${customer}&limit=2`, { key });
    expect(first.body.items).toHaveLength(2);
    const second = await api(twin.url, 'GET', `/v1/cases?customerId=${customer}&limit=2&cursor=${first.body.nextCursor}`, { key });
    expect(second.body.items.map((i: { caseId: string }) => i.caseId)).toEqual([c.caseId]);
    const wrongList = await api(twin.url, 'GET', `/v1/cases?status=open&cursor=${first.body.nextCursor}`, { key });
    expect(wrongList.status).toBe(400);
    expect((await api(twin.url, 'GET', '/v1/cases?status=pending', { key })).status).toBe(400);
  });
});

describe('SLA timers', () => {
  it('marks the case breached when its timer fires, escalates per policy, and records it once', async () => {
    const settings = await api(twin.url, 'PATCH', '/v1/settings', {
      key,
      body: { slaPolicy: { escalation: { firstResponse: { raiseSeverity: true, assignTo: 'queue:supervisors' } } } },
    });
    expect(settings.status).toBe(200);
    expect(settings.body.slaPolicy.escalation.firstResponse).toEqual({ raiseSeverity: true, assignTo: 'queue:supervisors' });
    expect(settings.body.slaPolicy.targets.complaint.medium.resolution).toEqual({ amount: 15, unit: 'days' });

    const c = (await openCase({ severity: 'medium' })).body;
    const payload = (await eventually(() => timerOf(c.caseId, 'firstResponse'), 'the first-response timer')).payload;
    expect(await fireTimer(payload)).toBe('breached');
    expect(await fireTimer(payload)).toBe('ignored');

    const after = (await read(c.caseId)).body;
    expect(after).toMatchObject({
      breached: true,
      severity: 'high',
      assignee: 'queue:supervisors',
      sla: { firstResponse: { dueAt: c.sla.firstResponse.dueAt, breachedAt: c.sla.firstResponse.dueAt } },
      escalations: [{ kind: 'firstResponse', fromSeverity: 'medium', toSeverity: 'high' }],
    });
    expect(after.sla.resolution).toEqual(c.sla.resolution);
    expect(after.timeline.filter((e: { type: string }) => e.type === 'sla_breached')).toEqual([
      expect.objectContaining({ kind: 'firstResponse', dueAt: c.sla.firstResponse.dueAt, actor: 'system', severity: 'high' }),
    ]);
    await api(twin.url, 'PATCH', '/v1/settings', { key, body: { slaPolicy: { escalation: { firstResponse: { assignTo: null } } } } });
  });

  it('refuses an SLA policy patch that is not a policy, naming the field', async () => {
    const bad = await api(twin.url, 'PATCH', '/v1/settings', {
      key,
      body: { slaPolicy: { targets: { complaint: { low: { resolution: { amount: 2, unit: 'weeks' } } } } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['$.slaPolicy.targets.complaint.low.resolution.unit']);
    const tooLong = await api(twin.url, 'PATCH', '/v1/settings', {
      key,
      body: { slaPolicy: { targets: { inquiry: { high: { firstResponse: { amount: 400, unit: 'days' } } } } } },
    });
    expect(tooLong.status).toBe(400);
  });

  it('does nothing for a timer whose deadline moved, was met, or whose case was resolved', async () => {
    const moved = (await openCase({ severity: 'low' })).body;
    const raised = (await patch(moved.caseId, { severity: 'high' })).body;
    expect(raised.sla.firstResponse.dueAt).not.toBe(moved.sla.firstResponse.dueAt);
    expect(await fireTimer({ tenantId, caseId: moved.caseId, kind: 'firstResponse', dueAt: moved.sla.firstResponse.dueAt })).toBe('ignored');
    expect((await read(moved.caseId)).body).toMatchObject({ breached: false, severity: 'high', version: 2 });

    const met = (await openCase()).body;
    await post(met.caseId, { type: 'status_change', to: 'in_progress' });
    expect(await fireTimer({ tenantId, caseId: met.caseId, kind: 'firstResponse', dueAt: met.sla.firstResponse.dueAt })).toBe('ignored');
    await post(met.caseId, { type: 'status_change', to: 'resolved' });
    expect(await fireTimer({ tenantId, caseId: met.caseId, kind: 'resolution', dueAt: met.sla.resolution.dueAt })).toBe('ignored');
    expect((await read(met.caseId)).body.breached).toBe(false);

    expect(await fireTimer({ tenantId: 'ten_other', caseId: met.caseId, kind: 'resolution', dueAt: met.sla.resolution.dueAt })).toBe('ignored');
    expect(await fireTimer({ tenantId, caseId: met.caseId, kind: 'never' })).toBe('invalid');
  });
});

describe('SLA timers, set by the sla-timers consumer from the events', () => {
  /** A tenant of its own, so that failing its timers leaves the other tests' alone. */
  async function otherTenant(name: string) {
    const tenant = await createTenant(twin, { name });
    const customer = (await api(twin.url, 'POST', '/v1/customers', { key: tenant.apiKey, body: { displayName: name } })).body.customerId;
    return { key: tenant.apiKey, tenantId: tenant.tenant.tenantId as string, customerId: customer as string };
  }

  const slaTimersDeliveries = (caseId: string) =>
    twin.bus.deliveries.filter(
      (delivery) =>
        delivery.consumer === 'sla-timers' &&
        (delivery.event.detail as DeadlinesEvent['detail']).data.caseId === caseId,
    );

  it('sets the timers once EventBridge Scheduler is back, after failing for a while', async () => {
    const flaky = await otherTenant('Flaky scheduler');
    // The first six calls fail (a delivery makes two), so the first deliveries fail and EventBridge retries them.
    schedulerFailures.set(flaky.tenantId, 6);
    const opened = await openCase({}, flaky.key, flaky.customerId);
    expect(opened.status).toBe(201);
    const c = opened.body;

    await expectTimers(c.caseId, { firstResponse: c.sla.firstResponse.dueAt, resolution: c.sla.resolution.dueAt });
    expect(schedulerFailures.get(flaky.tenantId)).toBe(0);
    const [delivery] = slaTimersDeliveries(c.caseId);
    expect(delivery!.status).toBe('delivered');
    expect(delivery!.attempts).toBeGreaterThan(1);
    expect(twin.bus.deadLetters.filter((letter) => (letter.event.detail as DeadlinesEvent['detail']).data?.caseId === c.caseId)).toEqual([]);
  });

  it('dead-letters the event when the Scheduler stays down past the retries, and the redriven event sets the timers', async () => {
    const down = await otherTenant('Scheduler down');
    schedulerFailures.set(down.tenantId, Infinity);
    const c = (await openCase({}, down.key, down.customerId)).body;

    const letter = await eventually(
      () =>
        twin.bus.deadLetters.find(
          (dead) => dead.consumer === 'sla-timers' && (dead.event.detail as DeadlinesEvent['detail']).data.caseId === c.caseId,
        ),
      'the dead letter',
    );
    // In AWS the rule's DLQ alarm fires here; the case itself is committed and says what is missing.
    expect(letter).toMatchObject({ subscription: 'case-sla-timers', attempts: 9 });
    expect(letter.error).toContain('Scheduler unavailable');
    expect(scheduledDeadlines(c.caseId)).toEqual({});
    expect((await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key: down.key })).body.status).toBe('open');

    // The Scheduler is back; the operator redrives the DLQ by invoking the consumer with each message (docs/developers/events.md).
    schedulerFailures.delete(down.tenantId);
    const { handler } = await import('../../functions/sla-timers/handler');
    await handler(letter.event, context);
    expect(scheduledDeadlines(c.caseId)).toEqual({ firstResponse: c.sla.firstResponse.dueAt, resolution: c.sla.resolution.dueAt });
    // Redriving twice is harmless.
    await handler(letter.event, context);
    expect(scheduledDeadlines(c.caseId)).toEqual({ firstResponse: c.sla.firstResponse.dueAt, resolution: c.sla.resolution.dueAt });
  }, 30_000);

  it('leaves the right timers when every event is delivered twice', async () => {
    twin.bus.setDeliverTwice(true);
    const c = (await openCase({ severity: 'low' })).body;
    await expectTimers(c.caseId, { firstResponse: c.sla.firstResponse.dueAt, resolution: c.sla.resolution.dueAt });
    const raised = (await patch(c.caseId, { severity: 'high' })).body;
    await expectTimers(c.caseId, { firstResponse: raised.sla.firstResponse.dueAt, resolution: raised.sla.resolution.dueAt });
    await post(c.caseId, { type: 'note', text: 'On it', visibility: 'customer' });
    await expectTimers(c.caseId, { resolution: raised.sla.resolution.dueAt });
    expect(slaTimersDeliveries(c.caseId).map((delivery) => delivery.status)).toEqual(Array(6).fill('delivered'));
  });

  it('does not let an old event, delivered late, bring back a moved or stopped timer', async () => {
    const c = (await openCase({ severity: 'low' })).body;
    const whenOpened = await deadlineEventOf(c.caseId, 1);
    const raised = (await patch(c.caseId, { severity: 'critical' })).body;
    const whenRaised = await deadlineEventOf(c.caseId, 2);
    expect(raised.sla.firstResponse.dueAt).not.toBe(c.sla.firstResponse.dueAt);
    await expectTimers(c.caseId, { firstResponse: raised.sla.firstResponse.dueAt, resolution: raised.sla.resolution.dueAt });

    // The opening's event again, after the severity change: the timer stays where the change put it.
    const redeliver = async (event: DeadlinesEvent) => {
      twin.bus.putEvents([{ EventBusName: twin.bus.name, Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail) }]);
      await twin.bus.settled();
    };
    await redeliver(whenOpened);
    await expectTimers(c.caseId, { firstResponse: raised.sla.firstResponse.dueAt, resolution: raised.sla.resolution.dueAt });

    await post(c.caseId, { type: 'status_change', to: 'in_progress' });
    await post(c.caseId, { type: 'status_change', to: 'resolved' });
    await expectTimers(c.caseId, {});
    for (const late of [whenOpened, whenRaised]) {
      await redeliver(late);
      await expectTimers(c.caseId, {});
    }
  });
});

describe("on the twin's driven clock", () => {
  it('breaches a case when the clock passes its deadline, and publishes Case SLA Breached once', async () => {
    // A short first-response target, so that moving the clock to it fires no other test's timers.
    const clocked = await createTenant(twin, { name: 'Clocked' });
    const clockedKey = clocked.apiKey;
    const policy = await api(twin.url, 'PATCH', '/v1/settings', {
      key: clockedKey,
      body: { slaPolicy: { targets: { complaint: { medium: { firstResponse: { amount: 10, unit: 'minutes' } } } } } },
    });
    expect(policy.status).toBe(200);
    const customer = (await api(twin.url, 'POST', '/v1/customers', { key: clockedKey, body: { displayName: 'Clocked' } })).body.customerId;
    const c = (await openCase({ severity: 'medium' }, clockedKey, customer)).body;
    const readClocked = async () => (await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key: clockedKey })).body;
    expect(Date.parse(c.sla.firstResponse.dueAt) - Date.parse(c.openedAt)).toBe(10 * 60_000);
    await expectTimers(c.caseId, { firstResponse: c.sla.firstResponse.dueAt, resolution: c.sla.resolution.dueAt });

    // A minute before the deadline nothing happens; just past it, the timer fires.
    twin.clock.set(new Date(Date.parse(c.sla.firstResponse.dueAt) - 60_000));
    await twin.scheduler.settled();
    expect((await readClocked()).breached).toBe(false);
    try {
      twin.clock.set(new Date(Date.parse(c.sla.firstResponse.dueAt) + 1_000));
      const breached = await eventually(async () => {
        await twin.scheduler.settled();
        const current = await readClocked();
        return current.breached ? current : undefined;
      }, 'the breach');
      expect(breached).toMatchObject({ severity: 'high', sla: { firstResponse: { breachedAt: c.sla.firstResponse.dueAt } } });
      // The fired timer is gone; the resolution's stays.
      await expectTimers(c.caseId, { resolution: c.sla.resolution.dueAt });

      const published = () =>
        twin.bus.recent.filter(
          (record) =>
            record.event['detail-type'] === 'Case SLA Breached' &&
            (record.event.detail as { data: { caseId: string } }).data.caseId === c.caseId,
        );
      const [event] = await eventually(() => (published().length > 0 ? published() : undefined), 'Case SLA Breached on the bus');
      expect(event!.event.detail).toMatchObject({
        tenantId: clocked.tenant.tenantId,
        data: { caseId: c.caseId, kind: 'firstResponse', dueAt: c.sla.firstResponse.dueAt, severity: 'high', escalated: true },
      });
      expect((await deadlineEventOf(c.caseId, breached.version)).detail.data.firstResponse).toEqual({
        dueAt: c.sla.firstResponse.dueAt,
        state: 'breached',
      });
      // The same timer delivered again (Scheduler is at-least-once) changes and emits nothing.
      expect(
        await fireTimer({ tenantId: clocked.tenant.tenantId, caseId: c.caseId, kind: 'firstResponse', dueAt: c.sla.firstResponse.dueAt }),
      ).toBe('ignored');
      await settle(twin);
      expect(published()).toHaveLength(1);
      expect((await readClocked()).version).toBe(breached.version);
    } finally {
      twin.clock.set(new Date());
    }
  });
});
