import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../infra/local/dynamodb';
import { type TestTwin, api, startTestTwin, testDatabase } from '../support/twin';
import { readSurvey, replyBySms, surveyTenant, surveyedCustomer } from '../support/surveys';

/**
 * The short default conversation (issue 15) on the local twin, as a new tenant gets it: greeting
 * and CSAT in one segment, what to improve only after a low CSAT, no web link, no thanks unless
 * the rules ask for them. The outbox (GET /local/sms/outbox) shows every SMS and its segments.
 */

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());
beforeEach(() => {
  twin.clock.set(new Date());
});

const outbox = async (phone: string) => {
  const answer = await api(twin.url, 'GET', `/local/sms/outbox?to=${encodeURIComponent(phone)}`);
  expect(answer.status).toBe(200);
  return (answer.body.items as { body: string; segments: number; encoding: string }[]).reverse();
};

/** The link-token items stored for a survey (the test's own table, read whole: test only). */
const storedTokens = async (surveyId: string) => {
  const { endpoint, tableName } = testDatabase();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint }));
  try {
    const { Items = [] } = await client.send(
      new ScanCommand({ TableName: tableName, FilterExpression: '#type = :token AND surveyId = :survey', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':token': 'SurveyToken', ':survey': surveyId } }),
    );
    return Items;
  } finally {
    client.destroy();
  }
};

describe('the default survey by SMS, for a new tenant', () => {
  it('costs a happy customer one segment: greeting and CSAT in one SMS, then nothing more', async () => {
    const t = await surveyTenant(twin, {}, { as: 'new' });
    const c = await surveyedCustomer(twin, t, 'zh-TW');
    expect(c.first.body).toBe('Survey Co感謝您的聯繫！回覆「退訂」即不再收到簡訊。\n您對這次的服務滿意嗎？（1 = 非常不滿意, 5 = 非常滿意）');

    await replyBySms(twin, t, c.phone, '5', { to: c.first.messageId });
    expect((await outbox(c.phone)).map(({ segments, encoding }) => [segments, encoding])).toEqual([[1, 'UCS-2']]);
    expect(await readSurvey(twin, t, c.surveyId)).toMatchObject({ status: 'completed', answers: { csat: 5 } });
    // No message carries a link, so no link token is stored (it would cost 2 write units for nothing).
    expect(await storedTokens(c.surveyId)).toEqual([]);
  });

  it('costs an unhappy customer two: the follow-up asks what to improve, and the survey completes on the answer', async () => {
    const t = await surveyTenant(twin, {}, { as: 'new' });
    const c = await surveyedCustomer(twin, t, 'en');
    await replyBySms(twin, t, c.phone, '2', { to: c.first.messageId });
    const sent = await outbox(c.phone);
    expect(sent.map(({ body }) => body)).toEqual([c.first.body, 'Sorry we fell short. What could we have done better?']);
    expect(sent.map(({ segments, encoding }) => [segments, encoding])).toEqual([
      [1, 'GSM-7'],
      [1, 'GSM-7'],
    ]);
    await replyBySms(twin, t, c.phone, 'Nobody called me back');
    expect(await outbox(c.phone)).toHaveLength(2);
    expect(await readSurvey(twin, t, c.surveyId)).toMatchObject({ status: 'completed', answers: { csat: 2, improve: 'Nobody called me back' } });
  });

  it('re-asks with the hint alone, in one segment', async () => {
    const t = await surveyTenant(twin, {}, { as: 'new' });
    const c = await surveyedCustomer(twin, t, 'zh-TW');
    await replyBySms(twin, t, c.phone, '很好', { to: c.first.messageId });
    const [, reask] = await outbox(c.phone);
    expect(reask).toMatchObject({ body: '抱歉，我們無法辨識您的回覆。請回覆 1 到 5 的數字。', segments: 1 });
  });

  it('adds the thanks and a 16-character web link when the tenant turns them on; the link opens the survey', async () => {
    const t = await surveyTenant(twin, { smsWebLink: true, smsThankYou: true }, { as: 'new' });
    const c = await surveyedCustomer(twin, t, 'en');
    const link = c.first.body.split('\n').at(-1)!;
    expect(link).toMatch(new RegExp(`^Or answer on the web: ${twin.url.replace(/[.]/g, '\\.')}/s/[A-Za-z0-9_-]{16}$`));
    const page = await fetch(link.slice('Or answer on the web: '.length));
    expect(page.status).toBe(200);
    expect(await storedTokens(c.surveyId)).toHaveLength(1);

    await replyBySms(twin, t, c.phone, '4', { to: c.first.messageId });
    const sent = await outbox(c.phone);
    expect(sent.at(-1)).toMatchObject({ body: 'Thank you! Your answers help Survey Co serve you better.', segments: 1 });
    expect(await readSurvey(twin, t, c.surveyId)).toMatchObject({ status: 'completed' });
  });
});
