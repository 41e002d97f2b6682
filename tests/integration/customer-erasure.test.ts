import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient} from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { caseKeys } from '../../shared/data/cases-repo';
import { contactKeys } from '../../shared/data/contacts-repo';
import { keys } from '../../shared/data/keys';
import { erasedText } from '../../shared/domain/erasure';
import { sha256Hex } from '../../shared/crypto';
import { replyBySms, surveyTenant } from '../support/surveys';
import { api, createTenant, startTestTwin, testTableClient, type TestTwin } from '../support/twin';
import { eventually, uniqueDigits } from '../support/waiting';

let twin: TestTwin;
let key: string;
let tenantId: string;
let client: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  twin = await startTestTwin({ events: { busRetryBaseDelayMs: 5 } });
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  tenantId = tenant.tenant.tenantId;
  ({ client, tableName } = testTableClient());
});
afterAll(async () => {
  client.destroy();
  await twin.close();
});

const unique = () => Math.random().toString(36).slice(2, 10);
const mobile = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

const stored = async (itemKey: Record<string, string>) =>
  (await client.send(new GetCommand({ TableName: tableName, Key: itemKey, ConsistentRead: true }))).Item;
const partition = async (pk: string) =>
  (await client.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true })))
    .Items ?? [];


const newCustomer = async (displayName: string, phone?: string) => {
  const created = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName, ...(phone && { phone }) } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.customerId as string;
};

