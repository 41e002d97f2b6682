import {
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StoredPerson } from '../../shared/domain/person';
import { federatedSignInRefusals, federatedUserOf } from '../../shared/domain/federated-sign-in';
import { identityDirectory } from '../../shared/ports/identity-directory';

/**
 * Federated sign-in linking (issue 13 §1): the Cognito pre sign-up trigger links a tenant identity
 * provider's user to the person that tenant's admin invited, and refuses anyone else. The table is
 * a stand-in (people-repo mocked); Cognito is aws-sdk-client-mock, so the port's calls are real.
 * Cognito itself (running the trigger, signing in the linked account) cannot be tried here.
 */

const people = vi.hoisted(() => ({
  byEmail: new Map<string, string>(),
  byId: new Map<string, StoredPerson>(),
  bySubject: new Map<string, { tenantId: string; personId: string }>(),
}));
vi.mock('../../shared/data/people-repo', () => ({
  getPersonIdByEmail: (tenantId: string, email: string) => Promise.resolve(people.byEmail.get(`${tenantId} ${email}`)),
  getPerson: (tenantId: string, personId: string) => Promise.resolve(people.byId.get(`${tenantId} ${personId}`)),
  getPersonOfSubject: (subject: string) => Promise.resolve(people.bySubject.get(subject)),
}));
const { linkFederatedUser, handler } = await import('../../functions/people-federation/handler');
type PreSignUpEvent = Parameters<typeof linkFederatedUser>[0];

const cognito = mockClient(CognitoIdentityProviderClient);
const acme = 'ten_01JABCDEFGHJKMNPQRSTVWXYZ0';
const globex = 'ten_01JABCDEFGHJKMNPQRSTVWXYZ1';
const pool = 'ap-northeast-1_Federated';

beforeAll(() => {
  process.env.FEDERATED_PROVIDER_TENANTS = JSON.stringify({ AcmeEntra: acme, Acme_Okta: acme, GlobexOkta: globex });
  delete process.env.PEOPLE_USER_POOL_ID;
});
beforeEach(() => {
  cognito.reset();
  people.byEmail.clear();
  people.byId.clear();
  people.bySubject.clear();
});
afterAll(() => cognito.restore());

function invite(tenantId: string, personId: string, email: string, subject: string, state: StoredPerson['state'] = 'invited') {
  people.byEmail.set(`${tenantId} ${email}`, personId);
  people.byId.set(`${tenantId} ${personId}`, { tenantId, personId, email, role: 'agent', state, agentId: personId, invitedAt: '2026-12-01T00:00:00.000Z', version: 1, subject } as StoredPerson);
  people.bySubject.set(subject, { tenantId, personId });
}

/** Cognito's event for a first sign-in through a SAML or OIDC provider, as its developer guide shows the pre sign-up trigger's. */
const externalProviderEvent = (userName: string, userAttributes: Record<string, string>): PreSignUpEvent => ({
  version: '1',
  triggerSource: 'PreSignUp_ExternalProvider',
  region: 'ap-northeast-1',
  userPoolId: pool,
  userName,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'consoleclientid' },
  request: { userAttributes: { 'cognito:user_status': 'EXTERNAL_PROVIDER', ...userAttributes }, validationData: null },
  response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
});

describe('which provider and tenant a federated user name is of', () => {
  const tenants = { AcmeEntra: acme, Acme_Okta: acme, GlobexOkta: globex };
  it('reads <provider>_<subject>, with the longest declared provider name that fits, whatever its case', () => {
    expect(federatedUserOf('AcmeEntra_Xy12_ab', tenants)).toEqual({ providerName: 'AcmeEntra', providerSubject: 'Xy12_ab', tenantId: acme });
    expect(federatedUserOf('acme_okta_00u1', tenants)).toEqual({ providerName: 'Acme_Okta', providerSubject: '00u1', tenantId: acme });
    expect(federatedUserOf('globexokta_00u2', tenants)?.tenantId).toBe(globex);
  });
  it('knows no user of an undeclared provider, nor one without a subject', () => {
    expect(federatedUserOf('Google_123', tenants)).toBeUndefined();
    expect(federatedUserOf('AcmeEntra_', tenants)).toBeUndefined();
  });
});

