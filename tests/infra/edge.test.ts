import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { readDeploymentSettings, repositoryRoot, stageProfile } from '../../infra/config';
import { consolePageRewriteCode, edgeRuleNames, firewallRegion, pathRegex, signUpPathPrefix, tenantKeyScope } from '../../infra/edge-stack';
import { issueApiKey } from '../../shared/domain/api-key';
import { notFound, problemBody, unauthorized } from '../../shared/http/problem';
import { routeKey, routes } from '../../shared/http/routes';
import { deployedFunctionName } from '../../infra/lambda-function';
import { eventRelay } from '../../shared/events/outbox-stream';
import { eventFunctions } from '../../shared/events/subscriptions';
import { edgeOrigin, live, tenantAuthorizer } from '../../shared/http/functions';
import { transportSecurityHeaders } from '../../shared/http/transport-security';
import { workspaceAppPath } from '../../shared/http/console-security';
import { type CfnResource, exampleOperatorKeyHash, resourcesOf, synthTimeout, synthesize } from './synth';

/**
 * Issue 11 §3, "The edge holds": CloudFront with WAF in front of the API and the survey pages,
 * no way around it to `execute-api`, and concurrency kept for the functions that must run while
 * the API is flooded. Read from the synthesized templates (no bundling: no code is read).
 */

const exampleWebAclArn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/switchboard-dev/0123abcd-4567-89ef-0123-456789abcdef';
const newVersion = '11111111-2222-3333-4444-555555555555';
const oldVersion = '66666666-7777-8888-9999-000000000000';

/** CloudFront's managed policies, by their documented ids. */
const cachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const allViewerExceptHostHeader = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

type Synthesized = ReturnType<typeof synthesize>;
let dev: Synthesized;
let prod: Synthesized;
let configured: Synthesized;

