import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The twin's Amazon SES v2, as far as Switchboard uses it: SendEmail with simple content
 * (`POST /v2/email/outbound-emails`, REST JSON), so that shared/ports/mail.ts runs unchanged
 * against it. Nothing leaves the machine: every message lands in an outbox, newest first, which
 * `GET /local/mail/outbox` shows. The local OIDC issuer's own mail (a password-reset code) goes
 * into the same outbox, as Cognito's would go through SES.
 *
 * Simple content's Headers and ReplyToAddresses are kept with the message (the outbox shows them).
 *
 * Simplifications: no sending identities or sandbox (any From is accepted), no raw or templated
 * content, no configuration-set events (bounces, complaints, deliveries); a Message-ID header is
 * kept as given, where SES replaces it with its own.
 *
 * One rule stands in for SES's suppression list: a recipient at `refused.example` (the domain or a
 * subdomain) is refused with `MessageRejected`, as SES refuses a suppressed address, and nothing
 * lands in the outbox; so the console's "mail refused" path can be tried by hand and in tests.
 */

export interface OutboxMail {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind?: string;
  tenantId?: string;
  configurationSetName?: string;
  /** Reply-To addresses, as SendEmail's ReplyToAddresses. */
  replyTo?: string[];
  /** Content.Simple.Headers, by name as given (Message-ID, In-Reply-To, References …). */
  headers?: Record<string, string>;
  sentAt: string;
}

/** An SES v2 error: the SDK takes its class from the `x-amzn-errortype` header. */
export class MailApiError extends Error {
  constructor(
    readonly type: 'BadRequestException' | 'NotFoundException' | 'MessageRejected',
    message: string,
  ) {
    super(message);
  }
}

/** Good enough to refuse what SES refuses as malformed; `Name <address>` is accepted as SES does. */
const address = /^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/;

/** Addresses at `refused.example` or a subdomain of it: the twin treats them as on SES's suppression list. */
const refusedAddress = /@(?:[^\s@<>]+\.)?refused\.example>?$/i;

export class LocalMail {
  /** Newest first. */
  readonly outbox: OutboxMail[] = [];

  constructor(private readonly keep = 500) {}

  /** SendEmail (SES v2) with simple content: validates as SES does, keeps the message. */
  sendEmail(input: Record<string, unknown>): { MessageId: string } {
    const from = input.FromEmailAddress;
    if (typeof from !== 'string' || !address.test(from)) throw new MailApiError('BadRequestException', 'FromEmailAddress must be an e-mail address');
    const destination = (input.Destination ?? {}) as Record<string, unknown>;
    const recipients = ['ToAddresses', 'CcAddresses', 'BccAddresses'].flatMap((field) => (Array.isArray(destination[field]) ? (destination[field] as unknown[]) : []));
    if (recipients.length === 0) throw new MailApiError('BadRequestException', 'Destination must name at least one address');
    if (recipients.length > 50) throw new MailApiError('BadRequestException', 'Destination may name at most 50 addresses');
    if (recipients.some((recipient) => typeof recipient !== 'string' || !address.test(recipient))) {
      throw new MailApiError('BadRequestException', 'Every destination must be an e-mail address');
    }
    if ((recipients as string[]).some((recipient) => refusedAddress.test(recipient.trim()))) {
      throw new MailApiError('MessageRejected', 'Email address is on the suppression list for your account');
    }
    const content = (input.Content ?? {}) as Record<string, unknown>;
    const simple = content.Simple as
      | { Subject?: { Data?: unknown }; Body?: { Text?: { Data?: unknown }; Html?: { Data?: unknown } }; Headers?: unknown }
      | undefined;
    if (!simple) throw new MailApiError('BadRequestException', 'The local twin emulates simple content only (no Raw or Template)');
    const subject = simple.Subject?.Data;
    const text = simple.Body?.Text?.Data;
    const html = simple.Body?.Html?.Data;
    if (typeof subject !== 'string' || subject === '') throw new MailApiError('BadRequestException', 'Content.Simple.Subject.Data is required');
    if (typeof text !== 'string' && typeof html !== 'string') throw new MailApiError('BadRequestException', 'Content.Simple.Body needs Text or Html');
    const tags = Array.isArray(input.EmailTags) ? (input.EmailTags as { Name?: unknown; Value?: unknown }[]) : [];
    if (tags.some((tag) => typeof tag.Name !== 'string' || typeof tag.Value !== 'string' || !/^[A-Za-z0-9_.@-]{1,256}$/.test(tag.Value))) {
      throw new MailApiError('BadRequestException', 'EmailTags values may hold only ASCII letters, digits, _ - . @');
    }
    const tag = (name: string) => tags.find((candidate) => candidate.Name === name)?.Value as string | undefined;
    const headers = simpleHeaders(simple.Headers);
    const replyTo = input.ReplyToAddresses;
    if (replyTo !== undefined && (!Array.isArray(replyTo) || replyTo.some((entry) => typeof entry !== 'string' || !address.test(entry)))) {
      throw new MailApiError('BadRequestException', 'ReplyToAddresses must be e-mail addresses');
    }
    const configurationSet = input.ConfigurationSetName;
    const mail = this.record({
      from,
      to: (recipients as string[]).join(', '),
      subject,
      text: typeof text === 'string' ? text : '',
      ...(typeof html === 'string' ? { html } : {}),
      ...(tag('kind') ? { kind: tag('kind') } : {}),
      ...(tag('tenant') ? { tenantId: tag('tenant') } : {}),
      ...(typeof configurationSet === 'string' ? { configurationSetName: configurationSet } : {}),
      ...(Array.isArray(replyTo) && replyTo.length > 0 ? { replyTo: replyTo as string[] } : {}),
      ...(headers ? { headers } : {}),
    });
    return { MessageId: mail.messageId };
  }

