import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseMessageId, tenantMailbox } from '../../shared/domain/mail-threading';
import { type CreatedTenant, type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { busEventDetails, eventually, settle as settleTwin, uniqueDigits } from '../support/waiting';
import { allocate, allocateSmsSender } from '../support/operator';

let twin: TestTwin;
let acme: CreatedTenant;
let agentKey: string;
const acmeNumber = `+8862${uniqueDigits()}`;
const mobile = () => `+8869${uniqueDigits()}`;
const mailDomain = `mail-${uniqueDigits()}.acme.example`;

const as = (key: string) => ({
  get: (path: string) => api(twin.url, 'GET', path, { key }),
  post: (path: string, body: unknown, headers: Record<string, string> = {}) => api(twin.url, 'POST', path, { key, body, headers }),
  patch: (path: string, body: unknown, headers: Record<string, string> = {}) => api(twin.url, 'PATCH', path, { key, body, headers }),
  delete: (path: string) => api(twin.url, 'DELETE', path, { key }),
});
const admin = () => as(acme.apiKey);
const agent = () => as(agentKey);

interface SentSms {
  body: string;
  originationIdentity: string;
  context: Record<string, string>;
  segments: number;
}
const smsTo = async (to: string) => (await api(twin.url, 'GET', `/local/sms/outbox?to=${encodeURIComponent(to)}`)).body.items as SentSms[];
const mailTo = async (to: string) =>
  (await api(twin.url, 'GET', `/local/mail/outbox?to=${encodeURIComponent(to)}`)).body.items as {
    from: string;
    subject: string;
    text: string;
    kind: string;
    replyTo?: string[];
    headers?: Record<string, string>;
  }[];
const inbound = (body: Record<string, unknown>) => api(twin.url, 'POST', '/local/sms/inbound', { body });

async function customerWithCase(customer: Record<string, unknown>) {
  const created = await admin().post('/v1/customers', customer);
  expect(created.status).toBe(201);
  const opened = await agent().post('/v1/cases', { type: 'complaint', category: 'billing', subject: 'Charged twice', customerId: created.body.customerId });
  expect(opened.status).toBe(201);
  return { customerId: created.body.customerId as string, caseId: opened.body.caseId as string, caseOpened: opened.body };
}

const timeline = async (caseId: string) => (await agent().get(`/v1/cases/${caseId}`)).body.timeline as { type: string; text?: string; channel?: string; deliveryState?: string; messageId?: string; subject?: string }[];

beforeAll(async () => {
  twin = await startTestTwin();
  acme = await createTenant(twin, { name: 'Acme Support' });
  await allocateSmsSender(twin, acme.tenant.tenantId, acmeNumber);
  // Any hour: quiet hours are tested on their own below.
  expect((await admin().patch('/v1/settings', { sms: { originationIdentity: acmeNumber }, surveys: { quietHours: null } })).status).toBe(200);
  const key = await admin().post('/v1/api-keys', { name: 'Desk agent', scopes: ['agent'] });
  expect(key.status).toBe(201);
  agentKey = key.body.secret;
});
afterAll(() => twin.close());

describe('an SMS reply from a case', () => {
  it("goes to the customer from the tenant's number with its variables filled in, is recorded on the timeline, and a retry sends nothing twice", async () => {
    const phone = mobile();
    const { caseId } = await customerWithCase({ displayName: '林美玲', phone, language: 'zh-TW', consent: { sms: { status: 'granted', source: 'call' } } });
    const request = { channel: 'sms', text: '{customerName}您好，案件 {caseNumber} 的退款已在處理中。' };
    const sent = await agent().post(`/v1/cases/${caseId}/replies`, request, { 'idempotency-key': `reply-${caseId}` });
    expect(sent.status).toBe(201);
    const expectedText = `林美玲您好，案件 ${caseId} 的退款已在處理中。`;
    expect(sent.body).toMatchObject({ entry: { type: 'message_sent', channel: 'sms', text: expectedText, deliveryState: 'sent', visibility: 'customer' }, encoding: 'UCS-2' });

    const again = await agent().post(`/v1/cases/${caseId}/replies`, request, { 'idempotency-key': `reply-${caseId}` });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const outbox = await smsTo(phone);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ body: expectedText, originationIdentity: acmeNumber, segments: sent.body.segments });
    expect(outbox[0]!.context).toMatchObject({ tenantId: acme.tenant.tenantId, caseId, purpose: 'case-reply' });

    const read = await agent().get(`/v1/cases/${caseId}`);
    expect(read.body.sla.firstResponse.metAt).toEqual(expect.any(String));
    expect(read.body.timeline.filter((entry: { type: string }) => entry.type === 'message_sent')).toEqual([
      expect.objectContaining({ entryId: sent.body.entry.entryId, text: expectedText, messageId: sent.body.entry.messageId }),
    ]);
    await settleTwin(twin);
    const events = busEventDetails(twin, acme.tenant.tenantId, 'Case Reply Sent');
    expect(events.filter((detail) => (detail.data as { caseId: string }).caseId === caseId)).toHaveLength(1);
  });

  it('is refused without consent (422 at $.channel) and to an unknown variable (400 at $.text), sending nothing', async () => {
    const phone = mobile();
    const { caseId } = await customerWithCase({ displayName: 'Wei', phone });
    const noConsent = await agent().post(`/v1/cases/${caseId}/replies`, { channel: 'sms', text: 'Hello' });
    expect(noConsent.status).toBe(422);
    expect(noConsent.body).toMatchObject({ type: '/problems/customer-unreachable', errors: [{ path: '$.channel' }] });

    const unknown = await agent().post(`/v1/cases/${caseId}/replies`, { channel: 'sms', text: 'Hello {firstName}' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: '$.text', message: expect.stringContaining('{firstName}') }]);
    expect(await smsTo(phone)).toHaveLength(0);
    expect((await timeline(caseId)).map((entry) => entry.type)).toEqual(['opened']);
  });

  it("to a number on AWS's opt-out list is refused (422), and the customer's SMS consent follows once, with Customer Opted Out", async () => {
    const phone = mobile();
    const { caseId, customerId } = await customerWithCase({ displayName: 'Hui', phone, consent: { sms: { status: 'granted', source: 'call' } } });
    // STOP reached AWS (an opt-out list of the account) but never Switchboard: only the send finds out.
    await twin.aws.sms.putOptedOutNumber({ OptOutListName: 'Default', OptedOutNumber: phone });

    const refused = await agent().post(`/v1/cases/${caseId}/replies`, { channel: 'sms', text: 'Your refund is on its way' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: '/problems/customer-unreachable', errors: [{ path: '$.channel', message: expect.stringContaining('opt-out list') }] });
    expect(await smsTo(phone)).toHaveLength(0);
    expect((await timeline(caseId)).map((entry) => entry.type)).toEqual(['opened']);

    const customer = await admin().get(`/v1/customers/${customerId}`);
    expect(customer.body.consent.sms).toMatchObject({ status: 'denied', source: 'sms-opt-out-list' });
    const again = await agent().post(`/v1/cases/${caseId}/replies`, { channel: 'sms', text: 'Your refund is on its way' });
    expect(again.status).toBe(422);
    expect(again.body.errors[0].message).toContain('denied');
    expect((await admin().get(`/v1/customers/${customerId}`)).body.version, 'the consent written once').toBe(customer.body.version);
    await settleTwin(twin);
    const optedOut = busEventDetails(twin, acme.tenant.tenantId, 'Customer Opted Out').filter((detail) => (detail.data as { customerId: string }).customerId === customerId);
    expect(optedOut.map((detail) => detail.data)).toEqual([expect.objectContaining({ customerId, channel: 'sms', source: 'sms-opt-out-list' })]);
  });

  it("is refused inside the tenant's quiet hours with when it could go, and nothing is sent", async () => {
    const other = await createTenant(twin, { name: 'Night Shift', timezone: 'Asia/Taipei' });
    const number = `+8862${uniqueDigits()}`;
    await allocateSmsSender(twin, other.tenant.tenantId, number);
    const minute = 60_000;
    const local = (offsetMinutes: number) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Taipei', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + offsetMinutes * minute));
    const quietHours = { start: local(-5), end: local(60) };
    expect((await as(other.apiKey).patch('/v1/settings', { sms: { originationIdentity: number }, surveys: { quietHours } })).status).toBe(200);
    const phone = mobile();
    const customer = await as(other.apiKey).post('/v1/customers', { phone, consent: { sms: { status: 'granted', source: 'call' } } });
    const opened = await as(other.apiKey).post('/v1/cases', { type: 'inquiry', category: 'billing', subject: 'Bill', customerId: customer.body.customerId });
    const refused = await as(other.apiKey).post(`/v1/cases/${opened.body.caseId}/replies`, { channel: 'sms', text: 'Hello' });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('/problems/quiet-hours');
    const waits = Date.parse(refused.body.sendableAt) - Date.now();
    expect(waits).toBeGreaterThan(55 * minute);
    expect(waits).toBeLessThan(62 * minute);
    expect(await smsTo(phone)).toHaveLength(0);
  });

  it("brings the customer's SMS answer to the case's timeline once, although AWS delivers it twice; STOP stays STOP", async () => {
    const phone = mobile();
    const { caseId, customerId } = await customerWithCase({ displayName: 'Mei', phone, consent: { sms: { status: 'granted', source: 'call' } } });
    expect((await agent().post(`/v1/cases/${caseId}/replies`, { channel: 'sms', text: 'Could you send the bill number?' })).status).toBe(201);
    const answer = { originationNumber: phone, destinationNumber: acmeNumber, messageBody: 'It is 2026-0412', inboundMessageId: `in-${uniqueDigits()}` };
    expect((await inbound(answer)).status).toBe(202);
    await settleTwin(twin);
    expect((await inbound(answer)).status).toBe(202);
    await settleTwin(twin);

    const replies = (await timeline(caseId)).filter((entry) => entry.type === 'customer_reply');
    expect(replies).toEqual([expect.objectContaining({ text: 'It is 2026-0412', channel: 'sms', messageId: answer.inboundMessageId })]);
    const replied = busEventDetails(twin, acme.tenant.tenantId, 'Case Customer Replied').filter((detail) => (detail.data as { caseId: string }).caseId === caseId);
    expect(replied).toHaveLength(1);
    expect(JSON.stringify(replied)).not.toContain(phone);

    await inbound({ originationNumber: phone, destinationNumber: acmeNumber, messageBody: 'STOP', inboundMessageId: `in-${uniqueDigits()}` });
    await settleTwin(twin);
    const customer = await admin().get(`/v1/customers/${customerId}`);
    expect(customer.body.consent.sms.status).toBe('denied');
    expect((await timeline(caseId)).filter((entry) => entry.type === 'customer_reply')).toHaveLength(1);
  });

  it('leaves an SMS from a customer the case never texted to the survey conversation (recorded as unmatched), not to any case', async () => {
    const phone = mobile();
    const { caseId } = await customerWithCase({ phone, consent: { sms: { status: 'granted', source: 'call' } } });
    await inbound({ originationNumber: phone, destinationNumber: acmeNumber, messageBody: 'hello?', inboundMessageId: `in-${uniqueDigits()}` });
    await settleTwin(twin);
    expect((await timeline(caseId)).map((entry) => entry.type)).toEqual(['opened']);
  });
});

