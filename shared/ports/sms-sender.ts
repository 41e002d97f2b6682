import {
  ConflictException,
  PinpointSMSVoiceV2Client,
  PutOptedOutNumberCommand,
  SendTextMessageCommand,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { type SmsEncoding, countSegments } from '../domain/sms/segments';

/**
 * Sends one SMS through AWS End User Messaging SMS (pinpoint-sms-voice-v2 SendTextMessage), or
 * through the local twin's emulation of it when SMS_ENDPOINT is set. Always TRANSACTIONAL: every
 * message Switchboard sends answers something the customer did (a contact, a keyword).
 */
export interface SmsToSend {
  tenantId: string;
  /** E.164. */
  to: string;
  body: string;
  /** The tenant's phone number (E.164), phone number ID/ARN or pool ID/ARN, from its settings. */
  originationIdentity: string;
  configurationSetName?: string;
  /** Ids of the caller (e.g. surveyId); they come back in the configuration set's delivery events. Never personal data. */
  context: Record<string, string>;
}

export type SmsSendResult =
  | { status: 'sent'; messageId: string; segments: number; encoding: SmsEncoding }
  /** AWS refused: the number is on the opt-out list of the origination identity or configuration set. */
  | { status: 'opted-out' };

let client: PinpointSMSVoiceV2Client | undefined;
function smsClient(): PinpointSMSVoiceV2Client {
  const endpoint = process.env.SMS_ENDPOINT;
  client ??= new PinpointSMSVoiceV2Client(endpoint ? { endpoint } : {});
  return client;
}

export async function sendSms(message: SmsToSend): Promise<SmsSendResult> {
  const { encoding, segments } = countSegments(message.body);
  try {
    const { MessageId } = await smsClient().send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: message.to,
        OriginationIdentity: message.originationIdentity,
        MessageBody: message.body,
        MessageType: 'TRANSACTIONAL',
        ...(message.configurationSetName ? { ConfigurationSetName: message.configurationSetName } : {}),
        // The tenant last, so that no caller's context can pass for another tenant's.
        Context: { ...message.context, tenantId: message.tenantId },
      }),
    );
    if (!MessageId) throw new Error('SendTextMessage answered without a MessageId');
    return { status: 'sent', messageId: MessageId, segments, encoding };
  } catch (error) {
    if (error instanceof ConflictException && error.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT') return { status: 'opted-out' };
    throw error;
  }
}

/**
 * Why AWS refused a message for good, as an AWS error code and reason (never the number), or
 * undefined when a retry may succeed (throttling, a quota that may be raised, AWS failing).
 * Refused for good: the request is invalid (such as a destination that is no phone number) or
 * the destination is blocked (country blocked, protect configuration).
 */
export function permanentSmsRefusal(error: unknown): string | undefined {
  if (error instanceof ValidationException) return `ValidationException${error.Reason ? ` ${error.Reason}` : ''}`;
  if (error instanceof ConflictException && error.Reason?.startsWith('DESTINATION_')) return `ConflictException ${error.Reason}`;
  return undefined;
}

/** AWS's opt-out list of an origination identity unless the tenant names another. */
export const defaultOptOutListName = 'Default';

/**
 * Puts a number on an opt-out list, so that AWS itself refuses every later send to it from the
 * identities that use the list (SendTextMessage then fails with DESTINATION_PHONE_NUMBER_OPTED_OUT).
 * Putting a number that is already there again is harmless.
 */
export async function addToOptOutList(phoneNumber: string, optOutListName: string = defaultOptOutListName): Promise<void> {
  await smsClient().send(new PutOptedOutNumberCommand({ OptOutListName: optOutListName, OptedOutNumber: phoneNumber }));
}
