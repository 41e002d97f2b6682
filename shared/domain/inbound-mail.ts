import { createHash } from 'node:crypto';
import PostalMime, { type Address, type Email } from 'postal-mime';
import { normalizeEmail } from './contact-points';

/**
 * A customer's e-mail to a tenant's inbound mailbox (shared/domain/mail-threading.ts), as
 * functions/mail-inbound reads it: parsed from the raw RFC 5322 message SES stored, reduced to
 * what a case's timeline keeps, with its attachments sorted into kept and refused.
 */

export interface InboundMailLimits {
  attachmentBytes: number;
  messageAttachmentBytes: number;
  attachments: number;
  textCharacters: number;
}

/** What a message may bring: more is refused, part by part, and the refusal is said on the timeline. */
export const inboundMailLimits: InboundMailLimits = {
  /** One attachment's decoded size. */
  attachmentBytes: 10 * 1024 * 1024,
  /** All kept attachments of one message together. */
  messageAttachmentBytes: 25 * 1024 * 1024,
  /** Attachments kept per message (each is one item of the message's DynamoDB transaction). */
  attachments: 20,
  /** The text kept on the timeline; the rest is cut with a note. */
  textCharacters: 10_000,
};

export type RefusalReason = 'too-large' | 'message-too-large' | 'too-many';

export interface MailAttachmentPart {
  /** Its position among the message's attachments: with the message, it names the attachment for good. */
  index: number;
  name: string;
  type: string;
  size: number;
  content: Uint8Array;
}

export interface ParsedInboundMail {
  from?: { address: string; name?: string };
  /** Every To and Cc address, lowercased. */
  recipients: string[];
  subject: string;
  inReplyTo?: string;
  references?: string;
  /** The text part, or the HTML part reduced to text, trimmed and cut at the limit. */
  text: string;
  /** Why it is an automatic message (auto-reply, bounce, list), if it is one. */
  automatic?: string;
  attachments: MailAttachmentPart[];
}

export async function parseInboundMail(raw: Uint8Array | string): Promise<ParsedInboundMail> {
  const email: Email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const header = (name: string) => email.headers.find((candidate) => candidate.key === name)?.value.trim();
  const from = mailboxes(email.from ? [email.from] : [])[0];
  const body = email.text?.trim() ? email.text : email.html ? htmlToText(email.html) : '';
  return withoutUndefined({
    from,
    recipients: [...mailboxes(email.to ?? []), ...mailboxes(email.cc ?? [])].map((mailbox) => mailbox.address),
    subject: email.subject?.trim() ?? '',
    inReplyTo: email.inReplyTo,
    references: email.references,
    text: cut(body.replace(/\r\n/g, '\n').trim(), inboundMailLimits.textCharacters),
    automatic: automaticReason(header, from?.address),
    attachments: email.attachments.map((attachment, index) => {
      const content = typeof attachment.content === 'string' ? new TextEncoder().encode(attachment.content) : new Uint8Array(attachment.content as ArrayBuffer);
      return { index, name: attachment.filename?.trim() || `attachment-${index + 1}`, type: attachment.mimeType || 'application/octet-stream', size: content.byteLength, content };
    }),
  });
}

/**
 * The limits, with the operator's MAIL_ATTACHMENT_MAX_BYTES and MAIL_MESSAGE_ATTACHMENTS_MAX_BYTES
 * over the defaults (docs/operations.md, "Inbound mail"); a value that is no positive integer is ignored.
 */
export function inboundMailLimitsFrom(environment: Readonly<Record<string, string | undefined>>): InboundMailLimits {
  const bytes = (name: string, fallback: number) => {
    const value = Number(environment[name]);
    return Number.isSafeInteger(value) && value > 0 ? value : fallback;
  };
  return {
    ...inboundMailLimits,
    attachmentBytes: bytes('MAIL_ATTACHMENT_MAX_BYTES', inboundMailLimits.attachmentBytes),
    messageAttachmentBytes: bytes('MAIL_MESSAGE_ATTACHMENTS_MAX_BYTES', inboundMailLimits.messageAttachmentBytes),
  };
}

