import { fileURLToPath } from 'node:url';
import { type Environment, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { EventFunctionName } from '../shared/events/subscriptions';
import { type FunctionDeclaration, apiFunctions, edgeFunctions } from '../shared/http/functions';
import { deployedLogLevel } from '../shared/observability';

/** The repository root: function entries and the lock file are resolved from here. */
export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

export const productionStage = 'prod';
export const defaultStage = 'dev';

/** Everything that differs between deployments of the same code. */
export interface DeploymentSettings {
  /** Lowercase name that becomes part of stack names (`Switchboard-<stage>-Api`). */
  stage: string;
  /** SHA-256 hex of the operator key; without it the operator routes refuse every caller. */
  operatorKeyHash?: string;
  /** The https:// base URL the API is served from (no trailing slash): survey SMS link to `<it>/s/<token>`; without it they carry no link. */
  publicBaseUrl?: string;
  /** Undefined: environment-agnostic stacks, deployable to whatever account and region the CLI targets. */
  env?: Environment;
  /** The functions' POWERTOOLS_LOG_LEVEL; undefined: deployedLogLevel (WARN). */
  logLevel?: LogLevel;
  /** `-c reserveConcurrency=true|false`: reserve the stage's `StageLimits.reservedConcurrency`; undefined: only in prod. */
  reserveConcurrency?: boolean;
  /**
   * `-c originSecretVersions=<new>[,<old>]`: the version ids of the origin secret the functions
   * accept; CloudFront sends the first. Undefined: the secret's current version (AWSCURRENT).
   * Rotation, docs/operations.md "The origin secret".
   */
  originSecretVersions?: string[];
  /**
   * `-c webAclArn=arn:aws:wafv2:us-east-1:…`: the CloudFront-scope web ACL of the stage (the
   * firewall stack's output `WebAclArn`). Undefined: the edge stack takes it as its CloudFormation
   * parameter `WebAclArn` at deploy time.
   */
  webAclArn?: string;
  /**
   * `-c mailFrom=no-reply@mail.example.com`: the address Cognito's and Switchboard's own mail is
   * sent from, through Amazon SES, with `-c mailIdentity` (the verified SES identity it belongs
   * to: its domain or the address itself; default the address), `-c mailFromName` (default
   * Switchboard), `-c mailConfigurationSet` and `-c mailRegion` (default the stage's). Undefined:
   * Cognito sends its own mail from its default address (a few per day) and Switchboard's
   * invitations and sign-up mail cannot be sent (docs/operations.md, "Mail").
   */
  mail?: MailSettings;
  /**
   * `-c signInDomainPrefix=…` (Cognito's `https://<prefix>.auth.<region>.amazoncognito.com`), or
   * `-c signInDomain=login.example.com` with `-c signInCertificateArn=arn:aws:acm:us-east-1:…`.
   * Undefined: the prefix `switchboard-<stage>-<account id>`.
   */
  signInDomain?: SignInDomain;
  /** `-c signupRequiresApproval=true`: a verified self-service sign-up waits for the operator's approval. */
  signupRequiresApproval: boolean;
  /** Tenants' own identity providers, from `tenantIdentityProviders` below for the stage. */
  identityProviders: readonly TenantIdentityProvider[];
  /**
   * `-c inboundMailDomain=inbound.example.com`: the domain of tenants' inbound mailboxes
   * (`<tenant id>@<domain>`), received by SES (docs/operations.md, "Inbound mail"). Undefined: no
   * receipt rule set, and customers' e-mail cannot reach cases.
   */
  inboundMailDomain?: string;
}

export interface MailSettings {
  /** A bare address, e.g. no-reply@mail.example.com. */
  fromAddress: string;
  fromName: string;
  /** The verified SES identity: a domain, or the address itself. */
  identity: string;
  configurationSet?: string;
  /** Where the SES identity is; undefined: the stage's region. */
  region?: string;
}

export type SignInDomain = { kind: 'prefix'; prefix: string } | { kind: 'custom'; domainName: string; certificateArn: string };

/**
 * A tenant's own SAML or OpenID Connect identity provider, federated into the stage's user pool
 * (docs/operations.md, "Federation with a tenant's identity provider"). Its people still need to
 * be invited in Switchboard: the provider proves who they are, Switchboard's table says for which
 * tenant and in which role.
 */
export type TenantIdentityProvider = {
  /** Cognito's provider name (1–32 characters, no spaces), shown on the managed login page. */
  name: string;
  /** The tenant it signs in, for the record (Switchboard reads the tenant from its table, never from the provider). */
  tenantId: string;
  /** E-mail domains whose people managed login sends to this provider. */
  emailDomains?: readonly string[];
} & (
  | {
      kind: 'saml';
      metadataUrl: string;
      /** The SAML attribute that carries the e-mail address; default the WS-Federation claim. */
      emailAttribute?: string;
    }
  | {
      kind: 'oidc';
      issuer: string;
      clientId: string;
      /** The name or ARN of the Secrets Manager secret holding the client secret (a plain string secret). */
      clientSecretName: string;
      /** The claim that carries the e-mail address; default `email`. */
      emailClaim?: string;
    }
);

/**
 * The identity providers of each stage, by stage name. Empty: every person signs in with e-mail,
 * password and TOTP. Add a tenant's provider here and deploy (docs/operations.md).
 */
export const tenantIdentityProviders: Readonly<Record<string, readonly TenantIdentityProvider[]>> = {};

/**
 * The people side's grants, as the function declarations (shared/http/functions.ts) state them:
 * the Cognito admin operations of each function that manages sign-in accounts, on the stage's user
 * pool only; the functions that send mail through SES v2; those that read the sign-up approval setting.
 */
const declarations = Object.entries<FunctionDeclaration>({ ...apiFunctions, ...edgeFunctions });
export const identityDirectoryGrants: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  declarations.flatMap(([name, declaration]) => (declaration.identityOperations ? [[name, declaration.identityOperations]] : [])),
);
export const mailSendingFunctions: readonly string[] = declarations.filter(([, declaration]) => declaration.sendsMail).map(([name]) => name);
export const signupApprovalFunctions: readonly string[] = declarations.filter(([, declaration]) => declaration.readsSignupApproval).map(([name]) => name);


