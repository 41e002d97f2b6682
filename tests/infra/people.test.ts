import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type TenantIdentityProvider,
  checkIdentityProvider,
  identityDirectoryGrants,
  mailSendingFunctions,
  readDeploymentSettings,
  signupApprovalFunctions,
} from '../../infra/config';
import { grantPeopleAccess } from '../../infra/people-access';
import { type PersonTokens, defaultSamlEmailAttribute, federationTableKeys, federationTrigger, placeholderConsoleOrigin } from '../../infra/people-stack';
import { deployedFunctionName } from '../../infra/lambda-function';
import { type CfnResource, exampleOperatorKeyHash, resourcesOf, synthesize, synthTimeout } from './synth';

/**
 * Issue 13 §1 in AWS: the stage's Cognito user pool of people, its managed login and the console's
 * client, mail through SES, federation with a tenant's identity provider, and what the API's
 * functions are given to verify person tokens and manage accounts. Read from the synthesized
 * templates (no bundling). Federation itself cannot be tried here (no AWS, no tenant IdP).
 */

const samlProvider: TenantIdentityProvider = {
  kind: 'saml',
  name: 'AcmeEntra',
  tenantId: 'ten_01JABCDEFGHJKMNPQRSTVWXYZ0',
  metadataUrl: 'https://login.microsoftonline.com/acme/federationmetadata/2007-06/federationmetadata.xml',
  emailDomains: ['acme.example'],
};
const oidcProvider: TenantIdentityProvider = {
  kind: 'oidc',
  name: 'GlobexOkta',
  tenantId: 'ten_01JABCDEFGHJKMNPQRSTVWXYZ1',
  issuer: 'https://globex.okta.example',
  clientId: 'switchboard-client',
  clientSecretName: 'switchboard/prod/idp/globex',
};
const signInCertificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-4567-89ef-0123-456789abcdef';

type Synthesized = ReturnType<typeof synthesize>;
let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synthesize({ stage: 'dev', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
  prod = synthesize(
    {
      stage: 'prod',
      operatorKeyHash: exampleOperatorKeyHash,
      publicBaseUrl: 'https://switchboard.example.com',
      mailFrom: 'no-reply@mail.example.com',
      mailIdentity: 'mail.example.com',
      mailConfigurationSet: 'switchboard-mail',
      signInDomain: 'login.switchboard.example.com',
      signInCertificateArn,
      signupRequiresApproval: 'true',
    },
    { bundle: false, settings: { identityProviders: [samlProvider, oidcProvider] } },
  );
}, synthTimeout);

const only = (template: Template, type: string): CfnResource => {
  const resources = Object.values(resourcesOf(template, type));
  expect(resources, type).toHaveLength(1);
  return resources[0]!;
};
const rendered = (value: unknown) => JSON.stringify(value);

