import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleSurveyTimer } from '../../functions/survey-send/handler';
import {
  type AwsErrorAnswer,
  type FaultyTwin,
  type SurveyTenant,
  advanceClock,
  closedContact,
  eventually,
  smsCustomer,
  startFaultyTwin,
  surveyTenant,
  surveysOf,
} from '../support/faults';
import { api } from '../support/twin';

/**
 * SendTextMessage failing when a survey's first SMS is due: End User Messaging SMS errors,
 * answered by a proxy in front of the twin's SMS emulation in AWS's wire format (AWS JSON 1.0),
 * so shared/ports/sms-sender.ts meets the real exception classes and SDK retries. survey-send
 * is an EventBridge Scheduler target: a timer firing that throws is retried (the twin: 5 retries,
 * 200 ms apart), then goes to the schedule's dead-letter queue.
 */

let twin: FaultyTwin;
let sdkAttempts: number;
beforeAll(async () => {
  twin = await startFaultyTwin();
  sdkAttempts = await new PinpointSMSVoiceV2Client({ region: 'local' }).config.maxAttempts();
});
afterAll(() => twin.close());
// Timers are due 5 minutes after a contact closes, in real time: a clock left ahead would fire them at once.
beforeEach(() => twin.clock.set(new Date()));
afterEach(() => twin.faults.clear());

