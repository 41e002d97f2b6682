import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInPerson } from '../support/people-sign-in';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

/**
 * The agents' desk on the case routes (issue 14 §1, §4): claiming, My work and the team queue by
 * nearest deadline, the workload, who may reassign, and service recovery steps on the timeline.
 */

let twin: TestTwin;
let key: string;
let customerId: string;
const token: Record<'mei' | 'wei' | 'lead', string> = { mei: '', wei: '', lead: '' };

/** Deadlines in minutes, so that their order is the severities' order and no business calendar is involved. */
const minutes = (firstResponse: number, resolution: number) => ({
  firstResponse: { amount: firstResponse, unit: 'minutes' },
  resolution: { amount: resolution, unit: 'minutes' },
});

beforeAll(async () => {
  twin = await startTestTwin({ functionsFollowClock: true });
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  const settings = await api(twin.url, 'PATCH', '/v1/settings', {
    key,
    headers: { 'if-match': '*' },
    body: {
      slaPolicy: {
        targets: { complaint: { low: minutes(600, 6000), medium: minutes(300, 5000), high: minutes(120, 4000), critical: minutes(60, 3000) } },
        escalation: { firstResponse: { raiseSeverity: false }, resolution: { raiseSeverity: false } },
      },
    },
  });
  expect(settings.status).toBe(200);
  customerId = (await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Desk customer' } })).body.customerId;
  const people: [keyof typeof token, string, string][] = [
    ['mei', 'agent', 'desk-mei'],
    ['wei', 'agent', 'desk-wei'],
    ['lead', 'supervisor', 'desk-lead'],
  ];
  for (const [name, role, agentId] of people) {
    const email = `desk.${name}.${Math.random().toString(36).slice(2, 8)}@acme.test`;
    const invited = await api(twin.url, 'POST', '/v1/people', { key, body: { email, role, agentId, displayName: `Desk ${name}` } });
    expect(invited.status).toBe(201);
    token[name] = (await signInPerson(twin, email)).accessToken;
  }
}, 120_000);
afterAll(async () => {
  await twin.close();
});

const openCase = async (body: Record<string, unknown> = {}) => {
  const opened = await api(twin.url, 'POST', '/v1/cases', {
    key,
    body: { type: 'complaint', category: 'billing', subject: 'Charged twice', customerId, ...body },
  });
  expect(opened.status).toBe(201);
  return opened.body as { caseId: string; version: number; sla: { firstResponse: { dueAt: string } } };
};
const claim = (caseId: string, as: string) => api(twin.url, 'POST', `/v1/cases/${caseId}/claim`, { key: as });
const event = (caseId: string, body: unknown, as = key) => api(twin.url, 'POST', `/v1/cases/${caseId}/events`, { key: as, body });
const ids = (page: { body: { items: { caseId: string }[] } }) => page.body.items.map((item) => item.caseId);

describe('claiming a case', () => {
  it('two agents claiming at once: exactly one wins, the other is told who holds it, and nothing is written twice', async () => {
    const c = await openCase();
    const [a, b] = await Promise.all([claim(c.caseId, token.mei), claim(c.caseId, token.wei)]);
    const answers = [a, b].sort((x, y) => x.status - y.status);
    expect(answers.map((answer) => answer.status)).toEqual([200, 409]);
    const [won, lost] = answers as [typeof a, typeof a];
    const winner = won.body.assignee as string;
    expect(['desk-mei', 'desk-wei']).toContain(winner);
    expect(lost.headers.get('content-type')).toBe('application/problem+json');
    expect(lost.body).toMatchObject({ type: '/problems/case-already-claimed', status: 409, assignee: winner });
    expect(lost.body.detail).toContain(winner);

    const read = await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key });
    expect(read.body).toMatchObject({ assignee: winner, version: 2 });
    expect(read.body.timeline.filter((entry: { type: string }) => entry.type === 'assign')).toEqual([
      expect.objectContaining({ assignee: winner, actor: winner, reason: 'claimed' }),
    ]);
  });

  it('claiming a case you hold already answers 200 and changes nothing', async () => {
    const c = await openCase();
    expect((await claim(c.caseId, token.mei)).body.version).toBe(2);
    const again = await claim(c.caseId, token.mei);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ assignee: 'desk-mei', version: 2 });
  });

  it('takes a case assigned to a queue, refuses a closed one, and refuses an API key (it has no agent id)', async () => {
    const queued = await openCase({ assignee: 'queue:billing' });
    expect((await claim(queued.caseId, token.wei)).body.assignee).toBe('desk-wei');

    const byKey = await claim((await openCase()).caseId, key);
    expect(byKey.status).toBe(403);
    expect(byKey.body.type).toBe('/problems/person-required');

    const closed = await openCase();
    for (const to of ['in_progress', 'resolved', 'closed']) expect((await event(closed.caseId, { type: 'status_change', to })).status).toBe(201);
    const late = await claim(closed.caseId, token.mei);
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('/problems/case-closed');
  });

  it('answers 404 for a case of no one', async () => {
    expect((await claim('cas_01JZZZZZZZZZZZZZZZZZZZZZZZ', token.mei)).status).toBe(404);
  });
});

