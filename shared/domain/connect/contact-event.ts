import * as z from '../../zod';
import type { Channel, Direction } from '../../schemas/contact';
import { agentIdProblem } from '../agent';

/**
 * Amazon Connect's contact events, as EventBridge delivers them (source `aws.connect`,
 * detail-type `Amazon Connect Contact Event`), read leniently: Connect adds fields and event
 * types over time and AWS's own samples spell the same field `contactId`, `ContactId` or
 * `InstanceARN`. Keys are therefore compared case-insensitively, unknown fields are ignored,
 * and an event this module cannot use is reported as ignored with a reason, never thrown.
 */

export const connectEventSource = 'aws.connect';
export const connectContactDetailType = 'Amazon Connect Contact Event';

/** The event types that change a Switchboard contact; every other type is ignored. */
export const ingestedEventTypes = ['INITIATED', 'QUEUED', 'CONNECTED_TO_AGENT', 'DISCONNECTED', 'COMPLETED'] as const;
export type IngestedEventType = (typeof ingestedEventTypes)[number];

/** What one Connect event says about its contact, in Switchboard's terms. */
export interface ConnectContactEvent {
  eventType: IngestedEventType;
  /** `arn:<partition>:connect:<region>:<account>:instance/<uuid>`, lowercase: the key of the instance's tenant. */
  instanceArn: string;
  /** The AWS account the event came from (the envelope's `account`): it must be registered to the instance's tenant. */
  account?: string;
  /** Connect's ContactId: the contact's externalContactId in Switchboard. */
  contactId: string;
  channel: z.infer<typeof Channel>;
  direction: z.infer<typeof Direction>;
  /** The queue's id (the last part of its ARN), or its name when the event carries no ARN. */
  queue?: string;
  queueArn?: string;
  /** The agent's Connect user id (the last segment of the agent ARN, lower case): an agent id (shared/domain/agent.ts). */
  agentId?: string;
  agentArn?: string;
  initiatedAt?: string;
  queuedAt?: string;
  answeredAt?: string;
  endedAt?: string;
  afterContactWorkEndedAt?: string;
}

export type ParsedConnectEvent =
  | { kind: 'contact'; event: ConnectContactEvent }
  /** Nothing to ingest: another event type, a channel or initiation method that is not a customer contact. */
  | { kind: 'ignored'; reason: string; eventType?: string; instanceArn?: string }
  /** Not a contact event this module can read (no contact id, no instance): retrying cannot help. */
  | { kind: 'unreadable'; issues: { path: string; code: string }[] };

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/**
 * An instance ARN, or any ARN inside an instance (contact, queue, agent). Tolerates the
 * `arn:aws::connect:` (an empty field before `connect`) that AWS's published samples carry.
 */
const instanceArnInside = new RegExp(`^arn:(aws[a-z-]*):+connect:([a-z0-9-]+):(\\d{12}):instance/(${uuid})(?:/|$)`, 'i');

/** The canonical instance ARN of an ARN inside a Connect instance, or undefined. */
export function connectInstanceArnOf(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const match = instanceArnInside.exec(arn.trim());
  if (!match) return undefined;
  const [, partition, region, account, instanceId] = match;
  return `arn:${partition}:connect:${region}:${account}:instance/${instanceId}`.toLowerCase();
}

/**
 * Connect writes `1970-01-01T00:00:00.001Z` for a time that has not happened yet (see AWS's
 * CONTACT_DATA_UPDATED sample); anything before 2000 is read as absent, as is anything unreadable.
 */
const earliestRealTime = Date.parse('2000-01-01T00:00:00Z');
const Timestamp = z.pipe(
  z.optional(z.unknown()),
  z.transform((value) => {
    if (typeof value !== 'string') return undefined;
    const time = Date.parse(value);
    return Number.isNaN(time) || time < earliestRealTime ? undefined : new Date(time).toISOString();
  }),
);

const OptionalText = z.pipe(
  z.optional(z.unknown()),
  z.transform((value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined)),
);