  /** Puts a message in the outbox, as the twin's own services (the OIDC issuer) send it. */
  record(mail: Omit<OutboxMail, 'messageId' | 'sentAt'>): OutboxMail {
    const kept: OutboxMail = { messageId: randomUUID(), ...mail, sentAt: new Date().toISOString() };
    this.outbox.unshift(kept);
    this.outbox.length = Math.min(this.outbox.length, this.keep);
    return kept;
  }

  /** Newest first; `to` matches any recipient, ignoring case. */
  sentTo(to?: string, limit = 50): OutboxMail[] {
    const wanted = to?.trim().toLowerCase();
    return this.outbox
      .filter((mail) => !wanted || mail.to.toLowerCase().split(', ').some((recipient) => recipient === wanted || recipient.endsWith(`<${wanted}>`)))
      .slice(0, limit);
  }
}

/**
 * Content.Simple.Headers as SES takes them: a list of { Name, Value }, each header at most once
 * (those SES allows once, which are all Switchboard sends). Kept as given; SES itself replaces a
 * Message-ID with its own, which the twin does not, so that tests can read the case's id.
 */
function simpleHeaders(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new MailApiError('BadRequestException', 'Content.Simple.Headers must be a list');
  const headers: Record<string, string> = {};
  for (const header of value as { Name?: unknown; Value?: unknown }[]) {
    if (typeof header.Name !== 'string' || !/^[!-9;-~]+$/.test(header.Name) || typeof header.Value !== 'string' || /[\r\n]/.test(header.Value)) {
      throw new MailApiError('BadRequestException', 'Every header needs a Name (printable ASCII, no colon) and a one-line Value');
    }
    if (Object.keys(headers).some((name) => name.toLowerCase() === header.Name!.toString().toLowerCase())) {
      throw new MailApiError('BadRequestException', `Header ${header.Name} given twice`);
    }
    headers[header.Name] = header.Value;
  }
  return headers;
}

/** SES v2's `POST /v2/email/outbound-emails`; false when the request is no SES v2 request. */
export function serveMailApi(method: string, path: string, text: string, response: ServerResponse, mail: LocalMail): boolean {
  if (!path.startsWith('/v2/email/')) return false;
  if (method !== 'POST' || path !== '/v2/email/outbound-emails') {
    sendMailError(response, 404, 'NotFoundException', `The local twin does not emulate ${method} ${path}`);
    return true;
  }
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(text || '{}') as Record<string, unknown>;
  } catch {
    sendMailError(response, 400, 'BadRequestException', 'The request body is not JSON');
    return true;
  }
  try {
    sendJson(response, 200, mail.sendEmail(input));
  } catch (error) {
    if (!(error instanceof MailApiError)) throw error;
    sendMailError(response, error.type === 'NotFoundException' ? 404 : 400, error.type, error.message);
  }
  return true;
}

/** `GET /local/mail/outbox[?to=&limit=]`; false when the path is not it. */
export function serveMailControl(method: string, path: string, response: ServerResponse, mail: LocalMail, query?: URLSearchParams): boolean {
  if (method !== 'GET' || path !== '/local/mail/outbox') return false;
  const limit = Math.min(Math.max(Number(query?.get('limit') ?? 50) || 50, 1), 500);
  sendJson(response, 200, { items: mail.sentTo(query?.get('to') ?? undefined, limit) });
  return true;
}

function sendMailError(response: ServerResponse, status: number, type: string, message: string): void {
  response.setHeader('x-amzn-errortype', type);
  sendJson(response, status, { message });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