const minute = 60_000;
const throttled: AwsErrorAnswer = { type: 'ThrottlingException', message: 'Rate exceeded' };
const overQuota: AwsErrorAnswer = {
  type: 'ServiceQuotaExceededException',
  message: 'Monthly spend limit reached',
  fields: { Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT' },
};

interface Due {
  tenant: SurveyTenant;
  phone: string;
  customerId: string;
  surveyId: string;
}

/** A pending survey whose send timer has not fired yet. */
async function surveyAboutToBeSent(): Promise<Due> {
  const tenant = await surveyTenant(twin);
  const customer = await smsCustomer(twin, tenant);
  const contactId = await closedContact(twin, tenant, customer.customerId);
  const survey = await eventually(async () => (await surveysOf(twin, tenant)).find((s) => s.contactId === contactId && s.status === 'pending'), 'the pending survey');
  return { tenant, phone: customer.phone, customerId: customer.customerId, surveyId: survey.surveyId };
}

async function fireSendTimer(): Promise<void> {
  await advanceClock(twin, 6 * minute);
  await twin.bus.settled();
}

const surveyOf = async (due: Due) => (await api(twin.url, 'GET', `/v1/surveys/${due.surveyId}`, { key: due.tenant.key })).body;
const sendFiring = (due: Due) => twin.scheduler.firings.find((firing) => firing.name === `survey-send-${due.surveyId}`);
const sendAttempts = (due: Due) => twin.faults.count('SendTextMessage', due.phone);

describe('a transient SMS failure', () => {
  it('throttling that passes within the SDK’s retries: one SMS, the survey sent', async () => {
    const due = await surveyAboutToBeSent();
    twin.faults.inject({ operation: 'SendTextMessage', bodyIncludes: due.phone, times: sdkAttempts - 1, answer: throttled });
    await fireSendTimer();

    expect(sendAttempts(due)).toBe(sdkAttempts);
    expect(twin.sms.sentTo(due.phone)).toHaveLength(1);
    expect(await surveyOf(due)).toMatchObject({ status: 'sent', sms: [{ messageId: twin.sms.sentTo(due.phone)[0]!.messageId }] });
    expect(sendFiring(due)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('throttling that outlasts the SDK’s retries: the timer’s retry sends it, once', async () => {
    const due = await surveyAboutToBeSent();
    twin.faults.inject({ operation: 'SendTextMessage', bodyIncludes: due.phone, times: sdkAttempts + 1, answer: throttled });
    await fireSendTimer();

    expect(sendFiring(due)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(twin.sms.sentTo(due.phone)).toHaveLength(1);
    expect((await surveyOf(due)).status).toBe('sent');
  });

  it('a spend quota reached (not retried by the SDK): retried by the timer until it is raised, then sent once', async () => {
    const due = await surveyAboutToBeSent();
    twin.faults.inject({ operation: 'SendTextMessage', bodyIncludes: due.phone, times: 2, answer: overQuota });
    await fireSendTimer();

    expect(sendAttempts(due)).toBe(3);
    expect(sendFiring(due)).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(twin.sms.sentTo(due.phone)).toHaveLength(1);
    expect((await surveyOf(due)).status).toBe('sent');
  });

  it('a quota that stays reached: the timer’s retries are spent, nothing is sent; re-invoked with its payload after the raise, sent once', async () => {
    const due = await surveyAboutToBeSent();
    const quota = twin.faults.inject({ operation: 'SendTextMessage', bodyIncludes: due.phone, times: Infinity, answer: overQuota });
    await fireSendTimer();

    const firing = sendFiring(due)!;
    expect(firing).toMatchObject({ status: 'failed', attempts: 6 });
    expect(firing.error).toContain('ServiceQuotaExceededException');
    expect(twin.sms.sentTo(due.phone)).toEqual([]);
    expect((await surveyOf(due)).status).toBe('pending');

    // The quota is raised; the timer's payload (from the failure's log keys tenantId, surveyId, action) is given to survey-send again, twice.
    twin.faults.clear(quota);
    expect(await handleSurveyTimer(firing.payload)).toBe('sent');
    expect(await handleSurveyTimer(firing.payload)).toBe('ignored');
    expect(twin.sms.sentTo(due.phone)).toHaveLength(1);
    expect((await surveyOf(due)).status).toBe('sent');
  }, 45_000);
});

describe('a permanent SMS refusal', () => {
  it('an invalid destination (ValidationException): not sent, reason sms-refused, tried once, never sent later', async () => {
    const due = await surveyAboutToBeSent();
    twin.faults.inject({
      operation: 'SendTextMessage',
      bodyIncludes: due.phone,
      times: Infinity,
      answer: { type: 'ValidationException', message: 'Invalid destination', fields: { Reason: 'INVALID_PARAMETER', Fields: [{ Name: 'DestinationPhoneNumber', Message: 'Not a valid number' }] } },
    });
    await fireSendTimer();

    expect(sendAttempts(due)).toBe(1);
    expect(sendFiring(due)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await surveyOf(due)).toMatchObject({ status: 'not_sent', notSentReason: 'sms-refused' });
    const notSent = await eventually(
      () =>
        twin.bus.recent.find(
          (record) => record.event['detail-type'] === 'Survey Not Sent' && (record.event.detail as { data: { surveyId: string } }).data.surveyId === due.surveyId,
        ),
      'Survey Not Sent',
    );
    expect((notSent.event.detail as { data: { reason: string } }).data.reason).toBe('sms-refused');
    expect(JSON.stringify(notSent.event.detail)).not.toContain(due.phone);
    twin.faults.clear();
    expect(await handleSurveyTimer({ tenantId: due.tenant.tenantId, surveyId: due.surveyId, action: 'send' })).toBe('ignored');
    expect(twin.sms.sentTo(due.phone)).toEqual([]);
  });

  it('a number on AWS’s opt-out list: not sent, reason opted-out, the customer’s SMS consent denied', async () => {
    const due = await surveyAboutToBeSent();
    twin.sms.putOptedOutNumber({ OptOutListName: 'Default', OptedOutNumber: due.phone });
    await fireSendTimer();

    expect(sendAttempts(due)).toBe(1);
    expect(twin.sms.sentTo(due.phone)).toEqual([]);
    expect(await surveyOf(due)).toMatchObject({ status: 'not_sent', notSentReason: 'opted-out' });
    const customer = await api(twin.url, 'GET', `/v1/customers/${due.customerId}`, { key: due.tenant.key });
    expect(customer.body.consent.sms.status).toBe('denied');
  });
});