// Keys below are lowercase: the detail's keys are lowercased before it is parsed.
const ContactDetail = z.looseObject({
  eventtype: z.string().check(z.minLength(1)),
  contactid: z.string().check(z.trim(), z.minLength(1), z.maxLength(256)),
  channel: OptionalText,
  instancearn: OptionalText,
  initiationmethod: OptionalText,
  initiationtimestamp: Timestamp,
  disconnecttimestamp: Timestamp,
  queueinfo: z.catch(
    z.optional(z.looseObject({ queuearn: OptionalText, queuename: OptionalText, name: OptionalText, enqueuetimestamp: Timestamp })),
    undefined,
  ),
  agentinfo: z.catch(
    z.optional(z.looseObject({ agentarn: OptionalText, connectedtoagenttimestamp: Timestamp, aftercontactworkendtimestamp: Timestamp })),
    undefined,
  ),
  segmentattributes: z.catch(z.optional(z.record(z.string(), z.unknown())), undefined),
});

const Envelope = z.looseObject({
  source: z.literal(connectEventSource),
  account: z.catch(z.optional(z.string().check(z.regex(/^\d{12}$/))), undefined),
  'detail-type': z.literal(connectContactDetailType),
  resources: z.catch(z.optional(z.array(z.unknown())), undefined),
  detail: z.record(z.string(), z.unknown()),
});

/** Reads an EventBridge event from Amazon Connect; never throws. */
export function parseConnectEvent(event: unknown): ParsedConnectEvent {
  const envelope = Envelope.safeParse(event);
  if (!envelope.success) return unreadable(envelope.error);
  const normalized = lowercaseKeys(envelope.data.detail) as Record<string, unknown>;
  const parsed = ContactDetail.safeParse(normalized);
  if (!parsed.success) return unreadable(parsed.error, 'detail');
  const detail = parsed.data;

  const eventType = detail.eventtype.toUpperCase();
  const instanceArn =
    connectInstanceArnOf(detail.instancearn) ??
    envelope.data.resources?.map(connectInstanceArnOf).find((arn) => arn !== undefined) ??
    connectInstanceArnOf(detail.queueinfo?.queuearn) ??
    connectInstanceArnOf(detail.agentinfo?.agentarn);
  if (!instanceArn) return { kind: 'unreadable', issues: [{ path: 'detail.instanceArn', code: 'missing' }] };
  if (!isIngested(eventType)) return { kind: 'ignored', reason: `event type ${eventType} is not ingested`, eventType, instanceArn };

  const channel = channelOf(detail.channel, detail.segmentattributes);
  if (!channel.ok) return { kind: 'ignored', reason: channel.reason, eventType, instanceArn };
  const direction = directionOf(detail.initiationmethod, channel.value);
  if (!direction.ok) return { kind: 'ignored', reason: direction.reason, eventType, instanceArn };

  const { queueinfo: queueInfo, agentinfo: agentInfo } = detail;
  const queueArn = queueInfo?.queuearn;
  const agentArn = agentInfo?.agentarn;
  return {
    kind: 'contact',
    event: withoutUndefined({
      eventType,
      instanceArn,
      account: envelope.data.account,
      contactId: detail.contactid,
      channel: channel.value,
      direction: direction.value,
      queue: queueInfo?.queuename ?? queueInfo?.name ?? resourceId(queueArn, 'queue'),
      queueArn,
      agentId: connectAgentIdOf(agentArn),
      agentArn,
      initiatedAt: detail.initiationtimestamp,
      queuedAt: queueInfo?.enqueuetimestamp,
      answeredAt: agentInfo?.connectedtoagenttimestamp,
      endedAt: detail.disconnecttimestamp,
      afterContactWorkEndedAt: agentInfo?.aftercontactworkendtimestamp,
    }),
  };
}

