import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { live } from '../../shared/http/functions';
import { signInPerson } from '../support/people-sign-in';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { advanceClock, eventually } from '../support/waiting';

let twin: TestTwin;
const unique = () => Math.random().toString(36).slice(2, 10);

interface LiveClient {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  close(): Promise<void>;
}

const liveUrl = () => `${twin.url.replace(/^http/, 'ws')}${live.path}`;

/** Opens the live channel as the console does: the token offered as a subprotocol beside the channel's. */
async function connect(token: string): Promise<LiveClient> {
  const socket = new WebSocket(liveUrl(), [live.protocol, `${live.tokenPrefix}${token}`]);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
    socket.once('error', reject);
  });
  expect(socket.protocol).toBe(live.protocol);
  return {
    socket,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}

/** The status the upgrade was refused with, or 'open' when it was not. */
function refusal(protocols: string[]): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(liveUrl(), protocols);
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve('open');
      socket.close();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

async function signedIn(adminKey: string, role: string) {
  const email = `${role}.${unique()}@live.test`;
  const invited = await api(twin.url, 'POST', '/v1/people', { key: adminKey, body: { email, role } });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const tokens = await signInPerson(twin, email);
  expect((await api(twin.url, 'GET', '/v1/me', { key: tokens.accessToken })).status).toBe(200);
  return { agentId: invited.body.agentId as string, token: tokens.accessToken };
}

