import * as z from '../zod';
import { Iso8601 } from '../schemas/common';
import { defineEvent } from './catalog';

/**
 * A customer withdrew consent to a channel. Consumers (survey dispatch, a tenant's CRM through
 * webhooks) stop using it at once. Never the phone number or address: the customer id names them.
 */
export const customerOptedOut = defineEvent(
  'Customer Opted Out',
  1,
  "A customer withdrew consent to a channel (an SMS keyword such as STOP, or AWS reporting the number opted out); the customer's consent is already denied",
  z.object({
    customerId: z.string(),
    channel: z.literal('sms'),
    source: z.described(z.string(), 'How it was withdrawn: sms-keyword, or sms-opt-out-list when AWS reported it'),
    at: Iso8601,
  }),
);

/**
 * A customer was erased on request. The customer-erasure consumer scrubs the personal data their
 * contacts and cases still hold; a tenant's CRM can erase them too, through webhooks. Ids and the
 * time only: there is nothing else left to say about an erased customer.
 */
export const customerErased = defineEvent(
  'Customer Erased',
  1,
  "A customer was erased on request; their profile is already a tombstone, and their contacts' and cases' personal data is being scrubbed",
  z.object({
    customerId: z.string(),
    erasedAt: Iso8601,
  }),
);
