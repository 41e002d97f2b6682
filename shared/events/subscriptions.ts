import { countedDetailTypes } from '../domain/analytics/aggregation';
import { insightDetailTypes } from '../domain/analytics/insight-events';
import { projectedDetailTypes } from '../domain/customer-overview-events';
import type { FunctionDeclaration } from '../http/functions';

/** The case events the live channel speaks of (functions/live-push). */
export const liveCaseDetailTypes = ['Case Opened', 'Case Assigned', 'Case Status Changed', 'Case SLA Breached', 'Case Resolved', 'Case SLA Deadlines Changed', 'Case Customer Replied', 'Case Reply Sent'] as const;

/**
 * The one declaration of who consumes which events. The CDK stack builds an EventBridge rule,
 * target, retry policy and dead-letter queue (with an alarm) from each subscription; the local
 * twin's bus applies the same patterns and invokes the same consumers.
 *
 * Each event function lives at `functions/<name>/handler.ts`.
 */
export const eventFunctions = {
  'webhook-dispatch': { tableAccess: 'readwrite', operatorKey: false, schedules: true, secretBox: 'open', description: "Delivers events to the tenant's webhooks" },
  'webhook-deliver': { tableAccess: 'readwrite', operatorKey: false, schedules: true, secretBox: 'open', description: 'Retries one webhook delivery (timer target)' },
  'sla-timer': { tableAccess: 'readwrite', operatorKey: false, description: 'Marks a case breached when its SLA timer fires, and escalates it (timer target)' },
  'sla-timers': { tableAccess: 'read', operatorKey: false, schedules: true, description: "Sets and cancels a case's SLA timers to match its running deadlines" },
  'customer-erasure': { tableAccess: 'readwrite', operatorKey: false, mailBucket: 'erase', description: "Scrubs an erased customer's personal data from their contacts, surveys, cases, SMS replies and Idempotency-Key replays, and deletes their mail's attachments and raw messages" },
  'connect-ingest': { tableAccess: 'readwrite', operatorKey: false, description: "Logs tenants' Amazon Connect contact events as contacts" },
  // Triggered by the inbound-SMS SNS topic (infra/messaging.ts), not by a rule.
  'sms-inbound': { tableAccess: 'readwrite', operatorKey: false, sendsSms: true, description: "Customers' SMS to tenants' numbers: STOP, HELP and survey replies" },
  // Invoked by SES receiving's Lambda action after its S3 action stored the message (infra/inbound-mail.ts), not by a rule.
  'mail-inbound': { tableAccess: 'readwrite', operatorKey: false, mailBucket: 'receive', description: "Customers' e-mail to tenants' inbound mailboxes: continues the case it answers or opens one, keeps attachments" },
  'survey-dispatch': { tableAccess: 'readwrite', operatorKey: false, schedules: true, description: 'Decides once per closed contact whether and when to survey it, and sets the send timer' },
  'survey-send': { tableAccess: 'readwrite', operatorKey: false, sendsSms: true, schedules: true, description: 'Sends a due survey (first SMS or web link) and expires unanswered ones (timer target)' },
  'survey-recovery': { tableAccess: 'readwrite', operatorKey: false, description: 'Opens a service-recovery complaint case, once per survey, on a CSAT or NPS at or below the threshold' },
  'customer-value-refresh': { tableAccess: 'readwrite', operatorKey: false, schedules: true, description: "Recomputes a tenant's RFM scores, segments and lifetime values, and re-arms its next daily run (timer target)" },
  'analytics-aggregate': { tableAccess: 'readwrite', operatorKey: false, description: "Adds contact, survey, case and referral events to the tenant's analytics counters, once per event" },
  'live-push': { tableAccess: 'readwrite', operatorKey: false, schedules: true, pushesLive: true, description: "Tells open desks of case assignments and changes, and sets each running deadline's 30-minute warning" },
  'live-deadline': { tableAccess: 'readwrite', operatorKey: false, pushesLive: true, description: 'Warns the open desk 30 minutes before a case deadline (timer target)' },
  'live-pop': { tableAccess: 'readwrite', operatorKey: false, pushesLive: true, description: "Pops the customer on the agent's open desk when an Amazon Connect contact reaches them" },
  'customer-overview-projection': { tableAccess: 'readwrite', operatorKey: false, description: "Keeps each customer's overview projection (recent contacts, open cases, referrals, latest survey) from events" },
  'insights-projection': { tableAccess: 'readwrite', operatorKey: false, description: "Keeps the case backlog (counts by status and age, deadline lists) and the list of surveys with the customers' words from events" },
} as const satisfies Record<string, FunctionDeclaration>;
export type EventFunctionName = keyof typeof eventFunctions;

