import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ConnectContactEvent, parseConnectEvent } from '../../shared/domain/connect/contact-event';
import { applyConnectEvent } from '../../shared/domain/connect/contact-mapping';
import { InvalidContact } from '../../shared/domain/contact';
import type { Contact } from '../../shared/schemas/contact';

const fixtureDir = new URL('../fixtures/connect/', import.meta.url);
function connectEvent(name: string, changes: Record<string, unknown> = {}): ConnectContactEvent {
  const event = JSON.parse(readFileSync(new URL(`${name}.json`, fixtureDir), 'utf8')) as { detail: Record<string, unknown> };
  const parsed = parseConnectEvent({ ...event, detail: { ...event.detail, ...changes } });
  if (parsed.kind !== 'contact') throw new Error(`${name} is not a contact event`);
  return parsed.event;
}

const call = ['call-1-initiated', 'call-2-queued', 'call-3-connected-to-agent', 'call-4-disconnected', 'call-5-completed'].map((name) =>
  connectEvent(name),
);
const abandoned = ['abandoned-1-initiated', 'abandoned-2-queued', 'abandoned-3-disconnected', 'abandoned-4-completed'].map((name) =>
  connectEvent(name),
);

/** Delivers events one after the other as the consumer would, counting the contact events written. */
function deliver(events: ConnectContactEvent[]) {
  let contact: Contact | undefined;
  let opened = 0;
  let closed = 0;
  let writes = 0;
  events.forEach((event, index) => {
    const change = applyConnectEvent(contact, event, { now: `2024-03-05T03:00:${String(index).padStart(2, '0')}.000Z`, newContactId: `con_${index}` });
    if (!change) return;
    writes++;
    if (change.openedAs) opened++;
    if (change.closed) closed++;
    expect(change.contact.version).toBe((contact?.version ?? 0) + 1);
    contact = change.contact;
  });
  return { contact: contact!, opened, closed, writes };
}

