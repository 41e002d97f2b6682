import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import { type SmsEncoding, countSegments } from '../../shared/domain/sms/segments';
import type { InvokeFunction } from './event-bus';
import { BackgroundWork } from './background-work';

/**
 * The twin's AWS End User Messaging SMS, as far as Switchboard uses it:
 * - SendTextMessage and PutOptedOutNumber (AWS JSON 1.0, `X-Amz-Target: PinpointSMSVoiceV2.<op>`),
 *   so that shared/ports/sms-sender.ts runs unchanged against it: what would have been sent
 *   lands in an outbox, and a number on an opt-out list is refused the way AWS refuses it
 *   (ConflictException, Reason DESTINATION_PHONE_NUMBER_OPTED_OUT);
 * - two-way SMS: a customer's message, in the JSON AWS publishes, wrapped in the SNS event the
 *   inbound topic gives its Lambda subscriber and delivered asynchronously to `sms-inbound`, with
 *   Lambda's asynchronous retries (two), then a dead-letter list.
 *
 * Simplification: one opt-out list check for every sender. In AWS each origination identity uses
 * the list it is associated with (docs/operations.md, "SMS").
 *
 * Ownership, as AWS enforces it for Switchboard (docs/developers/security.md, "Tenants use only what the
 * operator gave them"): a message goes only from an origination identity (and configuration set)
 * the operator allocated to the tenant the message is sent for (`Context.tenantId`, which the
 * sender sets last), and a number goes only on an opt-out list some tenant was allocated (or
 * AWS's `Default`); anything else is refused with AccessDeniedException, as IAM refuses it.
 */

export interface SentSms {
  messageId: string;
  to: string;
  originationIdentity: string;
  body: string;
  segments: number;
  encoding: SmsEncoding;
  messageType?: string;
  configurationSetName?: string;
  context: Record<string, string>;
  sentAt: string;
}

/** The JSON AWS End User Messaging SMS publishes to the two-way SNS topic. */
export interface InboundSmsPayload {
  originationNumber: string;
  destinationNumber: string;
  messageKeyword?: string;
  messageBody: string;
  inboundMessageId: string;
  previousPublishedMessageId?: string;
}

export interface InboundDelivery {
  snsMessageId: string;
  inboundMessageId: string;
  status: 'pending' | 'delivered' | 'dead-lettered';
  attempts: number;
  lastError?: string;
}

export class SmsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

const e164 = /^\+[1-9]\d{6,14}$/;
export const localInboundTopicArn = 'arn:aws:sns:local:000000000000:switchboard-local-inbound-sms';
/** Lambda retries a failed asynchronous invocation twice. */
const inboundAttempts = 3;

/** The tenant an SMS resource is allocated to (its `tenantId` tag in AWS), if any. */
export type SmsResourceHolder = (kind: 'sms-origination-identity' | 'sms-configuration-set' | 'sms-opt-out-list', id: string) => Promise<string | undefined>;

export class LocalSms {
  /** Newest first. */
  readonly outbox: SentSms[] = [];
  readonly deliveries: InboundDelivery[] = [];
  private readonly optOutLists = new Map<string, Set<string>>();
  private readonly keep: number;
  private readonly retryBaseDelayMs: number;
  private readonly work = new BackgroundWork();
  private closed = false;

  constructor(private readonly options: { invoke: InvokeFunction; holder: SmsResourceHolder; keep?: number; retryBaseDelayMs?: number }) {
    this.keep = options.keep ?? 500;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 50;
  }

  /** SendTextMessage: validates as AWS does, refuses opted-out numbers, keeps the message. */
  async sendTextMessage(input: Record<string, unknown>): Promise<{ MessageId: string }> {
    const to = input.DestinationPhoneNumber;
    const from = input.OriginationIdentity;
    const body = input.MessageBody;
    if (typeof to !== 'string' || !e164.test(to)) throw new SmsApiError('ValidationException', 'DestinationPhoneNumber must be E.164');
    if (typeof from !== 'string' || from === '') throw new SmsApiError('ValidationException', 'The local twin needs an OriginationIdentity');
    if (typeof body !== 'string' || body === '') throw new SmsApiError('ValidationException', 'MessageBody is required');
    const context = (input.Context ?? {}) as Record<string, unknown>;
    if (Object.values(context).some((value) => typeof value !== 'string')) throw new SmsApiError('ValidationException', 'Context values must be strings');
    const tenantId = context.tenantId;
    if ((await this.options.holder('sms-origination-identity', from)) !== tenantId || tenantId === undefined) {
      throw new SmsApiError('AccessDeniedException', `The origination identity ${from} is not allocated to the sending tenant`);
    }
    const configurationSet = input.ConfigurationSetName;
    if (typeof configurationSet === 'string' && (await this.options.holder('sms-configuration-set', configurationSet)) !== tenantId) {
      throw new SmsApiError('AccessDeniedException', `The configuration set ${configurationSet} is not allocated to the sending tenant`);
    }
    const list = this.listHolding(to);
    if (list) {
      throw new SmsApiError('ConflictException', 'The destination phone number is opted out', {
        Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
        ResourceType: 'opt-out-list',
        ResourceId: list,
      });
    }
    const { segments, encoding } = countSegments(body);
    const sent: SentSms = {
      messageId: randomUUID(),
      to,
      originationIdentity: from,
      body,
      segments,
      encoding,
      ...(typeof input.MessageType === 'string' ? { messageType: input.MessageType } : {}),
      ...(typeof input.ConfigurationSetName === 'string' ? { configurationSetName: input.ConfigurationSetName } : {}),
      context: context as Record<string, string>,
      sentAt: new Date().toISOString(),
    };
    this.outbox.unshift(sent);
    this.outbox.length = Math.min(this.outbox.length, this.keep);
    return { MessageId: sent.messageId };
  }

