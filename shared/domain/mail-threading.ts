/**
 * How a case's e-mail finds its way back to the case.
 *
 * - Every tenant has one inbound mailbox on the stage's inbound mail domain (SES receiving in AWS,
 *   `POST /local/mail/inbound` on the twin). Its local part is the tenant id, lowercased: mail
 *   addressed there belongs to that tenant, and nothing else in the message can say otherwise.
 * - Mail sent from a case carries a Message-ID that names the case, and a Reply-To of the tenant's
 *   mailbox. A customer's answer quotes that id in In-Reply-To or References, which is how it
 *   continues the case; mail that names no case of the tenant opens a new one.
 */

const crockfordId = (prefix: string) => `${prefix}_[0-9A-HJKMNP-TV-Z]{26}`;
const caseInMessageId = new RegExp(`\\.(${crockfordId('cas')})@`, 'i');

/** `<entryId.caseId@domain>`: unique per message (the timeline entry) and naming its case. */
export const caseMessageId = (caseId: string, entryId: string, domain: string): string => `<${entryId}.${caseId}@${domain}>`;

/**
 * The case a reply continues: the newest message id of ours among In-Reply-To, then References
 * (read from the end, the most recent first). Upper-cases the id, since some clients lower-case
 * headers they quote.
 */
export function caseIdFromThread(headers: { inReplyTo?: string; references?: string }): string | undefined {
  const candidates = [
    ...(headers.inReplyTo?.match(/<[^>]+>/g) ?? []),
    ...(headers.references?.match(/<[^>]+>/g) ?? []).reverse(),
  ];
  for (const messageId of candidates) {
    const found = caseInMessageId.exec(messageId);
    if (found) return `cas_${found[1]!.slice(4).toUpperCase()}`;
  }
  return undefined;
}

/** The tenant's inbound mailbox on the stage's inbound mail domain. */
export const tenantMailbox = (tenantId: string, inboundDomain: string): string => `${tenantId.toLowerCase()}@${inboundDomain.toLowerCase()}`;

const tenantLocalPart = new RegExp(`^${crockfordId('ten')}$`, 'i');

/** The tenant a recipient address names, or undefined when it is not a mailbox on that domain. */
export function tenantIdFromMailbox(address: string, inboundDomain: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  const local = address.slice(0, at).trim();
  const domain = address.slice(at + 1).trim().toLowerCase();
  if (domain !== inboundDomain.toLowerCase() || !tenantLocalPart.test(local)) return undefined;
  return `ten_${local.slice(4).toUpperCase()}`;
}
