import { putUnmatchedReply } from '../data/sms-messages-repo';

/**
 * The port through which an SMS reply that is neither STOP nor HELP reaches the survey
 * conversation. For now no survey is sent by SMS, so every reply is recorded as unmatched (kept
 * 30 days); the survey conversation replaces `handleSurveyReply` with one that finds the open
 * survey by `previousPublishedMessageId`, else by the pair of numbers, and records unmatched only
 * what it cannot place.
 */
export interface InboundSmsReply {
  tenantId: string;
  /** Undefined when the number is no customer of the tenant. */
  customerId?: string;
  /** The customer's number (E.164). */
  from: string;
  /** The tenant's number (E.164). */
  to: string;
  body: string;
  inboundMessageId: string;
  previousPublishedMessageId?: string;
  receivedAt: string;
}

export type SurveyReplyOutcome = 'answered' | 'unmatched';
export type SurveyReplyHandler = (reply: InboundSmsReply) => Promise<SurveyReplyOutcome>;

/** Placeholder until the survey conversation exists: records the reply as unmatched. */
export const recordUnmatchedReply: SurveyReplyHandler = async (reply) => {
  await putUnmatchedReply(reply);
  return 'unmatched';
};

export const handleSurveyReply: SurveyReplyHandler = recordUnmatchedReply;