beforeAll(() => {
  dev = synthesize({ stage: 'dev', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
  prod = synthesize({ stage: 'prod', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
  configured = synthesize(
    {
      stage: 'dev',
      operatorKeyHash: exampleOperatorKeyHash,
      webAclArn: exampleWebAclArn,
      originSecretVersions: `${newVersion},${oldVersion}`,
      reserveConcurrency: 'true',
    },
    { bundle: false },
  );
}, synthTimeout);

const only = (template: Template, type: string): CfnResource => {
  const resources = Object.values(resourcesOf(template, type));
  expect(resources, type).toHaveLength(1);
  return resources[0]!;
};

interface DistributionConfig {
  Origins: {
    Id: string;
    DomainName: unknown;
    CustomOriginConfig?: Record<string, unknown>;
    S3OriginConfig?: Record<string, unknown>;
    OriginAccessControlId?: unknown;
    OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
  }[];
  DefaultCacheBehavior: Record<string, unknown>;
  CacheBehaviors?: (Record<string, unknown> & { PathPattern: string; TargetOriginId: string })[];
  WebACLId: unknown;
}
const distributionOf = (built: Synthesized) =>
  only(built.edgeTemplate, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as DistributionConfig;
/** The HTTP API's origin: the one custom (non-S3) origin but the live channel's WebSocket API (tests/infra/live.test.ts). */
const apiOriginOf = (built: Synthesized) => {
  const origins = distributionOf(built).Origins.filter((origin) => origin.CustomOriginConfig && !/LiveApi/.test(JSON.stringify(origin.DomainName)));
  expect(origins).toHaveLength(1);
  return origins[0]!;
};
/** The API's behaviours: all but the live channel's and the console's workspace-app page (tests/infra/console.test.ts). */
const apiBehaviorsOf = (built: Synthesized) =>
  (distributionOf(built).CacheBehaviors ?? []).filter((behavior) => behavior.PathPattern !== live.path && behavior.PathPattern !== workspaceAppPath);

/** A CloudFront path pattern as a regular expression: `*` any characters, `?` exactly one. */
const cloudFrontPattern = (pattern: string) => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** The CloudFormation of a value, with CDK tokens resolved, as text (dynamic references are strings inside Fn::Join). */
const rendered = (value: unknown) => JSON.stringify(value);

describe('edge: CloudFront in front of the API and the survey pages', () => {
  it("has the HTTP API's execute-api host as its origin, over HTTPS (TLS 1.2), for /v1/*, /s/*, /problems/* and /openapi.json", () => {
    const origin = apiOriginOf(dev);
    // https://<api id>.execute-api.<region>.amazonaws.com, imported from the API stack, stripped of its scheme.
    expect(rendered(origin.DomainName)).toMatch(/"Fn::Select":\[2,\{"Fn::Split":\["\/",\{"Fn::ImportValue":"Switchboard-dev-Api:ExportsOutputFnGetAttHttpApi[0-9A-F]+ApiEndpoint/);
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    const behaviors = apiBehaviorsOf(dev);
    expect(behaviors.map((behavior) => behavior.PathPattern).sort()).toEqual(['/openapi.json', '/problems/*', '/s/*', '/v1/*', '/v?/*', '/v??/*']);
    for (const behavior of behaviors) expect(behavior.TargetOriginId, behavior.PathPattern).toBe(origin.Id);
  });

  it('routes every declared path to the API, and nothing the API serves to the console', () => {
    const patterns = apiBehaviorsOf(dev).map((behavior) => cloudFrontPattern(behavior.PathPattern));
    for (const route of routes) {
      const concrete = route.path.replace(/\{[^}]+\}/g, 'x_1');
      expect(patterns.some((pattern) => pattern.test(concrete)), routeKey(route)).toBe(true);
    }
    for (const consolePath of ['/', '/index.html', '/auth/callback', '/signup/verify', '/assets/index-abc123.js', '/config.json', '/openapi.json.map']) {
      expect(patterns.some((pattern) => pattern.test(consolePath)), consolePath).toBe(false);
    }
  });

  it('sends every /v<n>/ path to the API, declared or not, and keeps every console page with the console', () => {
    const patterns = apiBehaviorsOf(dev).map((behavior) => cloudFrontPattern(behavior.PathPattern));
    for (const versioned of ['/v2/contacts', '/v2/', '/v0/x', '/v10/people/p_1', '/v99/a/b/c']) {
      expect(patterns.some((pattern) => pattern.test(versioned)), versioned).toBe(true);
    }
    const consolePages = [...readFileSync(path.join(repositoryRoot, 'web/src/app/pages.ts'), 'utf8').matchAll(/path: '([^']+)'/g)].map((match) => match[1]!);
    expect(consolePages).toContain('/people');
    for (const page of consolePages) {
      for (const under of [page, `${page.replace(/\/$/, '')}/x`]) expect(patterns.some((pattern) => pattern.test(under)), under).toBe(false);
    }
  });

  it("answers a /v<n> path the versioned behaviours leave to the console with the API's 404 problem, never the console's page", () => {
    const handler = runInNewContext(`${consolePageRewriteCode}; handler`) as (event: { request: { uri: string } }) => {
      uri?: string;
      statusCode?: number;
      headers?: Record<string, { value: string }>;
      body?: { encoding: string; data: string };
    };
    for (const uri of ['/v2', '/v100/contacts', '/v1']) {
      const answer = handler({ request: { uri } });
      expect(answer.statusCode, uri).toBe(404);
      expect(answer.headers?.['content-type']?.value).toBe('application/problem+json');
      expect(answer.body?.encoding).toBe('text');
      expect(JSON.parse(answer.body!.data)).toEqual(problemBody(notFound()));
    }
    for (const uri of ['/', '/people', '/vacations', '/v/x']) expect(handler({ request: { uri } }).uri, uri).toBe('/index.html');
  });

  it('caches nothing and forwards Authorization, query strings and every header the API reads, but not Host', () => {
    for (const behavior of apiBehaviorsOf(dev)) {
      expect(behavior.CachePolicyId).toBe(cachingDisabled);
      expect(behavior.OriginRequestPolicyId).toBe(allViewerExceptHostHeader);
      expect(behavior.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']));
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    }
  });

  it('sends HSTS and nosniff with the very values the functions send, also on answers no function gave', () => {
    const policies = resourcesOf(dev.edgeTemplate, 'AWS::CloudFront::ResponseHeadersPolicy');
    const apiPolicyId = Object.keys(policies).find((id) => id.startsWith('SecurityHeaders'))!;
    const policy = policies[apiPolicyId]!.Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: {
        StrictTransportSecurity: { AccessControlMaxAgeSec: number; IncludeSubdomains: boolean; Override: boolean };
        ContentTypeOptions: { Override: boolean };
      };
    };
    const hsts = policy.SecurityHeadersConfig.StrictTransportSecurity;
    expect(`max-age=${hsts.AccessControlMaxAgeSec}${hsts.IncludeSubdomains ? '; includeSubDomains' : ''}`).toBe(
      transportSecurityHeaders['strict-transport-security'],
    );
    expect(hsts.Override).toBe(true);
    expect(policy.SecurityHeadersConfig.ContentTypeOptions.Override).toBe(true);
    for (const behavior of apiBehaviorsOf(dev)) expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: apiPolicyId });
  });
});

describe('edge: AWS WAF', () => {
  it('is a CloudFront-scope web ACL in us-east-1, whatever region the stage is in, and synthesizes without an account', () => {
    expect(dev.firewall).toBeDefined();
    expect(dev.firewall!.region).toBe(firewallRegion);
    expect(dev.firewall!.region).toBe('us-east-1');
    expect(Stack.of(dev.edge).resolve(dev.edge.account)).toEqual({ Ref: 'AWS::AccountId' });
    const acl = only(dev.firewallTemplate!, 'AWS::WAFv2::WebACL').Properties;
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
  });

  it('runs IP reputation, a per-address rate rule, one for sign-ups, the common rule set, known bad inputs and the tenant key shape, each metered', () => {
    const acl = only(dev.firewallTemplate!, 'AWS::WAFv2::WebACL').Properties;
    const rules = acl.Rules as { Name: string; Priority: number; Statement: Record<string, Record<string, unknown>>; VisibilityConfig: Record<string, unknown> }[];
    expect(rules.map((rule) => rule.Name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'RequestsPerAddress',
      'SignUpsPerAddress',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'TenantKeyShape',
    ]);
    expect(rules.map((rule) => rule.Name)).toEqual(Object.values(edgeRuleNames));
    for (const name of [edgeRuleNames.ipReputation, edgeRuleNames.common, edgeRuleNames.knownBadInputs]) {
      expect(rules.find((rule) => rule.Name === name)!.Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: name });
    }
    for (const rule of rules) expect(rule.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
    // The API takes bodies up to 64 KiB and answers a larger one 413: the group's 8 KiB body limit only counts.
    expect(rules.find((rule) => rule.Name === edgeRuleNames.common)!.Statement.ManagedRuleGroupStatement!.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
  });

  it('limits each client address per 5 minutes by the stage (infra/config.ts), answering 429 problem+json', () => {
    const rateRule = (built: Synthesized) => {
      const acl = only(built.firewallTemplate!, 'AWS::WAFv2::WebACL').Properties;
      const rule = (acl.Rules as { Name: string; Action: unknown; Statement: { RateBasedStatement: Record<string, unknown> } }[]).find(
        (candidate) => candidate.Name === edgeRuleNames.requestsPerAddress,
      )!;
      return { rule, bodies: acl.CustomResponseBodies as Record<string, { ContentType: string; Content: string }> };
    };
    for (const [built, stage] of [[dev, 'dev'], [prod, 'prod']] as const) {
      const { rule } = rateRule(built);
      expect(rule.Statement.RateBasedStatement).toEqual({
        Limit: stageProfile(stage).limits.requestsPerAddressPer5Minutes,
        EvaluationWindowSec: 300,
        AggregateKeyType: 'IP',
      });
    }
    expect(stageProfile('prod').limits.requestsPerAddressPer5Minutes).toBe(10_000);
    expect(stageProfile('dev').limits.requestsPerAddressPer5Minutes).toBe(2_000);
    const { rule, bodies } = rateRule(dev);
    expect(rule.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'too-many-requests' } } });
    expect(JSON.parse(bodies['too-many-requests']!.Content)).toMatchObject({ type: '/problems/too-many-requests', status: 429 });
  });

  it('is associated with the distribution: the web ACL named by -c webAclArn, or the WebAclArn parameter given at deploy', () => {
    expect(distributionOf(configured).WebACLId).toBe(exampleWebAclArn);
    expect(configured.firewall).toBeUndefined();

    expect(distributionOf(dev).WebACLId).toEqual({ Ref: 'WebAclArn' });
    const parameter = dev.edgeTemplate.toJSON().Parameters.WebAclArn as { AllowedPattern: string };
    expect(new RegExp(parameter.AllowedPattern).test(exampleWebAclArn)).toBe(true);
    expect(new RegExp(parameter.AllowedPattern).test('arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/0123')).toBe(false);
    expect(dev.firewallTemplate!.toJSON().Outputs.WebAclArn.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^WebAcl/), 'Arn'] });
  });

  it('refuses a web ACL that cannot front CloudFront, and other malformed edge settings', () => {
    const settingsFor = (context: Record<string, string>) => readDeploymentSettings(new App({ context }), {});
    expect(() => settingsFor({ webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/0123abcd' })).toThrow(/webAclArn/);
    expect(() => settingsFor({ originSecretVersions: 'not a version' })).toThrow(/originSecretVersions/);
    expect(() => settingsFor({ originSecretVersions: `${newVersion},${oldVersion},${newVersion}` })).toThrow(/originSecretVersions/);
    expect(() => settingsFor({ reserveConcurrency: 'yes' })).toThrow(/reserveConcurrency/);
    expect(settingsFor({ originSecretVersions: `${newVersion}, ${oldVersion}`, reserveConcurrency: 'false' })).toMatchObject({
      originSecretVersions: [newVersion, oldVersion],
      reserveConcurrency: false,
    });
  });
});

describe('edge: the public sign-up', () => {
  it('limits sign-up attempts per client address more tightly than other requests, answering 429 problem+json', () => {
    const acl = only(dev.firewallTemplate!, 'AWS::WAFv2::WebACL').Properties;
    const rules = acl.Rules as { Name: string; Priority: number; Action: unknown; Statement: { RateBasedStatement: Record<string, unknown> } }[];
    const rule = rules.find((candidate) => candidate.Name === edgeRuleNames.signUpsPerAddress)!;
    expect(rule.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'too-many-requests' } } });
    const limits = stageProfile('dev').limits;
    expect(rule.Statement.RateBasedStatement).toMatchObject({ Limit: limits.signUpsPerAddressPer5Minutes, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
    expect(limits.signUpsPerAddressPer5Minutes).toBeGreaterThanOrEqual(10);
    expect(limits.signUpsPerAddressPer5Minutes).toBeLessThan(limits.requestsPerAddressPer5Minutes / 10);
    const scope = (rule.Statement.RateBasedStatement.ScopeDownStatement as { ByteMatchStatement: Record<string, unknown> }).ByteMatchStatement;
    expect(scope).toMatchObject({ FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: signUpPathPrefix });
    // Before the managed groups, so a sign-up flood is refused 429 whatever else the request looks like.
    expect(rule.Priority).toBeLessThan(rules.find((candidate) => candidate.Name === edgeRuleNames.common)!.Priority);
    // Covers POST /v1/signups and /v1/signups/verify, not the operator's /v1/operator/signups.
    expect('/v1/signups/verify'.startsWith(signUpPathPrefix)).toBe(true);
    expect('/v1/operator/signups'.startsWith(signUpPathPrefix)).toBe(false);
  });
});

describe('edge: junk credentials cost no Lambda invocation', () => {
  interface Statement {
    ByteMatchStatement?: { SearchString: string; PositionalConstraint: string };
    NotStatement?: { Statement: Statement };
    RegexMatchStatement?: { RegexString: string; FieldToMatch: Record<string, unknown> };
  }
  const keyShapeRule = () => {
    const acl = only(dev.firewallTemplate!, 'AWS::WAFv2::WebACL').Properties;
    const rule = (acl.Rules as { Name: string; Action: unknown; Statement: { AndStatement: { Statements: Statement[] } } }[]).find(
      (candidate) => candidate.Name === edgeRuleNames.tenantKeyShape,
    )!;
    return { rule, bodies: acl.CustomResponseBodies as Record<string, { Content: string }> };
  };

  it('answers 401 with the contract\'s problem at the edge when a tenant route gets no key of the issued shape', () => {
    const { rule, bodies } = keyShapeRule();
    expect(rule.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 401, CustomResponseBodyKey: 'unauthorized' } } });
    expect(JSON.parse(bodies.unauthorized!.Content)).toEqual(problemBody(unauthorized()));
    const [underV1, notOtherRoutes, notKeyShaped] = rule.Statement.AndStatement.Statements;
    expect(underV1!.ByteMatchStatement).toMatchObject({ SearchString: '/v1/', PositionalConstraint: 'STARTS_WITH' });
    expect(notKeyShaped!.NotStatement!.Statement.RegexMatchStatement!.FieldToMatch).toEqual({ SingleHeader: { Name: 'authorization' } });

    const keyShaped = new RegExp(notKeyShaped!.NotStatement!.Statement.RegexMatchStatement!.RegexString);
    const issued = issueApiKey('ten_01HZZZZZZZZZZZZZZZZZZZZZZZ').secret;
    for (const header of [`Bearer ${issued}`, `bearer  ${issued}`]) expect(keyShaped.test(header), header).toBe(true);
    for (const header of ['', 'Bearer junk', `Basic ${issued}`, `Bearer ${issued}x`, `Bearer ${issued.replace('sb.', 'sk.')}`]) {
      expect(keyShaped.test(header), header).toBe(false);
    }
    // A person's access token (a JWT: three base64url parts) goes to the authorizer too; it alone checks the signature.
    const personToken = [{ alg: 'RS256', kid: 'k1' }, { sub: 'x', token_use: 'access' }, 'signature'].map((part) =>
      Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url'),
    );
    expect(keyShaped.test(`Bearer ${personToken.join('.')}`)).toBe(true);
    for (const header of [`Bearer ${personToken.slice(0, 2).join('.')}`, `Bearer ${personToken.join('.')}.x`, `Bearer ${personToken.join('.')}=`, `Basic ${personToken.join('.')}`]) {
      expect(keyShaped.test(header), header).toBe(false);
    }

    // Operator and public routes under /v1/ are left alone, from the declarations; every tenant route is checked.
    const otherRoutes = new RegExp(notOtherRoutes!.NotStatement!.Statement.RegexMatchStatement!.RegexString);
    const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'x_1');
    for (const route of routes.filter((candidate) => candidate.path.startsWith('/v1/'))) {
      const checked = !otherRoutes.test(concrete(route.path));
      // A path shared with an operator or public route is left to the handlers.
      const sharedWithOther = routes.some((other) => other.path === route.path && other.access.kind !== 'tenant');
      expect(checked, routeKey(route)).toBe(route.access.kind === 'tenant' && !sharedWithOther);
    }
    expect(otherRoutes.test('/v1/tenants')).toBe(true);
  });

  it('builds path expressions from route templates: one segment per parameter, literal dots', () => {
    expect(pathRegex('/v1/customers/{customerId}/overview')).toBe('/v1/customers/[^/]+/overview');
    expect(new RegExp(`^${pathRegex('/openapi.json')}$`).test('/openapiXjson')).toBe(false);
    expect(tenantKeyScope([]).exceptPaths).toBeUndefined();
  });
});

