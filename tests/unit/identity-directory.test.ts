import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { identityDirectory } from '../../shared/ports/identity-directory';
import { mailSender } from '../../shared/ports/mail';

const cognito = mockClient(CognitoIdentityProviderClient);
const ses = mockClient(SESv2Client);
beforeAll(() => {
  process.env.PEOPLE_USER_POOL_ID = 'ap-northeast-1_pool';
  process.env.MAIL_FROM = 'Switchboard <no-reply@switchboard.example>';
});
beforeEach(() => {
  cognito.reset();
  ses.reset();
});
afterAll(() => {
  cognito.restore();
  ses.restore();
});

const user = (sub: string) => [{ Name: 'sub', Value: sub }, { Name: 'email', Value: 'mei@acme.tw' }];

describe('the identity directory (Cognito)', () => {
  it('creates an account by lower-cased e-mail, verified, without Cognito mailing it, and answers its sub', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: user('sub-1') } });
    const account = await identityDirectory().createAccount({ email: 'Mei@Acme.tw', password: 'Temp-Pass-123!', temporary: true });
    expect(account).toEqual({ subject: 'sub-1', created: true });
    const input = cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ UserPoolId: 'ap-northeast-1_pool', Username: 'mei@acme.tw', MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp-Pass-123!' });
    expect(input.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
  });

  it('makes a permanent password permanent', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: user('sub-2') } });
    await identityDirectory().createAccount({ email: 'owner@florist.tw', password: 'Correct-Horse-42', temporary: false });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]!.args[0].input).toMatchObject({ Username: 'owner@florist.tw', Password: 'Correct-Horse-42', Permanent: true });
  });

  it('answers an existing account as not created, without touching its password', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    cognito.on(AdminGetUserCommand).resolves({ UserAttributes: user('sub-3') });
    expect(await identityDirectory().createAccount({ email: 'mei@acme.tw', password: 'x', temporary: false })).toEqual({ subject: 'sub-3', created: false });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
  });

  it('disables and signs out by subject', async () => {
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    await identityDirectory().disableAccount('sub-4');
    await identityDirectory().signOutEverywhere('sub-4');
    expect(cognito.commandCalls(AdminDisableUserCommand)[0]!.args[0].input).toEqual({ UserPoolId: 'ap-northeast-1_pool', Username: 'sub-4' });
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]!.args[0].input).toEqual({ UserPoolId: 'ap-northeast-1_pool', Username: 'sub-4' });
  });
});

describe('the mail sender (SES v2)', () => {
  it('sends simple UTF-8 content from MAIL_FROM with the kind and tenant as tags', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const sent = await mailSender().send({ to: 'mei@acme.tw', subject: '您受邀', text: 'Hello', kind: 'invitation', tenantId: 'ten_01' });
    expect(sent).toEqual({ messageId: 'm-1' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'Switchboard <no-reply@switchboard.example>',
      Destination: { ToAddresses: ['mei@acme.tw'] },
      Content: { Simple: { Subject: { Data: '您受邀', Charset: 'UTF-8' }, Body: { Text: { Data: 'Hello', Charset: 'UTF-8' } } } },
      EmailTags: [{ Name: 'kind', Value: 'invitation' }, { Name: 'tenant', Value: 'ten_01' }],
    });
  });
});
