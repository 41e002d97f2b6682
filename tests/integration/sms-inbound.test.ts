import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { getUnmatchedReply } from '../../shared/data/sms-messages-repo';
import { sendSms } from '../../shared/ports/sms-sender';
import { type CreatedTenant, type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { settle as settleTwin } from '../support/waiting';
import { allocate, allocateSmsSender } from '../support/operator';

let twin: TestTwin;
let acme: CreatedTenant;
let globex: CreatedTenant;
/** Numbers unique to this run: the table is shared with the other test files. */
const number = () => `+8862${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const mobile = () => `+8869${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const acmeNumber = number();
const globexNumber = number();

const patchSettings = (tenant: CreatedTenant, body: unknown) => api(twin.url, 'PATCH', '/v1/settings', { key: tenant.apiKey, body });
const createCustomer = (tenant: CreatedTenant, body: unknown) => api(twin.url, 'POST', '/v1/customers', { key: tenant.apiKey, body });
const inbound = (body: Record<string, unknown>) => api(twin.url, 'POST', '/local/sms/inbound', { body });
const outbox = async (to: string) => (await api(twin.url, 'GET', `/local/sms/outbox?to=${encodeURIComponent(to)}`)).body.items as { body: string; originationIdentity: string; context: Record<string, string>; segments: number; encoding: string }[];

/** Waits for the inbound message's handling and for the events it wrote to reach the bus. */
const settle = () => settleTwin(twin);

const optedOutEvents = (tenantId: string, customerId: string) =>
  twin.bus.recent.filter(
    (record) =>
      record.event['detail-type'] === 'Customer Opted Out' &&
      (record.event.detail as { tenantId: string; data: { customerId: string } }).tenantId === tenantId &&
      (record.event.detail as { data: { customerId: string } }).data.customerId === customerId,
  );

beforeAll(async () => {
  twin = await startTestTwin();
  acme = await createTenant(twin, { name: 'Acme Support' });
  globex = await createTenant(twin, { name: 'Globex', locale: 'en' });
  await allocateSmsSender(twin, acme.tenant.tenantId, acmeNumber);
  await allocate(twin, acme.tenant.tenantId, 'sms-configuration-set', 'acme-surveys');
  await allocateSmsSender(twin, globex.tenant.tenantId, globexNumber);
  expect((await patchSettings(acme, { sms: { originationIdentity: acmeNumber, configurationSetName: 'acme-surveys' } })).status).toBe(200);
  expect((await patchSettings(globex, { sms: { originationIdentity: globexNumber } })).status).toBe(200);
});
afterAll(() => twin.close());

describe('connecting an SMS number in settings', () => {
  it('shows the number and the default keyword texts in both languages', async () => {
    const settings = await api(twin.url, 'GET', '/v1/settings', { key: acme.apiKey });
    expect(settings.body.sms).toMatchObject({
      originationIdentity: acmeNumber,
      configurationSetName: 'acme-surveys',
      helpText: { en: expect.stringContaining('STOP'), 'zh-TW': expect.stringContaining('退訂') },
      optOutConfirmation: { en: expect.stringContaining('Acme Support'), 'zh-TW': expect.stringContaining('退訂') },
    });
  });

  it("refuses another tenant's number (not allocated to this tenant) with 422 and changes nothing", async () => {
    const before = await api(twin.url, 'GET', '/v1/settings', { key: globex.apiKey });
    const taken = await patchSettings(globex, { sms: { originationIdentity: acmeNumber } });
    expect(taken.status).toBe(422);
    expect(taken.body.type).toBe('/problems/not-allocated');
    expect(taken.body.errors).toEqual([{ path: '$.sms.originationIdentity', message: expect.stringContaining('Not allocated') }]);
    expect(JSON.stringify(taken.body)).not.toContain(acme.tenant.tenantId);
    const after = await api(twin.url, 'GET', '/v1/settings', { key: globex.apiKey });
    expect(after.body).toEqual(before.body);
  });

  it('refuses what is no origination identity, with the JSON path', async () => {
    const bad = await patchSettings(globex, { sms: { originationIdentity: '0912345678' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('$.sms.originationIdentity');
  });
});

describe('STOP', () => {
  it('denies SMS consent, emits Customer Opted Out once although AWS delivers the message twice, and confirms', async () => {
    const phone = mobile();
    const customer = await createCustomer(acme, { displayName: '林美玲', phone, language: 'zh-TW', consent: { sms: { status: 'granted', source: 'web-form' } } });
    expect(customer.status).toBe(201);
    const message = { originationNumber: phone, destinationNumber: acmeNumber, messageKeyword: 'STOP', messageBody: 'STOP', inboundMessageId: `in-${Math.random()}`, previousPublishedMessageId: 'prev-1' };

    expect((await inbound(message)).status).toBe(202);
    await settle();
    expect((await inbound(message)).status).toBe(202);
    await settle();

    const stored = await api(twin.url, 'GET', `/v1/customers/${customer.body.customerId}`, { key: acme.apiKey });
    expect(stored.body.consent.sms).toEqual({ status: 'denied', source: 'sms-keyword', at: expect.any(String) });
    expect(stored.body.version).toBe(2);

    const events = optedOutEvents(acme.tenant.tenantId, customer.body.customerId);
    expect(events).toHaveLength(1);
    expect(events[0]!.event.detail).toMatchObject({ data: { customerId: customer.body.customerId, channel: 'sms', source: 'sms-keyword' } });
    expect(JSON.stringify(events[0]!.event)).not.toContain(phone);

    const sent = await outbox(phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ body: 'Acme Support:您已退訂,將不再收到我們的簡訊。', originationIdentity: acmeNumber, encoding: 'UCS-2', segments: 1 });
    expect(sent[0]!.context).toMatchObject({ tenantId: acme.tenant.tenantId, purpose: 'keyword-stop' });
  });

  it('understands 退訂, and afterwards AWS (here, the twin) refuses every send to the number', async () => {
    const phone = mobile();
    const customer = await createCustomer(acme, { phone, language: 'zh-TW', consent: { sms: { status: 'granted', source: 'call' } } });
    await inbound({ originationNumber: phone, destinationNumber: acmeNumber, messageBody: ' 退訂 ', inboundMessageId: `in-${Math.random()}` });
    await settle();

    const stored = await api(twin.url, 'GET', `/v1/customers/${customer.body.customerId}`, { key: acme.apiKey });
    expect(stored.body.consent.sms.status).toBe('denied');
    expect(twin.sms.isOptedOut(phone)).toBe(true);
    await expect(sendSms({ tenantId: acme.tenant.tenantId, to: phone, body: 'How did we do?', originationIdentity: acmeNumber, context: {} })).resolves.toEqual({ status: 'opted-out' });
    expect(await outbox(phone)).toHaveLength(1);
  });
});

describe('HELP', () => {
  it("answers with the tenant's help text in the customer's language", async () => {
    const zh = mobile();
    const en = mobile();
    await createCustomer(acme, { phone: zh, language: 'zh-TW' });
    await createCustomer(acme, { phone: en, language: 'en' });
    expect((await patchSettings(acme, { sms: { helpText: { 'zh-TW': 'Acme 客服:請撥 02-1234-5678' } } })).status).toBe(200);

    await inbound({ originationNumber: zh, destinationNumber: acmeNumber, messageBody: '幫助', inboundMessageId: `in-${Math.random()}` });
    await inbound({ originationNumber: en, destinationNumber: acmeNumber, messageBody: 'help', inboundMessageId: `in-${Math.random()}` });
    await settle();

    expect((await outbox(zh)).map((sms) => sms.body)).toEqual(['Acme 客服:請撥 02-1234-5678']);
    expect((await outbox(en)).map((sms) => sms.body)).toEqual([expect.stringMatching(/^Acme Support: .*STOP/)]);
  });
});

describe('routing', () => {
  it("keeps tenants apart: the same customer number texting another tenant's number reaches that tenant only", async () => {
    const phone = mobile();
    const atAcme = await createCustomer(acme, { phone, consent: { sms: { status: 'granted', source: 'call' } } });
    const atGlobex = await createCustomer(globex, { phone, consent: { sms: { status: 'granted', source: 'call' } } });

    await inbound({ originationNumber: phone, destinationNumber: globexNumber, messageBody: 'stop', inboundMessageId: `in-${Math.random()}` });
    await settle();

    const globexCustomer = await api(twin.url, 'GET', `/v1/customers/${atGlobex.body.customerId}`, { key: globex.apiKey });
    const acmeCustomer = await api(twin.url, 'GET', `/v1/customers/${atAcme.body.customerId}`, { key: acme.apiKey });
    expect(globexCustomer.body.consent.sms.status).toBe('denied');
    expect(acmeCustomer.body.consent.sms.status).toBe('granted');
    expect((await outbox(phone)).map((sms) => sms.originationIdentity)).toEqual([globexNumber]);
    expect((await outbox(phone))[0]!.body).toBe('Globex: you are unsubscribed and will get no more SMS from us.');
  });

  it('drops a message to a number no tenant has connected, sending and changing nothing', async () => {
    const phone = mobile();
    const inboundMessageId = `in-${Math.random()}`;
    await inbound({ originationNumber: phone, destinationNumber: number(), messageBody: 'STOP', inboundMessageId });
    await settle();
    expect(await outbox(phone)).toEqual([]);
    expect(twin.sms.isOptedOut(phone)).toBe(false);
    expect(twin.sms.deliveries.find((delivery) => delivery.inboundMessageId === inboundMessageId)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('records any other reply as unmatched for the survey conversation, once', async () => {
    const phone = mobile();
    const customer = await createCustomer(acme, { phone });
    const message = { originationNumber: phone, destinationNumber: acmeNumber, messageBody: '４ 分', inboundMessageId: `in-${Math.random()}`, previousPublishedMessageId: 'msg-x' };
    await inbound(message);
    await inbound(message);
    await settle();
    expect(await getUnmatchedReply(acme.tenant.tenantId, message.inboundMessageId)).toMatchObject({
      customerId: customer.body.customerId,
      body: '４ 分',
      previousPublishedMessageId: 'msg-x',
    });
    expect(await getUnmatchedReply(globex.tenant.tenantId, message.inboundMessageId)).toBeUndefined();
    expect(await outbox(phone)).toEqual([]);
  });

  it('answers a malformed inbound message with 400 and the JSON paths', async () => {
    const bad = await inbound({ originationNumber: '0912', destinationNumber: acmeNumber });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path)).toEqual(['$.originationNumber', '$.messageBody']);
  });
});

describe("the twin's SendTextMessage", () => {
  it('answers the SDK with a MessageId and keeps the message, newest first', async () => {
    const client = new PinpointSMSVoiceV2Client({ endpoint: process.env.SMS_ENDPOINT });
    const to = mobile();
    const { MessageId } = await client.send(
      new SendTextMessageCommand({ DestinationPhoneNumber: to, OriginationIdentity: acmeNumber, MessageBody: '€'.repeat(81), MessageType: 'TRANSACTIONAL', Context: { surveyId: 's1', tenantId: acme.tenant.tenantId } }),
    );
    expect(MessageId).toEqual(expect.any(String));
    expect(await outbox(to)).toEqual([
      expect.objectContaining({ messageId: MessageId, to, originationIdentity: acmeNumber, segments: 2, encoding: 'GSM-7', context: { surveyId: 's1', tenantId: acme.tenant.tenantId } }),
    ]);
    client.destroy();
  });

  it("§1 refuses, as IAM does, to send from an identity not allocated to the sending tenant (another tenant's number, or nobody's)", async () => {
    const client = new PinpointSMSVoiceV2Client({ endpoint: process.env.SMS_ENDPOINT });
    const to = mobile();
    const send = (from: string, tenantId: string) =>
      client.send(new SendTextMessageCommand({ DestinationPhoneNumber: to, OriginationIdentity: from, MessageBody: 'hi', MessageType: 'TRANSACTIONAL', Context: { tenantId } }));
    await expect(send(acmeNumber, globex.tenant.tenantId)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(send(number(), acme.tenant.tenantId)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(sendSms({ tenantId: globex.tenant.tenantId, to, body: 'hi', originationIdentity: acmeNumber, context: {} })).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(await outbox(to)).toEqual([]);
    client.destroy();
  });
});
