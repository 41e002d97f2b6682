import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnRoute, type CfnStage, HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import {
  type ApiFunctionName,
  type FunctionDeclaration,
  type RouteDeclaration,
  apiFunctions,
  edgeFunctions,
  edgeOrigin,
  routeKey,
  routes,
  tenantAuthorizer,
} from '../shared/http/routes';
import type { StageProfile } from './config';
import { acceptedOriginSecretsValue, createOriginSecret } from './edge-stack';
import type { EventBackbone } from './event-backbone';
import { createSwitchboardFunction, pascalCase } from './lambda-function';
import { allowSmsSending, allowTenantMailSending } from './messaging';
import { type PeopleAccessSettings, grantPeopleAccess } from './people-access';

export type FunctionName = ApiFunctionName | keyof typeof edgeFunctions;

/** Every Lambda function of the API: the route handlers and the edge functions. */
export const declaredFunctions: Record<FunctionName, FunctionDeclaration> = { ...apiFunctions, ...edgeFunctions };

/** API Gateway caches an authorizer answer per Authorization header for this long: a revoked key keeps passing until it expires. */
export const authorizerCacheTtl = Duration.seconds(tenantAuthorizer.cacheSeconds);

/** Stage-wide default route throttling: protects the table and the account's Lambda concurrency from one noisy client. */
export const defaultRouteThrottle = { burstLimit: 200, rateLimit: 100 };

/**
 * Tighter throttling for the routes anyone can call without a tenant key: the survey page (whose
 * token guessing is also limited per client in the handler) and the operator's tenant sign-up.
 * Per-tenant limits are enforced in the HTTP core (shared/http/rate-limit.ts): HTTP APIs have no
 * usage plans, and WAF cannot be attached to them, only to the CloudFront edge in front
 * (infra/edge-stack.ts), which limits per client address.
 */
export const publicRouteThrottle = { burstLimit: 40, rateLimit: 20 };

const apiTimeout = Duration.seconds(10);
const authorizerTimeout = Duration.seconds(5);

/**
 * Access log fields: enough to trace a request (requestId joins the function logs), see what was
 * called and how it went. The caller's IP, user agent, raw path and query string are left out:
 * paths and queries can carry customers' phone numbers or e-mail addresses, and IPs are personal data.
 * The tenant id comes from the verified key, not from the request.
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    httpMethod: '$context.httpMethod',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    latency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    error: '$context.error.message',
    authorizerError: '$context.authorizer.error',
    tenantId: '$context.authorizer.tenantId',
  }),
);

export interface ApiStackProps extends StackProps {
  profile: StageProfile;
  table: ITable;
  secretKey: IKey;
  /** SHA-256 hex of the operator key, given to functions whose declaration says `operatorKey`. */
  operatorKeyHash?: string;
  /** The event backbone (events stack): functions whose declaration says `schedules` may set timers through it. */
  events: Pick<EventBackbone, 'allowTimers' | 'allowAttachmentDownloads'>;
  /** The origin secret's versions the functions accept (see DeploymentSettings.originSecretVersions); undefined: the current one. */
  originSecretVersions?: readonly string[];
  /** The people user pool and what the functions that manage people need (infra/people-access.ts). */
  people: PeopleAccessSettings;
  /** The stage's inbound mail domain (-c inboundMailDomain): case mail asks customers to reply to the tenant's mailbox there. */
  inboundMailDomain?: string;
}

