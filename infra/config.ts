import { fileURLToPath } from 'node:url';
import { type Environment, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { EventFunctionName } from '../shared/events/subscriptions';
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
}

/**
 * What bounds a flood, per stage (docs/operations.md, "The edge" and "Lambda concurrency").
 * Change the numbers here; `-c reserveConcurrency` only switches the reservations on or off.
 */
export interface StageLimits {
  /** WAF's rate-based rule: requests one client address may send in any 5 minutes; above it the edge answers 429. */
  requestsPerAddressPer5Minutes: number;
  /**
   * Reserved concurrency of the functions that must keep running while the API is flooded: the
   * outbox relay (every event), SLA timers, webhook deliveries, survey SMS and inbound SMS. The
   * API functions and the other consumers share what is left of the account's quota.
   */
  reservedConcurrency: Readonly<Partial<Record<EventFunctionName | 'event-relay', number>>>;
}

const productionLimits: StageLimits = {
  requestsPerAddressPer5Minutes: 10_000,
  reservedConcurrency: { 'event-relay': 5, 'sla-timer': 10, 'webhook-dispatch': 20, 'webhook-deliver': 10, 'survey-send': 10, 'sms-inbound': 10 },
};
const otherStageLimits: StageLimits = {
  requestsPerAddressPer5Minutes: 2_000,
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

/**
 * Reads `-c stage=...`, `-c operatorKeyHash=...`, `-c publicBaseUrl=...`, `-c logLevel=...` and `-c reserveConcurrency=...` from the CDK context, and the target
 * account and region from the variables the CDK CLI sets when it has credentials.
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
  };
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