describe('My work and the team queue, nearest deadline first', () => {
  it("lists the person's open cases, overdue first, then by deadline, and follows a severity change and a resolution", async () => {
    const agentId = 'desk-order';
    const email = `desk.order.${Math.random().toString(36).slice(2, 8)}@acme.test`;
    expect((await api(twin.url, 'POST', '/v1/people', { key, body: { email, role: 'agent', agentId } })).status).toBe(201);
    const me = (await signInPerson(twin, email)).accessToken;

    const low = await openCase({ severity: 'low', assignee: agentId });
    const critical = await openCase({ severity: 'critical', assignee: agentId });
    const medium = await openCase({ severity: 'medium', assignee: agentId });
    // Opened three hours ago: its first response (due in an hour) is overdue now.
    twin.clock.set(new Date(Date.now() - 3 * 60 * 60_000));
    const overdue = await openCase({ severity: 'critical', assignee: agentId });
    twin.clock.set(new Date());
    const resolved = await openCase({ severity: 'critical', assignee: agentId });
    for (const to of ['in_progress', 'resolved']) expect((await event(resolved.caseId, { type: 'status_change', to })).status).toBe(201);
    await openCase({ severity: 'critical', assignee: 'desk-someone-else' });

    const mine = await api(twin.url, 'GET', '/v1/me/cases', { key: me });
    expect(mine.status).toBe(200);
    expect(ids(mine)).toEqual([overdue.caseId, critical.caseId, medium.caseId, low.caseId]);

    // Paged: the cursor carries on where the page ended.
    const first = await api(twin.url, 'GET', '/v1/me/cases?limit=2', { key: me });
    expect(ids(first)).toEqual([overdue.caseId, critical.caseId]);
    const rest = await api(twin.url, 'GET', `/v1/me/cases?limit=2&cursor=${first.body.nextCursor}`, { key: me });
    expect(ids(rest)).toEqual([medium.caseId, low.caseId]);

    // Raising the severity moves its deadline nearer, and its place with it, in the same write.
    const read = await api(twin.url, 'GET', `/v1/cases/${low.caseId}`, { key });
    expect((await api(twin.url, 'PATCH', `/v1/cases/${low.caseId}`, { key, body: { severity: 'high' }, headers: { 'if-match': read.headers.get('etag')! } })).status).toBe(200);
    expect(ids(await api(twin.url, 'GET', '/v1/me/cases', { key: me }))).toEqual([overdue.caseId, critical.caseId, low.caseId, medium.caseId]);

    // Resolved, a case leaves My work.
    for (const to of ['in_progress', 'resolved']) expect((await event(critical.caseId, { type: 'status_change', to })).status).toBe(201);
    expect(ids(await api(twin.url, 'GET', '/v1/me/cases', { key: me }))).toEqual([overdue.caseId, low.caseId, medium.caseId]);

    // The assignee filter of the general list uses the same order, the finished cases after.
    const listed = await api(twin.url, 'GET', `/v1/cases?assignee=${agentId}`, { key });
    expect(ids(listed)).toEqual([overdue.caseId, low.caseId, medium.caseId, critical.caseId, resolved.caseId]);
  });

  it('My work refuses an API key with a problem saying why', async () => {
    const answer = await api(twin.url, 'GET', '/v1/me/cases', { key });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ type: '/problems/person-required' });
    expect(answer.body.detail).toMatch(/API key has no agent id/);
  });

  it('the team queue lists unassigned open cases by deadline; a claimed or assigned case leaves it; ?queue= lists a queue', async () => {
    const before = new Set(ids(await api(twin.url, 'GET', '/v1/case-queue?limit=100', { key })));
    const medium = await openCase({ severity: 'medium' });
    const critical = await openCase({ severity: 'critical' });
    const queued = await openCase({ severity: 'high', assignee: 'queue:desk-vip' });
    const queue = ids(await api(twin.url, 'GET', '/v1/case-queue?limit=100', { key })).filter((id) => !before.has(id));
    expect(queue).toEqual([critical.caseId, medium.caseId]);

    expect((await claim(critical.caseId, token.mei)).status).toBe(200);
    const afterClaim = ids(await api(twin.url, 'GET', '/v1/case-queue?limit=100', { key }));
    expect(afterClaim).toContain(medium.caseId);
    expect(afterClaim).not.toContain(critical.caseId);
    // Unassigned again, it is back in the queue.
    expect((await event(critical.caseId, { type: 'assign', assignee: null }, token.mei)).status).toBe(201);
    expect(ids(await api(twin.url, 'GET', '/v1/case-queue?limit=100', { key }))).toContain(critical.caseId);

    expect(ids(await api(twin.url, 'GET', '/v1/case-queue?queue=desk-vip', { key }))).toEqual([queued.caseId]);
  });
});