/** The HTTP API: one function per declared function, one route per declared route. */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly defaultStage: HttpStage;
  readonly functions: Record<FunctionName, NodejsFunction>;
  /** What CloudFront sends in `edgeOrigin.header`; every function here refuses a request without it (infra/edge-stack.ts). */
  readonly originSecret: Secret;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { profile } = props;

    const tableIndexes = tableIndexesResource(props.table);
    this.functions = mapRecord(declaredFunctions, (name, declaration) =>
      this.createFunction(name, declaration, props, tableIndexes),
    );
    for (const [name, declaration] of Object.entries<FunctionDeclaration>(declaredFunctions)) {
      if (declaration.schedules) props.events.allowTimers(this.functions[name as FunctionName]);
      if (declaration.mailBucket === 'download') props.events.allowAttachmentDownloads(this.functions[name as FunctionName]);
      if (declaration.writesAnalyticsRollups) allowAnalyticsRollupWrites(this.functions[name as FunctionName], props.table);
      if (declaration.sendsSms) allowSmsSending(this.functions[name as FunctionName]);
      if (declaration.sendsTenantMail) {
        allowTenantMailSending(this.functions[name as FunctionName]);
        // Without a domain case-replies sends no e-mail (it logs why and answers 500): a reply no answer could come back to is not sent.
        if (props.inboundMailDomain) this.functions[name as FunctionName].addEnvironment('INBOUND_MAIL_DOMAIN', props.inboundMailDomain);
      }
    }
    grantPeopleAccess(this.functions, props.people, props.table, this);
    this.originSecret = createOriginSecret(this, profile);
    const acceptedOriginSecrets = acceptedOriginSecretsValue(this.originSecret, props.originSecretVersions);
    for (const fn of Object.values<NodejsFunction>(this.functions)) fn.addEnvironment(edgeOrigin.secretsVariable, acceptedOriginSecrets);
    const tenantRouteFunctions = new Set(routes.filter((route) => route.access.kind === 'tenant').map((route) => route.function));
    for (const name of tenantRouteFunctions) {
      if (declaredFunctions[name].tableAccess === 'read') allowTenantRequestCounting(this.functions[name], props.table);
    }

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `switchboard-${profile.stage}`,
      description: `Switchboard contact-center API (${profile.stage})`,
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('FallbackIntegration', this.functions.fallback),
    });
    this.defaultStage = this.createDefaultStage(profile);
    this.addDeclaredRoutes();
    this.throttlePublicRoutes();
    acknowledgeUnauthorizedRoute(
      this.api.node.findChild('DefaultRoute'),
      'The $default route only answers 404/405 problem documents for undeclared routes; it reads no data.',
    );
    this.addAlarms();

    new CfnOutput(this, 'ApiUrl', {
      value: this.defaultStage.url,
      description: 'The execute-api address: it refuses every request that did not come through the edge (use the edge stack\'s EdgeUrl)',
    });
    new CfnOutput(this, 'OriginSecretArn', { value: this.originSecret.secretArn, description: 'The origin secret, for its rotation (docs/operations.md)' });
  }

  private createFunction(
    name: FunctionName,
    declaration: FunctionDeclaration,
    props: ApiStackProps,
    tableIndexes: string,
  ): NodejsFunction {
    return createSwitchboardFunction(this, {
      name,
      declaration,
      profile: props.profile,
      table: props.table,
      secretKey: props.secretKey,
      tableIndexes,
      operatorKeyHash: props.operatorKeyHash,
      timeout: name === 'authorizer' ? authorizerTimeout : apiTimeout,
    });
  }

  private createDefaultStage(profile: StageProfile): HttpStage {
    const accessLogGroup = new LogGroup(this, 'AccessLogGroup', {
      retention: profile.logRetention,
      removalPolicy: profile.removalPolicy,
    });
    return this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: defaultRouteThrottle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogGroup), format: accessLogFormat },
    });
  }

  /** Route settings name routes by key, so the stage waits for those routes to exist. */
  private throttlePublicRoutes(): void {
    const publicKeys = new Set(routes.filter((route) => route.access.kind !== 'tenant' && route.function !== 'openapi').map(routeKey));
    const stage = this.defaultStage.node.defaultChild as CfnStage;
    stage.routeSettings = Object.fromEntries(
      // RouteSettings is untyped JSON: CloudFormation's own property names.
      [...publicKeys].map((key) => [key, { ThrottlingBurstLimit: publicRouteThrottle.burstLimit, ThrottlingRateLimit: publicRouteThrottle.rateLimit }]),
    );
    for (const route of this.api.node.findAll()) {
      if (route instanceof CfnRoute && publicKeys.has(route.routeKey)) stage.addResourceDependency(route);
    }
  }

  private addDeclaredRoutes(): void {
    const tenantKeyAuthorizer = new HttpLambdaAuthorizer('TenantKeyAuthorizer', this.functions.authorizer, {
      authorizerName: 'tenant-api-key',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // Without either header API Gateway answers 401 itself, invoking nothing: a request that went around the edge never reaches the authorizer.
      identitySource: [tenantAuthorizer.identitySourceHeader, edgeOrigin.header].map((header) => `$request.header.${header}`),
      resultsCacheTtl: authorizerCacheTtl,
    });
    // One integration per function, shared by its routes (an integration becomes a resource only once a route uses it).
    const integrations = mapRecord(
      apiFunctions,
      (name) => new HttpLambdaIntegration(`${pascalCase(name)}Integration`, this.functions[name]),
    );

    for (const route of routes) {
      const isTenantRoute = route.access.kind === 'tenant';
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations[route.function],
        authorizer: isTenantRoute ? tenantKeyAuthorizer : undefined,
      });
      if (!httpRoute) throw new Error(`No HTTP API route was created for ${routeKey(route)}`);
      if (!isTenantRoute) acknowledgeUnauthorizedRoute(httpRoute, unauthorizedRouteReason(route));
    }
  }

  private addAlarms(): void {
    const period = Duration.minutes(5);
    for (const [name, fn] of Object.entries(this.functions)) {
      new Alarm(this, `${pascalCase(name)}ErrorsAlarm`, {
        alarmDescription: `The ${name} function failed (crash or timeout; handled errors answer problem+json and do not count)`,
        metric: fn.metricErrors({ period }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    new Alarm(this, 'ServerErrorsAlarm', {
      alarmDescription: 'The API answered 5 or more 5xx responses in 5 minutes',
      metric: this.api.metricServerError({ period, statistic: 'Sum' }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

function unauthorizedRouteReason(route: RouteDeclaration): string {
  if (route.access.kind === 'operator') {
    return `${routeKey(route)} is an operator route: the handler checks the operator key (OPERATOR_KEY_SHA256) itself, since the tenant authorizer cannot verify it.`;
  }
  if (route.page) {
    return `${routeKey(route)} is a public page for a customer holding a single-use survey link: the handler admits only the holder of an unexpired token (256 random bits, looked up by its SHA-256), and shows no more than that survey.`;
  }
  return `${routeKey(route)} is declared public: it serves no tenant data.`;
}

function acknowledgeUnauthorizedRoute(route: IConstruct, reason: string): void {
  Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
}

/**
 * The `<table ARN>/index/*` resource of a table grant as cdk-nag names it: through the import of
 * the data stack's export. `exportValue` gives that export the very name the automatic
 * cross-stack reference uses, so the acknowledgement follows renames instead of hard-coding a hash.
 */
export function tableIndexesResource(table: ITable): string {
  const dataStack = Stack.of(table);
  const imported: unknown = dataStack.resolve(dataStack.exportValue(table.tableArn));
  if (typeof imported !== 'object' || imported === null || !('Fn::ImportValue' in imported)) {
    throw new Error('The table must come from another stack (the data stack)');
  }
  return `${String(imported['Fn::ImportValue'])}/index/*`;
}

function mapRecord<K extends string, V, R>(record: Record<K, V>, map: (key: K, value: V) => R): Record<K, R> {
  return Object.fromEntries(Object.entries<V>(record).map(([key, value]) => [key, map(key as K, value)])) as Record<K, R>;
}

/**
 * Every tenant request counts against the tenant's per-minute limit (shared/http/rate-limit.ts),
 * an UpdateItem on a `T#<tenantId>#RATE#…` counter. A function that only reads the table may
 * write those counters and nothing else: the condition confines the grant to their keys.
 */
/** The keys a read-only function that makes analytics rollups may put (functions.ts, writesAnalyticsRollups). */
export const analyticsRollupKeys = ['T#*#AGG#ROLLUP#*'];

function allowAnalyticsRollupWrites(fn: NodejsFunction, table: ITable): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:PutItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': analyticsRollupKeys } },
    }),
  );
}

function allowTenantRequestCounting(fn: NodejsFunction, table: ITable): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:UpdateItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#*#RATE#*'] } },
    }),
  );
}
