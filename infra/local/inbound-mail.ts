import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SESEvent } from 'aws-lambda';
import PostalMime, { type Address } from 'postal-mime';
import { BackgroundWork } from './background-work';
import type { InvokeFunction } from './event-bus';
import type { LocalS3 } from './s3';

/**
 * SES receiving on the twin: `POST /local/mail/inbound` takes a raw RFC 5322 message
 * (`Content-Type: message/rfc822`), stores it in the mail bucket at `inbound/<message id>` as the
 * receipt rule's S3 action would, and then invokes `mail-inbound` with the receipt record SES's
 * Lambda action sends (asynchronously: answered at once, retried twice on failure like Lambda,
 * then kept as dead-lettered). The recipients are `?to=` (comma-separated) or else the message's
 * To and Cc, those on the inbound mail domain only, as a receipt rule for that domain matches.
 * `?spam=` and `?virus=` set SES's verdicts (PASS by default: the twin scans nothing).
 */

export const localInboundMailDomain = 'inbound.switchboard.localhost';
export const localMailBucket = 'switchboard-local-mail';
export const inboundMailPrefix = 'inbound/';
const functionArn = 'arn:aws:lambda:local:000000000000:function:switchboard-local-mail-inbound';
/** Lambda retries a failed asynchronous invocation twice. */
const attempts = 3;
const verdicts = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED'] as const;
type VerdictStatus = (typeof verdicts)[number];

export interface InboundMailDelivery {
  messageId: string;
  recipients: string[];
  status: 'pending' | 'delivered' | 'dead-lettered';
  attempts: number;
  lastError?: string;
}

export class InboundMailRefused extends Error {}

export class LocalInboundMail {
  /** Newest first. */
  readonly deliveries: InboundMailDelivery[] = [];
  private readonly events = new Map<string, SESEvent>();
  private readonly work = new BackgroundWork();
  private closed = false;

  constructor(private readonly options: { invoke: InvokeFunction; s3: LocalS3; retryBaseDelayMs?: number; keep?: number }) {}

  /** Stores the message and hands its receipt to mail-inbound; refuses one with no recipient on the inbound domain. */
  async receive(raw: Buffer, options: { to?: string[]; spam?: VerdictStatus; virus?: VerdictStatus } = {}): Promise<InboundMailDelivery> {
    const email = await PostalMime.parse(new Uint8Array(raw));
    const addresses = (list: Address[] | undefined) => (list ?? []).flatMap((address) => (address.group ? address.group : [address])).map((mailbox) => mailbox.address ?? '');
    const named = options.to ?? [...addresses(email.to), ...addresses(email.cc)];
    const recipients = [...new Set(named.map((address) => address.trim().toLowerCase()).filter((address) => address.endsWith(`@${localInboundMailDomain}`)))];
    if (recipients.length === 0) throw new InboundMailRefused(`No recipient on the inbound mail domain ${localInboundMailDomain} (To, Cc or ?to=)`);
    const messageId = randomBytes(25).toString('hex').slice(0, 40);
    this.options.s3.put(localMailBucket, `${inboundMailPrefix}${messageId}`, raw, 'message/rfc822');
    const now = new Date().toISOString();
    const from = addresses(email.from ? [email.from] : []);
    const headers = email.headers.map((header) => ({ name: header.originalKey, value: header.value }));
    const verdict = (status: VerdictStatus = 'PASS') => ({ status });
    const event: SESEvent = {
      Records: [
        {
          eventSource: 'aws:ses',
          eventVersion: '1.0',
          ses: {
            mail: {
              timestamp: now,
              source: email.returnPath ?? from[0] ?? '',
              messageId,
              destination: recipients,
              headersTruncated: false,
              headers,
              commonHeaders: {
                returnPath: email.returnPath ?? from[0] ?? '',
                from: from,
                date: email.date ?? now,
                to: addresses(email.to),
                messageId: email.messageId ?? '',
                subject: email.subject ?? '',
              },
            },
            receipt: {
              timestamp: now,
              processingTimeMillis: 1,
              recipients,
              spamVerdict: verdict(options.spam),
              virusVerdict: verdict(options.virus),
              spfVerdict: verdict('GRAY'),
              dkimVerdict: verdict('GRAY'),
              dmarcVerdict: verdict('GRAY'),
              dmarcPolicy: 'none',
              action: { type: 'Lambda', functionArn, invocationType: 'Event' },
            },
          },
        },
      ],
    };
    this.events.set(messageId, event);
    return this.deliver(messageId);
  }