describe('an e-mail reply from a case', () => {
  it('is refused without a mail identity from the operator (422 no-mail-identity), sending nothing', async () => {
    const email = `lin.${uniqueDigits()}@example.com`;
    const { caseId } = await customerWithCase({ displayName: 'Lin', email });
    const refused = await agent().post(`/v1/cases/${caseId}/replies`, { channel: 'email', text: 'Hello' });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toBe('/problems/no-mail-identity');
    expect(await mailTo(email)).toHaveLength(0);
  });

  it("goes from the tenant's identity with the case's Message-ID, References and Reply-To of the tenant's mailbox", async () => {
    expect((await allocate(twin, acme.tenant.tenantId, 'mail-identity', mailDomain)).allocations.mailIdentities).toEqual([mailDomain]);
    const email = `chen.${uniqueDigits()}@example.com`;
    const { caseId } = await customerWithCase({ displayName: 'Chen Wei', email, language: 'en' });
    const sent = await agent().post(`/v1/cases/${caseId}/replies`, { channel: 'email', text: 'Dear {customerName}, we are on it.' });
    expect(sent.status).toBe(201);
    const messageId = caseMessageId(caseId, sent.body.entry.entryId, mailDomain);
    expect(sent.body.entry).toMatchObject({ type: 'message_sent', channel: 'email', subject: 'Re: Charged twice', messageId, text: 'Dear Chen Wei, we are on it.' });

    const [mail, ...others] = await mailTo(email);
    expect(others).toHaveLength(0);
    expect(mail).toMatchObject({ from: `"Acme Support" <replies@${mailDomain}>`, subject: 'Re: Charged twice', text: 'Dear Chen Wei, we are on it.', kind: 'case-reply' });
    expect(mail!.replyTo).toEqual([tenantMailbox(acme.tenant.tenantId, 'inbound.switchboard.localhost')]);
    expect(mail!.headers).toMatchObject({ 'Message-ID': messageId, References: messageId });
  });
});