describe('reassigning and the workload', () => {
  it("refuses an agent reassigning another agent's case; lets them give away their own and a supervisor any", async () => {
    const c = await openCase();
    expect((await claim(c.caseId, token.mei)).status).toBe(200);

    const byEvent = await event(c.caseId, { type: 'assign', assignee: 'desk-wei' }, token.wei);
    expect(byEvent.status).toBe(403);
    expect(byEvent.body).toMatchObject({ type: '/problems/forbidden' });
    expect(byEvent.body.detail).toContain('desk-mei');
    const read = await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key });
    const byPatch = await api(twin.url, 'PATCH', `/v1/cases/${c.caseId}`, { key: token.wei, body: { assignee: null }, headers: { 'if-match': read.headers.get('etag')! } });
    expect(byPatch.status).toBe(403);
    expect((await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key })).body).toMatchObject({ assignee: 'desk-mei', version: read.body.version });

    expect((await event(c.caseId, { type: 'assign', assignee: 'desk-wei' }, token.mei)).status).toBe(201);
    expect((await event(c.caseId, { type: 'assign', assignee: 'desk-mei' }, token.lead)).status).toBe(201);
    expect((await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key })).body.assignee).toBe('desk-mei');
  });

  it("shows a supervisor each agent's open, overdue and due-soon cases; refuses an agent", async () => {
    const agentId = 'desk-load';
    const email = `desk.load.${Math.random().toString(36).slice(2, 8)}@acme.test`;
    expect((await api(twin.url, 'POST', '/v1/people', { key, body: { email, role: 'agent', agentId, displayName: 'Load Lin' } })).status).toBe(201);
    twin.clock.set(new Date(Date.now() - 3 * 60 * 60_000));
    const overdue = await openCase({ severity: 'critical', assignee: agentId });
    twin.clock.set(new Date());
    await openCase({ severity: 'critical', assignee: agentId }); // due within the hour
    await openCase({ severity: 'low', assignee: agentId });

    const workload = await api(twin.url, 'GET', '/v1/case-workload', { key: token.lead });
    expect(workload.status).toBe(200);
    expect(workload.body.dueSoonMinutes).toBe(60);
    const load = workload.body.agents.find((agent: { agentId: string }) => agent.agentId === agentId);
    expect(load).toMatchObject({ displayName: 'Load Lin', role: 'agent', open: 3, breached: 1, dueSoon: 1, nextDueAt: overdue.sla.firstResponse.dueAt });
    expect(workload.body.unassigned.open).toBeGreaterThan(0);

    const byAgent = await api(twin.url, 'GET', '/v1/case-workload', { key: token.mei });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.type).toBe('/problems/forbidden');
  });
});