/**
 * What bounds a flood, per stage (docs/operations.md, "The edge" and "Lambda concurrency").
 * Change the numbers here; `-c reserveConcurrency` only switches the reservations on or off.
 */
export interface StageLimits {
  /** WAF's rate-based rule: requests one client address may send in any 5 minutes; above it the edge answers 429. */
  requestsPerAddressPer5Minutes: number;
  /** The same for the public sign-up paths (`/v1/signups…`), each attempt of which sends mail; WAF's floor is 10. */
  signUpsPerAddressPer5Minutes: number;
  /**
   * Reserved concurrency of the functions that must keep running while the API is flooded: the
   * outbox relay (every event), SLA timers, webhook deliveries, survey SMS and inbound SMS. The
   * API functions and the other consumers share what is left of the account's quota.
   */
  reservedConcurrency: Readonly<Partial<Record<EventFunctionName | 'event-relay', number>>>;
}

const productionLimits: StageLimits = {
  requestsPerAddressPer5Minutes: 10_000,
  signUpsPerAddressPer5Minutes: 20,
  reservedConcurrency: { 'event-relay': 5, 'sla-timer': 10, 'webhook-dispatch': 20, 'webhook-deliver': 10, 'survey-send': 10, 'sms-inbound': 10 },
};
const otherStageLimits: StageLimits = {
  requestsPerAddressPer5Minutes: 2_000,
  signUpsPerAddressPer5Minutes: 20,
  reservedConcurrency: { 'event-relay': 1, 'sla-timer': 2, 'webhook-dispatch': 2, 'webhook-deliver': 2, 'survey-send': 2, 'sms-inbound': 2 },
};