  async putOptedOutNumber(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const list = input.OptOutListName;
    const number = input.OptedOutNumber;
    if (typeof list !== 'string' || list === '') throw new SmsApiError('ValidationException', 'OptOutListName is required');
    if (typeof number !== 'string' || !e164.test(number)) throw new SmsApiError('ValidationException', 'OptedOutNumber must be E.164');
    if (list !== 'Default' && (await this.options.holder('sms-opt-out-list', list)) === undefined) {
      throw new SmsApiError('AccessDeniedException', `The opt-out list ${list} is not allocated to any tenant`);
    }
    const numbers = this.optOutLists.get(list) ?? new Set<string>();
    numbers.add(number);
    this.optOutLists.set(list, numbers);
    return { OptOutListArn: `arn:aws:sms-voice:local:000000000000:opt-out-list/${list}`, OptOutListName: list, OptedOutNumber: number, OptedOutTimestamp: Date.now() / 1000, EndUserOptedOut: false };
  }

  isOptedOut(number: string): boolean {
    return this.listHolding(number) !== undefined;
  }

  /** For tests: forget every opt-out. */
  clearOptOuts(): void {
    this.optOutLists.clear();
  }

  /**
   * A customer's SMS, as AWS publishes it to the two-way topic: answered at once, delivered to
   * `sms-inbound` afterwards (like SNS to a Lambda subscriber), retried on failure.
   */
  inject(payload: InboundSmsPayload): { snsMessageId: string } {
    const snsMessageId = randomUUID();
    const delivery: InboundDelivery = { snsMessageId, inboundMessageId: payload.inboundMessageId, status: 'pending', attempts: 0 };
    this.deliveries.unshift(delivery);
    this.deliveries.length = Math.min(this.deliveries.length, this.keep);
    const event = snsEvent(snsMessageId, payload);
    this.work.start(() => this.attempt(event, delivery));
    return { snsMessageId };
  }

  /** Resolves once no inbound message is waiting for, or being retried by, sms-inbound. */
  settled(): Promise<void> {
    return this.work.settled();
  }

  sentTo(to?: string, limit = 50): SentSms[] {
    return this.outbox.filter((sms) => !to || sms.to === to).slice(0, limit);
  }

  close(): void {
    this.closed = true;
    this.work.cancelAll();
  }

  private listHolding(number: string): string | undefined {
    for (const [list, numbers] of this.optOutLists) if (numbers.has(number)) return list;
    return undefined;
  }

  private async attempt(event: SNSEvent, delivery: InboundDelivery): Promise<void> {
    if (this.closed) return;
    delivery.attempts++;
    try {
      await this.options.invoke('sms-inbound', structuredClone(event));
      delivery.status = 'delivered';
      this.work.finish();
    } catch (error) {
      if (this.closed) return;
      delivery.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (delivery.attempts >= inboundAttempts) {
        delivery.status = 'dead-lettered';
        console.error(`[twin] sms-inbound: inbound SMS ${delivery.inboundMessageId} dead-lettered after ${delivery.attempts} attempts: ${delivery.lastError}`);
        this.work.finish();
        return;
      }
      this.work.later(this.retryBaseDelayMs * 2 ** (delivery.attempts - 1), () => this.attempt(event, delivery));
    }
  }
}

/** Checks a `POST /local/sms/inbound` body against the shape AWS publishes; the problems, or none. */
export function inboundPayloadProblems(input: unknown): { path: string; message: string }[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [{ path: '$', message: 'Must be a JSON object' }];
  const body = input as Record<string, unknown>;
  const problems: { path: string; message: string }[] = [];
  for (const field of ['originationNumber', 'destinationNumber'] as const) {
    if (typeof body[field] !== 'string' || !e164.test(body[field])) problems.push({ path: `$.${field}`, message: 'Must be a phone number in E.164' });
  }
  if (typeof body.messageBody !== 'string') problems.push({ path: '$.messageBody', message: 'Must be a string' });
  for (const field of ['inboundMessageId', 'messageKeyword', 'previousPublishedMessageId'] as const) {
    if (body[field] !== undefined && typeof body[field] !== 'string') problems.push({ path: `$.${field}`, message: 'Must be a string' });
  }
  return problems;
}

/** The event SNS gives a Lambda subscriber: one record, the AWS payload as the message string. */
function snsEvent(snsMessageId: string, payload: InboundSmsPayload): SNSEvent {
  const now = new Date().toISOString();
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${localInboundTopicArn}:${randomUUID()}`,
        Sns: {
          Type: 'Notification',
          MessageId: snsMessageId,
          TopicArn: localInboundTopicArn,
          Subject: '',
          Message: JSON.stringify(payload),
          Timestamp: now,
          SignatureVersion: '1',
          Signature: 'local',
          SigningCertUrl: 'https://sns.local/SimpleNotificationService.pem',
          UnsubscribeUrl: 'https://sns.local/unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}