describe('service recovery steps and the allowed moves', () => {
  it('records each step on the record and as a timeline entry with its time and actor', async () => {
    const c = await openCase();
    const steps = [
      { step: 'apology' },
      { step: 'remedy', remedy: 'Refund the duplicate charge' },
      { step: 'compensation', compensation: { type: 'credit', amount: 200, currency: 'TWD' } },
      { step: 'follow_up', customerSatisfied: true },
    ];
    for (const step of steps) {
      const recorded = await event(c.caseId, { type: 'service_recovery', ...step }, token.mei);
      expect(recorded.status).toBe(201);
      expect(recorded.body.entry).toMatchObject({ type: 'service_recovery', step: step.step, actor: 'desk-mei' });
    }
    const read = await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key });
    expect(read.body.serviceRecovery).toMatchObject({
      apologyGiven: true,
      remedy: 'Refund the duplicate charge',
      compensation: { type: 'credit', amount: 200, currency: 'TWD' },
      followUp: { customerSatisfied: true },
    });
    const entries = read.body.timeline.filter((entry: { type: string }) => entry.type === 'service_recovery');
    expect(entries.map((entry: { step: string }) => entry.step)).toEqual(['apology', 'remedy', 'compensation', 'follow_up']);
    expect(entries[1]).toMatchObject({ text: 'Refund the duplicate charge' });
    expect(entries[2]).toMatchObject({ compensation: { type: 'credit', amount: 200, currency: 'TWD' } });
    expect(entries[3]).toMatchObject({ customerSatisfied: true });
    expect(read.body.serviceRecovery.followUp.checkedAt).toBe(entries[3].at);
  });

  it('refuses a step without its field, or with another step\'s, and a step on a request, naming the field', async () => {
    const c = await openCase();
    const missing = await event(c.caseId, { type: 'service_recovery', step: 'remedy' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: '$.remedy' })]);
    const other = await event(c.caseId, { type: 'service_recovery', step: 'apology', customerSatisfied: false });
    expect(other.body.errors).toEqual([expect.objectContaining({ path: '$.customerSatisfied' })]);
    const request = await openCase({ type: 'request' });
    const notComplaint = await event(request.caseId, { type: 'service_recovery', step: 'apology' });
    expect(notComplaint.status).toBe(400);
    expect(notComplaint.body.errors).toEqual([expect.objectContaining({ path: '$.type' })]);
    expect((await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key })).body.version).toBe(1);
  });

  it('a PATCH of the record puts the steps it takes on the timeline', async () => {
    const c = await openCase();
    const patched = await api(twin.url, 'PATCH', `/v1/cases/${c.caseId}`, {
      key,
      headers: { 'if-match': '"1"' },
      body: { serviceRecovery: { apologyGiven: true, remedy: 'Replace the router' } },
    });
    expect(patched.status).toBe(200);
    const read = await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key });
    expect(read.body.timeline.filter((entry: { type: string }) => entry.type === 'service_recovery').map((entry: { step: string }) => entry.step)).toEqual(['apology', 'remedy']);
  });

  it('a case says which status moves it allows now', async () => {
    const c = await openCase();
    expect((await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key })).body.allowedTransitions).toEqual(['in_progress']);
    await event(c.caseId, { type: 'status_change', to: 'in_progress' });
    expect((await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key })).body.allowedTransitions).toEqual(['awaiting_customer', 'resolved']);
  });
});
