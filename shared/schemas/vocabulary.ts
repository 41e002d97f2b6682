import * as z from '../zod';

/**
 * The enumerations and small value types that the API schemas and the event catalog share. The
 * events import them from here rather than from the area schema modules, so that an event
 * consumer does not bundle (and build at every cold start) the API's request and response
 * schemas: esbuild keeps every schema of a module it includes (docs/developers/performance.md).
 */

// ---------------------------------------------------------------- contacts

export const Channel = z.enum(['voice', 'chat', 'email', 'sms', 'web', 'walk_in']);
export const Direction = z.enum(['inbound', 'outbound']);
export const Purpose = z.enum(['service', 'sales', 'care', 'survey', 'collection']);
export const Outcome = z.described(
  z.enum(['resolved', 'unresolved', 'transferred', 'abandoned']),
  'abandoned means the contact was never answered',
);
export const ContactStatus = z.enum(['open', 'closed']);
export const ReferralStatus = z.enum(['open', 'converted', 'lost']);

export const Currency = z.withMeta(z.string().check(z.regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 currency code such as TWD')), { maxLength: 3 });

export const Money = z.withMeta(
  z.strictObject({
    amount: z.number().check(
      z.gte(0, 'Must not be negative'),
      z.lte(1e12),
      z.refine((amount) => Math.round(amount * 1000) / 1000 === amount, 'At most 3 decimal places'),
    ),
    currency: Currency,
  }),
  { id: 'Money' },
);
export type Money = z.infer<typeof Money>;

// ---------------------------------------------------------------- cases

export const CaseType = z.enum(['complaint', 'request', 'inquiry']);
export type CaseType = z.infer<typeof CaseType>;
export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const CaseStatus = z.enum(['open', 'in_progress', 'awaiting_customer', 'resolved', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatus>;
export const SlaKind = z.enum(['firstResponse', 'resolution']);
export type SlaKind = z.infer<typeof SlaKind>;

// ---------------------------------------------------------------- surveys

export const SurveyStatus = z.enum(['pending', 'sent', 'in_progress', 'completed', 'expired', 'not_sent']);
export type SurveyStatus = z.infer<typeof SurveyStatus>;

export const SurveyDeliveryChannel = z.enum(['sms', 'link']);
export type SurveyDeliveryChannel = z.infer<typeof SurveyDeliveryChannel>;

/** Why a survey was not sent: the rules' reasons (shared/domain/surveys/rules.ts), then what the send itself found. */
export const NotSentReason = z.enum([
  'disabled',
  'channel',
  'queue',
  'purpose',
  'no-contact-point',
  'no-consent',
  'suppressed',
  'sampled-out',
  'capped',
  'opted-out',
  'sms-not-configured',
  'sms-refused',
  'quota',
  'destination-not-allowed',
  'tenant-suspended',
  'sms-sender-not-allocated',
]);
export type NotSentReason = z.infer<typeof NotSentReason>;
