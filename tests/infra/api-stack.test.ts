import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, authorizerCacheTtl, declaredFunctions, defaultRouteThrottle } from '../../infra/api-stack';
import { type FunctionDeclaration, apiFunctions, routeKey, routes } from '../../shared/http/routes';
import { type BuildOptions, type CfnResource, exampleOperatorKeyHash, resourcesOf, synthTimeout, synthesize } from './synth';

const functionDeclarations = Object.entries(declaredFunctions) as [FunctionName, FunctionDeclaration][];

type Ref = { Ref: string };
type GetAtt = { 'Fn::GetAtt': [string, string] };

interface ApiTemplate {
  template: Template;
  /** Where the cloud assembly, bundles included, was written. */
  assemblyDirectory: string;
  /** Logical id of each declared function's AWS::Lambda::Function. */
  functionIds: Record<FunctionName, string>;
}

/** Functions are told apart by POWERTOOLS_SERVICE_NAME, which the stack sets to `switchboard-<name>`. */
function indexFunctions(template: Template): Record<FunctionName, string> {
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const ids = {} as Record<FunctionName, string>;
  for (const [name] of functionDeclarations) {
    const matching = Object.entries(functions).filter(([, fn]) => environmentOf(fn).POWERTOOLS_SERVICE_NAME === `switchboard-${name}`);
    expect(matching, `function ${name}`).toHaveLength(1);
    ids[name] = matching[0]![0];
  }
  return ids;
}

const environmentOf = (fn: CfnResource) =>
  ((fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});

const functionResource = (api: ApiTemplate, name: FunctionName) =>
  resourcesOf(api.template, 'AWS::Lambda::Function')[api.functionIds[name]]!;

function synthesizeApi(context: Record<string, string>, options?: BuildOptions): ApiTemplate {
  const { app, apiTemplate } = synthesize(context, options);
  return { template: apiTemplate, functionIds: indexFunctions(apiTemplate), assemblyDirectory: app.synth().directory };
}

/** The function an HTTP API route is integrated with, followed through its integration. */
function routeTargetFunction(template: Template, route: CfnResource): string {
  const target = route.Properties.Target as { 'Fn::Join': [string, [string, Ref]] };
  const integrationId = target['Fn::Join'][1][1].Ref;
  const integration = resourcesOf(template, 'AWS::ApiGatewayV2::Integration')[integrationId]!;
  expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
  return (integration.Properties.IntegrationUri as GetAtt)['Fn::GetAtt'][0];
}

function policyStatementsOfFunction(template: Template, functionId: string): { Action: string | string[] }[] {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionId]!;
  const roleId = (fn.Properties.Role as GetAtt)['Fn::GetAtt'][0];
  const role = resourcesOf(template, 'AWS::IAM::Role')[roleId]!;
  expect(role.Properties.ManagedPolicyArns, 'no managed policies').toBeUndefined();
  expect(role.Properties.Policies, 'no inline policies beside the default policy').toBeUndefined();
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as Ref[]).some((ref) => ref.Ref === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement);
}

const actionsOf = (statements: { Action: string | string[] }[]) => statements.flatMap((statement) => statement.Action);

