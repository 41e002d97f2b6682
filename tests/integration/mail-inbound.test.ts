import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localInboundMailDomain, localMailBucket } from '../../infra/local/inbound-mail';
import { erasedText } from '../../shared/domain/erasure';
import { caseMessageId, tenantMailbox } from '../../shared/domain/mail-threading';
import { type CreatedTenant, type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { busEventDetails, settle } from '../support/waiting';

/**
 * Customers' e-mail on the twin: `POST /local/mail/inbound` stores the raw message in the mail
 * bucket and invokes mail-inbound with SES's receipt record, as SES receiving does in AWS.
 */
let twin: TestTwin;
let acme: CreatedTenant;
let globex: CreatedTenant;
const run = Math.random().toString(36).slice(2, 8);
const mailbox = (tenant: CreatedTenant) => tenantMailbox(tenant.tenant.tenantId, localInboundMailDomain);

beforeAll(async () => {
  twin = await startTestTwin();
  acme = await createTenant(twin, { name: 'Acme Support' });
  globex = await createTenant(twin, { name: 'Globex', locale: 'en' });
});
afterAll(() => twin.close());
afterEach(() => {
  delete process.env.MAIL_ATTACHMENT_MAX_BYTES;
  twin.aws.s3.failingReads = 0;
});

interface Part {
  name: string;
  type: string;
  content: Buffer;
}

function message(fields: { from: string; to: string; subject: string; text: string; inReplyTo?: string; references?: string; headers?: string[]; attachments?: Part[] }): string {
  const head = [
    `From: ${fields.from}`,
    `To: ${fields.to}`,
    `Subject: ${fields.subject}`,
    `Message-ID: <${Math.random().toString(36).slice(2)}@customer.example>`,
    'Date: Mon, 02 Mar 2026 10:00:00 +0800',
    'MIME-Version: 1.0',
    ...(fields.inReplyTo ? [`In-Reply-To: ${fields.inReplyTo}`] : []),
    ...(fields.references ? [`References: ${fields.references}`] : []),
    ...(fields.headers ?? []),
  ];
  const textPart = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', Buffer.from(fields.text).toString('base64')];
  if (!fields.attachments?.length) return [...head, ...textPart, ''].join('\r\n');
  const parts = fields.attachments.map((part) =>
    ['--b0', `Content-Type: ${part.type}`, `Content-Disposition: attachment; filename="${part.name}"`, 'Content-Transfer-Encoding: base64', '', part.content.toString('base64')].join('\r\n'),
  );
  return [...head, 'Content-Type: multipart/mixed; boundary="b0"', '', '--b0', ...textPart, ...parts, '--b0--', ''].join('\r\n');
}

async function receive(raw: string, query = ''): Promise<{ messageId: string }> {
  const answer = await api(twin.url, 'POST', `/local/mail/inbound${query}`, { body: raw, headers: { 'content-type': 'message/rfc822' } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  await settle(twin);
  return answer.body as { messageId: string };
}

const casesOf = async (tenant: CreatedTenant) => (await api(twin.url, 'GET', '/v1/cases?limit=100', { key: tenant.apiKey })).body.items as { caseId: string; subject: string; customerId: string; type: string; status: string }[];
const caseWithTimeline = async (tenant: CreatedTenant, caseId: string) => (await api(twin.url, 'GET', `/v1/cases/${caseId}`, { key: tenant.apiKey })).body;
const newCaseOf = async (tenant: CreatedTenant, subject: string) => (await casesOf(tenant)).find((c) => c.subject === subject);

describe('a new e-mail', () => {
  it('opens an inquiry for a new sender, who becomes a customer with the e-mail alone', async () => {
    const from = `lin.${run}@customer.example`;
    await receive(message({ from: `林美玲 <${from}>`, to: mailbox(acme), subject: `Refund ${run}`, text: '我被重複扣款了' }));
    const opened = await newCaseOf(acme, `Refund ${run}`);
    expect(opened).toMatchObject({ type: 'inquiry', status: 'open' });
    const customer = await api(twin.url, 'GET', `/v1/customers/${opened!.customerId}`, { key: acme.apiKey });
    expect(customer.body).toMatchObject({ email: from, displayName: '林美玲' });
    const timeline = (await caseWithTimeline(acme, opened!.caseId)).timeline;
    expect(timeline.map((entry: { type: string }) => entry.type)).toEqual(['opened', 'customer_reply']);
    expect(timeline[1]).toMatchObject({ channel: 'email', text: '我被重複扣款了', subject: `Refund ${run}`, actor: 'system' });
    const replied = busEventDetails(twin, acme.tenant.tenantId, 'Case Customer Replied').find((detail) => detail.data.caseId === opened!.caseId);
    expect(replied.data).toMatchObject({ channel: 'email', entryId: timeline[1].entryId, attachments: 0 });
  });

  it('is not a case when SES says spam or virus, nor when it is an auto-reply', async () => {
    await receive(message({ from: `spam.${run}@customer.example`, to: mailbox(acme), subject: `Spam ${run}`, text: 'win' }), '?spam=FAIL');
    await receive(message({ from: `virus.${run}@customer.example`, to: mailbox(acme), subject: `Virus ${run}`, text: 'open me' }), '?virus=FAIL');
    await receive(message({ from: `away.${run}@customer.example`, to: mailbox(acme), subject: `Away ${run}`, text: 'I am away', headers: ['Auto-Submitted: auto-replied'] }));
    const subjects = (await casesOf(acme)).map((c) => c.subject);
    expect(subjects).not.toContain(`Spam ${run}`);
    expect(subjects).not.toContain(`Virus ${run}`);
    expect(subjects).not.toContain(`Away ${run}`);
    expect((await api(twin.url, 'GET', '/local/mail/inbound')).body.items.slice(0, 3).map((delivery: { status: string }) => delivery.status)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('is refused by the twin when no recipient is a mailbox on the inbound domain', async () => {
    const answer = await api(twin.url, 'POST', '/local/mail/inbound', { body: message({ from: 'a@customer.example', to: 'support@elsewhere.example', subject: 'x', text: 'x' }) });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toContain(localInboundMailDomain);
  });
});

describe('a reply', () => {
  it('quoting our Message-ID continues the case, once however often it is delivered', async () => {
    const from = `chen.${run}@customer.example`;
    await receive(message({ from, to: mailbox(acme), subject: `Router ${run}`, text: 'It is broken' }));
    const opened = (await newCaseOf(acme, `Router ${run}`))!;
    const ours = caseMessageId(opened.caseId, 'cev_01JFD2E3F4G5H6J7K8M9N0P1Q3', 'mail.acme.example');
    const { messageId } = await receive(message({ from, to: mailbox(acme), subject: `Re: Router ${run}`, text: 'Still broken', inReplyTo: ours.toLowerCase(), references: `<first@customer.example> ${ours}` }));
    const after = await caseWithTimeline(acme, opened.caseId);
    expect(after.timeline.map((entry: { type: string }) => entry.type)).toEqual(['opened', 'customer_reply', 'customer_reply']);
    expect(after.timeline[2]).toMatchObject({ text: 'Still broken', subject: `Re: Router ${run}` });
    expect((await casesOf(acme)).filter((c) => c.subject.includes(`Router ${run}`))).toHaveLength(1);

    const again = await api(twin.url, 'POST', `/local/mail/inbound/${messageId}/redeliver`);
    expect(again.status).toBe(202);
    await settle(twin);
    const redelivered = await caseWithTimeline(acme, opened.caseId);
    expect(redelivered.timeline).toHaveLength(3);
    expect(redelivered.version).toBe(after.version);
    expect((await api(twin.url, 'GET', '/local/mail/inbound')).body.items[0]).toMatchObject({ messageId, status: 'delivered' });
  });

  it("naming another tenant's case opens a case of the tenant written to, and leaves the other case alone", async () => {
    const from = `wu.${run}@customer.example`;
    await receive(message({ from, to: mailbox(globex), subject: `Globex thing ${run}`, text: 'hello globex' }));
    const globexCase = (await newCaseOf(globex, `Globex thing ${run}`))!;
    const before = await caseWithTimeline(globex, globexCase.caseId);
    const ours = caseMessageId(globexCase.caseId, 'cev_01JFD2E3F4G5H6J7K8M9N0P1Q3', 'mail.globex.example');
    await receive(message({ from, to: mailbox(acme), subject: `Crossing ${run}`, text: 'to acme', references: ours }));
    expect((await caseWithTimeline(globex, globexCase.caseId)).timeline).toHaveLength(before.timeline.length);
    const acmeCase = await newCaseOf(acme, `Crossing ${run}`);
    expect(acmeCase).toBeDefined();
    expect(acmeCase!.caseId).not.toBe(globexCase.caseId);
  });

  it('that is an auto-reply quoting the case does not touch it', async () => {
    const from = `ooo.${run}@customer.example`;
    await receive(message({ from, to: mailbox(acme), subject: `Loop ${run}`, text: 'first' }));
    const opened = (await newCaseOf(acme, `Loop ${run}`))!;
    const before = await caseWithTimeline(acme, opened.caseId);
    await receive(message({ from, to: mailbox(acme), subject: `Out of office: Loop ${run}`, text: 'away', references: caseMessageId(opened.caseId, 'cev_01JFD2E3F4G5H6J7K8M9N0P1Q3', 'x.example'), headers: ['Auto-Submitted: auto-replied'] }));
    expect((await caseWithTimeline(acme, opened.caseId)).version).toBe(before.version);
  });
});

describe('attachments', () => {
  it('keeps one within the limit, downloadable through a short link; refuses one over it and says so on the timeline', async () => {
    process.env.MAIL_ATTACHMENT_MAX_BYTES = '2000';
    const small = Buffer.from(`%PDF-1.4 receipt ${run}`);
    const big = Buffer.alloc(2001, 7);
    await receive(
      message({
        from: `files.${run}@customer.example`,
        to: mailbox(acme),
        subject: `Files ${run}`,
        text: 'see attached',
        attachments: [
          { name: 'receipt.pdf', type: 'application/pdf', content: small },
          { name: 'photo.jpg', type: 'image/jpeg', content: big },
        ],
      }),
    );
    const opened = (await newCaseOf(acme, `Files ${run}`))!;
    const reply = (await caseWithTimeline(acme, opened.caseId)).timeline[1];
    expect(reply.attachments).toEqual([{ attachmentId: expect.stringMatching(/^att_/), name: 'receipt.pdf', type: 'application/pdf', size: small.length }]);
    expect(reply.refusedAttachments).toEqual([{ name: 'photo.jpg', type: 'image/jpeg', size: 2001, reason: 'too-large' }]);
    expect(twin.aws.s3.keys(localMailBucket, `tenants/${acme.tenant.tenantId}/attachments/`)).toContain(`tenants/${acme.tenant.tenantId}/attachments/${reply.attachments[0].attachmentId}`);

    const link = await api(twin.url, 'GET', `/v1/cases/${opened.caseId}/attachments/${reply.attachments[0].attachmentId}`, { key: acme.apiKey });
    expect(link.status).toBe(200);
    expect(link.body).toMatchObject({ name: 'receipt.pdf', type: 'application/pdf', size: small.length });
    const download = await fetch(link.body.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain('filename="receipt.pdf"');
    expect(Buffer.from(await download.arrayBuffer()).equals(small)).toBe(true);

    const otherTenant = await api(twin.url, 'GET', `/v1/cases/${opened.caseId}/attachments/${reply.attachments[0].attachmentId}`, { key: globex.apiKey });
    expect(otherTenant.status).toBe(404);
    const unknown = await api(twin.url, 'GET', `/v1/cases/${opened.caseId}/attachments/att_00000000000000000000000000`, { key: acme.apiKey });
    expect(unknown.status).toBe(404);
  });
});

describe('erasing the sender', () => {
  it("deletes their attachments and raw messages (objects and items), and their mail's words; another sender's stay; a redelivery deletes nothing more", async () => {
    const from = `erase.${run}@customer.example`;
    const passport = Buffer.from(`%PDF-1.4 passport ${run}`);
    const { messageId: firstMessage } = await receive(
      message({ from, to: mailbox(acme), subject: `Passport ${run}`, text: 'My passport, Lin Mei', attachments: [{ name: 'lin-mei-passport.pdf', type: 'application/pdf', content: passport }] }),
    );
    const opened = (await newCaseOf(acme, `Passport ${run}`))!;
    const reply = (await caseWithTimeline(acme, opened.caseId)).timeline.find((entry: { type: string }) => entry.type === 'customer_reply');
    const attachmentPath = `/v1/cases/${opened.caseId}/attachments/${reply.attachments[0].attachmentId}`;
    expect((await api(twin.url, 'GET', attachmentPath, { key: acme.apiKey })).status).toBe(200);
    const { messageId: secondMessage } = await receive(
      message({ from, to: mailbox(acme), subject: `Re: Passport ${run}`, text: 'And my address', inReplyTo: caseMessageId(opened.caseId, 'cev_01JFD2E3F4G5H6J7K8M9N0P1Q3', 'mail.acme.example') }),
    );
    const { messageId: otherMessage } = await receive(
      message({ from: `keep.${run}@customer.example`, to: mailbox(acme), subject: `Kept ${run}`, text: 'mine', attachments: [{ name: 'mine.pdf', type: 'application/pdf', content: passport }] }),
    );
    const kept = (await newCaseOf(acme, `Kept ${run}`))!;
    const keptAttachment = (await caseWithTimeline(acme, kept.caseId)).timeline.find((entry: { type: string }) => entry.type === 'customer_reply').attachments[0].attachmentId;
    const objectKeys = () => twin.aws.s3.keys(localMailBucket);
    expect(objectKeys()).toEqual(expect.arrayContaining([`inbound/${firstMessage}`, `inbound/${secondMessage}`, `tenants/${acme.tenant.tenantId}/attachments/${reply.attachments[0].attachmentId}`]));

    // Expired by the bucket's lifecycle rule already: deleting it again is no error.
    expect(twin.aws.s3.delete(localMailBucket, `inbound/${secondMessage}`)).toBe(true);

    expect((await api(twin.url, 'DELETE', `/v1/customers/${opened.customerId}`, { key: acme.apiKey })).status).toBe(204);
    await settle(twin);

    expect((await api(twin.url, 'GET', attachmentPath, { key: acme.apiKey })).status).toBe(404);
    expect(objectKeys()).not.toContain(`tenants/${acme.tenant.tenantId}/attachments/${reply.attachments[0].attachmentId}`);
    expect(objectKeys()).not.toContain(`inbound/${firstMessage}`);
    expect(objectKeys()).not.toContain(`inbound/${secondMessage}`);
    const timeline = (await caseWithTimeline(acme, opened.caseId)).timeline as { type: string; text?: string; subject?: string; attachments?: unknown }[];
    const replies = timeline.filter((entry) => entry.type === 'customer_reply');
    expect(replies).toHaveLength(2);
    for (const entry of replies) {
      expect(entry).toMatchObject({ text: erasedText, subject: erasedText });
      expect(entry.attachments).toBeUndefined();
    }

    expect(objectKeys()).toEqual(expect.arrayContaining([`inbound/${otherMessage}`, `tenants/${acme.tenant.tenantId}/attachments/${keptAttachment}`]));
    expect((await api(twin.url, 'GET', `/v1/cases/${kept.caseId}/attachments/${keptAttachment}`, { key: acme.apiKey })).status).toBe(200);

    const { eraseCustomerData } = await import('../../functions/customer-erasure/handler');
    expect(await eraseCustomerData(acme.tenant.tenantId, opened.customerId, new Date().toISOString(), { getRemainingTimeInMillis: () => 60_000 }), 'a redelivered event').toBe(0);
  });
});

describe('when S3 cannot be read', () => {
  it('retries the message, and dead-letters it when S3 stays down, having changed nothing', async () => {
    twin.aws.s3.failingReads = 1_000;
    const { messageId } = await receive(message({ from: `down.${run}@customer.example`, to: mailbox(acme), subject: `Down ${run}`, text: 'hello?' }));
    const delivery = (await api(twin.url, 'GET', '/local/mail/inbound')).body.items.find((item: { messageId: string }) => item.messageId === messageId);
    expect(delivery).toMatchObject({ status: 'dead-lettered', attempts: 3 });
    expect(delivery.lastError).toContain('InternalError');
    expect(await newCaseOf(acme, `Down ${run}`)).toBeUndefined();

    twin.aws.s3.failingReads = 0;
    await api(twin.url, 'POST', `/local/mail/inbound/${messageId}/redeliver`);
    await settle(twin);
    expect(await newCaseOf(acme, `Down ${run}`)).toBeDefined();
  });

  it('handles the message on a retry after a passing failure, once', async () => {
    // The S3 client retries a 500 itself (three attempts); past those, Lambda's retry runs the function again.
    twin.aws.s3.failingReads = 3;
    const { messageId } = await receive(message({ from: `blip.${run}@customer.example`, to: mailbox(acme), subject: `Blip ${run}`, text: 'hello' }));
    const delivery = (await api(twin.url, 'GET', '/local/mail/inbound')).body.items.find((item: { messageId: string }) => item.messageId === messageId);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    expect((await casesOf(acme)).filter((c) => c.subject === `Blip ${run}`)).toHaveLength(1);
  });
});
