import * as z from '../zod';
import { E164 } from './common';

/**
 * The JSON that AWS End User Messaging SMS publishes to the two-way SNS topic for each SMS a
 * customer sends to a tenant's number (the SNS message's `Message`, as a string). See
 * https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html
 */
export const InboundSms = z.object({
  /** The customer's number. */
  originationNumber: E164,
  /** The tenant's number the customer wrote to. */
  destinationNumber: E164,
  /** The keyword registered on the number that the message matched, if any. */
  messageKeyword: z.optional(z.string()),
  messageBody: z._default(z.string(), ''),
  inboundMessageId: z.string().check(z.minLength(1), z.maxLength(200)),
  /** The MessageId of the message the customer answers (what SendTextMessage returned), when AWS knows it. */
  previousPublishedMessageId: z.optional(z.string()),
});
export type InboundSms = z.infer<typeof InboundSms>;

export function parseInboundSms(message: string): { ok: true; sms: InboundSms } | { ok: false; issues: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { ok: false, issues: ['not JSON'] };
  }
  const parsed = InboundSms.safeParse(json);
  if (!parsed.success)
    return { ok: false, issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`) };
  return { ok: true, sms: parsed.data };
}
