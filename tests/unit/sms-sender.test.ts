import { ConflictException, PinpointSMSVoiceV2Client, SendTextMessageCommand, ThrottlingException } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendSms } from '../../shared/ports/sms-sender';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  delete process.env.SMS_ENDPOINT;
});

const sms = mockClient(PinpointSMSVoiceV2Client);
afterAll(() => sms.restore());
beforeEach(() => sms.reset());

const survey = {
  tenantId: 'ten_1',
  to: '+886912345678',
  body: '您好,請為本次服務評分 1-5',
  originationIdentity: '+886287654321',
  configurationSetName: 'switchboard-surveys',
  context: { surveyId: 'svy_1' },
};

describe('sendSms', () => {
  it('sends a transactional SendTextMessage with the origination identity, configuration set and string-only context', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'msg-1' });

    const result = await sendSms(survey);

    expect(result).toEqual({ status: 'sent', messageId: 'msg-1', segments: 1, encoding: 'UCS-2' });
    expect(sms.commandCalls(SendTextMessageCommand).map((call) => call.args[0].input)).toEqual([
      {
        DestinationPhoneNumber: '+886912345678',
        OriginationIdentity: '+886287654321',
        MessageBody: '您好,請為本次服務評分 1-5',
        MessageType: 'TRANSACTIONAL',
        ConfigurationSetName: 'switchboard-surveys',
        Context: { surveyId: 'svy_1', tenantId: 'ten_1' },
      },
    ]);
  });

  it('leaves the configuration set out when the tenant has none, and counts GSM-7 segments', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'msg-2' });

    const result = await sendSms({ ...survey, body: 'x'.repeat(161), configurationSetName: undefined });

    expect(result).toEqual({ status: 'sent', messageId: 'msg-2', segments: 2, encoding: 'GSM-7' });
    expect(sms.commandCalls(SendTextMessageCommand)[0]!.args[0].input).not.toHaveProperty('ConfigurationSetName');
  });

  it('never lets a caller context name another tenant', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'msg-3' });
    await sendSms({ ...survey, context: { tenantId: 'ten_other', surveyId: 'svy_1' } });
    expect(sms.commandCalls(SendTextMessageCommand)[0]!.args[0].input.Context).toEqual({ tenantId: 'ten_1', surveyId: 'svy_1' });
  });

  it('answers opted-out when AWS reports the destination on the opt-out list', async () => {
    sms.on(SendTextMessageCommand).rejects(
      new ConflictException({ $metadata: {}, message: 'opted out', Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ResourceType: 'opt-out-list', ResourceId: 'Default' }),
    );
    await expect(sendSms(survey)).resolves.toEqual({ status: 'opted-out' });
  });

  it('lets every other failure through, including other conflicts', async () => {
    sms.on(SendTextMessageCommand).rejects(
      new ConflictException({ $metadata: {}, message: 'blocked', Reason: 'DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION' }),
    );
    await expect(sendSms(survey)).rejects.toBeInstanceOf(ConflictException);

    sms.reset();
    sms.on(SendTextMessageCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'slow down' }));
    await expect(sendSms(survey)).rejects.toBeInstanceOf(ThrottlingException);
  });
});
