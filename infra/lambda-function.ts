import path from 'node:path';
import { Annotations, type Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { keyScopedAccess } from '../shared/data/key-scoped-access';
import type { FunctionDeclaration } from '../shared/http/functions';
import { nodejsFunctionBundling } from './bundling';
import { type StageProfile, repositoryRoot } from './config';

export interface SwitchboardFunctionProps {
  /** `functions/<name>/handler.ts`; the deployed function is named `switchboard-<stage>-<name>`. */
  name: string;
  declaration: FunctionDeclaration;
  profile: StageProfile;
  table: ITable;
  /** The secret box's master key, used by functions whose declaration says `secretBox`. */
  secretKey: IKey;
  /** The `<table ARN>/index/*` resource as cdk-nag names it (see tableIndexesResource in api-stack.ts). */
  tableIndexes: string;
  timeout: Duration;
  /** SHA-256 hex of the operator key, given to functions whose declaration says `operatorKey`. */
  operatorKeyHash?: string;
  /** Concurrency kept for this function alone (and its ceiling); undefined: it shares the account's unreserved pool. */
  reservedConcurrency?: number;
}

/**
 * What the code does to the table, and nothing more: no Scan (no request is served by one), no
 * DescribeTable or stream reads (the relay's event source mapping grants those itself).
 * TransactWriteItems is authorized per item by these same actions. On the table and its indexes.
 */
export const tableReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'] as const;
export const tableWriteActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;

/** The deployed name of a declared function; EventBridge Scheduler targets are built from it (FUNCTION_ARN_PREFIX). */
export const deployedFunctionName = (stage: string, name: string) => `switchboard-${stage}-${name}`;

/**
 * One Switchboard Lambda function as every stack builds it: arm64, Node 22, 256 MB, active
 * tracing, its own log group and a role that may write only there, and the table grant its
 * declaration asks for.
 */
export function createSwitchboardFunction(scope: Construct, props: SwitchboardFunctionProps): NodejsFunction {
  const { name, declaration, profile, table, secretKey, tableIndexes, operatorKeyHash } = props;
  const id = pascalCase(name);
  const logGroup = new LogGroup(scope, `${id}LogGroup`, {
    retention: profile.logRetention,
    removalPolicy: profile.removalPolicy,
  });
  // An own role instead of the default one with AWSLambdaBasicExecutionRole: that managed
  // policy lets the function write to any log group; this one may write only to its own.
  const role = new Role(scope, `${id}Role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Switchboard ${profile.stage} ${name} function`,
  });
  logGroup.grantWrite(role);

  const fn = new NodejsFunction(scope, `${id}Function`, {
    functionName: deployedFunctionName(profile.stage, name),
    entry: path.join(repositoryRoot, 'functions', name, 'handler.ts'),
    handler: 'handler',
    projectRoot: repositoryRoot,
    depsLockFilePath: path.join(repositoryRoot, 'package-lock.json'),
    description: `${declaration.description} (${profile.stage})`,
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: 256,
    timeout: props.timeout,
    reservedConcurrentExecutions: props.reservedConcurrency,
    tracing: Tracing.ACTIVE,
    role,
    logGroup,
    environment: {
      STAGE: profile.stage,
      POWERTOOLS_SERVICE_NAME: `switchboard-${name}`,
      POWERTOOLS_METRICS_NAMESPACE: 'Switchboard',
      POWERTOOLS_LOG_LEVEL: profile.logLevel,
      ...(declaration.tableAccess !== 'none' ? { TABLE_NAME: table.tableName } : {}),
      ...(declaration.operatorKey && operatorKeyHash ? { OPERATOR_KEY_SHA256: operatorKeyHash } : {}),
      ...(declaration.secretBox ? { SECRET_BOX_KMS_KEY_ID: secretKey.keyArn } : {}),
    },
    bundling: nodejsFunctionBundling,
  });

  if (declaration.tableAccess === 'readwrite') table.grant(fn, ...tableReadActions, ...tableWriteActions);
  if (declaration.tableAccess === 'read') table.grant(fn, ...tableReadActions);
  if (declaration.tableAccess === 'survey-link') {
    // One statement per grant: each action only on the partition keys listed with it, on the table alone (no index).
    for (const grant of keyScopedAccess[declaration.tableAccess]) {
      role.addToPolicy(
        new PolicyStatement({
          actions: [...grant.actions],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...grant.leadingKeys] } },
        }),
      );
    }
  }
  if (declaration.secretBox === 'seal') secretKey.grant(fn, 'kms:GenerateDataKey');
  if (declaration.secretBox === 'open') secretKey.grantDecrypt(fn);

  if (declaration.operatorKey && !operatorKeyHash) {
    Annotations.of(fn).addWarningV2(
      'switchboard:operator-key-hash-missing',
      'No -c operatorKeyHash=<sha256 hex> given: OPERATOR_KEY_SHA256 is unset and the operator routes refuse every caller. See docs/operations.md.',
    );
  }

  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Switchboard targets the nodejs22.x runtime on purpose (bundles are built for node22 and measured on it); moving to a newer runtime is a deliberate change.',
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
  });
  if (declaration.tableAccess === 'read' || declaration.tableAccess === 'readwrite') {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${tableIndexes}]`,
      reason: `The ${declaration.tableAccess} table grant covers the table's own secondary indexes (table ARN + /index/*); no other table.`,
    });
  }
  return fn;
}

export const pascalCase = (name: string) =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
