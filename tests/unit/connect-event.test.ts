import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ConnectContactEvent, connectAgentIdOf, connectInstanceArnOf, lowercaseKeys, parseConnectEvent } from '../../shared/domain/connect/contact-event';
import { ConnectInstanceArn } from '../../shared/schemas/settings';
import { agentIdProblem } from '../../shared/domain/agent';

/**
 * Fixtures in tests/fixtures/connect:
 * - `aws-doc-*`: the sample events of AWS's "Amazon Connect contact events" page (admin guide,
 *   contact-events.html), current and two earlier versions (2020: `EventType`/`InstanceARN`;
 *   2021: `queueInfo` beside `AgentInfo`), made valid JSON (trailing commas, comments and the
 *   `your-region` placeholder removed); their facts, casing and inconsistencies are AWS's.
 * - `call-*` and `abandoned-*`: the events of one answered call and one abandoned call, built on
 *   the page's data model, because the page has no INITIATED, QUEUED or COMPLETED sample.
 */
const fixtureDir = new URL('../fixtures/connect/', import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, fixtureDir), 'utf8')) as Record<string, unknown>;
const fixtureNames = readdirSync(fixtureDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''));

const docInstance = 'arn:aws:connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012';
const docId = '12345678-1234-1234-1234-123456789012';

function contactEvent(event: unknown): ConnectContactEvent {
  const parsed = parseConnectEvent(event);
  if (parsed.kind !== 'contact') throw new Error(`Expected a contact event, got ${JSON.stringify(parsed)}`);
  return parsed.event;
}

/** A fixture with its detail changed: `changes` merged in, `remove` keys taken out. */
function variant(name: string, changes: Record<string, unknown>, remove: string[] = []) {
  const event = fixture(name);
  const detail = { ...(event.detail as Record<string, unknown>), ...changes };
  for (const key of remove) delete detail[key];
  return { ...event, detail };
}