describe('edge: execute-api cannot be reached around the edge', () => {
  const secretId = (built: Synthesized) => Object.keys(resourcesOf(built.apiTemplate, 'AWS::SecretsManager::Secret'))[0]!;

  it('the origin secret is generated by Secrets Manager, and CloudFront sends it in the origin header', () => {
    const secret = only(dev.apiTemplate, 'AWS::SecretsManager::Secret').Properties;
    expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    expect(secret.SecretString).toBeUndefined();
    const [header] = apiOriginOf(dev).OriginCustomHeaders!;
    expect(header!.HeaderName).toBe(edgeOrigin.header);
    expect(rendered(header!.HeaderValue)).toMatch(/\{\{resolve:secretsmanager:",\{"Fn::ImportValue":"Switchboard-dev-Api:ExportsOutputRefOriginSecret[0-9A-F]+"\},":SecretString:::\}\}/);
  });

  it("a request without the origin header gets 401 from API Gateway: the header is in the tenant authorizer's identity source", () => {
    const authorizer = only(dev.apiTemplate, 'AWS::ApiGatewayV2::Authorizer').Properties;
    expect(authorizer.IdentitySource).toEqual([`$request.header.${tenantAuthorizer.identitySourceHeader}`, `$request.header.${edgeOrigin.header}`]);
  });

  it('every API function (routes, authorizer, $default) is given the accepted secret, so it refuses what went around', () => {
    const functions = Object.values(resourcesOf(dev.apiTemplate, 'AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(10);
    for (const fn of functions) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(rendered(variables[edgeOrigin.secretsVariable]), String(variables.POWERTOOLS_SERVICE_NAME)).toBe(
        rendered({ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId(dev) }, ':SecretString:::}}']] }),
      );
    }
  });

  it('during a rotation the functions accept the new and the old version, and CloudFront sends the new one', () => {
    const [fn] = Object.values(resourcesOf(configured.apiTemplate, 'AWS::Lambda::Function'));
    const accepted = rendered((fn!.Properties.Environment as { Variables: Record<string, unknown> }).Variables[edgeOrigin.secretsVariable]);
    expect(accepted).toContain(`:SecretString:::${newVersion}}} {{resolve:secretsmanager:`);
    expect(accepted).toContain(`:SecretString:::${oldVersion}}}`);
    const sent = rendered(apiOriginOf(configured).OriginCustomHeaders![0]!.HeaderValue);
    expect(sent).toContain(`:SecretString:::${newVersion}}}`);
    expect(sent).not.toContain(oldVersion);
  });
});