const logContact = async (customerId: string, notes: string) => {
  const created = await api(twin.url, 'POST', '/v1/contacts', {
    key,
    body: {
      channel: 'voice',
      direction: 'inbound',
      customerId,
      queue: 'billing',
      agentId: 'agent-7',
      queuedAt: '2026-11-20T09:00:00Z',
      answeredAt: '2026-11-20T09:01:00Z',
      notes,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.contactId as string;
};

const openCase = async (customerId: string, subject: string, description?: string) => {
  const created = await api(twin.url, 'POST', '/v1/cases', {
    key,
    body: { type: 'complaint', severity: 'medium', category: 'billing', subject, customerId, ...(description && { description }) },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.caseId as string;
};

const erasedEventsOf = (customerId: string) =>
  twin.bus.recent.filter(
    (record) =>
      record.event['detail-type'] === 'Customer Erased' && (record.event.detail as { data: { customerId: string } }).data.customerId === customerId,
  );

/** Everything stored about the customer's contacts and cases: each item, by its key. */
async function snapshot(contactIds: string[], caseIds: string[]) {
  const items = [
    ...(await Promise.all(contactIds.map((id) => partition(contactKeys.contact(tenantId, id).pk)))).flat(),
    ...(await Promise.all(caseIds.map((id) => partition(caseKeys.case(tenantId, id).pk)))).flat(),
  ];
  return Object.fromEntries(items.map((item) => [`${item.pk}|${item.sk}`, item]));
}

describe('erasing a customer', () => {
  it("scrubs their contacts' and cases' personal data, keeps the figures, and leaves other customers alone", async () => {
    const tag = unique();
    const personal = {
      contactNote: `Asked to call Mrs Lin-${tag} at home`,
      phone: `+8869${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      secondNote: `Mrs Lin-${tag} lives at 12 Roosevelt Rd`,
      referralNote: `Lin-${tag} wants the premium plan`,
      lostReason: `Lin-${tag} moved abroad`,
      subject: `Lin-${tag} charged twice`,
      description: `Card of Lin-${tag} ending 4242 charged twice`,
      internalNote: `Called Lin-${tag} back`,
      reply: `Lin-${tag}: here is my receipt`,
      statusReason: `Lin-${tag} confirmed the refund`,
      remedy: `Refund to Lin-${tag} by transfer`,
    };
    const erased = await newCustomer(`Lin-${tag}`, mobile());
    const kept = await newCustomer(`Other-${tag}`);

    const withReferral = await logContact(erased, personal.contactNote);
    const referral = await api(twin.url, 'POST', `/v1/contacts/${withReferral}/referrals`, {
      key,
      body: { product: 'Premium plan', note: personal.referralNote, assignedTo: 'sales-2' },
    });
    expect(referral.status, JSON.stringify(referral.body)).toBe(201);
    const lost = await api(twin.url, 'PATCH', `/v1/contacts/${withReferral}/referrals/${referral.body.referralId}`, {
      key,
      body: { status: 'lost', reason: personal.lostReason },
      headers: { 'if-match': referral.headers.get('etag')! },
    });
    expect(lost.status, JSON.stringify(lost.body)).toBe(200);
    const closed = await api(twin.url, 'POST', `/v1/contacts/${withReferral}/close`, {
      key,
      body: { outcome: 'resolved', firstContactResolution: true, endedAt: '2026-11-20T09:06:00Z' },
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const withPhone = await logContact(erased, personal.secondNote);
    // A contact can also hold the number it came from (as an ingested one may): erasure must remove it.
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: contactKeys.contact(tenantId, withPhone),
        UpdateExpression: 'SET phone = :phone',
        ExpressionAttributeValues: { ':phone': personal.phone },
      }),
    );

    const caseId = await openCase(erased, personal.subject, personal.description);
    for (const event of [
      { type: 'note', text: personal.internalNote },
      { type: 'customer_reply', text: personal.reply, channel: 'email' },
      { type: 'status_change', to: 'in_progress', reason: personal.statusReason },
    ]) {
      const posted = await api(twin.url, 'POST', `/v1/cases/${caseId}/events`, { key, body: event });
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    }
    const current = await api(twin.url, 'GET', `/v1/cases/${caseId}`, { key });
    const recovered = await api(twin.url, 'PATCH', `/v1/cases/${caseId}`, {
      key,
      body: { serviceRecovery: { apologyGiven: true, remedy: personal.remedy, compensation: { type: 'refund', amount: 1250, currency: 'TWD' } } },
      headers: { 'if-match': current.headers.get('etag')! },
    });
    expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);

    const otherContact = await logContact(kept, `Other-${tag} note`);
    const otherCase = await openCase(kept, `Other-${tag} subject`, `Other-${tag} description`);
    const otherBefore = await snapshot([otherContact], [otherCase]);

    const before = await snapshot([withReferral, withPhone], [caseId]);
    for (const text of Object.values(personal)) expect(JSON.stringify(before), `stored before erasure: ${text}`).toContain(text);

    expect((await api(twin.url, 'DELETE', `/v1/customers/${erased}`, { key })).status).toBe(204);
    expect((await api(twin.url, 'DELETE', `/v1/customers/${erased}`, { key })).status).toBe(204);

    await eventually(async () => ((await stored(caseKeys.case(tenantId, caseId)))?.personalDataErasedAt ? true : undefined), 'the case to be scrubbed');
    await twin.bus.settled();
    const events = erasedEventsOf(erased);
    expect(events, 'one Customer Erased, however often DELETE is repeated').toHaveLength(1);
    expect((events[0]!.event.detail as { data: unknown }).data).toEqual({ customerId: erased, erasedAt: expect.any(String) });
    expect(events[0]!.deliveries.find((d) => d.consumer === 'customer-erasure')?.status).toBe('delivered');

    const after = await snapshot([withReferral, withPhone], [caseId]);
    for (const text of Object.values(personal)) expect(JSON.stringify(after), `stored after erasure: ${text}`).not.toContain(text);
    expect(Object.keys(after).sort(), 'no item deleted or added').toEqual(Object.keys(before).sort());

    // Operational figures stay as they were.
    const contactKey = `${contactKeys.contact(tenantId, withReferral).pk}|CONTACT`;
    const { notes: _notes, version: contactVersion, ...contactFigures } = before[contactKey]!;
    expect(after[contactKey]).toEqual({ ...contactFigures, version: contactVersion + 1, personalDataErasedAt: expect.any(String) });
    const phoneKey = `${contactKeys.contact(tenantId, withPhone).pk}|CONTACT`;
    expect(after[phoneKey]).not.toHaveProperty('phone');
    expect(after[phoneKey]).toMatchObject({ customerId: erased, queue: 'billing', agentId: 'agent-7', waitSeconds: 60 });
    const referralKey = `${contactKeys.contact(tenantId, withReferral).pk}|REFERRAL#${referral.body.referralId}`;
    const { note: _note, lostReason: _reason, version: referralVersion, ...referralFigures } = before[referralKey]!;
    expect(after[referralKey]).toEqual({ ...referralFigures, lostReason: erasedText, version: referralVersion + 1 });
    const caseKey = `${caseKeys.case(tenantId, caseId).pk}|CASE`;
    const caseBefore = before[caseKey]!;
    expect(after[caseKey]).toEqual({
      ...caseBefore,
      subject: erasedText,
      description: erasedText,
      serviceRecovery: { ...caseBefore.serviceRecovery, remedy: erasedText },
      version: caseBefore.version + 1,
      personalDataErasedAt: expect.any(String),
    });
    expect(after[caseKey]!.serviceRecovery.compensation).toEqual({ type: 'refund', amount: 1250, currency: 'TWD' });

    // The API shows the scrubbed values.
    const contactRead = await api(twin.url, 'GET', `/v1/contacts/${withReferral}`, { key });
    expect(contactRead.status).toBe(200);
    expect(contactRead.body).not.toHaveProperty('notes');
    expect(contactRead.body).toMatchObject({ outcome: 'resolved', queue: 'billing', agentId: 'agent-7', handleSeconds: 300 });
    expect(contactRead.body.referrals[0]).toMatchObject({ product: 'Premium plan', status: 'lost', lostReason: erasedText });
    expect(contactRead.body.referrals[0]).not.toHaveProperty('note');
    const caseRead = await api(twin.url, 'GET', `/v1/cases/${caseId}`, { key });
    expect(caseRead.body).toMatchObject({ subject: erasedText, description: erasedText, status: 'in_progress', type: 'complaint' });
    const texts = caseRead.body.timeline.flatMap((entry: { text?: string; reason?: string }) => [entry.text, entry.reason].filter(Boolean));
    // The note, the customer's reply, the status change's reason and the remedy (a service recovery step) held words.
    expect(texts).toEqual([erasedText, erasedText, erasedText, erasedText]);
    expect(caseRead.body.timeline.map((entry: { type: string; step?: string }) => entry.step ?? entry.type)).toEqual([
      'opened',
      'note',
      'customer_reply',
      'status_change',
      'apology',
      'remedy',
      'compensation',
      'updated',
    ]);

    // Another customer's records are untouched.
    expect(await snapshot([otherContact], [otherCase])).toEqual(otherBefore);

    // Delivering the event again, twice, changes nothing more.
    const { event } = events[0]!;
    for (let i = 0; i < 2; i++) {
      twin.bus.putEvents([{ EventBusName: twin.bus.name, Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail) }]);
    }
    await twin.bus.settled();
    const redelivered = erasedEventsOf(erased).filter((record) => record !== events[0]);
    expect(redelivered.flatMap((record) => record.deliveries.filter((d) => d.consumer === 'customer-erasure').map((d) => d.status))).toEqual([
      'delivered',
      'delivered',
    ]);
    expect(await snapshot([withReferral, withPhone], [caseId])).toEqual(after);
  }, 60_000);

  it('erases their free-text survey answers (API and export), live survey links, SMS replies and Idempotency-Key replays', async () => {
    const t = await surveyTenant(twin, { enabled: false });
    const phone = `+8869${uniqueDigits()}`;
    const displayName = `Chen Mei-ling ${unique()}`;
    const idempotencyKey = `create-${unique()}`;
    const created = await api(twin.url, 'POST', '/v1/customers', { key: t.key, body: { displayName, phone }, headers: { 'idempotency-key': idempotencyKey } });
    expect(created.status).toBe(201);
    const customerId = created.body.customerId as string;

    const linkSurvey = async () => {
      const contact = await api(twin.url, 'POST', '/v1/contacts', {
        key: t.key,
        body: { channel: 'chat', direction: 'inbound', purpose: 'service', customerId, agentId: 'agent-3', queue: 'billing' },
      });
      expect(contact.status).toBe(201);
      expect((await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key: t.key, body: { outcome: 'resolved' } })).status).toBe(200);
      const survey = await api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId: contact.body.contactId, deliveryChannel: 'link' } });
      expect(survey.status, JSON.stringify(survey.body)).toBe(201);
      return { surveyId: survey.body.surveyId as string, path: survey.body.linkPath as string };
    };
    const freeText = `Mrs Chen of 5 Lane 12 waited an hour ${unique()}`;
    const answered = await linkSurvey();
    const form = { body: new URLSearchParams({ csat: '2', improve: freeText, resolved: 'no', nps: '4' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    expect((await api(twin.url, 'POST', answered.path, form)).status).toBe(200);
    const open = await linkSurvey();
    expect((await api(twin.url, 'GET', open.path)).status).toBe(200);
    const smsText = `Please call me at home ${unique()}`;
    const inboundMessageId = await replyBySms(twin, t, phone, smsText);
    const unmatchedKey = { pk: `T#${t.tenantId}#SMSIN#${inboundMessageId}`, sk: 'UNMATCHED' };
    expect((await stored(unmatchedKey))?.body).toBe(smsText);
    const replayKey = keys.idempotency(t.tenantId, sha256Hex(`POST /v1/customers\n${idempotencyKey}`));
    expect(JSON.stringify(await stored(replayKey))).toContain(displayName);

    expect((await api(twin.url, 'DELETE', `/v1/customers/${customerId}`, { key: t.key })).status).toBe(204);
    const surveyKey = (surveyId: string) => ({ pk: `T#${t.tenantId}#SVY#${surveyId}`, sk: 'SURVEY' });
    await eventually(async () => ((await stored(replayKey))?.withheld === 'erased' ? true : undefined), 'the replay to be erased');
    await twin.bus.settled();

    const answeredItem = await stored(surveyKey(answered.surveyId));
    expect(answeredItem?.answers).toEqual({ csat: 2, improve: erasedText, resolved: false, nps: 4 });
    expect((await api(twin.url, 'GET', `/v1/surveys/${answered.surveyId}`, { key: t.key })).body.answers.improve).toBe(erasedText);
    const range = `from=${new Date(Date.now() - 3600_000).toISOString()}&to=${new Date(Date.now() + 3600_000).toISOString()}`;
    const exported = await api(twin.url, 'GET', `/v1/exports/survey-responses?${range}`, { key: t.key });
    expect(exported.status).toBe(200);
    expect(exported.body).not.toContain(freeText);

    expect((await stored(surveyKey(open.surveyId)))?.status).toBe('expired');
    const page = await api(twin.url, 'GET', open.path);
    expect(page.status).toBe(410);

    const reply = await stored(unmatchedKey);
    expect(JSON.stringify(reply)).not.toContain(smsText);
    expect(JSON.stringify(reply)).not.toContain(phone);

    const replay = await stored(replayKey);
    expect(JSON.stringify(replay)).not.toContain(displayName);
    expect(JSON.stringify(replay)).not.toContain(phone);
    const replayed = await api(twin.url, 'POST', '/v1/customers', { key: t.key, body: { displayName, phone }, headers: { 'idempotency-key': idempotencyKey } });
    expect(replayed.status).toBe(409);
    expect(replayed.body.type).toMatch(/replay-erased$/);

    // Erasing again (a redelivered event) changes nothing more.
    const { eraseCustomerData } = await import('../../functions/customer-erasure/handler');
    const snapshotOf = async () => JSON.stringify([await stored(surveyKey(answered.surveyId)), await stored(surveyKey(open.surveyId)), reply, await stored(replayKey)]);
    const settledState = await snapshotOf();
    expect(await eraseCustomerData(t.tenantId, customerId, new Date().toISOString(), { getRemainingTimeInMillis: () => 60_000 })).toBe(0);
    expect(await snapshotOf()).toBe(settledState);
  });

  it('leaves no way to give an erased customer new contacts or cases', async () => {
    const customerId = await newCustomer(`Gone-${unique()}`);
    expect((await api(twin.url, 'DELETE', `/v1/customers/${customerId}`, { key })).status).toBe(204);
    const contact = await api(twin.url, 'POST', '/v1/contacts', { key, body: { channel: 'chat', direction: 'inbound', customerId, notes: 'x' } });
    expect(contact.status).toBe(422);
    expect(contact.body.errors).toEqual([expect.objectContaining({ path: '$.customerId' })]);
    const opened = await api(twin.url, 'POST', '/v1/cases', {
      key,
      body: { type: 'inquiry', category: 'billing', subject: 'x', customerId },
    });
    expect(opened.status).toBe(422);
  });

  it('goes on where a run that ran out of time stopped', async () => {
    const { eraseCustomerData, ErasureUnfinished } = await import('../../functions/customer-erasure/handler');
    const tag = unique();
    const customerId = await newCustomer(`Slow-${tag}`);
    const contactIds = [await logContact(customerId, `first note ${tag}`), await logContact(customerId, `second note ${tag}`)];
    // The tombstone alone, as if its event were still on the way: the test runs the consumer itself.
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.customer(tenantId, customerId),
        UpdateExpression: 'SET erasedAt = :at',
        ExpressionAttributeValues: { ':at': '2026-11-22T12:00:00.000Z' },
      }),
    );
    const notes = async () =>
      Promise.all(contactIds.map(async (id) => (await stored(contactKeys.contact(tenantId, id)))?.notes as string | undefined));

    let checks = 0;
    const almostOutOfTime = { getRemainingTimeInMillis: () => (checks++ === 0 ? 25_000 : 1_000) };
    await expect(eraseCustomerData(tenantId, customerId, '2026-11-22T12:00:00.000Z', almostOutOfTime)).rejects.toBeInstanceOf(ErasureUnfinished);
    expect((await notes()).filter((note) => note === undefined), 'one contact scrubbed before the time ran out').toHaveLength(1);

    const plenty = { getRemainingTimeInMillis: () => 25_000 };
    expect(await eraseCustomerData(tenantId, customerId, '2026-11-22T12:00:00.000Z', plenty)).toBe(1);
    expect(await notes()).toEqual([undefined, undefined]);
    expect(await eraseCustomerData(tenantId, customerId, '2026-11-22T12:00:00.000Z', plenty), 'nothing left to write').toBe(0);
  });
});
