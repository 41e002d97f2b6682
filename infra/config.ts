import { fileURLToPath } from 'node:url';
import { type Environment, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
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
}

const logLevels = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof logLevels)[number];

/** What a stage implies: prod keeps its data and logs, other stages are disposable. */
export interface StageProfile {
  stage: string;
  isProduction: boolean;
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  logLevel: LogLevel;
}

export function stageProfile(stage: string, logLevel: LogLevel = deployedLogLevel): StageProfile {
  const isProduction = stage === productionStage;
  return {
    stage,
    isProduction,
    removalPolicy: isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logRetention: isProduction ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
    logLevel,
  };
}

const stagePattern = /^[a-z][a-z0-9-]{0,19}$/;
const sha256HexPattern = /^[0-9a-f]{64}$/;

/**
 * Reads `-c stage=...`, `-c operatorKeyHash=...`, `-c publicBaseUrl=...` and `-c logLevel=...` from the CDK context, and the target
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
  // The CLI sets a default region even without credentials; only a known account pins the stacks.
  const account = processEnv.CDK_DEFAULT_ACCOUNT;
  const env = account ? { account, region: processEnv.CDK_DEFAULT_REGION } : undefined;
  return { stage, operatorKeyHash, publicBaseUrl, env, ...(logLevel !== undefined && { logLevel: logLevel as LogLevel }) };
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