/** The subset of EventBridge's event pattern language the twin's bus implements (shared/events/pattern.ts). */
export type PatternValue =
  | string
  | number
  | boolean
  | null
  | { prefix: string }
  | { suffix: string }
  | { 'equals-ignore-case': string }
  | { 'anything-but': string | number | readonly (string | number)[] }
  | { exists: boolean };
/** A pattern over any JSON shape: each field lists the values it may have, or nests a pattern. */
export interface PatternNode {
  readonly [field: string]: readonly PatternValue[] | PatternNode | undefined;
}
export interface EventPattern extends PatternNode {
  source: readonly string[];
  'detail-type'?: readonly string[];
  detail?: PatternNode;
}

export interface Subscription {
  /** Becomes the rule name: `<stage>-<name>`. */
  name: string;
  description: string;
  pattern: EventPattern;
  consumer: EventFunctionName;
  /** EventBridge's retry policy for the target; defaults 185 attempts over 24 h are too slow to notice a bug. */
  retry?: { maximumRetryAttempts: number; maximumEventAgeSeconds: number };
}

export const defaultRetry = { maximumRetryAttempts: 8, maximumEventAgeSeconds: 60 * 60 };

export const subscriptions: readonly Subscription[] = [
  {
    name: 'webhooks',
    description: "Every Switchboard event, to the tenant's webhooks that subscribe to its type",
    pattern: { source: ['switchboard'] },
    consumer: 'webhook-dispatch',
  },
  {
    name: 'amazon-connect',
    description: "Tenants' Amazon Connect contact events, forwarded from their accounts' default bus, to be logged as contacts",
    pattern: { source: ['aws.connect'], 'detail-type': ['Amazon Connect Contact Event'] },
    consumer: 'connect-ingest',
  },
  {
    name: 'case-sla-timers',
    description: "Cases' deadline changes, to set and cancel their SLA timers in EventBridge Scheduler",
    pattern: { source: ['switchboard'], 'detail-type': ['Case SLA Deadlines Changed'] },
    consumer: 'sla-timers',
  },
  {
    name: 'customer-erasure',
    description: "Erased customers, to scrub the personal data their contacts and cases still hold",
    pattern: { source: ['switchboard'], 'detail-type': ['Customer Erased'] },
    consumer: 'customer-erasure',
  },
  {
    name: 'survey-dispatch',
    description: 'Closed contacts, to decide once each whether and when to survey the customer',
    pattern: { source: ['switchboard'], 'detail-type': ['Contact Closed'] },
    consumer: 'survey-dispatch',
  },
  {
    name: 'survey-recovery',
    description: 'Survey answers, to open a service-recovery case on a low CSAT or NPS',
    pattern: { source: ['switchboard'], 'detail-type': ['Survey Answered'] },
    consumer: 'survey-recovery',
  },
  {
    name: 'analytics',
    description: "Every counted contact, survey, case and referral event, to the tenant's analytics counters",
    pattern: {
      source: ['switchboard'],
      'detail-type': countedDetailTypes,
    },
    consumer: 'analytics-aggregate',
  },
  {
    name: 'live-cases',
    description: 'Case assignments, changes and deadline moves, to tell the open desks (the live channel) and set deadline warnings',
    pattern: { source: ['switchboard'], 'detail-type': liveCaseDetailTypes },
    consumer: 'live-push',
  },
  {
    name: 'live-screen-pop',
    description: "Tenants' Amazon Connect contact events, to pop the customer on the agent's open desk",
    pattern: { source: ['aws.connect'], 'detail-type': ['Amazon Connect Contact Event'] },
    consumer: 'live-pop',
  },
  {
    name: 'customer-overview',
    description: "Contact, case, referral, survey and erasure events, to keep each customer's overview projection",
    pattern: {
      source: ['switchboard'],
      'detail-type': projectedDetailTypes,
    },
    consumer: 'customer-overview-projection',
  },
  {
    name: 'insights',
    description: "Case and finished-survey events, to keep the case backlog and the list of surveys with the customers' words",
    pattern: {
      source: ['switchboard'],
      'detail-type': insightDetailTypes,
    },
    consumer: 'insights-projection',
  },
];
