import * as z from '../zod';
import { defineEvent } from './catalog';

// Never the phone number: the country and the reason say what a tenant admin needs.

export const smsPurpose = z.enum(['survey', 'keyword-help', 'keyword-stop', 'case-reply']);
export type SmsPurpose = z.infer<typeof smsPurpose>;

export const smsSendRefused = defineEvent(
  'SMS Send Refused',
  1,
  "An SMS was not sent because it would pass the tenant's SMS quota or spend cap, or its destination is not allowed",
  z.object({
    reason: z.enum(['quota', 'destination-not-allowed']),
    purpose: smsPurpose,
    limit: z.described(z.optional(z.enum(['day', 'month', 'spend', 'survey-daily-cap'])), 'quota only: the limit the send would pass'),
    country: z.described(z.optional(z.string()), "The destination's country (ISO 3166-1 alpha-2), when it has one"),
    destinationRule: z.described(z.optional(z.enum(['blocked-prefix', 'country-not-allowed'])), 'destination-not-allowed only: which rule refused it'),
    segments: z.described(z.int(), 'Segments the message would have cost'),
    surveyId: z.optional(z.string()),
  }),
);