type Choice<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * VOICE → voice, CHAT → chat (sms when the chat is Connect's SMS subtype), EMAIL → email.
 * TASK is a work item (a follow-up, a form to process), not a conversation with a customer:
 * logging it as a contact would distort contacts offered, handle time and speed of answer.
 */
function channelOf(
  channel: string | undefined,
  segmentAttributes: Record<string, unknown> | undefined,
): Choice<ConnectContactEvent['channel']> {
  switch (channel?.toUpperCase()) {
    case 'VOICE':
      return { ok: true, value: 'voice' };
    case 'CHAT': {
      const subtype = segmentAttributes?.['connect:subtype'];
      const value = typeof subtype === 'object' && subtype !== null ? (subtype as Record<string, unknown>).valuestring : undefined;
      return { ok: true, value: typeof value === 'string' && value.toLowerCase() === 'connect:sms' ? 'sms' : 'chat' };
    }
    case 'EMAIL':
      return { ok: true, value: 'email' };
    case 'TASK':
      return { ok: false, reason: 'tasks are work items, not customer contacts' };
    default:
      return { ok: false, reason: `channel ${channel ?? '(none)'} is not ingested` };
  }
}

/**
 * Who started the conversation. TRANSFER and QUEUE_TRANSFER continue a customer's call on a new
 * Connect contact and count as inbound; API is an outbound call when it is voice
 * (StartOutboundVoiceContact) and a customer's chat or e-mail otherwise. MONITOR (a supervisor
 * listening in) and DISCONNECT (the flow that runs after a contact ended) are not conversations.
 * A method Connect adds later counts as inbound until it is mapped.
 */
function directionOf(method: string | undefined, channel: ConnectContactEvent['channel']): Choice<ConnectContactEvent['direction']> {
  switch (method?.toUpperCase()) {
    case 'OUTBOUND':
    case 'CALLBACK':
    case 'EXTERNAL_OUTBOUND':
    case 'AGENT_REPLY':
    case 'FLOW':
      return { ok: true, value: 'outbound' };
    case 'API':
      return { ok: true, value: channel === 'voice' ? 'outbound' : 'inbound' };
    case 'MONITOR':
    case 'DISCONNECT':
      return { ok: false, reason: `initiation method ${method.toUpperCase()} is not a customer contact` };
    default:
      return { ok: true, value: 'inbound' };
  }
}

/**
 * The agent id of an agent ARN: its last segment, Connect's user UUID, lower-cased
 * (`…/agent/BBBB…` → `bbbb…`), so that it is an agent id like any other (shared/domain/agent.ts).
 * Undefined when that segment is no agent id: the contact is then stored without an agent, and
 * the ingestion logs it, rather than storing an id the API refuses.
 */
export function connectAgentIdOf(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const lastSegment = arn.trim().split(/[/:]/).filter(Boolean).pop()?.toLowerCase() ?? '';
  return agentIdProblem(lastSegment) === undefined ? lastSegment : undefined;
}

/** `…/queue/<id>` → `<id>`; a value that is not such an ARN is kept when it can be a label (AWS's samples say just "arn"). */
function resourceId(arn: string | undefined, kind: 'queue'): string | undefined {
  if (arn === undefined) return undefined;
  const match = new RegExp(`/${kind}/([^/#]+)$`).exec(arn);
  if (match) return match[1];
  return arn.length <= 128 && !/[#\p{Cc}]/u.test(arn) ? arn : undefined;
}

const isIngested = (eventType: string): eventType is IngestedEventType => (ingestedEventTypes as readonly string[]).includes(eventType);

/** Keys lowercased at every depth; of two keys that differ only in case, the first one wins. */
export function lowercaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowercaseKeys);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (!(lower in result)) result[lower] = lowercaseKeys(inner);
  }
  return result;
}

/** Paths and codes only: an event's values may include a customer's phone number. */
function unreadable(error: z.core.$ZodError, root?: string): ParsedConnectEvent {
  return {
    kind: 'unreadable',
    issues: error.issues.map((issue) => ({ path: [root, ...issue.path.map(String)].filter(Boolean).join('.'), code: issue.code })),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Why a readable Connect event is not logged for any tenant (ConnectEventsRefused, by reason). */
export type ConnectRefusal = 'instance-not-registered' | 'account-not-registered' | 'account-mismatch' | 'instance-not-listed';

/**
 * The tenant an event belongs to, from the operator's registrations: the instance's claim (the
 * operator registered it to a tenant, and that tenant's settings list it) and the claim of the
 * account the event came from, which must be the instance's own account and registered to the
 * same tenant. Anything else is refused with its reason.
 */
export function connectEventTenant(
  event: Pick<ConnectContactEvent, 'instanceArn' | 'account'>,
  registration: { instance?: { tenantId: string; claimedAt?: string; ingest?: boolean }; accountTenantId?: string },
): { tenantId: string } | { refused: ConnectRefusal } {
  const instance = registration.instance;
  if (!instance?.claimedAt) return { refused: 'instance-not-registered' };
  const instanceAccount = /^arn:[^:]+:connect:[^:]+:(\d{12}):/.exec(event.instanceArn)?.[1];
  if (!event.account || event.account !== instanceAccount) return { refused: 'account-mismatch' };
  if (registration.accountTenantId !== instance.tenantId) return { refused: 'account-not-registered' };
  if (!instance.ingest) return { refused: 'instance-not-listed' };
  return { tenantId: instance.tenantId };
}
