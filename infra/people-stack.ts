import { Annotations, Aws, CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type {
  UserPoolDomain} from 'aws-cdk-lib/aws-cognito';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ProviderAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolEmail,
  UserPoolIdentityProviderOidc,
  UserPoolIdentityProviderSaml,
  UserPoolIdentityProviderSamlMetadata,
  UserPoolOperation,
  type IUserPoolIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { keys } from '../shared/data/keys';
import type { FunctionDeclaration, IdentityOperation } from '../shared/http/functions';
import type { MailSettings, SignInDomain, StageProfile, TenantIdentityProvider } from './config';
import { createSwitchboardFunction, pascalCase } from './lambda-function';
import { passwordPolicy } from '../shared/domain/password-policy';
import { consoleSignInPaths } from '../shared/http/console-security';

/** Where sign-in comes back to on the edge's origin: one declaration with the console's own routes. */
export const consolePaths = consoleSignInPaths;

/** Person tokens (design: access token 1 h; the console renews it with the refresh token). */
export const personTokenValidity = {
  access: Duration.hours(1),
  id: Duration.hours(1),
  refresh: Duration.days(30),
} as const;

/** The SAML attribute most identity providers (Entra ID, AD FS, Okta's defaults) put the e-mail address in. */
export const defaultSamlEmailAttribute = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';

/** The callback before `-c publicBaseUrl` is known (the first deployment): sign-in cannot complete until the redeploy. */
export const placeholderConsoleOrigin = 'https://console-address-not-configured.invalid';

export interface PeopleStackProps extends StackProps {
  profile: StageProfile;
  /** The edge's public address (`-c publicBaseUrl`): the console's callback and sign-out URLs are under it. */
  publicBaseUrl?: string;
  mail?: MailSettings;
  signInDomain?: SignInDomain;
  identityProviders: readonly TenantIdentityProvider[];
  /** The table, read by the federation trigger (only when there are identity providers). */
  table: ITable;
  /** The secret box's key, which the federation trigger does not use (createSwitchboardFunction's signature). */
  secretKey: IKey;
}

/**
 * The pre sign-up trigger that links a federated user to the person a tenant's admin invited
 * (functions/people-federation). Built only when the stage declares identity providers.
 */
export const federationTrigger = {
  name: 'people-federation',
  declaration: {
    // Its table rights are the narrower grant below (federationTableKeys), not a whole-table read.
    tableAccess: 'none',
    operatorKey: false,
    description: "Links a tenant identity provider's user to the person invited by the same e-mail (Cognito pre sign-up)",
  } satisfies FunctionDeclaration,
  /** shared/ports/identity-directory.ts findAccountSubject and linkFederatedUser. */
  identityOperations: ['AdminGetUser', 'AdminLinkProviderForUser'] as const satisfies readonly IdentityOperation[],
} as const;

/**
 * The partition keys the trigger reads (GetItem only): the people and e-mail claims of the
 * tenants that own a provider, and the pool-wide subject items (shared/data/keys.ts).
 */
export function federationTableKeys(providers: readonly TenantIdentityProvider[]): string[] {
  const subjects = keys.personSubject('*').pk;
  const tenants = [...new Set(providers.map((provider) => provider.tenantId))].sort();
  return [...tenants.flatMap((tenantId) => [keys.person(tenantId, 'x').pk, keys.personEmail(tenantId, '*').pk]), subjects];
}

/**
 * How a function or the console finds the stage's people tokens: the issuer the authorizer checks,
 * its JWKS, the console's client, and managed login's logout endpoint (not in Cognito's discovery).
 */
export interface PersonTokens {
  userPoolId: string;
  userPoolArn: string;
  issuer: string;
  jwksUri: string;
  clientId: string;
  /** `https://<managed login domain>`: token, userinfo and logout endpoints. */
  signInOrigin: string;
  logoutUrl: string;
}

/**
 * The stage's Amazon Cognito user pool, shared by all tenants: people's sign-in accounts. Tenant,
 * role and state live in Switchboard's table, looked up by the token's `sub`; the pool knows an
 * e-mail address, a password and a TOTP device. Accounts are made by Switchboard (invitations,
 * verified sign-ups), never by self sign-up.
 */
export class PeopleStack extends Stack {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;
  readonly signInDomain: UserPoolDomain;
  readonly identityProviders: IUserPoolIdentityProvider[];
  /** Present when the stage declares identity providers. */
  readonly federationTrigger?: LambdaFunction;
  readonly tokens: PersonTokens;

  constructor(scope: Construct, id: string, props: PeopleStackProps) {
    super(scope, id, props);
    const { profile } = props;
    const { stage, isProduction } = profile;

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `switchboard-${stage}-people`,
      // Managed login (its newer pages) and password history need Essentials; threat protection would need Plus (acknowledged below).
      featurePlan: FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // Everyone, not only admins: supervisors read customers' personal data in bulk (docs/developers/security.md).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      // One policy for the pool, the sign-up form and the twin's issuer (shared/domain/password-policy.ts).
      passwordPolicy: {
        minLength: passwordPolicy.minLength,
        requireLowercase: passwordPolicy.requireLowercase,
        requireUppercase: passwordPolicy.requireUppercase,
        requireDigits: passwordPolicy.requireDigits,
        requireSymbols: passwordPolicy.requireSymbols,
        tempPasswordValidity: Duration.days(7),
        passwordHistorySize: 5,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      email: poolEmail(props.mail),
      userInvitation: {
        emailSubject: 'Your Switchboard account',
        emailBody: 'Your Switchboard sign-in is {username} with the temporary password {####}. You will choose your own password and set up an authenticator app when you first sign in.',
      },
      userVerification: {
        emailSubject: 'Your Switchboard verification code',
        emailBody: 'Your Switchboard verification code is {####}.',
      },
      deletionProtection: isProduction,
      removalPolicy: isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    if (!props.mail) {
      Annotations.of(this.userPool).addWarningV2(
        'switchboard:mail-not-configured',
        'No -c mailFrom=<address of a verified SES identity>: Cognito sends its mail (password reset codes) from its own address, limited to a few per day, and Switchboard cannot send invitations or sign-up mail. See docs/operations.md, "Mail".',
      );
    }

    this.identityProviders = props.identityProviders.map((provider) => this.addIdentityProvider(provider));
    if (props.identityProviders.length > 0) this.federationTrigger = this.addFederationTrigger(props);

    const consoleOrigin = props.publicBaseUrl ?? placeholderConsoleOrigin;
    if (!props.publicBaseUrl) {
      Annotations.of(this).addWarningV2(
        'switchboard:console-address-unknown',
        `No -c publicBaseUrl: the console's sign-in callback is ${placeholderConsoleOrigin}${consolePaths.callback}, so nobody can sign in. Deploy, then deploy again with -c publicBaseUrl=<the edge stack's EdgeUrl> (docs/operations.md).`,
      );
    }
    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: `switchboard-${stage}-console`,
      // A browser app keeps no secret: authorization code with PKCE (managed login requires the code_challenge for public clients).
      generateSecret: false,
      // No direct sign-in through the Cognito API with this client (only managed login); refresh tokens only (ALLOW_REFRESH_TOKEN_AUTH).
      authFlows: { user: false, userSrp: false, userPassword: false, adminUserPassword: false, custom: false },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${consoleOrigin}${consolePaths.callback}`, `${consoleOrigin}${consolePaths.popupCallback}`],
        logoutUrls: [`${consoleOrigin}${consolePaths.afterSignOut}`],
      },
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...this.identityProviders.map((provider) => UserPoolClientIdentityProvider.custom(provider.providerName)),
      ],
      accessTokenValidity: personTokenValidity.access,
      idTokenValidity: personTokenValidity.id,
      refreshTokenValidity: personTokenValidity.refresh,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    // The client names each provider by its Ref, so CloudFormation creates the providers first.

    this.signInDomain = this.userPool.addDomain('SignInDomain', {
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      ...(props.signInDomain?.kind === 'custom'
        ? {
            customDomain: {
              domainName: props.signInDomain.domainName,
              certificate: Certificate.fromCertificateArn(this, 'SignInCertificate', props.signInDomain.certificateArn),
            },
          }
        : { cognitoDomain: { domainPrefix: props.signInDomain?.prefix ?? `switchboard-${stage}-${Aws.ACCOUNT_ID}` } }),
    });
    // Managed login shows an error page for a client without a style: Cognito's own look.
    const branding = new CfnManagedLoginBranding(this, 'ConsoleSignInBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.consoleClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    branding.node.addDependency(this.signInDomain);

    const signInOrigin = props.signInDomain?.kind === 'custom' ? `https://${props.signInDomain.domainName}` : this.signInDomain.baseUrl();
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.tokens = {
      userPoolId: this.userPool.userPoolId,
      userPoolArn: this.userPool.userPoolArn,
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      clientId: this.consoleClient.userPoolClientId,
      signInOrigin,
      logoutUrl: `${signInOrigin}/logout`,
    };

    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG8',
        reason:
          "The Plus plan's threat protection (adaptive authentication, compromised-credential checks) is priced per monthly active user; every person already has TOTP MFA, accounts are made only by Switchboard, and WAF limits the edge. An operator may raise the plan in the console.",
      },
      {
        id: 'AwsSolutions-COG1',
        reason:
          'The policy asks 12 characters with lower- and upper-case letters and a digit, but no symbol (shared/domain/password-policy.ts): length protects more than a forced symbol (NIST SP 800-63B advises against composition rules), and every person also has TOTP MFA. The same rules hold on the sign-up form and the twin.',
      },
    );

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'The people user pool (first operator steps: docs/operations.md)' });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleClient.userPoolClientId, description: "The console's app client" });
    new CfnOutput(this, 'SignInUrl', { value: signInOrigin, description: 'Managed login' });
    if (props.signInDomain?.kind === 'custom') {
      new CfnOutput(this, 'SignInDomainTarget', {
        value: this.signInDomain.cloudFrontEndpoint,
        description: `Point ${props.signInDomain.domainName} here: an alias (A/AAAA) record (docs/operations.md)`,
      });
    }
  }

  private addFederationTrigger(props: PeopleStackProps): LambdaFunction {
    const { profile, table, identityProviders } = props;
    const fn = createSwitchboardFunction(this, {
      name: federationTrigger.name,
      declaration: federationTrigger.declaration,
      profile,
      table,
      secretKey: props.secretKey,
      tableIndexes: '',
      timeout: Duration.seconds(5),
    });
    fn.addEnvironment('TABLE_NAME', table.tableName);
    fn.addEnvironment('FEDERATED_PROVIDER_TENANTS', JSON.stringify(Object.fromEntries(identityProviders.map((provider) => [provider.name, provider.tenantId]))));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': federationTableKeys(identityProviders) } },
      }),
    );
    this.userPool.addTrigger(UserPoolOperation.PRE_SIGN_UP, fn);
    // A policy of its own, not the role's default one (which the function depends on): the pool
    // depends on the function (its trigger), so a grant on the pool in the default policy would be a cycle.
    new Policy(this, 'FederationTriggerDirectoryPolicy', {
      roles: [fn.role!],
      statements: [
        new PolicyStatement({ actions: federationTrigger.identityOperations.map((action) => `cognito-idp:${action}`), resources: [this.userPool.userPoolArn] }),
      ],
    });
    Validations.of(fn).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason: "Invoked synchronously by Cognito during a sign-in: a failure refuses that sign-in, which the person sees and retries; there is no queued event to dead-letter.",
      },
      {
        id: 'Serverless-LambdaLatestVersion',
        reason: 'Switchboard targets nodejs22.x on purpose (bundles are built for node22 and measured on it); moving to a newer runtime is a deliberate change.',
      },
    );
    return fn;
  }

  private addIdentityProvider(provider: TenantIdentityProvider): IUserPoolIdentityProvider {
    const id = `IdentityProvider${pascalCase(provider.name)}`;
    const common = {
      userPool: this.userPool,
      name: provider.name,
      ...(provider.emailDomains && provider.emailDomains.length > 0 && { identifiers: [...provider.emailDomains] }),
    };
    if (provider.kind === 'saml') {
      return new UserPoolIdentityProviderSaml(this, id, {
        ...common,
        metadata: UserPoolIdentityProviderSamlMetadata.url(provider.metadataUrl),
        attributeMapping: { email: ProviderAttribute.other(provider.emailAttribute ?? defaultSamlEmailAttribute) },
      });
    }
    return new UserPoolIdentityProviderOidc(this, id, {
      ...common,
      issuerUrl: provider.issuer,
      clientId: provider.clientId,
      // A dynamic reference: CloudFormation reads the secret at deploy time; the template holds only its name.
      clientSecret: SecretValue.secretsManager(provider.clientSecretName).unsafeUnwrap(),
      scopes: ['openid', 'email'],
      attributeMapping: { email: ProviderAttribute.other(provider.emailClaim ?? 'email') },
    });
  }
}

function poolEmail(mail: MailSettings | undefined): UserPoolEmail {
  if (!mail) return UserPoolEmail.withCognito();
  const fromDomain = mail.fromAddress.slice(mail.fromAddress.lastIndexOf('@') + 1).toLowerCase();
  return UserPoolEmail.withSES({
    fromEmail: mail.fromAddress,
    fromName: mail.fromName,
    sesRegion: mail.region ?? Aws.REGION,
    ...(mail.identity === fromDomain && { sesVerifiedDomain: mail.identity }),
    ...(mail.configurationSet && { configurationSetName: mail.configurationSet }),
  });
}

/** `Name <address>`, as SES v2 takes FromEmailAddress (MAIL_FROM). */
export const mailFromHeader = (mail: MailSettings) => `${mail.fromName} <${mail.fromAddress}>`;