const logLevels = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof logLevels)[number];

/** What a stage implies: prod keeps its data and logs, other stages are disposable. */
export interface StageProfile {
  stage: string;
  isProduction: boolean;
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  logLevel: LogLevel;
  limits: StageLimits;
  /** Whether the functions get `limits.reservedConcurrency` (needs the account quota raised, docs/operations.md). */
  reserveConcurrency: boolean;
}

export function stageProfile(stage: string, logLevel: LogLevel = deployedLogLevel, reserveConcurrency?: boolean): StageProfile {
  const isProduction = stage === productionStage;
  return {
    stage,
    isProduction,
    removalPolicy: isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logRetention: isProduction ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
    logLevel,
    limits: isProduction ? productionLimits : otherStageLimits,
    // New accounts may run only 10 functions at once, and Lambda keeps 100 unreserved: other stages reserve on request.
    reserveConcurrency: reserveConcurrency ?? isProduction,
  };
}

/** The reserved concurrency of one function in this stage, or undefined when it has none. */
export const reservedConcurrencyOf = (profile: StageProfile, name: string): number | undefined =>
  profile.reserveConcurrency ? profile.limits.reservedConcurrency[name as EventFunctionName] : undefined;

const stagePattern = /^[a-z][a-z0-9-]{0,19}$/;
const sha256HexPattern = /^[0-9a-f]{64}$/;
const secretVersionPattern = /^[A-Za-z0-9-]{32,64}$/;
/** A web ACL for CloudFront lives in us-east-1, in the "global" scope. */
export const webAclArnPattern = /^arn:aws:wafv2:us-east-1:[0-9]{12}:global\/webacl\/[A-Za-z0-9_-]+\/[0-9a-f-]+$/;

const emailAddressPattern = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const domainNamePattern = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
/** Cognito's prefix domains: lowercase letters, digits and hyphens, not starting or ending with one, without aws, amazon or cognito. */
const domainPrefixPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const regionPattern = /^[a-z]{2}(?:-[a-z]+)+-[0-9]$/;
const configurationSetPattern = /^[A-Za-z0-9_-]{1,64}$/;
/** Custom domains of Cognito's managed login use an ACM certificate in us-east-1 (CloudFront's region). */
const signInCertificateArnPattern = /^arn:aws:acm:us-east-1:[0-9]{12}:certificate\/[0-9a-f-]+$/;

/**
 * Reads `-c stage=...`, `-c operatorKeyHash=...`, `-c publicBaseUrl=...`, `-c logLevel=...`, `-c reserveConcurrency=...`,
 * `-c originSecretVersions=...`, `-c webAclArn=...`, the mail settings (`mailFrom`, `mailIdentity`, `mailFromName`,
 * `mailConfigurationSet`, `mailRegion`), the sign-in domain (`signInDomainPrefix`, or `signInDomain` with
 * `signInCertificateArn`) and `-c signupRequiresApproval=...` from the CDK context, the stage's identity providers
 * from `tenantIdentityProviders`, and the target account and region from the variables the CDK CLI sets when it has credentials.
 */
