import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mailSender } from '../../shared/ports/mail';

vi.hoisted(() => {
  delete process.env.MAIL_ENDPOINT;
});

const ses = mockClient(SESv2Client);
afterAll(() => ses.restore());
beforeEach(() => {
  ses.reset();
  process.env.MAIL_FROM = 'Switchboard <no-reply@example.com>';
  delete process.env.MAIL_CONFIGURATION_SET;
});
afterEach(() => {
  delete process.env.MAIL_FROM;
  delete process.env.MAIL_CONFIGURATION_SET;
});

describe('mailSender', () => {
  it('sends simple UTF-8 content from MAIL_FROM, tagged with the kind and tenant', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    process.env.MAIL_CONFIGURATION_SET = 'switchboard-mail';

    const sent = await mailSender().send({ to: 'ana@example.com', subject: '邀請', text: '您好', html: '<p>您好</p>', kind: 'invitation', tenantId: 'ten_01HZX' });

    expect(sent).toEqual({ messageId: 'ses-1' });
    expect(ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input)).toEqual([
      {
        FromEmailAddress: 'Switchboard <no-reply@example.com>',
        Destination: { ToAddresses: ['ana@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: '邀請', Charset: 'UTF-8' },
            Body: { Text: { Data: '您好', Charset: 'UTF-8' }, Html: { Data: '<p>您好</p>', Charset: 'UTF-8' } },
          },
        },
        ConfigurationSetName: 'switchboard-mail',
        EmailTags: [
          { Name: 'kind', Value: 'invitation' },
          { Name: 'tenant', Value: 'ten_01HZX' },
        ],
      },
    ]);
  });

  it('leaves out the HTML body, the configuration set and the tenant tag when there are none', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });
    await mailSender().send({ to: 'bo@example.com', subject: 'Reset', text: 'Code 123456', kind: 'password-reset' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.Content?.Simple?.Body).toEqual({ Text: { Data: 'Code 123456', Charset: 'UTF-8' } });
    expect(input).not.toHaveProperty('ConfigurationSetName');
    expect(input.EmailTags).toEqual([{ Name: 'kind', Value: 'password-reset' }]);
  });

  it('refuses to send without MAIL_FROM, and when SES answers no MessageId', async () => {
    delete process.env.MAIL_FROM;
    await expect(mailSender().send({ to: 'cy@example.com', subject: 's', text: 't', kind: 'invitation' })).rejects.toThrow(/MAIL_FROM/);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);

    process.env.MAIL_FROM = 'no-reply@example.com';
    ses.on(SendEmailCommand).resolves({});
    await expect(mailSender().send({ to: 'cy@example.com', subject: 's', text: 't', kind: 'invitation' })).rejects.toThrow(/MessageId/);
  });
});
