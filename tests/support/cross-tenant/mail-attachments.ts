import { expect } from 'vitest';
import { localInboundMailDomain } from '../../../infra/local/inbound-mail';
import { tenantMailbox } from '../../../shared/domain/mail-threading';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  attachmentCaseId: string;
  attachmentId: string;
}

/** An attachment of a customer's e-mail on one of tenant A's cases (through the twin's SES receiving). */
export const mailAttachmentsArea: CrossTenantArea<Seeded> = {
  name: 'mail-attachments',

  async seed(twin, aKey) {
    const tenant = await api(twin.url, 'GET', '/v1/tenant', { key: aKey });
    expect(tenant.status).toBe(200);
    const tenantId = tenant.body.tenantId as string;
    const subject = `Secret mail subject ${Date.now()}`;
    const raw = [
      `From: secret.sender.${Date.now()}@customer.example`,
      `To: ${tenantMailbox(tenantId, localInboundMailDomain)}`,
      `Subject: ${subject}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b0"',
      '',
      '--b0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Secret mail words',
      '--b0',
      'Content-Type: text/plain',
      'Content-Disposition: attachment; filename="secret-file.txt"',
      '',
      'Secret file content',
      '--b0--',
      '',
    ].join('\r\n');
    const received = await api(twin.url, 'POST', '/local/mail/inbound', { body: raw, headers: { 'content-type': 'message/rfc822' } });
    expect(received.status).toBe(202);
    await twin.aws.inboundMail.settled();
    const cases = await api(twin.url, 'GET', '/v1/cases?limit=100', { key: aKey });
    const opened = (cases.body.items as { caseId: string; subject: string }[]).find((c) => c.subject === subject)!;
    const read = await api(twin.url, 'GET', `/v1/cases/${opened.caseId}`, { key: aKey });
    const attachmentId = read.body.timeline.find((entry: { attachments?: unknown[] }) => entry.attachments?.length).attachments[0].attachmentId as string;
    return { attachmentCaseId: opened.caseId, attachmentId, secrets: [subject, 'Secret mail words', 'secret-file.txt', attachmentId] };
  },

  probes: {
    downloadCaseAttachment: (a) => ({ path: `/v1/cases/${a.attachmentCaseId}/attachments/${a.attachmentId}` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const read = await api(twin.url, 'GET', `/v1/cases/${a.attachmentCaseId}/attachments/${a.attachmentId}`, { key: aKey });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'secret-file.txt', size: 19 });
  },
};