/** What a user reads on the contact: everything but ids and bookkeeping times. */
function figures(contact: Contact) {
  const { contactId: _id, version: _v, createdAt: _c, updatedAt: _u, closedAt: _closed, startedAt: _s, ...rest } = contact;
  return rest;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

const answeredCall = {
  status: 'closed',
  channel: 'voice',
  direction: 'inbound',
  purpose: 'service',
  externalContactId: '22222222-2222-4222-8222-222222222222',
  queue: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa',
  agentId: 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb',
  queuedAt: '2024-03-05T01:00:20.000Z',
  answeredAt: '2024-03-05T01:01:05.000Z',
  endedAt: '2024-03-05T01:06:35.000Z',
  afterContactWorkEndedAt: '2024-03-05T01:07:35.000Z',
  waitSeconds: 45,
  handleSeconds: 390,
};

describe('applyConnectEvent', () => {
  it('builds an answered call from its events in order, and closes it on COMPLETED without an outcome', () => {
    const { contact, opened, closed, writes } = deliver(call);
    expect(contact).toMatchObject(answeredCall);
    expect(contact.outcome).toBeUndefined();
    expect(contact.startedAt).toBe('2024-03-05T01:00:20.000Z');
    expect({ opened, closed, writes }).toEqual({ opened: 1, closed: 1, writes: 5 });
  });

  it('opens on INITIATED with only what INITIATED knows', () => {
    const change = applyConnectEvent(undefined, call[0]!, { now: '2024-03-05T01:00:01.000Z', newContactId: 'con_1' });
    expect(change?.closed).toBe(false);
    expect(change?.openedAs).toEqual(change?.contact);
    expect(change?.contact).toMatchObject({ contactId: 'con_1', status: 'open', channel: 'voice', direction: 'inbound', version: 1 });
    expect(change?.contact.queuedAt).toBeUndefined();
  });

  it('gives the same contact, opened once and closed once, in every order of the five events', () => {
    const expected = figures(deliver(call).contact);
    const orders = permutations(call);
    expect(orders).toHaveLength(120);
    for (const order of orders) {
      const { contact, opened, closed } = deliver(order);
      expect(figures(contact)).toEqual(expected);
      expect({ opened, closed }).toEqual({ opened: 1, closed: 1 });
    }
  });

  it('changes nothing for a duplicate, and nothing at all once closed', () => {
    const once = deliver(call);
    const twice = deliver([call[0]!, call[0]!, call[1]!, call[2]!, call[1]!, call[2]!, call[3]!, call[3]!, call[4]!, call[4]!, call[0]!]);
    expect(figures(twice.contact)).toEqual(figures(once.contact));
    expect(twice.writes).toBe(5);
    for (const late of call) expect(applyConnectEvent(once.contact, late, { now: '2024-03-06T00:00:00.000Z', newContactId: 'con_x' })).toBeUndefined();
  });

  it('creates the contact from whatever arrives first, even COMPLETED, opened and closed in one write', () => {
    const change = applyConnectEvent(undefined, call[4]!, { now: '2024-03-05T01:08:00.000Z', newContactId: 'con_1' });
    expect(change).toMatchObject({ closed: true, contact: { ...answeredCall, version: 1, closedAt: '2024-03-05T01:08:00.000Z' } });
    expect(change?.openedAs?.status).toBe('open');
  });

  it('does not move a time back when an older event arrives late', () => {
    const afterAnswer = deliver([call[2]!]).contact;
    const laterEnqueue = connectEvent('call-2-queued', { queueInfo: { enqueueTimestamp: '2024-03-05T01:00:50.000Z' } });
    expect(applyConnectEvent(afterAnswer, laterEnqueue, { now: '2024-03-05T01:02:00.000Z', newContactId: 'con_x' })).toBeUndefined();
    const disconnected = deliver([call[3]!]).contact;
    const earlierEnd = connectEvent('call-4-disconnected', { disconnectTimestamp: '2024-03-05T01:05:00.000Z' });
    expect(applyConnectEvent(disconnected, earlierEnd, { now: '2024-03-05T01:07:00.000Z', newContactId: 'con_x' })).toBeUndefined();
  });

  it('closes a call that waited in the queue and never reached an agent as abandoned, with its time to abandon', () => {
    const { contact } = deliver(abandoned);
    expect(contact).toMatchObject({ status: 'closed', outcome: 'abandoned', queuedAt: '2024-03-05T02:00:15.000Z', endedAt: '2024-03-05T02:02:15.000Z', waitSeconds: 120 });
    expect(contact.answeredAt).toBeUndefined();
    expect(contact.handleSeconds).toBeUndefined();
    for (const order of permutations(abandoned)) expect(figures(deliver(order).contact)).toEqual(figures(contact));
  });

  it('closes a call that never queued (self-service in the IVR) without an outcome', () => {
    const ivrOnly = connectEvent('abandoned-4-completed', { queueInfo: null });
    expect(deliver([ivrOnly]).contact.outcome).toBeUndefined();
  });

  it('counts an inbound call put straight through to an agent as 0 s of waiting, until an enqueue time arrives', () => {
    const straightThrough = connectEvent('call-3-connected-to-agent', { QueueInfo: null });
    const first = deliver([straightThrough]).contact;
    expect(first).toMatchObject({ queuedAt: '2024-03-05T01:01:05.000Z', waitSeconds: 0 });
    const corrected = applyConnectEvent(first, call[1]!, { now: '2024-03-05T01:02:00.000Z', newContactId: 'con_x' });
    expect(corrected?.contact).toMatchObject({ queuedAt: '2024-03-05T01:00:20.000Z', waitSeconds: 45 });
  });

  it('takes the final queue and agent from DISCONNECTED and COMPLETED', () => {
    const opened = deliver([call[2]!]).contact;
    const transferred = connectEvent('call-4-disconnected', {
      queueInfo: { queueArn: 'arn:aws:connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012/queue/cccccccc-3333-4333-8333-cccccccccccc' },
    });
    expect(applyConnectEvent(opened, transferred, { now: '2024-03-05T01:07:00.000Z', newContactId: 'con_x' })?.contact.queue).toBe(
      'cccccccc-3333-4333-8333-cccccccccccc',
    );
  });

  it("refuses AWS's own DISCONNECTED sample, whose agent connects ten minutes after the call ended", () => {
    const contradictory = connectEvent('aws-doc-disconnected-outbound');
    expect(() => applyConnectEvent(undefined, contradictory, { now: '2024-03-05T00:00:00.000Z', newContactId: 'con_1' })).toThrow(InvalidContact);
  });
});
