import type { Schemas } from '../../api/client';

export type EventType = Exclude<Schemas['CreateWebhook']['eventTypes'][number], '*'>;

/**
 * The catalog's detail-types a webhook may choose, in the console's order. A Record over the
 * document's own union: when the catalog gains an event, the console does not compile until it
 * is listed here (and described in messages.ts).
 */
const listed: Record<EventType, true> = {
  'Contact Opened': true,
  'Contact Closed': true,
  'Case Opened': true,
  'Case Status Changed': true,
  'Case Resolved': true,
  'Case SLA Deadlines Changed': true,
  'Case SLA Breached': true,
  'Case Assigned': true,
  'Case Reply Sent': true,
  'Case Customer Replied': true,
  'Survey Sent': true,
  'Survey Answered': true,
  'Survey Completed': true,
  'Survey Expired': true,
  'Survey Not Sent': true,
  'Referral Made': true,
  'Referral Converted': true,
  'Referral Lost': true,
  'Customer Opted Out': true,
  'Customer Erased': true,
  'SMS Send Refused': true,
};

export const eventTypes = Object.keys(listed) as EventType[];