describe('people: the user pool', () => {
  it('is one pool per stage, in its own stack before the API, for every tenant', () => {
    expect(dev.people.stackName).toBe('Switchboard-dev-People');
    expect(dev.api.dependencies.map((stack) => stack.stackName)).toContain('Switchboard-dev-People');
    expect(only(dev.peopleTemplate, 'AWS::Cognito::UserPool').Properties.UserPoolName).toBe('switchboard-dev-people');
  });

  it('signs in by e-mail (not case-sensitive), and only Switchboard creates accounts', () => {
    const pool = only(dev.peopleTemplate, 'AWS::Cognito::UserPool').Properties;
    expect(pool.UsernameAttributes).toEqual(['email']);
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(pool.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
  });

  it('requires TOTP of everyone, and offers no SMS or e-mail codes', () => {
    const pool = only(dev.peopleTemplate, 'AWS::Cognito::UserPool').Properties;
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('has a strong password policy, recovery by e-mail only, and the Essentials plan managed login needs', () => {
    const pool = only(dev.peopleTemplate, 'AWS::Cognito::UserPool').Properties;
    expect(pool.Policies).toEqual({
      PasswordPolicy: {
        MinimumLength: 12,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: false,
        TemporaryPasswordValidityDays: 7,
        PasswordHistorySize: 5,
      },
    });
    expect(pool.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
    expect(pool.UserPoolTier).toBe('ESSENTIALS');
  });

  it('is kept in prod (deletion protection, retained with the stack), disposable elsewhere', () => {
    const prodPool = only(prod.peopleTemplate, 'AWS::Cognito::UserPool');
    expect(prodPool.Properties.DeletionProtection).toBe('ACTIVE');
    expect([prodPool.DeletionPolicy, prodPool.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(prod.people.terminationProtection).toBe(true);
    const devPool = only(dev.peopleTemplate, 'AWS::Cognito::UserPool');
    expect(devPool.Properties.DeletionProtection).toBe('INACTIVE');
    expect(devPool.DeletionPolicy).toBe('Delete');
  });

  it("sends its mail through SES from the configured verified identity, or Cognito's own address with a warning", () => {
    const email = only(prod.peopleTemplate, 'AWS::Cognito::UserPool').Properties.EmailConfiguration as Record<string, unknown>;
    expect(email).toMatchObject({ EmailSendingAccount: 'DEVELOPER', From: 'Switchboard <no-reply@mail.example.com>', ConfigurationSet: 'switchboard-mail' });
    expect(rendered(email.SourceArn)).toMatch(/:ses:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":identity\/mail\.example\.com"/);

    expect(only(dev.peopleTemplate, 'AWS::Cognito::UserPool').Properties.EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
    expect(warningsOf(dev.people)).toEqual(expect.arrayContaining([expect.stringContaining('No -c mailFrom')]));
    expect(warningsOf(prod.people).filter((warning) => warning.includes('mailFrom'))).toEqual([]);
  });
});

describe("people: the console's app client", () => {
  it('is public (no secret), authorization code only, openid email profile, refresh tokens but no direct password sign-in', () => {
    const client = only(prod.peopleTemplate, 'AWS::Cognito::UserPoolClient').Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect([...(client.AllowedOAuthScopes as string[])].sort()).toEqual(['email', 'openid', 'profile']);
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('calls back to /auth/callback and signs out to / on the console address (-c publicBaseUrl)', () => {
    const client = only(prod.peopleTemplate, 'AWS::Cognito::UserPoolClient').Properties;
    expect(client.CallbackURLs).toEqual(['https://switchboard.example.com/auth/callback', 'https://switchboard.example.com/auth/popup-callback']);
    expect(client.LogoutURLs).toEqual(['https://switchboard.example.com/']);
  });

  it('without -c publicBaseUrl has a callback nobody can reach, and says so', () => {
    const client = only(dev.peopleTemplate, 'AWS::Cognito::UserPoolClient').Properties;
    expect(client.CallbackURLs).toEqual([`${placeholderConsoleOrigin}/auth/callback`, `${placeholderConsoleOrigin}/auth/popup-callback`]);
    expect(new URL(placeholderConsoleOrigin).hostname.endsWith('.invalid')).toBe(true);
    expect(warningsOf(dev.people)).toEqual(expect.arrayContaining([expect.stringContaining('No -c publicBaseUrl')]));
  });

  it('issues access tokens for 1 hour and refresh tokens for 30 days, revocable, without telling whether an account exists', () => {
    const client = only(dev.peopleTemplate, 'AWS::Cognito::UserPoolClient').Properties;
    expect(client).toMatchObject({
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30 * 24 * 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
  });
});

describe('people: managed login', () => {
  it("has a Cognito prefix domain by default (switchboard-<stage>-<account>) with the newer managed login and Cognito's own branding", () => {
    const domain = only(dev.peopleTemplate, 'AWS::Cognito::UserPoolDomain').Properties;
    expect(domain.Domain).toEqual({ 'Fn::Join': ['', ['switchboard-dev-', { Ref: 'AWS::AccountId' }]] });
    expect(domain.ManagedLoginVersion).toBe(2);
    expect(domain.CustomDomainConfig).toBeUndefined();
    const branding = only(dev.peopleTemplate, 'AWS::Cognito::ManagedLoginBranding').Properties;
    expect(branding.UseCognitoProvidedValues).toBe(true);
    expect(branding.ClientId).toEqual({ Ref: expect.stringMatching(/^UserPoolConsoleClient/) });
  });

  it('takes a custom domain with its us-east-1 certificate from the settings, and outputs where to point it', () => {
    const domain = only(prod.peopleTemplate, 'AWS::Cognito::UserPoolDomain').Properties;
    expect(domain.Domain).toBe('login.switchboard.example.com');
    expect(domain.CustomDomainConfig).toEqual({ CertificateArn: signInCertificateArn });
    expect(prod.people.tokens.signInOrigin).toBe('https://login.switchboard.example.com');
    expect(Object.keys(prod.peopleTemplate.toJSON().Outputs)).toContain('SignInDomainTarget');
  });

  it('reads and checks the domain settings', () => {
    const settingsFor = (context: Record<string, string>) => readDeploymentSettings(new App({ context }), {});
    expect(settingsFor({ signInDomainPrefix: 'acme-switchboard' }).signInDomain).toEqual({ kind: 'prefix', prefix: 'acme-switchboard' });
    for (const signInDomainPrefix of ['Acme', 'my-cognito', 'aws-login', '-x', 'a_b']) {
      expect(() => settingsFor({ signInDomainPrefix }), signInDomainPrefix).toThrow(/signInDomainPrefix/);
    }
    expect(() => settingsFor({ signInDomain: 'login.example.com' })).toThrow(/signInCertificateArn/);
    expect(() => settingsFor({ signInDomain: 'login.example.com', signInCertificateArn: signInCertificateArn.replace('us-east-1', 'eu-west-1') })).toThrow(/us-east-1/);
    expect(() => settingsFor({ signInDomain: 'login.example.com', signInDomainPrefix: 'x', signInCertificateArn })).toThrow(/not both/);
    expect(settingsFor({ signInDomain: 'Login.Example.com', signInCertificateArn }).signInDomain).toEqual({ kind: 'custom', domainName: 'login.example.com', certificateArn: signInCertificateArn });
  });
});

describe('people: mail settings', () => {
  const settingsFor = (context: Record<string, string>) => readDeploymentSettings(new App({ context }), {});

  it('takes the sender address, its SES identity (the domain or the address), a display name, configuration set and region', () => {
    expect(settingsFor({ mailFrom: 'no-reply@mail.example.com' }).mail).toEqual({ fromAddress: 'no-reply@mail.example.com', fromName: 'Switchboard', identity: 'no-reply@mail.example.com' });
    expect(
      settingsFor({ mailFrom: 'no-reply@mail.example.com', mailIdentity: 'Mail.Example.com', mailFromName: 'Acme Support', mailConfigurationSet: 'cs-1', mailRegion: 'eu-west-1' }).mail,
    ).toEqual({ fromAddress: 'no-reply@mail.example.com', fromName: 'Acme Support', identity: 'mail.example.com', configurationSet: 'cs-1', region: 'eu-west-1' });
  });

  it('refuses what SES or a mail header would not take', () => {
    expect(() => settingsFor({ mailFrom: 'Switchboard <no-reply@example.com>' })).toThrow(/bare e-mail address/);
    expect(() => settingsFor({ mailFrom: 'no-reply@example.com', mailIdentity: 'other.example.com' })).toThrow(/mailIdentity/);
    expect(() => settingsFor({ mailFrom: 'no-reply@example.com', mailFromName: 'Evil <x@y>' })).toThrow(/mailFromName/);
    expect(() => settingsFor({ mailFrom: 'no-reply@example.com', mailRegion: 'Ireland' })).toThrow(/mailRegion/);
    expect(() => settingsFor({ mailIdentity: 'example.com' })).toThrow(/needs "mailFrom"/);
  });

  it('reads whether sign-ups wait for approval, false unless told', () => {
    expect(settingsFor({}).signupRequiresApproval).toBe(false);
    expect(settingsFor({ signupRequiresApproval: 'true' }).signupRequiresApproval).toBe(true);
    expect(() => settingsFor({ signupRequiresApproval: 'yes' })).toThrow(/signupRequiresApproval/);
  });
});

describe("people: federation with a tenant's identity provider (declared here; not testable without AWS and the tenant's IdP)", () => {
  const providers = () => Object.values(resourcesOf(prod.peopleTemplate, 'AWS::Cognito::UserPoolIdentityProvider')).map((provider) => provider.Properties);

  it('has none unless infra/config.ts lists some for the stage', () => {
    expect(resourcesOf(dev.peopleTemplate, 'AWS::Cognito::UserPoolIdentityProvider')).toEqual({});
    expect(readDeploymentSettings(new App({ context: { stage: 'dev' } }), {}).identityProviders).toEqual([]);
  });

  it("makes a SAML provider from its metadata URL, mapping the e-mail attribute, routing the tenant's e-mail domains to it", () => {
    const saml = providers().find((provider) => provider.ProviderType === 'SAML')!;
    expect(saml).toMatchObject({
      ProviderName: 'AcmeEntra',
      ProviderDetails: { MetadataURL: (samlProvider as { metadataUrl: string }).metadataUrl },
      AttributeMapping: { email: defaultSamlEmailAttribute },
      IdpIdentifiers: ['acme.example'],
    });
  });

  it('makes an OIDC provider from its issuer and client, the secret read from Secrets Manager at deploy time, never in the template', () => {
    const oidc = providers().find((provider) => provider.ProviderType === 'OIDC')!;
    expect(oidc).toMatchObject({
      ProviderName: 'GlobexOkta',
      ProviderDetails: { oidc_issuer: 'https://globex.okta.example', client_id: 'switchboard-client', authorize_scopes: 'openid email' },
      AttributeMapping: { email: 'email' },
    });
    const details = oidc.ProviderDetails as Record<string, unknown>;
    expect(rendered(details.client_secret)).toBe(rendered('{{resolve:secretsmanager:switchboard/prod/idp/globex:SecretString:::}}'));
  });

  it("makes each a supported provider of the console's client, by reference (so created before it)", () => {
    const [client] = Object.values(resourcesOf(prod.peopleTemplate, 'AWS::Cognito::UserPoolClient'));
    const providerResources = resourcesOf(prod.peopleTemplate, 'AWS::Cognito::UserPoolIdentityProvider');
    const supported = client!.Properties.SupportedIdentityProviders as (string | { Ref: string })[];
    // The Ref of a provider is its name.
    const names = supported.map((entry) => (typeof entry === 'string' ? entry : providerResources[entry.Ref]!.Properties.ProviderName));
    expect(names).toEqual(['COGNITO', 'AcmeEntra', 'GlobexOkta']);
  });

  describe('the pre sign-up trigger that links a federated user to the invited person', () => {
    const triggerOf = (built: Synthesized) =>
      Object.entries(resourcesOf(built.peopleTemplate, 'AWS::Lambda::Function')).filter(([, fn]) => fn.Properties.FunctionName === deployedFunctionName(built.people.node.tryGetContext('stage') as string, federationTrigger.name));
    const statementsOf = (built: Synthesized) =>
      Object.values(resourcesOf(built.peopleTemplate, 'AWS::IAM::Policy')).flatMap(
        (policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] }).Statement,
      );

    it('exists only where the stage declares a provider, and is the pool\'s pre sign-up trigger', () => {
      expect(triggerOf(dev)).toHaveLength(0);
      expect(rendered(only(dev.peopleTemplate, 'AWS::Cognito::UserPool').Properties.LambdaConfig ?? {})).not.toContain('PreSignUp');
      const [[id, fn]] = triggerOf(prod) as [[string, CfnResource]];
      expect(only(prod.peopleTemplate, 'AWS::Cognito::UserPool').Properties.LambdaConfig).toEqual({ PreSignUp: { 'Fn::GetAtt': [id, 'Arn'] } });
      const permission = Object.values(resourcesOf(prod.peopleTemplate, 'AWS::Lambda::Permission')).find((candidate) => rendered(candidate.Properties.FunctionName).includes(id))!;
      expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'cognito-idp.amazonaws.com' });
      expect(rendered(permission.Properties.SourceArn)).toContain('UserPool');
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.parse(variables.FEDERATED_PROVIDER_TENANTS as string)).toEqual({ AcmeEntra: samlProvider.tenantId, GlobexOkta: oidcProvider.tenantId });
      expect(variables.TABLE_NAME).toBeDefined();
      expect(variables).not.toHaveProperty('PEOPLE_USER_POOL_ID');
    });

    it('has no unacknowledged cdk-nag finding (the packs run as validation plugins at synth)', () => {
      const assembly = prod.app.synth();
      const reportFile = path.join(assembly.directory, VALIDATION_REPORT_FILE);
      const report = existsSync(reportFile)
        ? (JSON.parse(readFileSync(reportFile, 'utf8')) as { pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[] })
        : { pluginReports: [] };
      const findings = report.pluginReports
        .filter((plugin) => plugin.pluginName !== 'Construct Annotations')
        .flatMap((plugin) => plugin.violations.filter((violation) => violation.severity === 'error' || violation.severity === 'warning').flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`)))
        .filter((finding) => finding.includes('Switchboard-prod-People/'));
      expect(findings).toEqual([]);
    });

    it("may link and look up accounts in this pool only, and read only the providers' tenants' people and the subject items", () => {
      const statements = statementsOf(prod);
      const cognito = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('cognito-idp:')));
      expect(cognito).toEqual([{ Effect: 'Allow', Action: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminLinkProviderForUser'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^UserPool/), 'Arn'] } }]);
      const table = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('dynamodb:')));
      expect(table).toEqual([
        expect.objectContaining({
          Action: 'dynamodb:GetItem',
          Condition: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': [
                `T#${samlProvider.tenantId}`,
                `T#${samlProvider.tenantId}#PERSONEMAIL#*`,
                `T#${oidcProvider.tenantId}`,
                `T#${oidcProvider.tenantId}#PERSONEMAIL#*`,
                'T#_people#SUBJECT#*',
              ],
            },
          },
        }),
      ]);
      expect(rendered(table[0]!.Resource)).not.toContain('/index');
      expect(federationTableKeys([samlProvider, { ...samlProvider, name: 'AcmeOther' }])).toHaveLength(3);
    });
  });

  it('refuses a provider Cognito would refuse, at synth', () => {
    expect(() => checkIdentityProvider({ ...samlProvider, name: 'has space' })).toThrow(/name/);
    expect(() => checkIdentityProvider({ ...samlProvider, name: 'COGNITO' })).toThrow(/name/);
    expect(() => checkIdentityProvider({ ...samlProvider, metadataUrl: 'http://insecure.example/metadata' } as TenantIdentityProvider)).toThrow(/https/);
    expect(() => checkIdentityProvider({ ...oidcProvider, clientSecretName: ' ' } as TenantIdentityProvider)).toThrow(/clientSecretName/);
    expect(() => checkIdentityProvider({ ...samlProvider, emailDomains: ['not a domain'] })).toThrow(/e-mail domain/);
    expect(() => checkIdentityProvider(samlProvider)).not.toThrow();
    expect(() => checkIdentityProvider(oidcProvider)).not.toThrow();
  });
});

