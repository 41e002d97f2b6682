import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Counters, CounterRow, Dimension } from '../../shared/domain/analytics/counters';
import type * as AnalyticsRepo from '../../shared/data/analytics-repo';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';
import { eventually } from '../support/waiting';

let twin: TestTwin;
let key: string;
let tenantId: string;
let repo: typeof AnalyticsRepo;

beforeAll(async () => {
  twin = await startTestTwin({ events: { busRetryBaseDelayMs: 5 } });
  // Imported after the twin set the functions' environment, like the handlers themselves.
  repo = await import('../../shared/data/analytics-repo');
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  tenantId = tenant.tenant.tenantId;
  const settings = await api(twin.url, 'PATCH', '/v1/settings', { key, body: { reasonCodes: [{ code: 'billing', label: { en: 'Billing' } }] } });
  expect(settings.status).toBe(200);
}, 60_000);
afterAll(() => twin.close());
afterEach(() => twin.bus.setDeliverTwice(false));

const minute = 60_000;

/** The rows of a dimension in [from, to), as `<HH:MM> <value>` → counters. */
async function rowsOf(dimension: Dimension, from: string, to: string, tenant = tenantId): Promise<Record<string, Counters>> {
  const rows: CounterRow[] = await repo.readCounterRows(tenant, dimension, new Date(from), new Date(to));
  return Object.fromEntries(rows.map((row) => [`${row.slotStart.slice(11, 16)} ${row.value}`, row.counters]));
}

/** One dimension value's counters summed over every slot of [from, to). */
async function totalsOf(dimension: Dimension, value: string, from: Date, to: Date, tenant = tenantId): Promise<Counters> {
  const totals: Record<string, number> = {};
  for (const row of await repo.readCounterRows(tenant, dimension, from, to)) {
    if (row.value !== value) continue;
    for (const [name, amount] of Object.entries(row.counters)) totals[name] = (totals[name] ?? 0) + (amount ?? 0);
  }
  return totals;
}

