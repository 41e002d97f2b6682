import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';
import { eventually, settle } from '../support/waiting';

/**
 * The twin's clock as docs/local-twin.md describes it, through its /local endpoints: moving it
 * ahead fires every timer it passes, and the timers set afterwards count from the moved clock,
 * so that a case opened "two days later" gets its deadline two days later, not at once.
 * The twin runs the functions on its clock, as `npm start` does.
 */

let twin: TestTwin;
let key: string;
let customerId: string;
const hour = 3_600_000;

beforeAll(async () => {
  twin = await startTestTwin({ functionsFollowClock: true });
  twin.clock.set(new Date());
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  const customer = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Clock watcher' } });
  expect(customer.status).toBe(201);
  customerId = customer.body.customerId;
});
afterAll(() => twin.close());

/** A critical complaint: first response due one calendar hour after it opens. */
async function openCriticalCase() {
  const opened = await api(twin.url, 'POST', '/v1/cases', {
    key,
    body: { type: 'complaint', severity: 'critical', category: 'outage', subject: 'No service', customerId },
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  return opened.body as { caseId: string; openedAt: string; sla: { firstResponse: { startedAt: string; dueAt: string } } };
}

interface LocalSchedule {
  Name: string;
  ScheduleExpression: string;
}

/** The first-response timer of a case as GET /local/schedules lists it, once the sla-timers consumer armed it. */
async function firstResponseTimer(caseId: string): Promise<LocalSchedule> {
  return eventually(async () => {
    const listed = await api(twin.url, 'GET', '/local/schedules');
    expect(listed.status).toBe(200);
    return (listed.body.items as LocalSchedule[]).find((schedule) => schedule.Name === `${caseId}.firstResponse`);
  }, `the timer of ${caseId}`);
}

const atOf = (schedule: LocalSchedule) => Date.parse(`${/^at\((.+)\)$/.exec(schedule.ScheduleExpression)![1]}Z`);

async function moveClock(body: unknown) {
  await twin.bus.settled();
  const moved = await api(twin.url, 'POST', '/local/clock', { body });
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  await twin.scheduler.settled();
  await settle(twin);
  return Date.parse(moved.body.now);
}

const caseNow = async (caseId: string) => (await api(twin.url, 'GET', `/v1/cases/${caseId}`, { key })).body;

describe('the twin clock', () => {
  it('answers its time, refuses to move back by advanceSeconds, and says how to move it', async () => {
    const read = await api(twin.url, 'GET', '/local/clock');
    expect(read.status).toBe(200);
    expect(Math.abs(Date.parse(read.body.now) - Date.now())).toBeLessThan(60_000);
    const backwards = await api(twin.url, 'POST', '/local/clock', { body: { advanceSeconds: -1 } });
    expect(backwards.status).toBe(400);
    expect(backwards.headers.get('content-type')).toBe('application/problem+json');
    const neither = await api(twin.url, 'POST', '/local/clock', { body: {} });
    expect(neither.status).toBe(400);
    expect(neither.body.detail).toContain('advanceSeconds');
  });

  it('fires a timer it passes, and counts a timer set after the move from the moved clock', async () => {
    const before = await openCriticalCase();
    const beforeTimer = await firstResponseTimer(before.caseId);
    expect(atOf(beforeTimer)).toBe(Math.ceil(Date.parse(before.sla.firstResponse.dueAt) / 1000) * 1000);

    // Two days ahead: the first case's deadline passes, its timer fires, the case is breached at its deadline.
    const movedTo = await moveClock({ advanceSeconds: 2 * 24 * 3600 });
    expect(movedTo - Date.now()).toBeGreaterThan(2 * 24 * hour - 60_000);
    await eventually(async () => (await caseNow(before.caseId)).breached === true, 'the breach of the case opened before the move');
    expect((await caseNow(before.caseId)).sla.firstResponse.breachedAt).toBe(before.sla.firstResponse.dueAt);

    // A case opened now opens at the moved time, its deadline an hour after that, and its timer with it.
    const after = await openCriticalCase();
    expect(Date.parse(after.openedAt)).toBeGreaterThanOrEqual(movedTo);
    expect(Date.parse(after.sla.firstResponse.dueAt) - Date.parse(after.openedAt)).toBe(hour);
    const afterTimer = await firstResponseTimer(after.caseId);
    expect(atOf(afterTimer)).toBe(Math.ceil(Date.parse(after.sla.firstResponse.dueAt) / 1000) * 1000);
    await settle(twin);
    expect((await caseNow(after.caseId)).breached).toBe(false);

    // 59 minutes on: not yet. Two more: breached, at its deadline.
    await moveClock({ advanceSeconds: 59 * 60 });
    expect((await caseNow(after.caseId)).breached).toBe(false);
    await moveClock({ advanceSeconds: 2 * 60 });
    await eventually(async () => (await caseNow(after.caseId)).breached === true, 'the breach of the case opened after the move');
    expect((await caseNow(after.caseId)).sla.firstResponse.breachedAt).toBe(after.sla.firstResponse.dueAt);
    const firings = (await api(twin.url, 'GET', '/local/schedules')).body.firings as { name: string; status: string }[];
    expect(firings.filter((firing) => firing.name === `${after.caseId}.firstResponse`)).toMatchObject([{ status: 'delivered' }]);
  });
});