export function readDeploymentSettings(scope: Construct, processEnv: NodeJS.ProcessEnv = process.env): DeploymentSettings {
  const stage = contextString(scope, 'stage') ?? defaultStage;
  if (!stagePattern.test(stage)) {
    throw new Error(`Context "stage" must match ${stagePattern} (it becomes part of resource names); got "${stage}"`);
  }
  const operatorKeyHash = contextString(scope, 'operatorKeyHash')?.toLowerCase();
  if (operatorKeyHash !== undefined && !sha256HexPattern.test(operatorKeyHash)) {
    throw new Error('Context "operatorKeyHash" must be the SHA-256 of the operator key as 64 hex digits, not the key itself');
  }
  const publicBaseUrl = readPublicBaseUrl(contextString(scope, 'publicBaseUrl'));
  const logLevel = contextString(scope, 'logLevel')?.toUpperCase();
  if (logLevel !== undefined && !logLevels.some((known) => known === logLevel)) {
    throw new Error(`Context "logLevel" must be one of ${logLevels.join(', ')}; got "${logLevel}"`);
  }
  const reserveConcurrency = readBoolean(contextString(scope, 'reserveConcurrency'), 'reserveConcurrency');
  const originSecretVersions = contextString(scope, 'originSecretVersions')?.split(',').map((version) => version.trim());
  if (originSecretVersions && (originSecretVersions.length > 2 || !originSecretVersions.every((version) => secretVersionPattern.test(version)))) {
    throw new Error(`Context "originSecretVersions" must be one or two Secrets Manager version ids, comma-separated (new first); got "${originSecretVersions.join(',')}"`);
  }
  const webAclArn = contextString(scope, 'webAclArn');
  if (webAclArn !== undefined && !webAclArnPattern.test(webAclArn)) {
    throw new Error(`Context "webAclArn" must be the ARN of a CloudFront-scope web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/…); got "${webAclArn}"`);
  }
  const mail = readMailSettings(scope);
  const signInDomain = readSignInDomain(scope);
  const signupRequiresApproval = readBoolean(contextString(scope, 'signupRequiresApproval'), 'signupRequiresApproval') ?? false;
  const inboundMailDomain = contextString(scope, 'inboundMailDomain')?.toLowerCase();
  if (inboundMailDomain !== undefined && !domainNamePattern.test(inboundMailDomain)) {
    throw new Error(`Context "inboundMailDomain" must be a domain name such as inbound.example.com; got "${inboundMailDomain}"`);
  }
  const identityProviders = tenantIdentityProviders[stage] ?? [];
  for (const provider of identityProviders) checkIdentityProvider(provider);
  // The CLI sets a default region even without credentials; only a known account pins the stacks.
  const account = processEnv.CDK_DEFAULT_ACCOUNT;
  const env = account ? { account, region: processEnv.CDK_DEFAULT_REGION } : undefined;
  return {
    stage,
    operatorKeyHash,
    publicBaseUrl,
    env,
    ...(logLevel !== undefined && { logLevel: logLevel as LogLevel }),
    ...(reserveConcurrency !== undefined && { reserveConcurrency }),
    ...(originSecretVersions && { originSecretVersions }),
    ...(webAclArn !== undefined && { webAclArn }),
    ...(mail && { mail }),
    ...(signInDomain && { signInDomain }),
    signupRequiresApproval,
    identityProviders,
    ...(inboundMailDomain && { inboundMailDomain }),
  };
}