describe('the identity directory: linking (Cognito)', () => {
  it("links the provider's subject to the account by its sub, in the given pool", async () => {
    cognito.on(AdminLinkProviderForUserCommand).resolves({});
    await identityDirectory({ userPoolId: pool }).linkFederatedUser({ subject: 'sub-mei', providerName: 'AcmeEntra', providerSubject: 'Xy12' });
    expect(cognito.commandCalls(AdminLinkProviderForUserCommand)[0]!.args[0].input).toEqual({
      UserPoolId: pool,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'sub-mei' },
      SourceUser: { ProviderName: 'AcmeEntra', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'Xy12' },
    });
  });

  it("finds an account's sub by lower-cased e-mail, and answers none for an unknown address", async () => {
    cognito.on(AdminGetUserCommand, { Username: 'mei@acme.example' }).resolves({ UserAttributes: [{ Name: 'sub', Value: 'sub-mei' }] });
    cognito.on(AdminGetUserCommand, { Username: 'nobody@acme.example' }).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    const directory = identityDirectory({ userPoolId: pool });
    expect(await directory.findAccountSubject('Mei@Acme.example')).toBe('sub-mei');
    expect(await directory.findAccountSubject('nobody@acme.example')).toBeUndefined();
  });

  it('passes on any other Cognito failure instead of calling it "no account"', async () => {
    cognito.on(AdminGetUserCommand).rejects(new Error('Rate exceeded'));
    await expect(identityDirectory({ userPoolId: pool }).findAccountSubject('mei@acme.example')).rejects.toThrow('Rate exceeded');
  });
});

describe("the pre sign-up trigger: a tenant identity provider's first sign-in", () => {
  it("links an invited person's account to the provider's user, then asks for one more sign-in (no second, unlinked user)", async () => {
    invite(acme, 'per_mei', 'mei@acme.example', 'sub-mei');
    cognito.on(AdminLinkProviderForUserCommand).resolves({});
    await expect(linkFederatedUser(externalProviderEvent('AcmeEntra_Xy12', { email: 'Mei@Acme.example' }))).rejects.toThrow(federatedSignInRefusals.linked);
    const input = cognito.commandCalls(AdminLinkProviderForUserCommand)[0]!.args[0].input;
    // The account's sub is the one the authorizer looks the person up by (people-repo personSubject).
    expect(input.DestinationUser).toEqual({ ProviderName: 'Cognito', ProviderAttributeValue: 'sub-mei' });
    expect(people.bySubject.get(input.DestinationUser!.ProviderAttributeValue!)).toEqual({ tenantId: acme, personId: 'per_mei' });
    expect(input.SourceUser).toEqual({ ProviderName: 'AcmeEntra', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'Xy12' });
    expect(input.UserPoolId).toBe(pool);
  });

  it('refuses an address nobody invited in the tenant that owns the provider, and links nothing', async () => {
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    await expect(linkFederatedUser(externalProviderEvent('AcmeEntra_Zz99', { email: 'stranger@acme.example' }))).rejects.toThrow(federatedSignInRefusals.notInvited);
    expect(cognito.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
  });

  it("refuses a person of another tenant, even one invited there by the same address, and links nothing", async () => {
    invite(globex, 'per_lin', 'lin@globex.example', 'sub-lin');
    cognito.on(AdminGetUserCommand, { Username: 'lin@globex.example' }).resolves({ UserAttributes: [{ Name: 'sub', Value: 'sub-lin' }] });
    await expect(linkFederatedUser(externalProviderEvent('AcmeEntra_Lin1', { email: 'lin@globex.example' }))).rejects.toThrow(federatedSignInRefusals.otherTenant);
    expect(cognito.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
  });

  it('refuses a deactivated person, a user without an e-mail claim, and a provider no tenant declared', async () => {
    invite(acme, 'per_gone', 'gone@acme.example', 'sub-gone', 'deactivated');
    await expect(linkFederatedUser(externalProviderEvent('AcmeEntra_G1', { email: 'gone@acme.example' }))).rejects.toThrow(federatedSignInRefusals.deactivated);
    await expect(linkFederatedUser(externalProviderEvent('AcmeEntra_N1', {}))).rejects.toThrow(federatedSignInRefusals.noEmail);
    await expect(linkFederatedUser(externalProviderEvent('Google_1', { email: 'mei@acme.example' }))).rejects.toThrow(federatedSignInRefusals.unknownProvider);
    expect(cognito.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
  });

  it("passes Switchboard's own account creation (AdminCreateUser) through unchanged, without a look-up", async () => {
    const event = { ...externalProviderEvent('f0e1d2c3-0000-4000-8000-000000000001', { email: 'mei@acme.example' }), triggerSource: 'PreSignUp_AdminCreateUser' as const };
    expect(await linkFederatedUser(event)).toEqual(event);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('fails (and so refuses the sign-in) when Cognito cannot link, instead of letting an unlinked user in', async () => {
    invite(acme, 'per_mei', 'mei@acme.example', 'sub-mei');
    cognito.on(AdminLinkProviderForUserCommand).rejects(new Error('Rate exceeded'));
    await expect(linkFederatedUser(externalProviderEvent('AcmeEntra_Xy12', { email: 'mei@acme.example' }))).rejects.toThrow('Rate exceeded');
  });

  it('runs as the Lambda handler through middy with the same outcome', async () => {
    const event = { ...externalProviderEvent('x', {}), triggerSource: 'PreSignUp_AdminCreateUser' as const };
    expect(await handler(event, { functionName: 'switchboard-test-people-federation', awsRequestId: 'r-1' } as never)).toEqual(event);
  });
});