async function openCase(key: string, body: Record<string, unknown> = {}) {
  const customerId = (await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: `Live ${unique()}` } })).body.customerId as string;
  const opened = await api(twin.url, 'POST', '/v1/cases', {
    key,
    body: { type: 'complaint', severity: 'medium', category: 'billing', subject: 'Charged twice', customerId, ...body },
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  return opened.body as { caseId: string; sla: { firstResponse: { dueAt: string } } };
}

let acme: { key: string; agent: { agentId: string; token: string }; supervisor: { agentId: string; token: string }; otherAgent: { agentId: string; token: string } };
let globex: { key: string; agent: { agentId: string; token: string } };

beforeAll(async () => {
  twin = await startTestTwin();
  const first = await createTenant(twin, { name: 'Acme Live' });
  const second = await createTenant(twin, { name: 'Globex Live' });
  acme = {
    key: first.apiKey,
    agent: await signedIn(first.apiKey, 'agent'),
    supervisor: await signedIn(first.apiKey, 'supervisor'),
    otherAgent: await signedIn(first.apiKey, 'agent'),
  };
  globex = { key: second.apiKey, agent: await signedIn(second.apiKey, 'agent') };
}, 120_000);

afterAll(async () => {
  await twin?.close();
});

describe('the live channel', () => {
  it('refuses a connection without a valid person token, before any connection exists', async () => {
    expect(await refusal([live.protocol])).toBe(403);
    expect(await refusal([live.protocol, `${live.tokenPrefix}eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl`])).toBe(403);
    // An API key is for systems, not for a person's desk.
    expect(await refusal([live.protocol, `${live.tokenPrefix}${acme.key}`])).toBe(403);
    // The token alone, without the channel's protocol, is not this channel.
    expect(await refusal([`${live.tokenPrefix}${acme.agent.token}`])).toBe(403);
    const open = await api(twin.url, 'GET', '/local/live');
    expect(open.body.connections).toEqual([]);
  });

  it('tells the assignee and the supervisors of an assignment within 5 seconds, and no other tenant or agent', async () => {
    const agent = await connect(acme.agent.token);
    const supervisor = await connect(acme.supervisor.token);
    const bystander = await connect(acme.otherAgent.token);
    const otherTenant = await connect(globex.agent.token);
    try {
      const opened = await openCase(acme.key);
      const started = Date.now();
      const assigned = await api(twin.url, 'POST', `/v1/cases/${opened.caseId}/events`, { key: acme.key, body: { type: 'assign', assignee: acme.agent.agentId } });
      expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
      const expected = { type: 'case.assigned', caseId: opened.caseId, assignee: acme.agent.agentId };
      await eventually(() => agent.messages.some((message) => message.type === 'case.assigned' && message.caseId === opened.caseId), 'case.assigned at the agent', 5_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(agent.messages).toContainEqual(expected);
      await eventually(() => supervisor.messages.some((message) => message.type === 'case.assigned' && message.caseId === opened.caseId), 'case.assigned at the supervisor', 5_000);

      // Globex opens and assigns a case of its own: it reaches Globex's agent, never Acme's desks.
      const theirs = await openCase(globex.key);
      await api(twin.url, 'POST', `/v1/cases/${theirs.caseId}/events`, { key: globex.key, body: { type: 'assign', assignee: globex.agent.agentId } });
      await eventually(() => otherTenant.messages.some((message) => message.caseId === theirs.caseId), "Globex's own assignment", 5_000);
      await twin.bus.settled();
      for (const client of [agent, supervisor, bystander]) expect(client.messages.filter((message) => message.caseId === theirs.caseId)).toEqual([]);
      expect(otherTenant.messages.filter((message) => message.caseId === opened.caseId)).toEqual([]);
      // An agent who has nothing to do with the case is not told of it.
      expect(bystander.messages.filter((message) => message.caseId === opened.caseId)).toEqual([]);

      // A status change is an update for the assignee.
      const moved = await api(twin.url, 'POST', `/v1/cases/${opened.caseId}/events`, { key: acme.key, body: { type: 'status_change', to: 'in_progress' } });
      expect(moved.status, JSON.stringify(moved.body)).toBe(201);
      await eventually(() => agent.messages.some((message) => message.type === 'case.updated' && message.caseId === opened.caseId && message.reason === 'status'), 'case.updated', 5_000);
    } finally {
      await Promise.all([agent.close(), supervisor.close(), bystander.close(), otherTenant.close()]);
    }
  });

  it('pushes an event once even when the bus delivers it twice', async () => {
    const agent = await connect(acme.agent.token);
    try {
      const opened = await openCase(acme.key, { assignee: acme.agent.agentId });
      await eventually(() => agent.messages.some((message) => message.caseId === opened.caseId), 'the assignment', 5_000);
      // The first delivery done (its marker written after the push), the bus delivers it again.
      await twin.bus.settled();
      const delivered = twin.bus.recent.find(
        (record) => record.event['detail-type'] === 'Case Opened' && (record.event.detail as { data: { caseId: string } }).data.caseId === opened.caseId,
      );
      expect(delivered).toBeDefined();
      twin.bus.putEvents([{ Source: 'switchboard', DetailType: 'Case Opened', Detail: JSON.stringify(delivered!.event.detail), EventBusName: 'switchboard-local' }]);
      await twin.bus.settled();
      expect(agent.messages.filter((message) => message.caseId === opened.caseId)).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });

  it('warns the assignee 30 minutes before a deadline when the clock gets there', async () => {
    const agent = await connect(acme.agent.token);
    try {
      const opened = await openCase(acme.key, { assignee: acme.agent.agentId });
      const dueAt = opened.sla.firstResponse.dueAt;
      await eventually(async () => (await api(twin.url, 'GET', '/local/schedules')).body.items.some((item: { Name: string }) => item.Name === `near.${opened.caseId}.firstResponse`), 'the warning timer');
      // Not yet: an hour before the warning.
      const untilWarning = Date.parse(dueAt) - 30 * 60_000 - twin.clock.now().getTime();
      await advanceClock(twin, untilWarning - 60 * 60_000);
      await twin.bus.settled();
      expect(agent.messages.filter((message) => message.type === 'case.deadline-near' && message.caseId === opened.caseId)).toEqual([]);
      await advanceClock(twin, 60 * 60_000 + 1_000);
      await eventually(
        () => agent.messages.find((message) => message.type === 'case.deadline-near' && message.caseId === opened.caseId && message.deadline === 'firstResponse'),
        'case.deadline-near',
        5_000,
      );
      expect(agent.messages).toContainEqual({ type: 'case.deadline-near', caseId: opened.caseId, deadline: 'firstResponse', dueAt });
    } finally {
      await agent.close();
    }
  });

  it('forgets a connection when the browser closes it', async () => {
    const agent = await connect(acme.agent.token);
    const before = (await api(twin.url, 'GET', '/local/live')).body.connections.length as number;
    expect(before).toBeGreaterThan(0);
    await agent.close();
    const { listLiveConnections } = await import('../../shared/data/live-connections-repo');
    const { tenantId } = (await api(twin.url, 'GET', '/v1/me', { key: acme.agent.token })).body.tenant as { tenantId: string };
    await eventually(async () => (await listLiveConnections(tenantId, acme.agent.agentId)).length === 0, 'the connection forgotten');
  });
});