function readMailSettings(scope: Construct): MailSettings | undefined {
  const fromAddress = contextString(scope, 'mailFrom');
  const others = ['mailIdentity', 'mailFromName', 'mailConfigurationSet', 'mailRegion'].filter((key) => contextString(scope, key) !== undefined);
  if (fromAddress === undefined) {
    if (others.length > 0) throw new Error(`Context ${others.map((key) => `"${key}"`).join(', ')} needs "mailFrom" (the address mail is sent from)`);
    return undefined;
  }
  if (!emailAddressPattern.test(fromAddress)) throw new Error(`Context "mailFrom" must be a bare e-mail address (no display name); got "${fromAddress}"`);
  const identity = contextString(scope, 'mailIdentity')?.toLowerCase() ?? fromAddress.toLowerCase();
  const fromDomain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase();
  if (identity !== fromAddress.toLowerCase() && identity !== fromDomain) {
    throw new Error(`Context "mailIdentity" must be the domain of "mailFrom" (${fromDomain}) or the address itself; got "${identity}"`);
  }
  const fromName = contextString(scope, 'mailFromName') ?? 'Switchboard';
  // Becomes `Name <address>` in MAIL_FROM: nothing that would end or split the header.
  if (!/^[^<>"\\\r\n@,;:]{1,64}$/.test(fromName)) throw new Error(`Context "mailFromName" must be 1–64 characters without <>"\\@,;: or line breaks; got "${fromName}"`);
  const configurationSet = contextString(scope, 'mailConfigurationSet');
  if (configurationSet !== undefined && !configurationSetPattern.test(configurationSet)) {
    throw new Error(`Context "mailConfigurationSet" must be an SES configuration set name (letters, digits, _ and -); got "${configurationSet}"`);
  }
  const region = contextString(scope, 'mailRegion');
  if (region !== undefined && !regionPattern.test(region)) throw new Error(`Context "mailRegion" must be an AWS region such as eu-west-1; got "${region}"`);
  return { fromAddress, fromName, identity, ...(configurationSet && { configurationSet }), ...(region && { region }) };
}

function readSignInDomain(scope: Construct): SignInDomain | undefined {
  const prefix = contextString(scope, 'signInDomainPrefix');
  const domainName = contextString(scope, 'signInDomain')?.toLowerCase();
  const certificateArn = contextString(scope, 'signInCertificateArn');
  if (prefix !== undefined && domainName !== undefined) throw new Error('Give either context "signInDomainPrefix" or "signInDomain", not both');
  if (prefix !== undefined) {
    if (!domainPrefixPattern.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
      throw new Error(`Context "signInDomainPrefix" must be lowercase letters, digits and hyphens, without "aws", "amazon" or "cognito"; got "${prefix}"`);
    }
    return { kind: 'prefix', prefix };
  }
  if (domainName === undefined) {
    if (certificateArn !== undefined) throw new Error('Context "signInCertificateArn" needs "signInDomain"');
    return undefined;
  }
  if (!domainNamePattern.test(domainName)) throw new Error(`Context "signInDomain" must be a domain name such as login.example.com; got "${domainName}"`);
  if (certificateArn === undefined || !signInCertificateArnPattern.test(certificateArn)) {
    throw new Error('Context "signInDomain" needs "signInCertificateArn": an ACM certificate for it in us-east-1 (arn:aws:acm:us-east-1:…)');
  }
  return { kind: 'custom', domainName, certificateArn };
}

/** Cognito's limits on a provider, checked at synth rather than half-way through a deployment. */
export function checkIdentityProvider(provider: TenantIdentityProvider): void {
  const problem = (what: string) => new Error(`Identity provider "${provider.name}" of tenant ${provider.tenantId}: ${what}`);
  if (!/^[^\s_][^\s]{0,31}$/.test(provider.name) || provider.name === 'COGNITO') throw problem('the name must be 1–32 characters without spaces, not starting with _, not COGNITO');
  for (const domain of provider.emailDomains ?? []) if (!domainNamePattern.test(domain)) throw problem(`"${domain}" is not an e-mail domain`);
  const https = (value: string) => URL.canParse(value) && new URL(value).protocol === 'https:';
  if (provider.kind === 'saml' && !https(provider.metadataUrl)) throw problem('metadataUrl must be an https:// URL');
  if (provider.kind === 'oidc') {
    if (!https(provider.issuer)) throw problem('issuer must be an https:// URL');
    if (provider.clientId.trim() === '' || provider.clientSecretName.trim() === '') throw problem('clientId and clientSecretName are required');
  }
}

function readBoolean(value: string | undefined, key: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw new Error(`Context "${key}" must be true or false; got "${value}"`);
  return value === 'true';
}

function readPublicBaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'https:' || url.search || url.hash || url.username || url.password) {
    throw new Error(`Context "publicBaseUrl" must be an https:// URL without query or fragment (the API's public address); got "${value}"`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function contextString(scope: Construct, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string`);
  return value.trim();
}