describe('canned replies', () => {
  it('are managed by supervisors and admins with If-Match, read by agents, and refuse an unknown variable at its field', async () => {
    const unknown = await admin().post('/v1/canned-replies', { title: 'Bad', texts: { en: 'Hi {name}', 'zh-TW': '您好 {customerName}' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: '$.texts.en', message: expect.stringContaining('{name}') }]);
    const none = await admin().post('/v1/canned-replies', { title: 'Empty', texts: {} });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].path).toBe('$.texts');

    const byAgent = await agent().post('/v1/canned-replies', { title: 'Mine', texts: { en: 'Hello' } });
    expect(byAgent.status).toBe(403);

    const created = await admin().post('/v1/canned-replies', {
      title: 'Refund on its way',
      texts: { en: 'Dear {customerName}, case {caseNumber} is solved by {deadline}.', 'zh-TW': '{customerName}您好，案件 {caseNumber} 將於 {deadline} 前解決。' },
      subjects: { en: 'Your case {caseNumber}' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const id = created.body.cannedReplyId as string;

    const listed = await agent().get('/v1/canned-replies');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { cannedReplyId: string }) => item.cannedReplyId)).toContain(id);

    const withoutIfMatch = await admin().patch(`/v1/canned-replies/${id}`, { title: 'Refund sent' });
    expect(withoutIfMatch.status).toBe(428);
    const stale = await admin().patch(`/v1/canned-replies/${id}`, { title: 'Refund sent' }, { 'if-match': '"7"' });
    expect(stale.status).toBe(412);
    // {客戶} names no variable: braces around anything but a variable's name are text.
    const bracesAsText = await admin().patch(`/v1/canned-replies/${id}`, { texts: { 'zh-TW': '{客戶}您好' } }, { 'if-match': '"1"' });
    expect(bracesAsText.status).toBe(200);
    expect(bracesAsText.body.texts).toEqual({ 'zh-TW': '{客戶}您好' });
    const patched = await admin().patch(`/v1/canned-replies/${id}`, { title: 'Refund sent', texts: created.body.texts }, { 'if-match': '"2"' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Refund sent', version: 3 });
    expect((await agent().get(`/v1/canned-replies/${id}`)).body.title).toBe('Refund sent');

    expect((await agent().delete(`/v1/canned-replies/${id}`)).status).toBe(403);
    expect((await admin().delete(`/v1/canned-replies/${id}`)).status).toBe(204);
    expect((await agent().get(`/v1/canned-replies/${id}`)).status).toBe(404);
  });

  it("fill in the customer's name, the case and its deadline in the tenant's time zone and the reply's language", async () => {
    const created = await admin().post('/v1/canned-replies', {
      title: 'Deadline',
      texts: { en: 'Dear {customerName}, case {caseNumber} is solved by {deadline}.', 'zh-TW': '{customerName}您好，案件 {caseNumber} 將於 {deadline} 前解決。' },
    });
    const phone = mobile();
    const { caseId, caseOpened } = await customerWithCase({ givenName: '美玲', familyName: '林', phone, consent: { sms: { status: 'granted', source: 'call' } } });
    const deadline = (locale: string) =>
      new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Taipei', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(caseOpened.sla.resolution.dueAt));

    const zh = await agent().post(`/v1/cases/${caseId}/replies`, { channel: 'sms', cannedReplyId: created.body.cannedReplyId, locale: 'zh-TW' });
    expect(zh.status).toBe(201);
    expect(zh.body.entry).toMatchObject({ text: `林美玲您好，案件 ${caseId} 將於 ${deadline('zh-TW')} 前解決。`, cannedReplyId: created.body.cannedReplyId });
    const en = await agent().post(`/v1/cases/${caseId}/replies`, { channel: 'sms', cannedReplyId: created.body.cannedReplyId, locale: 'en' });
    expect(en.body.entry.text).toBe(`Dear 美玲 林, case ${caseId} is solved by ${deadline('en')}.`);
    await eventually(async () => ((await smsTo(phone)).length === 2 ? true : undefined), 'both SMS');

    const unknownCanned = await agent().post(`/v1/cases/${caseId}/replies`, { channel: 'sms', cannedReplyId: 'cnr_01JFE4F5G6H7J8K9M0N1P2Q3R4' });
    expect(unknownCanned.status).toBe(422);
    expect(unknownCanned.body.errors).toEqual([{ path: '$.cannedReplyId', message: 'No such canned reply' }]);
  });
});