async function logAndClose(contact: Record<string, unknown>, close: Record<string, unknown>): Promise<string> {
  const created = await api(twin.url, 'POST', '/v1/contacts', { key, body: { channel: 'voice', direction: 'inbound', purpose: 'service', ...contact } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const closed = await api(twin.url, 'POST', `/v1/contacts/${created.body.contactId}/close`, { key, body: close });
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
  return created.body.contactId as string;
}

const analyticsDeliveries = (detailType: string, id: string) =>
  twin.bus.deliveries.filter(
    (delivery) =>
      delivery.consumer === 'analytics-aggregate' &&
      delivery.event['detail-type'] === detailType &&
      JSON.stringify(delivery.event.detail).includes(id),
  );

describe('contacts', () => {
  const day = '2026-11-18';
  const at = (time: string) => `${day}T${time}Z`;

  it('adds closed contacts to their arrival slot for all and per queue, agent, channel and reason, once each however often delivered', async () => {
    // A: answered in 18 s, resolved at first contact. B: answered in 40 s, transferred. C: abandoned after 90 s in queue.
    const contactA = await logAndClose(
      { queue: 'billing', agentId: 'agent-a', reasonCode: 'billing', queuedAt: at('09:00:00'), answeredAt: at('09:00:18') },
      { outcome: 'resolved', firstContactResolution: true, endedAt: at('09:05:18'), afterContactWorkEndedAt: at('09:06:18') },
    );
    await logAndClose(
      { queue: 'billing', agentId: 'agent-b', queuedAt: at('09:10:00'), answeredAt: at('09:10:40') },
      { outcome: 'transferred', endedAt: at('09:12:40') },
    );
    await logAndClose({ queue: 'sales', queuedAt: at('09:20:00') }, { outcome: 'abandoned', endedAt: at('09:21:30') });
    const nineToTen = async () => rowsOf('all', at('09:00:00'), at('10:00:00'));
    await eventually(async () => ((await nineToTen())['09:00 *']?.offered === 3 ? true : undefined), 'the first three contacts counted', 30_000);
    await twin.bus.settled();
    // D, a chat in the next slot, while the bus delivers every event twice.
    twin.bus.setDeliverTwice(true);
    const contactD = await logAndClose(
      { channel: 'chat', queue: 'sales', agentId: 'agent-a', queuedAt: at('09:40:00'), answeredAt: at('09:40:05') },
      { outcome: 'resolved', endedAt: at('09:45:05') },
    );

    await eventually(async () => ((await nineToTen())['09:30 *'] ? true : undefined), 'the fourth contact counted', 30_000);
    await twin.bus.settled();
    const rows = await nineToTen();
    expect(analyticsDeliveries('Contact Closed', contactD).map((delivery) => delivery.status)).toEqual(['delivered', 'delivered']);
    twin.bus.setDeliverTwice(false);

    const expectedNine: Counters = {
      offered: 3,
      inbound: 3,
      queued: 3,
      answered: 2,
      abandoned: 1,
      abandonedInQueue: 1,
      waitSecondsAnswered: 18 + 40,
      queueSeconds: 18 + 40 + 90,
      talkSeconds: 300 + 120,
      afterContactWorkSeconds: 60,
      handleSeconds: 360 + 120,
      firstContactResolved: 1,
      transferred: 1,
      answeredWithin20: 1,
      answeredWithin30: 1,
      answeredWithin45: 2,
      answeredWithin60: 2,
      answeredWithin90: 2,
      answeredWithin120: 2,
      answeredWithin180: 2,
      answeredWithin300: 2,
    };
    const contactDCounters: Counters = {
      offered: 1,
      inbound: 1,
      queued: 1,
      answered: 1,
      waitSecondsAnswered: 5,
      queueSeconds: 5,
      talkSeconds: 300,
      handleSeconds: 300,
      answeredWithin10: 1,
      answeredWithin15: 1,
      answeredWithin20: 1,
      answeredWithin30: 1,
      answeredWithin45: 1,
      answeredWithin60: 1,
      answeredWithin90: 1,
      answeredWithin120: 1,
      answeredWithin180: 1,
      answeredWithin300: 1,
    };
    expect(rows).toEqual({ '09:00 *': expectedNine, '09:30 *': contactDCounters });

    const byQueue = await rowsOf('queue', at('09:00:00'), at('10:00:00'));
    expect(Object.keys(byQueue).sort()).toEqual(['09:00 billing', '09:00 sales', '09:30 sales']);
    expect(byQueue['09:00 billing']).toMatchObject({ offered: 2, answered: 2, waitSecondsAnswered: 58, answeredWithin20: 1, answeredWithin45: 2, transferred: 1 });
    expect(byQueue['09:00 billing']).not.toHaveProperty('abandoned');
    expect(byQueue['09:00 sales']).toEqual({ offered: 1, inbound: 1, queued: 1, abandoned: 1, abandonedInQueue: 1, queueSeconds: 90 });
    expect(byQueue['09:30 sales']).toEqual(contactDCounters);

    const byAgent = await rowsOf('agent', at('09:00:00'), at('10:00:00'));
    expect(Object.keys(byAgent).sort()).toEqual(['09:00 agent-a', '09:00 agent-b', '09:30 agent-a']);
    expect(byAgent['09:00 agent-a']).toMatchObject({ offered: 1, answered: 1, waitSecondsAnswered: 18, handleSeconds: 360, firstContactResolved: 1 });
    expect(byAgent['09:00 agent-b']).toMatchObject({ offered: 1, answered: 1, waitSecondsAnswered: 40, handleSeconds: 120, transferred: 1 });

    const byChannel = await rowsOf('channel', at('09:00:00'), at('10:00:00'));
    expect(Object.keys(byChannel).sort()).toEqual(['09:00 voice', '09:30 chat']);
    expect(byChannel['09:00 voice']).toEqual(expectedNine);
    const byReason = await rowsOf('reason', at('09:00:00'), at('10:00:00'));
    expect(Object.keys(byReason)).toEqual(['09:00 billing']);
    expect(byReason['09:00 billing']).toMatchObject({ offered: 1, answeredWithin20: 1 });

    // The same Contact Closed event put on the bus again is delivered again and counted no more.
    const closedA = twin.bus.recent.find(
      (record) => record.event['detail-type'] === 'Contact Closed' && JSON.stringify(record.event.detail).includes(contactA),
    )!;
    expect(analyticsDeliveries('Contact Closed', contactA)).toHaveLength(1);
    twin.bus.putEvents([{ EventBusName: twin.bus.name, Source: 'switchboard', DetailType: 'Contact Closed', Detail: JSON.stringify(closedA.event.detail) }]);
    await twin.bus.settled();
    expect(analyticsDeliveries('Contact Closed', contactA).map((delivery) => delivery.status)).toEqual(['delivered', 'delivered']);
    expect(await nineToTen()).toEqual(rows);

    // Another tenant reads nothing of this one's.
    const other = await createTenant(twin, { name: 'Other' });
    expect(await rowsOf('all', at('09:00:00'), at('10:00:00'), other.tenant.tenantId)).toEqual({});
  }, 120_000);

  it('counts a contact queued at 23:50 UTC and closed the next day on its arrival day', async () => {
    await logAndClose(
      { queue: 'night', queuedAt: '2026-11-19T23:50:00Z', answeredAt: '2026-11-20T00:05:00Z' },
      { outcome: 'resolved', endedAt: '2026-11-20T00:20:00Z' },
    );
    const lateSlot = await eventually(async () => (await rowsOf('queue', '2026-11-19T23:30:00Z', '2026-11-20T00:00:00Z'))['23:30 night'], 'the late contact', 30_000);
    expect(lateSlot).toMatchObject({ offered: 1, answered: 1, waitSecondsAnswered: 900, talkSeconds: 900 });
    expect(lateSlot).not.toHaveProperty('answeredWithin300');
    expect(await rowsOf('queue', '2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z')).toEqual({});
  }, 60_000);
});

describe('referrals', () => {
  it('counts referrals made, converted with their value and lost, for the referring agent', async () => {
    const from = new Date(Date.now() - 60 * minute);
    const created = await api(twin.url, 'POST', '/v1/contacts', {
      key,
      body: { channel: 'voice', direction: 'inbound', purpose: 'sales', agentId: 'agent-r' },
    });
    const contactId = created.body.contactId as string;
    const make = async () => (await api(twin.url, 'POST', `/v1/contacts/${contactId}/referrals`, { key, body: { product: 'Fibre 1G' } })).body.referralId as string;
    const converted = await make();
    const lost = await make();
    const settle = (referralId: string, body: unknown) => api(twin.url, 'PATCH', `/v1/contacts/${contactId}/referrals/${referralId}`, { key, body });
    expect((await settle(converted, { status: 'converted', value: { amount: 1299.5, currency: 'TWD' } })).status).toBe(200);
    expect((await settle(lost, { status: 'lost', reason: 'Too expensive' })).status).toBe(200);
    const to = new Date(Date.now() + 60 * minute);

    const expected = { referralsMade: 2, referralsConverted: 1, 'referralValueMilli:TWD': 1_299_500, referralsLost: 1 };
    const totals = await eventually(async () => {
      const current = await totalsOf('agent', 'agent-r', from, to);
      return current.referralsLost === 1 && current.referralsConverted === 1 && current.referralsMade === 2 ? current : undefined;
    }, 'the referrals counted', 30_000);
    expect(totals).toEqual(expected);
    expect(await totalsOf('all', '*', from, to)).toMatchObject(expected);
    // The lost reason is free text: it stays on the referral and never reaches the bus.
    const referralEvents = twin.bus.recent.filter((record) => record.event['detail-type'].startsWith('Referral '));
    expect(referralEvents.map((record) => record.event['detail-type']).sort()).toEqual(['Referral Converted', 'Referral Lost', 'Referral Made', 'Referral Made']);
    expect(JSON.stringify(referralEvents)).not.toContain('Too expensive');
  }, 60_000);
});

describe('cases', () => {
  it('counts a case opened, breached and resolved, and the backlog goes up and back to 0', async () => {
    // A tenant of its own, with a 10-minute first response, so its figures are the case's alone.
    const cases = await createTenant(twin, { name: 'Cases' });
    const key = cases.apiKey;
    const tenantId = cases.tenant.tenantId as string;
    const policy = await api(twin.url, 'PATCH', '/v1/settings', {
      key,
      body: { slaPolicy: { targets: { complaint: { medium: { firstResponse: { amount: 10, unit: 'minutes' } } } } } },
    });
    expect(policy.status).toBe(200);
    const customerId = (await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Case customer' } })).body.customerId;
    const from = new Date(Date.now() - 60 * minute);
    const opened = await api(twin.url, 'POST', '/v1/cases', {
      key,
      body: { type: 'complaint', severity: 'medium', category: 'billing', subject: 'Charged twice', customerId, assignee: 'agent-c' },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const c = opened.body;
    expect(await eventually(async () => ((await repo.readOpenCaseCount(tenantId)) === 1 ? 1 : undefined), 'the backlog of 1', 30_000)).toBe(1);

    const readCase = async () => (await api(twin.url, 'GET', `/v1/cases/${c.caseId}`, { key })).body;
    try {
      twin.clock.set(new Date(Date.parse(c.sla.firstResponse.dueAt) + 1_000));
      await eventually(async () => {
        await twin.scheduler.settled();
        return (await readCase()).breached ? true : undefined;
      }, 'the breach', 30_000);
    } finally {
      twin.clock.set(new Date());
    }
    for (const to of ['in_progress', 'resolved']) {
      const moved = await api(twin.url, 'POST', `/v1/cases/${c.caseId}/events`, { key, body: { type: 'status_change', to } });
      expect(moved.status, JSON.stringify(moved.body)).toBe(201);
    }
    const to = new Date(Date.now() + 60 * minute);

    const totals = await eventually(async () => {
      const current = await totalsOf('all', '*', from, to, tenantId);
      return current.casesResolved === 1 && current.casesSlaBreaches === 1 ? current : undefined;
    }, 'the case counted', 30_000);
    await twin.bus.settled();
    expect(totals).toEqual({ casesOpened: 1, casesSlaBreaches: 1, casesResolved: 1 });
    expect(totals.casesResolvedWithinSla).toBeUndefined();
    expect(await totalsOf('agent', 'agent-c', from, to, tenantId)).toEqual({ casesOpened: 1 });
    expect(await repo.readOpenCaseCount(tenantId)).toBe(0);
  }, 120_000);
});