describe('edge: reserved concurrency for what must run under an API flood', () => {
  const reservedByName = (built: Synthesized) => {
    const reserved: Record<string, number | undefined> = {};
    for (const template of [built.eventsTemplate, built.apiTemplate]) {
      for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
        reserved[String(fn.Properties.FunctionName)] = fn.Properties.ReservedConcurrentExecutions as number | undefined;
      }
    }
    return reserved;
  };
  const mustRun = ['event-relay', 'sla-timer', 'webhook-dispatch', 'webhook-deliver', 'survey-send', 'sms-inbound'];

  it('prod reserves concurrency for the relay, SLA timers, webhook deliveries and SMS, and none for the API', () => {
    const reserved = reservedByName(prod);
    expect(Object.fromEntries(mustRun.map((name) => [name, reserved[deployedFunctionName('prod', name)]]))).toEqual({
      'event-relay': 5,
      'sla-timer': 10,
      'webhook-dispatch': 20,
      'webhook-deliver': 10,
      'survey-send': 10,
      'sms-inbound': 10,
    });
    expect(mustRun).toEqual(expect.arrayContaining([eventRelay.name]));
    for (const name of mustRun.filter((name) => name !== eventRelay.name)) expect(Object.keys(eventFunctions)).toContain(name);
    const apiReserved = Object.values(resourcesOf(prod.apiTemplate, 'AWS::Lambda::Function')).filter((fn) => fn.Properties.ReservedConcurrentExecutions !== undefined);
    expect(apiReserved).toEqual([]);
  });

  it('other stages reserve nothing unless -c reserveConcurrency=true (new accounts cannot reserve any)', () => {
    expect(Object.values(reservedByName(dev)).filter((value) => value !== undefined)).toEqual([]);
    const reserved = reservedByName(configured);
    expect(Object.fromEntries(mustRun.map((name) => [name, reserved[deployedFunctionName('dev', name)]]))).toEqual(
      stageProfile('dev').limits.reservedConcurrency,
    );
  });
});

describe('edge: stacks', () => {
  it('names them Switchboard-<stage>-Firewall (us-east-1) and Switchboard-<stage>-Edge', () => {
    expect([dev.firewall!.stackName, dev.edge.stackName]).toEqual(['Switchboard-dev-Firewall', 'Switchboard-dev-Edge']);
    expect(dev.edge.dependencies.map((stack) => stack.stackName)).toContain('Switchboard-dev-Api');
  });
});