function mailboxes(addresses: readonly Address[]): { address: string; name?: string }[] {
  return addresses
    .flatMap((address) => (address.group ? address.group : [address]))
    .filter((mailbox) => typeof mailbox.address === 'string' && mailbox.address.includes('@'))
    .map((mailbox) => withoutUndefined({ address: normalizeEmail(mailbox.address!), name: mailbox.name?.trim() || undefined }));
}

/**
 * RFC 3834's Auto-Submitted (anything but `no`), the older X-Autoreply / X-Autorespond and
 * Precedence markers, delivery reports (bounces) and mailer daemons: mail no person wrote, which
 * must neither open a case nor reopen one, or two robots answer each other for ever.
 */
function automaticReason(header: (name: string) => string | undefined, from: string | undefined): string | undefined {
  const autoSubmitted = header('auto-submitted')?.toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `Auto-Submitted: ${autoSubmitted}`;
  if (header('x-autoreply') || header('x-autorespond')) return 'X-Autoreply';
  const precedence = header('precedence')?.toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (/^multipart\/report\b/i.test(header('content-type') ?? '')) return 'a delivery report';
  if (from && /^(mailer-daemon|postmaster)@/i.test(from)) return 'a mailer daemon';
  return undefined;
}

const entities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML as plain text: scripts, styles and tags gone, block ends as line breaks, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)\s*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return entities[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function cut(text: string, limit: number): string {
  const characters = [...text];
  if (characters.length <= limit) return text;
  const note = '\n[… cut: the message was longer]';
  return characters.slice(0, limit - note.length).join('') + note;
}

export interface KeptAttachment {
  attachmentId: string;
  name: string;
  type: string;
  size: number;
  part: MailAttachmentPart;
}
export interface RefusedAttachment {
  name: string;
  type: string;
  size: number;
  reason: RefusalReason;
}

/**
 * Which attachments are kept, in the message's order: each within the per-attachment limit, and
 * while the kept ones together stay within the per-message limit and count. The rest are refused
 * with why. Ids come from the message and the part's position, so a redelivered message names
 * (and stores) the same attachments again, not new ones.
 */
export function sortAttachments(messageKey: string, parts: readonly MailAttachmentPart[], limits: InboundMailLimits = inboundMailLimits): { kept: KeptAttachment[]; refused: RefusedAttachment[] } {
  const kept: KeptAttachment[] = [];
  const refused: RefusedAttachment[] = [];
  let total = 0;
  for (const part of parts) {
    const described = { name: part.name, type: part.type, size: part.size };
    if (part.size > limits.attachmentBytes) refused.push({ ...described, reason: 'too-large' });
    else if (kept.length >= limits.attachments) refused.push({ ...described, reason: 'too-many' });
    else if (total + part.size > limits.messageAttachmentBytes) refused.push({ ...described, reason: 'message-too-large' });
    else {
      total += part.size;
      kept.push({ attachmentId: mailAttachmentId(messageKey, part.index), ...described, part });
    }
  }
  return { kept, refused };
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `att_` and 26 Crockford characters from a hash of the message and the part's position. */
export function mailAttachmentId(messageKey: string, index: number): string {
  const digest = createHash('sha256').update(`${messageKey}\n${index}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 17)) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = crockford[Number(bits & 31n)] + id;
    bits >>= 5n;
  }
  return `att_${id}`;
}

/** Where a tenant's kept attachment lives in the mail bucket: under the tenant's own prefix. */
export const attachmentObjectKey = (tenantId: string, attachmentId: string) => `tenants/${tenantId}/attachments/${attachmentId}`;

/** SES's spam and virus verdicts on a message: a FAIL of either is recorded and opens or continues no case. */
export type Verdict = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';
export function verdictRefusal(verdicts: { spam?: Verdict; virus?: Verdict }): 'spam' | 'virus' | undefined {
  if (verdicts.virus === 'FAIL') return 'virus';
  if (verdicts.spam === 'FAIL') return 'spam';
  return undefined;
}

/** A subject for a case opened from mail: the message's, without reply and forward prefixes. */
export function caseSubjectOf(subject: string): string {
  const bare = subject.replace(/^(\s*(re|fw|fwd|aw|sv|回覆|回复|轉寄|转发)\s*[:：]\s*)+/i, '').trim();
  return [...(bare || '(no subject)')].slice(0, 200).join('');
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