describe('API stack, dev', () => {
  let api: ApiTemplate;
  beforeAll(() => {
    api = synthesizeApi({ stage: 'dev', operatorKeyHash: exampleOperatorKeyHash });
  }, synthTimeout);

  it('has one function per declared function, all nodejs22.x on arm64 with 256 MB and active tracing', () => {
    api.template.resourceCountIs('AWS::Lambda::Function', functionDeclarations.length);
    for (const fn of Object.values(resourcesOf(api.template, 'AWS::Lambda::Function'))) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 256,
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('gives each function its environment, and the table name only when it may use the table', () => {
    for (const [name, declaration] of functionDeclarations) {
      const fn = functionResource(api, name);
      const environment = environmentOf(fn);
      expect(environment, name).toMatchObject({
        STAGE: 'dev',
        POWERTOOLS_SERVICE_NAME: `switchboard-${name}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Switchboard',
        POWERTOOLS_LOG_LEVEL: 'WARN',
      });
      // Source maps stay off at run time: loading them costs every cold start (infra/bundling.ts).
      expect(environment.NODE_OPTIONS ?? '', name).not.toContain('--enable-source-maps');
      expect('TABLE_NAME' in environment, `${name} TABLE_NAME`).toBe(declaration.tableAccess !== 'none');
      expect(environment.OPERATOR_KEY_SHA256, name).toBe(declaration.operatorKey ? exampleOperatorKeyHash : undefined);
    }
  });

  it('bundles each function as an ES module that Node 22 loads and that exports handler', () => {
    for (const [name] of functionDeclarations) {
      const fn = functionResource(api, name);
      const assetHash = String((fn.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
      const bundle = path.join(api.assemblyDirectory, `asset.${assetHash}`, 'index.mjs');
      expect(existsSync(bundle), `${name} bundle`).toBe(true);
      // A child process, as the Lambda runtime would load it: outside vitest's module loader.
      const exported = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(typeof m.handler);`],
        { encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1' } },
      );
      expect(exported, name).toBe('function');
    }
  });

  it('times the authorizer out sooner than the API functions', () => {
    const timeouts = Object.fromEntries(
      functionDeclarations.map(([name]) => [name, functionResource(api, name).Properties.Timeout]),
    );
    expect(timeouts.authorizer).toBe(5);
    for (const name of Object.keys(apiFunctions)) expect(timeouts[name], name).toBe(10);
  });

  it('has one route per declared route, integrated with the declared function', () => {
    const httpRoutes = Object.values(resourcesOf(api.template, 'AWS::ApiGatewayV2::Route'));
    expect(httpRoutes).toHaveLength(routes.length + 1);
    for (const route of routes) {
      const matching = httpRoutes.filter((httpRoute) => httpRoute.Properties.RouteKey === routeKey(route));
      expect(matching, routeKey(route)).toHaveLength(1);
      expect(routeTargetFunction(api.template, matching[0]!), routeKey(route)).toBe(api.functionIds[route.function]);
    }
  });

  it('puts the tenant authorizer on tenant routes only', () => {
    const [authorizerId] = Object.keys(resourcesOf(api.template, 'AWS::ApiGatewayV2::Authorizer'));
    for (const route of routes) {
      const expected =
        route.access.kind === 'tenant'
          ? { AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } }
          : { AuthorizationType: 'NONE', AuthorizerId: Match.absent() };
      api.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey(route), ...expected });
    }
  });

  it('sends $default to the fallback function without authorizer', () => {
    const defaults = Object.values(resourcesOf(api.template, 'AWS::ApiGatewayV2::Route')).filter(
      (route) => route.Properties.RouteKey === '$default',
    );
    expect(defaults).toHaveLength(1);
    expect(defaults[0]!.Properties.AuthorizationType).toBe('NONE');
    expect(routeTargetFunction(api.template, defaults[0]!)).toBe(api.functionIds.fallback);
  });

  it('authorizes with a REQUEST authorizer: simple responses, Authorization and origin secret headers, 60 s cache', () => {
    expect(authorizerCacheTtl.toSeconds()).toBe(60);
    api.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    api.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      // The origin secret header too: a request that went around the edge is refused before the authorizer runs (tests/infra/edge.test.ts).
      IdentitySource: ['$request.header.Authorization', '$request.header.x-origin-verify'],
      AuthorizerResultTtlInSeconds: 60,
      AuthorizerUri: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [api.functionIds.authorizer, 'Arn'] }])],
      }),
    });
  });

  it('has a throttled, auto-deployed $default stage with JSON access logs free of personal data', () => {
    api.template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const stage = Object.values(resourcesOf(api.template, 'AWS::ApiGatewayV2::Stage'))[0]!;
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingBurstLimit: defaultRouteThrottle.burstLimit,
        ThrottlingRateLimit: defaultRouteThrottle.rateLimit,
      },
    });
    const accessLog = stage.Properties.AccessLogSettings as { DestinationArn: GetAtt; Format: string };
    expect(resourcesOf(api.template, 'AWS::Logs::LogGroup')[accessLog.DestinationArn['Fn::GetAtt'][0]]).toBeDefined();
    const format = JSON.parse(accessLog.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
    const variables = Object.values(format).join(' ');
    for (const personal of ['identity.sourceIp', 'identity.userAgent', '$context.path', 'identity.caller', 'identity.user']) {
      expect(variables).not.toContain(personal);
    }
  });

  it('gives every function its own log group with a retention, and the access log one too', () => {
    const logGroups = resourcesOf(api.template, 'AWS::Logs::LogGroup');
    expect(Object.keys(logGroups)).toHaveLength(functionDeclarations.length + 1);
    for (const [id, logGroup] of Object.entries(logGroups)) expect(logGroup.Properties.RetentionInDays, id).toBe(30);
    const used = new Set(
      Object.values(resourcesOf(api.template, 'AWS::Lambda::Function')).map(
        (fn) => ((fn.Properties.LoggingConfig as { LogGroup: Ref }).LogGroup).Ref,
      ),
    );
    expect(used.size).toBe(functionDeclarations.length);
    for (const id of used) expect(logGroups[id]).toBeDefined();
  });

  it('grants the table exactly as each declaration says: readwrite, read-only or nothing', () => {
    for (const [name, declaration] of functionDeclarations) {
      const actions = actionsOf(policyStatementsOfFunction(api.template, api.functionIds[name]));
      const dynamodb = actions.filter((action) => action.startsWith('dynamodb:'));
      if (declaration.tableAccess === 'none') expect(dynamodb, name).toEqual([]);
      if (declaration.tableAccess === 'read') {
        expect(dynamodb, name).toContain('dynamodb:GetItem');
        // Functions serving tenants may UpdateItem their request counters only (tests/infra/iam.test.ts checks the condition).
        const servesTenants = routes.some((route) => route.function === name && route.access.kind === 'tenant');
        // The analytics function also puts its summary rollups, and the authorizer records people's sign-ins (tests/infra/iam.test.ts checks both conditions).
        const recordsSignIns = 'verifiesPersonTokens' in declaration && declaration.verifiesPersonTokens;
        const expectedWrites = [
          ...('writesAnalyticsRollups' in declaration && declaration.writesAnalyticsRollups ? ['dynamodb:PutItem'] : []),
          ...(servesTenants || recordsSignIns ? ['dynamodb:UpdateItem'] : []),
        ];
        expect(dynamodb.filter((action) => /Put|Update|Delete|Write/.test(action)).sort(), name).toEqual(expectedWrites.sort());
      }
      if (declaration.tableAccess === 'readwrite') expect(dynamodb, name).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem']));
      expect(actions, name).toEqual(expect.arrayContaining(['logs:CreateLogStream', 'logs:PutLogEvents']));
    }
  });

  it('keeps the table away from the openapi and fallback functions', () => {
    for (const name of ['openapi', 'fallback'] as const) {
      const policies = JSON.stringify(policyStatementsOfFunction(api.template, api.functionIds[name]));
      expect(policies, name).not.toMatch(/dynamodb/i);
      expect(JSON.stringify(environmentOf(functionResource(api, name)))).not.toMatch(/Table/);
    }
  });

  it('alarms on function failures and API 5xx', () => {
    api.template.resourceCountIs('AWS::CloudWatch::Alarm', functionDeclarations.length + 1);
    api.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xx', Namespace: 'AWS/ApiGateway' });
  });

  it('outputs the API URL', () => {
    api.template.hasOutput('ApiUrl', {});
  });
});