  /** Hands a received message to mail-inbound again, as SES or Lambda may deliver it twice. */
  redeliver(messageId: string): InboundMailDelivery {
    if (!this.events.has(messageId)) throw new InboundMailRefused(`No received message ${messageId}`);
    return this.deliver(messageId);
  }

  /** Resolves once no message is waiting for, or being retried by, mail-inbound. */
  settled(): Promise<void> {
    return this.work.settled();
  }

  close(): void {
    this.closed = true;
    this.work.cancelAll();
  }

  private deliver(messageId: string): InboundMailDelivery {
    const event = this.events.get(messageId)!;
    const delivery: InboundMailDelivery = { messageId, recipients: event.Records[0]!.ses.receipt.recipients, status: 'pending', attempts: 0 };
    this.deliveries.unshift(delivery);
    this.deliveries.length = Math.min(this.deliveries.length, this.options.keep ?? 500);
    this.work.start(() => this.attempt(event, delivery));
    return delivery;
  }

  private async attempt(event: SESEvent, delivery: InboundMailDelivery): Promise<void> {
    if (this.closed) return;
    delivery.attempts++;
    try {
      await this.options.invoke('mail-inbound', structuredClone(event));
      delivery.status = 'delivered';
      this.work.finish();
    } catch (error) {
      if (this.closed) return;
      delivery.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (delivery.attempts >= attempts) {
        delivery.status = 'dead-lettered';
        console.error(`[twin] mail-inbound: message ${delivery.messageId} dead-lettered after ${delivery.attempts} attempts: ${delivery.lastError}`);
        this.work.finish();
        return;
      }
      this.work.later((this.options.retryBaseDelayMs ?? 50) * 2 ** (delivery.attempts - 1), () => this.attempt(event, delivery));
    }
  }
}

/**
 * `POST /local/mail/inbound[?to=&spam=&virus=]` (a raw message), `POST /local/mail/inbound/<message id>/redeliver`
 * and `GET /local/mail/inbound` (the deliveries, newest first); false when the path is none of them.
 */
export function serveInboundMailControl(method: string, path: string, body: Buffer, response: ServerResponse, inbound: LocalInboundMail, query?: URLSearchParams): boolean {
  if (method === 'GET' && path === '/local/mail/inbound') {
    sendJson(response, 200, { items: inbound.deliveries });
    return true;
  }
  const redeliver = /^\/local\/mail\/inbound\/([0-9a-z]+)\/redeliver$/.exec(path);
  if (method === 'POST' && redeliver) {
    try {
      sendJson(response, 202, inbound.redeliver(redeliver[1]!));
    } catch (error) {
      if (!(error instanceof InboundMailRefused)) throw error;
      sendProblem(response, 404, error.message);
    }
    return true;
  }
  if (method !== 'POST' || path !== '/local/mail/inbound') return false;
  const verdictOf = (name: string): VerdictStatus | undefined => {
    const value = query?.get(name)?.toUpperCase();
    return verdicts.find((verdict) => verdict === value);
  };
  if (body.length === 0) {
    sendProblem(response, 400, 'Send a raw RFC 5322 message as the body (Content-Type: message/rfc822)');
    return true;
  }
  const to = query?.get('to')?.split(',').map((address) => address.trim()).filter(Boolean);
  inbound
    .receive(body, { ...(to && to.length > 0 && { to }), spam: verdictOf('spam'), virus: verdictOf('virus') })
    .then((delivery) => sendJson(response, 202, delivery))
    .catch((error: unknown) => {
      if (error instanceof InboundMailRefused) return sendProblem(response, 400, error.message);
      console.error('[twin] could not receive the message:', error);
      sendProblem(response, 500, 'The twin could not receive the message');
    });
  return true;
}

function sendProblem(response: ServerResponse, status: number, detail: string): void {
  sendJson(response, status, { type: 'about:blank', title: 'Not received', status, detail }, 'application/problem+json');
}

function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