describe('parseConnectEvent over every fixture', () => {
  it.each(fixtureNames)('%s: reads it without throwing, to a contact event or a reasoned ignore', (name) => {
    const parsed = parseConnectEvent(fixture(name));
    expect(['contact', 'ignored']).toContain(parsed.kind);
    if (parsed.kind === 'contact') {
      // Every instance ARN comes out in the one form tenants register in settings.
      expect(ConnectInstanceArn.safeParse(parsed.event.instanceArn).data).toBe(parsed.event.instanceArn);
      expect(parsed.event.contactId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("reads AWS's current CONNECTED_TO_AGENT sample (camelCase, hierarchy groups, tags)", () => {
    expect(contactEvent(fixture('aws-doc-connected-to-agent'))).toEqual({
      account: '111122223333',
      eventType: 'CONNECTED_TO_AGENT',
      instanceArn: docInstance,
      contactId: '11111111-1111-1111-1111-111111111111',
      channel: 'voice',
      direction: 'inbound',
      queue: docId,
      queueArn: `arn:aws::connect:us-west-2:123456789012:instance/${docId}/queue/${docId}`,
      agentId: docId,
      agentArn: `arn:aws::connect:us-west-2:123456789012:instance/${docId}/agent/${docId}`,
      initiatedAt: '2021-08-04T17:17:53.000Z',
      queuedAt: '2021-08-04T17:29:04.000Z',
      answeredAt: '2021-08-04T17:29:09.000Z',
    });
  });

  it('reads the PascalCase samples (ContactId, AgentInfo.AgentArn, QueueInfo.EnqueueTimestamp) to the same facts', () => {
    const camel = contactEvent(fixture('aws-doc-connected-to-agent'));
    for (const name of ['aws-doc-connected-to-agent-routing-criteria', 'aws-doc-connected-to-agent-customer-provided-agent']) {
      const pascal = contactEvent(fixture(name));
      expect(pascal.contactId).toBe(docId);
      const { contactId: _a, initiatedAt: _b, ...camelFacts } = camel;
      const { contactId: _c, ...pascalFacts } = pascal;
      expect(pascalFacts).toEqual(camelFacts);
    }
  });

  it("reads the 2020 sample's EventType, InstanceARN and 'Voice', and its placeholder ARNs as labels", () => {
    expect(contactEvent(fixture('aws-doc-2020-connected-to-agent'))).toEqual({
      account: '111122223333',
      eventType: 'CONNECTED_TO_AGENT',
      instanceArn: docInstance,
      contactId: '11111111-1111-1111-1111-111111111111',
      channel: 'voice',
      direction: 'inbound',
      queue: 'arn',
      queueArn: 'arn',
      agentId: 'arn',
      agentArn: 'arn',
    });
  });

  it('reads a detail that mixes queueInfo with AgentInfo.AgentArn and connectedToAgentTimestamp', () => {
    expect(contactEvent(fixture('aws-doc-2021-disconnected'))).toMatchObject({
      eventType: 'DISCONNECTED',
      direction: 'outbound',
      channel: 'voice',
      agentId: 'arn',
      queuedAt: '2021-08-04T17:29:04.000Z',
      answeredAt: '2021-08-04T17:29:09.000Z',
      endedAt: '2021-08-04T17:18:37.000Z',
    });
  });

  it("reads the DISCONNECTED sample of an outbound call, which has no queue", () => {
    const event = contactEvent(fixture('aws-doc-disconnected-outbound'));
    expect(event).toMatchObject({ eventType: 'DISCONNECTED', direction: 'outbound', endedAt: '2021-08-04T17:18:37.000Z' });
    expect(event.queue).toBeUndefined();
    expect(event.queuedAt).toBeUndefined();
  });

  it.each(['aws-doc-contact-data-updated', 'aws-doc-routing-step-expired'])('%s: ignores CONTACT_DATA_UPDATED, naming the instance', (name) => {
    expect(parseConnectEvent(fixture(name))).toEqual({
      kind: 'ignored',
      reason: 'event type CONTACT_DATA_UPDATED is not ingested',
      eventType: 'CONTACT_DATA_UPDATED',
      instanceArn: docInstance,
    });
  });

  it('reads the lifecycle fixtures with their times', () => {
    const events = ['call-1-initiated', 'call-2-queued', 'call-3-connected-to-agent', 'call-4-disconnected', 'call-5-completed'].map((name) =>
      contactEvent(fixture(name)),
    );
    expect(events.map((event) => event.eventType)).toEqual(['INITIATED', 'QUEUED', 'CONNECTED_TO_AGENT', 'DISCONNECTED', 'COMPLETED']);
    expect(events[0]).toEqual({
      account: '123456789012',
      eventType: 'INITIATED',
      instanceArn: docInstance,
      contactId: '22222222-2222-4222-8222-222222222222',
      channel: 'voice',
      direction: 'inbound',
      initiatedAt: '2024-03-05T01:00:00.000Z',
    });
    expect(events[2]).toMatchObject({
      queue: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa',
      agentId: 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb',
      queuedAt: '2024-03-05T01:00:20.000Z',
      answeredAt: '2024-03-05T01:01:05.000Z',
    });
    expect(events[4]).toMatchObject({ endedAt: '2024-03-05T01:06:35.000Z', afterContactWorkEndedAt: '2024-03-05T01:07:35.000Z' });
  });
});

describe('parseConnectEvent leniency', () => {
  it('ignores fields it does not know, at any depth', () => {
    const plain = contactEvent(fixture('call-3-connected-to-agent'));
    const extended = variant('call-3-connected-to-agent', {
      BrandNewField: { nested: [1, 2, 3] },
      QueueInfo: { ...((fixture('call-3-connected-to-agent').detail as Record<string, Record<string, unknown>>).QueueInfo), QueueWeight: 7 },
    });
    expect(contactEvent({ ...extended, 'new-envelope-field': true })).toEqual(plain);
  });

  it('ignores an event type Connect adds later, and the other types it does not ingest', () => {
    for (const eventType of ['CONTACT_TELEPORTED', 'CONNECTED_TO_SYSTEM', 'PAUSED', 'RESUMED', 'AMD_DISABLED']) {
      expect(parseConnectEvent(variant('call-1-initiated', { eventType }))).toMatchObject({ kind: 'ignored', eventType });
    }
  });

  it('reads event types in any case', () => {
    expect(contactEvent(variant('call-1-initiated', { eventType: 'initiated' })).eventType).toBe('INITIATED');
  });

  it('maps channels: VOICE, CHAT, CHAT over SMS, EMAIL; ignores TASK and unknown channels', () => {
    const channelOf = (changes: Record<string, unknown>) => parseConnectEvent(variant('call-1-initiated', changes));
    expect(channelOf({ channel: 'CHAT', initiationMethod: 'API' })).toMatchObject({ kind: 'contact', event: { channel: 'chat', direction: 'inbound' } });
    expect(
      channelOf({ channel: 'CHAT', initiationMethod: 'API', SegmentAttributes: { 'connect:Subtype': { ValueString: 'connect:SMS' } } }),
    ).toMatchObject({ kind: 'contact', event: { channel: 'sms' } });
    expect(channelOf({ channel: 'EMAIL' })).toMatchObject({ kind: 'contact', event: { channel: 'email', direction: 'inbound' } });
    expect(channelOf({ channel: 'TASK' })).toMatchObject({ kind: 'ignored', reason: 'tasks are work items, not customer contacts' });
    expect(channelOf({ channel: 'HOLOGRAM' })).toMatchObject({ kind: 'ignored' });
  });

  it('maps initiation methods to a direction, and ignores supervisors monitoring and disconnect flows', () => {
    const directionOf = (initiationMethod: string, channel = 'VOICE') => {
      const parsed = parseConnectEvent(variant('call-1-initiated', { initiationMethod, channel }));
      return parsed.kind === 'contact' ? parsed.event.direction : parsed.kind;
    };
    expect(directionOf('INBOUND')).toBe('inbound');
    expect(directionOf('TRANSFER')).toBe('inbound');
    expect(directionOf('QUEUE_TRANSFER')).toBe('inbound');
    expect(directionOf('OUTBOUND')).toBe('outbound');
    expect(directionOf('CALLBACK')).toBe('outbound');
    expect(directionOf('EXTERNAL_OUTBOUND')).toBe('outbound');
    expect(directionOf('AGENT_REPLY', 'EMAIL')).toBe('outbound');
    expect(directionOf('API')).toBe('outbound');
    expect(directionOf('API', 'CHAT')).toBe('inbound');
    expect(directionOf('SOMETHING_NEW')).toBe('inbound');
    expect(directionOf('MONITOR')).toBe('ignored');
    expect(directionOf('DISCONNECT')).toBe('ignored');
  });

  it("reads Connect's 1970 placeholder time as no time", () => {
    const queued = contactEvent(variant('aws-doc-contact-data-updated', { eventType: 'QUEUED' }));
    expect(queued.queuedAt).toBe('2023-10-24T02:39:15.240Z');
    expect(queued.answeredAt).toBeUndefined();
  });

  it('takes the instance from the resources when the detail has none', () => {
    const event = variant('call-1-initiated', {}, ['instanceArn']);
    expect(contactEvent(event).instanceArn).toBe(docInstance);
  });

  it('reports events it cannot read, by path and never by value', () => {
    expect(parseConnectEvent(variant('call-1-initiated', {}, ['contactId']))).toEqual({
      kind: 'unreadable',
      issues: [{ path: 'detail.contactid', code: 'invalid_type' }],
    });
    const noInstance = { ...variant('call-1-initiated', {}, ['instanceArn']), resources: [] };
    expect(parseConnectEvent(noInstance)).toEqual({ kind: 'unreadable', issues: [{ path: 'detail.instanceArn', code: 'missing' }] });
    expect(parseConnectEvent({ ...fixture('call-1-initiated'), source: 'switchboard' })).toMatchObject({ kind: 'unreadable' });
    expect(parseConnectEvent(null)).toMatchObject({ kind: 'unreadable' });
  });
});

describe('connectInstanceArnOf', () => {
  it("gives the canonical instance ARN of any ARN inside an instance, including AWS's `arn:aws::connect:` typo", () => {
    expect(connectInstanceArnOf(`arn:aws::connect:us-west-2:123456789012:instance/${docId}`)).toBe(docInstance);
    expect(connectInstanceArnOf(`arn:aws:connect:us-west-2:123456789012:instance/${docId.toUpperCase()}/contact/abc`)).toBe(docInstance);
    expect(connectInstanceArnOf('arn:aws:connect:us-west-2:123456789012:instance/not-a-uuid')).toBeUndefined();
    expect(connectInstanceArnOf('arn')).toBeUndefined();
    expect(connectInstanceArnOf(42)).toBeUndefined();
  });
});

describe('lowercaseKeys', () => {
  it('lowercases keys at every depth, keeping values and the first of two spellings', () => {
    expect(lowercaseKeys({ AgentInfo: { AgentArn: 'A' }, list: [{ X: 'Y' }], ContactId: 'first', contactId: 'second' })).toEqual({
      agentinfo: { agentarn: 'A' },
      list: [{ x: 'Y' }],
      contactid: 'first',
    });
  });
});

describe('the agent of a Connect event', () => {
  const instance = 'arn:aws:connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012';
  it.each([
    [`${instance}/agent/bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb`, 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb'],
    [`${instance}/agent/BBBBBBBB-2222-4222-8222-BBBBBBBBBBBB`, 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb'],
    [`${instance}/agent/bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb/`, 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb'],
    [' bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb ', 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb'],
    ['arn', 'arn'],
  ])('is the last segment of %s, lower case: %s, an agent id', (arn, agentId) => {
    expect(connectAgentIdOf(arn)).toBe(agentId);
    expect(agentIdProblem(agentId)).toBeUndefined();
  });

  it.each([`${instance}/agent/a#b`, `${instance}/agent/${'x'.repeat(129)}`, '', '/', undefined])('is none when %s ends in no agent id', (arn) => {
    expect(connectAgentIdOf(arn)).toBeUndefined();
  });
});