describe('API stack without an operator key hash', () => {
  let synthesized: ReturnType<typeof synthesize>;
  beforeAll(() => {
    synthesized = synthesize({ stage: 'dev' }, { bundle: false });
  }, synthTimeout);

  it('still synthesizes, leaves OPERATOR_KEY_SHA256 unset and warns', () => {
    const functionIds = indexFunctions(synthesized.apiTemplate);
    for (const [name, declaration] of functionDeclarations) {
      if (!declaration.operatorKey) continue;
      const fn = resourcesOf(synthesized.apiTemplate, 'AWS::Lambda::Function')[functionIds[name]]!;
      expect(environmentOf(fn).OPERATOR_KEY_SHA256, name).toBeUndefined();
    }
    Annotations.fromStack(synthesized.api).hasWarning('*', Match.stringLikeRegexp('operatorKeyHash'));
  });
});

describe('API stack, prod', () => {
  let api: ApiTemplate;
  beforeAll(() => {
    api = synthesizeApi({ stage: 'prod', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
  }, synthTimeout);

  it('keeps logs a year and retains them with the stack', () => {
    for (const [id, logGroup] of Object.entries(resourcesOf(api.template, 'AWS::Logs::LogGroup'))) {
      expect(logGroup.Properties.RetentionInDays, id).toBe(365);
      expect(logGroup.DeletionPolicy, id).toBe('Retain');
    }
  });
});