describe('people: what the API functions are given', () => {
  const environmentOf = (built: Synthesized, name: string) => {
    const fn = Object.values(resourcesOf(built.apiTemplate, 'AWS::Lambda::Function')).find(
      (resource) => resource.Properties.FunctionName === deployedFunctionName(built.api.node.tryGetContext('stage') as string, name),
    )!;
    return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  };

  it("gives the authorizer the pool's issuer, its JWKS and the console's client id", () => {
    const variables = environmentOf(dev, 'authorizer');
    const issuer = rendered(variables.PEOPLE_TOKEN_ISSUER);
    expect(issuer).toMatch(/^\{"Fn::Join":\["",\["https:\/\/cognito-idp\.",\{"Ref":"AWS::Region"\},"\.amazonaws\.com\/",\{"Fn::ImportValue":"Switchboard-dev-People:ExportsOutputRefUserPool/);
    expect(rendered(variables.PEOPLE_JWKS_URI)).toBe(issuer.replace(/"\]\]\}$/, '').replace(/\}\]\]\}$/, '},"/.well-known/jwks.json"]]}'));
    expect(rendered(variables.PEOPLE_CLIENT_ID)).toMatch(/"Fn::ImportValue":"Switchboard-dev-People:ExportsOutputRefUserPoolConsoleClient/);
  });

  // The people and signups functions belong to another branch of issue 13: the grants are tested on stand-ins named like them.
  const standIns = (names: string[]) => {
    const stack = new Stack(new App(), 'StandIns');
    const functions = Object.fromEntries(
      names.map((name) => [
        name,
        new LambdaFunction(stack, `${name}Function`, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('export const handler = async () => ({})') }),
      ]),
    );
    const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, sortKey: { name: 'sk', type: AttributeType.STRING } });
    return { stack, functions, table };
  };
  const tokens: PersonTokens = {
    userPoolId: 'eu-west-1_Example',
    userPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example',
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
    jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example/.well-known/jwks.json',
    clientId: 'exampleclientid',
    signInOrigin: 'https://switchboard-dev.auth.eu-west-1.amazoncognito.com',
    logoutUrl: 'https://switchboard-dev.auth.eu-west-1.amazoncognito.com/logout',
  };
  const mail = { fromAddress: 'no-reply@mail.example.com', fromName: 'Switchboard', identity: 'mail.example.com', configurationSet: 'switchboard-mail' };
  const policiesOf = (template: Template, functionId: string) => {
    const roleRef = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith(`${functionId}FunctionServiceRole`))![0];
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => rendered(policy.Properties.Roles).includes(roleRef))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement);
  };
  const variablesOf = (template: Template, functionId: string) => {
    const fn = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(`${functionId}Function`))![1];
    return ((fn.Properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {});
  };

  it('lets the people function manage accounts in this pool only, with exactly the Cognito admin calls the identity directory makes', () => {
    const { stack, functions, table } = standIns(['authorizer', 'people', 'signups']);
    grantPeopleAccess(functions, { tokens, mail, publicBaseUrl: 'https://switchboard.example.com', signupRequiresApproval: true }, table, stack);
    const template = Template.fromStack(stack);
    const cognito = (id: string) => policiesOf(template, id).filter((statement) => [statement.Action].flat().some((action) => action.startsWith('cognito-idp:')));
    expect(cognito('people')).toEqual([
      {
        Effect: 'Allow',
        Action: ['AdminCreateUser', 'AdminGetUser', 'AdminSetUserPassword', 'AdminDisableUser', 'AdminEnableUser', 'AdminUserGlobalSignOut'].map((action) => `cognito-idp:${action}`),
        Resource: tokens.userPoolArn,
      },
    ]);
    expect(cognito('signups')).toEqual([
      { Effect: 'Allow', Action: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminSetUserPassword'], Resource: tokens.userPoolArn },
    ]);
    expect(cognito('authorizer')).toEqual([]);
    expect(variablesOf(template, 'people').PEOPLE_USER_POOL_ID).toBe(tokens.userPoolId);
    expect(variablesOf(template, 'authorizer')).toEqual({ PEOPLE_TOKEN_ISSUER: tokens.issuer, PEOPLE_JWKS_URI: tokens.jwksUri, PEOPLE_CLIENT_ID: tokens.clientId });
  });

  it("lets the authorizer record a person's sign-in and change no other attribute", () => {
    const { stack, functions, table } = standIns(['authorizer', 'people', 'signups']);
    grantPeopleAccess(functions, { tokens, signupRequiresApproval: false }, table, stack);
    const writes = policiesOf(Template.fromStack(stack), 'authorizer').filter((statement) => [statement.Action].flat().some((action) => action.startsWith('dynamodb:')));
    expect(writes).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:UpdateItem',
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'lastSignInAt', 'state'] },
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#*'] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      }),
    ]);
  });

  it('lets the functions that mail send through SES v2 from the verified identity (and its configuration set) only', () => {
    const { stack, functions, table } = standIns(['authorizer', 'people', 'signups']);
    grantPeopleAccess(functions, { tokens, mail, publicBaseUrl: 'https://switchboard.example.com', signupRequiresApproval: true }, table, stack);
    const template = Template.fromStack(stack);
    for (const name of mailSendingFunctions) {
      const ses = policiesOf(template, name).filter((statement) => [statement.Action].flat().some((action) => action.startsWith('ses:')));
      expect(ses.map((statement) => statement.Action), name).toEqual(['ses:SendEmail']);
      const resources = [ses[0]!.Resource].flat().map(rendered);
      expect(resources, name).toHaveLength(2);
      expect(resources[0], name).toMatch(/:ses:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":identity\/mail\.example\.com"\]\]\}$/);
      expect(resources[1], name).toMatch(/:configuration-set\/switchboard-mail"\]\]\}$/);
      expect(variablesOf(template, name), name).toMatchObject({
        MAIL_FROM: 'Switchboard <no-reply@mail.example.com>',
        MAIL_CONFIGURATION_SET: 'switchboard-mail',
        PUBLIC_BASE_URL: 'https://switchboard.example.com',
        // The edge serves the console on -c publicBaseUrl: mail links to the console go there.
        CONSOLE_URL: 'https://switchboard.example.com',
      });
    }
    expect(policiesOf(template, 'authorizer').flatMap((statement) => [statement.Action].flat()).filter((action) => action.startsWith('ses:'))).toEqual([]);
  });

  it('without mail settings grants no SES and sets no MAIL_FROM; the approval setting reaches the sign-up functions either way', () => {
    const { stack, functions, table } = standIns(['authorizer', 'people', 'signups']);
    grantPeopleAccess(functions, { tokens, signupRequiresApproval: false }, table, stack);
    const template = Template.fromStack(stack);
    for (const name of ['people', 'signups']) {
      expect(policiesOf(template, name).flatMap((statement) => [statement.Action].flat()).filter((action) => action.startsWith('ses:')), name).toEqual([]);
      expect(variablesOf(template, name).MAIL_FROM, name).toBeUndefined();
    }
    for (const name of signupApprovalFunctions) expect(variablesOf(template, name).SIGNUP_REQUIRES_APPROVAL, name).toBe('false');
    expect(variablesOf(template, 'authorizer').SIGNUP_REQUIRES_APPROVAL).toBeUndefined();
  });

  it('warns at synth about a grant for a function nobody declared, instead of dropping it silently', () => {
    const { stack, functions, table } = standIns(['authorizer', 'people']);
    grantPeopleAccess(functions, { tokens, signupRequiresApproval: false }, table, stack);
    const warnings = warningsOf(stack);
    expect(warnings).toEqual([expect.stringContaining('function "signups"')]);
    expect(Object.keys(identityDirectoryGrants).sort()).toEqual(['people', 'signups']);
  });
});

/** Every warning annotation on a stack or its constructs. */
function warningsOf(stack: Stack): string[] {
  return stack.node
    .findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === 'aws:cdk:warning')
    .map((entry) => String(entry.data));
}
