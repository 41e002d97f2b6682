import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventsStack } from '../../infra/events-stack';
import { eventFunctions } from '../../shared/events/subscriptions';
import { type FunctionDeclaration, live } from '../../shared/http/functions';
import { type CfnResource, exampleOperatorKeyHash, resourcesOf, synthTimeout, synthesize } from './synth';

/** The live channel's WebSocket API in the template: routes, authorizer, stage, edge route and who may push. */

let events: Template;
let edge: Template;
let stack: EventsStack;

beforeAll(() => {
  const built = synthesize({ stage: 'dev', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
  events = built.eventsTemplate;
  edge = built.edgeTemplate;
  stack = built.events;
}, synthTimeout);

const functionNamed = (name: string): [string, CfnResource] => {
  const found = Object.entries(resourcesOf(events, 'AWS::Lambda::Function')).filter(
    ([, fn]) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_SERVICE_NAME === `switchboard-${name}`,
  );
  expect(found, name).toHaveLength(1);
  return found[0]!;
};
const variablesOf = (fn: CfnResource) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
/** The policies attached to a role, by the role's logical id (a policy names it by Ref). */
const policiesOfRole = (roleId: string) =>
  Object.values(resourcesOf(events, 'AWS::IAM::Policy')).filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`));
const roleOf = (fn: CfnResource) => (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const actionsOf = (policies: CfnResource[]) =>
  policies.flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((statement) => [statement.Action].flat()));

describe('the live channel in AWS', () => {
  it('is a WebSocket API whose stage is named after the path the edge routes to it', () => {
    events.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', Name: 'switchboard-dev-live' });
    events.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: live.path.slice(1),
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({ ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 }),
      AccessLogSettings: Match.objectLike({ Format: Match.not(Match.stringLikeRegexp('sourceIp|ip|path')) }),
    });
  });

  it('guards $connect with the people-token authorizer on Sec-WebSocket-Protocol; the other routes run on its connections', () => {
    const [authorizerId] = functionNamed('live-authorizer');
    const authorizers = Object.values(resourcesOf(events, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]!.Properties).toMatchObject({ AuthorizerType: 'REQUEST', IdentitySource: ['route.request.header.Sec-WebSocket-Protocol'] });
    expect(JSON.stringify(authorizers[0]!.Properties.AuthorizerUri)).toContain(authorizerId);
    const routes = Object.values(resourcesOf(events, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties);
    expect(routes.map((route) => route.RouteKey).sort()).toEqual(['$connect', '$default', '$disconnect']);
    for (const route of routes) expect(route.AuthorizationType, String(route.RouteKey)).toBe(route.RouteKey === '$connect' ? 'CUSTOM' : 'NONE');
    // The authorizer verifies people's tokens of the stage's user pool.
    expect(Object.keys(variablesOf(functionNamed('live-authorizer')[1]))).toEqual(expect.arrayContaining(['PEOPLE_TOKEN_ISSUER', 'PEOPLE_JWKS_URI', 'PEOPLE_CLIENT_ID']));
  });

  it('lets exactly the functions that push manage connections, on this stage only, and no other function', () => {
    const pushing = Object.entries<FunctionDeclaration>(eventFunctions).filter(([, declaration]) => declaration.pushesLive).map(([name]) => name);
    expect(pushing.sort()).toEqual(['live-deadline', 'live-pop', 'live-push']);
    for (const [name] of Object.entries(eventFunctions)) {
      const [, fn] = functionNamed(name);
      const actions = actionsOf(policiesOfRole(roleOf(fn)));
      if (pushing.includes(name)) {
        expect(actions, name).toContain('execute-api:ManageConnections');
        expect(variablesOf(fn).LIVE_MANAGEMENT_ENDPOINT, name).toBeDefined();
      } else {
        expect(actions, name).not.toContain('execute-api:ManageConnections');
      }
    }
    const grants = Object.values(resourcesOf(events, 'AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement.filter((statement) =>
        [statement.Action].flat().includes('execute-api:ManageConnections'),
      ),
    );
    for (const grant of grants) expect(JSON.stringify(grant.Resource)).toMatch(/\/live\/\*\/@connections\/\*/);
  });

  it('gives the connection function the table and the authorizer reads only', () => {
    const [, authorizer] = functionNamed('live-authorizer');
    expect(actionsOf(policiesOfRole(roleOf(authorizer)))).not.toEqual(expect.arrayContaining(['dynamodb:PutItem']));
    const [, connections] = functionNamed('live-connections');
    expect(actionsOf(policiesOfRole(roleOf(connections)))).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:DeleteItem']));
    expect(stack.live.functions['live-connections']).toBeDefined();
  });

  it('is routed at the edge on /live, uncached, with the viewer headers the upgrade needs', () => {
    const distribution = Object.values(resourcesOf(edge, 'AWS::CloudFront::Distribution'))[0]!;
    const config = distribution.Properties.DistributionConfig as { CacheBehaviors: { PathPattern: string; CachePolicyId: string; OriginRequestPolicyId: string; ViewerProtocolPolicy: string }[] };
    const behavior = config.CacheBehaviors.find((candidate) => candidate.PathPattern === live.path);
    expect(behavior).toBeDefined();
    expect(behavior!.ViewerProtocolPolicy).toBe('https-only');
    // CachingDisabled and AllViewerExceptHostHeader, AWS's managed policies.
    expect(behavior!.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(behavior!.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
  });
});
