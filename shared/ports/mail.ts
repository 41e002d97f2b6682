import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

/**
 * Sends one e-mail through Amazon SES v2 (SendEmail, simple content), or through the local twin's
 * emulation of it when MAIL_ENDPOINT is set. The sender is MAIL_FROM (an identity verified in
 * SES); MAIL_CONFIGURATION_SET, when set, names the configuration set whose events report
 * deliveries and bounces. The kind and tenant travel as SES message tags, never personal data.
 */
export type MailKind = 'invitation' | 'signup-verification' | 'signup-approved' | 'password-reset' | 'case-reply';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  tenantId?: string;
  kind: MailKind;
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/**
 * A link in a mail to a page of the console, on the console's public origin (CONSOLE_URL): the
 * address people use, where their sign-in state lives. In AWS it is the edge's address
 * (`-c publicBaseUrl`), on the twin its console (`http://localhost:<port>`), not the twin's
 * 127.0.0.1 address: a page opened on another origin would know nothing of the sign-in.
 */
export function consoleLink(path = '/'): string {
  const origin = (process.env.CONSOLE_URL ?? '').replace(/\/+$/, '');
  return `${origin}/${path.replace(/^\/+/, '')}`;
}

/** SES refused this recipient (MessageRejected: suppressed, or unverified in the sandbox): retrying as it is cannot help, unlike throttling. */
export const isMailRefused = (error: unknown): boolean => (error as Error | undefined)?.name === 'MessageRejected';

/**
 * A reply from a case, sent from the tenant's own identity (allocated by the operator) with the
 * headers that bring the customer's answer back to the case (shared/domain/mail-threading.ts).
 * SES replaces a Message-ID given to it with its own, so the case's id also travels in References,
 * which SES keeps and mail clients quote in their answer.
 */
export interface CaseMail {
  tenantId: string;
  /** `Name <address>` or an address within the tenant's verified identity. */
  from: string;
  to: string;
  replyTo: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string;
  configurationSetName?: string;
}

export async function sendCaseMail(mail: CaseMail): Promise<{ messageId: string }> {
  const references = [mail.inReplyTo, mail.messageId].filter((id): id is string => id !== undefined).join(' ');
  const { MessageId } = await sesClient().send(
    new SendEmailCommand({
      FromEmailAddress: mail.from,
      Destination: { ToAddresses: [mail.to] },
      ReplyToAddresses: [mail.replyTo],
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: mail.text, Charset: 'UTF-8' } },
          Headers: [
            { Name: 'Message-ID', Value: mail.messageId },
            { Name: 'References', Value: references },
            ...(mail.inReplyTo ? [{ Name: 'In-Reply-To', Value: mail.inReplyTo }] : []),
          ],
        },
      },
      ...(mail.configurationSetName ? { ConfigurationSetName: mail.configurationSetName } : {}),
      EmailTags: [{ Name: 'kind', Value: 'case-reply' }, { Name: 'tenant', Value: tagValue(mail.tenantId) }],
    }),
  );
  if (!MessageId) throw new Error('SES SendEmail answered without a MessageId');
  return { messageId: MessageId };
}

let client: SESv2Client | undefined;
function sesClient(): SESv2Client {
  const endpoint = process.env.MAIL_ENDPOINT;
  client ??= new SESv2Client(endpoint ? { endpoint } : {});
  return client;
}

/** SES tag values allow only ASCII letters, digits, `_`, `-`, `.` and `@`. */
const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_.@-]/g, '_');

export function mailSender(): MailSender {
  return {
    async send(mail) {
      const from = process.env.MAIL_FROM;
      if (!from) throw new Error('MAIL_FROM is not set: the function has no address to send mail from');
      const configurationSet = process.env.MAIL_CONFIGURATION_SET;
      const { MessageId } = await sesClient().send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [mail.to] },
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: mail.text, Charset: 'UTF-8' },
                ...(mail.html !== undefined ? { Html: { Data: mail.html, Charset: 'UTF-8' } } : {}),
              },
            },
          },
          ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
          EmailTags: [{ Name: 'kind', Value: mail.kind }, ...(mail.tenantId ? [{ Name: 'tenant', Value: tagValue(mail.tenantId) }] : [])],
        }),
      );
      if (!MessageId) throw new Error('SES SendEmail answered without a MessageId');
      return { messageId: MessageId };
    },
  };
}
