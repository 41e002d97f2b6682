import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeploymentSettings, stageProfile } from '../../infra/config';
import {
  EdgeStack,
  apiPathPatterns,
  consoleCacheControl,
  consoleConfig,
  consoleContentSecurityPolicy,
  consolePageRewriteCode,
  consolePlaceholderDirectory,
} from '../../infra/edge-stack';
import type { PersonTokens } from '../../infra/people-stack';
import { addSwitchboard } from '../../infra/switchboard';
import { connectFrameSources, consoleSecurityHeaders, workspaceAppPath } from '../../shared/http/console-security';
import { transportSecurityHeaders } from '../../shared/http/transport-security';
import { type CfnResource, exampleOperatorKeyHash, resourcesOf, synthTimeout, synthesize } from './synth';

/**
 * Issue 13 §2 in AWS: the console from S3 through the API's CloudFront distribution (one origin,
 * no CORS), with origin access control, pages rewritten to index.html, a strict
 * Content-Security-Policy, and its /config.json. Read from the synthesized templates (no bundling).
 */

type Synthesized = ReturnType<typeof synthesize>;
let dev: Synthesized;
let builtConsole: string;

beforeAll(() => {
  dev = synthesize({ stage: 'dev', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
  builtConsole = mkdtempSync(path.join(tmpdir(), 'switchboard-console-'));
  mkdirSync(path.join(builtConsole, 'assets'));
  writeFileSync(path.join(builtConsole, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(path.join(builtConsole, 'assets', 'index-abc123.js'), 'console.log(1)');
}, synthTimeout);

afterAll(() => {
  if (builtConsole) rmSync(builtConsole, { recursive: true, force: true });
});

const only = (template: Template, type: string): CfnResource => {
  const resources = Object.values(resourcesOf(template, type));
  expect(resources, type).toHaveLength(1);
  return resources[0]!;
};
const rendered = (value: unknown) => JSON.stringify(value);

interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
  AllowedMethods: string[];
  CachePolicyId: string;
  ResponseHeadersPolicyId: unknown;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}
const distributionOf = (built: Synthesized) =>
  only(built.edgeTemplate, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    Origins: { Id: string; DomainName: unknown; S3OriginConfig?: Record<string, unknown>; OriginAccessControlId?: unknown }[];
  };

/** CloudFront's managed CachingOptimized policy: caches by the origin's Cache-Control. */
const cachingOptimized = '658327ea-f89d-4fab-a63d-7e88639e58f6';

describe('console: S3 behind the distribution', () => {
  it('serves every path that is not the API from a private bucket through origin access control', () => {
    const config = distributionOf(dev);
    const behavior = config.DefaultCacheBehavior;
    const origin = config.Origins.find((candidate) => candidate.Id === behavior.TargetOriginId)!;
    expect(rendered(origin.DomainName)).toMatch(/ConsoleBucket[0-9A-F]+","RegionalDomainName"/);
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'] });
    const oac = only(dev.edgeTemplate, 'AWS::CloudFront::OriginAccessControl').Properties.OriginAccessControlConfig as Record<string, unknown>;
    expect(oac).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    expect(behavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], CachePolicyId: cachingOptimized });
  });

  it('keeps the bucket private, encrypted, versioned and reachable over TLS only, readable by this distribution alone', () => {
    const bucket = only(dev.edgeTemplate, 'AWS::S3::Bucket').Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    const statements = (only(dev.edgeTemplate, 'AWS::S3::BucketPolicy').Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Effect: 'Allow', Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } }),
      ]),
    );
    const cloudFrontRead = statements.find((statement) => rendered(statement.Principal).includes('cloudfront'))!;
    expect(rendered(cloudFrontRead.Condition)).toMatch(/AWS:SourceArn.*distribution\/",\{"Ref":"Distribution/);
    // Nothing public: no statement for "*" but the TLS-only deny.
    for (const statement of statements.filter((candidate) => candidate.Effect === 'Allow')) expect(statement.Principal, rendered(statement)).not.toBe('*');
  });
});

describe('console: pages of a single-page app', () => {
  const rewrite = (uri: string) => {
    const handler = runInNewContext(`${consolePageRewriteCode}; handler`) as (event: { request: { uri: string } }) => { uri: string };
    return handler({ request: { uri } }).uri;
  };

  it('answers a console path without a file extension with /index.html, and leaves files alone', () => {
    for (const page of ['/', '/auth/callback', '/signup/verify', '/settings/business-hours', '/people/']) expect(rewrite(page), page).toBe('/index.html');
    for (const file of ['/index.html', '/config.json', '/favicon.svg', '/assets/index-abc123.js', '/assets/cloudscape.woff2']) expect(rewrite(file), file).toBe(file);
  });

  it('runs on viewer requests of the console behaviour only, and turns no error response into a page', () => {
    const fn = only(dev.edgeTemplate, 'AWS::CloudFront::Function').Properties;
    expect(fn.FunctionCode).toBe(consolePageRewriteCode);
    expect(fn.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    const config = only(dev.edgeTemplate, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as {
      DefaultCacheBehavior: Behavior;
      CacheBehaviors: Behavior[];
      CustomErrorResponses?: unknown;
    };
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.stringMatching(/^ConsolePageRewrite/), 'FunctionARN'] } }]);
    // The workspace app's page is a console page too (its own headers): rewritten alike.
    for (const behavior of config.CacheBehaviors) {
      if (behavior.PathPattern === workspaceAppPath) expect(behavior.FunctionAssociations).toEqual(config.DefaultCacheBehavior.FunctionAssociations);
      else expect(behavior.FunctionAssociations, rendered(behavior)).toBeUndefined();
    }
    // A 403 → index.html error response would also hide the API's own 403 and 404 problem documents.
    expect(config.CustomErrorResponses).toBeUndefined();
  });
});

describe('console: response headers', () => {
  const tokens = { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example', signInOrigin: 'https://switchboard-dev.auth.eu-west-1.amazoncognito.com' };
  const directives = (policy: string) => new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

  it('has a strict Content-Security-Policy: own scripts only, no inline script or eval, no framing, sign-in hosts for connections', () => {
    const csp = directives(consoleContentSecurityPolicy(tokens));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://cognito-idp.eu-west-1.amazonaws.com', tokens.signInOrigin]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('frame-src')).toEqual(['https://*.my.connect.aws', 'https://*.awsapps.com']);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    for (const values of csp.values()) {
      for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:']) expect(values).not.toContain(unsafe);
    }
  });

  it('sends it with HSTS, nosniff, DENY framing and no referrer on every console answer, and the issuer of this stage', () => {
    const policies = resourcesOf(dev.edgeTemplate, 'AWS::CloudFront::ResponseHeadersPolicy');
    const consolePolicyId = Object.keys(policies).find((id) => id.startsWith('ConsoleSecurityHeaders'))!;
    expect(distributionOf(dev).DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: consolePolicyId });
    const headers = (policies[consolePolicyId]!.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> }).SecurityHeadersConfig;
    const hsts = headers.StrictTransportSecurity!;
    expect(`max-age=${String(hsts.AccessControlMaxAgeSec)}${hsts.IncludeSubdomains ? '; includeSubDomains' : ''}`).toBe(transportSecurityHeaders['strict-transport-security']);
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(headers.ContentSecurityPolicy!.Override).toBe(true);
    const csp = rendered(headers.ContentSecurityPolicy!.ContentSecurityPolicy);
    expect(csp).toContain("connect-src 'self' https://cognito-idp.");
    expect(csp).toMatch(/"Fn::ImportValue":"Switchboard-dev-People:ExportsOutputRefUserPoolSignInDomain/);
  });
});

describe('console: Amazon Connect frames (the CCP in the desk, the desk in the agent workspace)', () => {
  const tokens = { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example', signInOrigin: 'https://switchboard-dev.auth.eu-west-1.amazoncognito.com' };
  const directive = (policy: string, name: string) => policy.split(';').map((part) => part.trim().split(/\s+/)).find(([candidate]) => candidate === name)?.slice(1);
  const config = () =>
    only(dev.edgeTemplate, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as { DefaultCacheBehavior: Behavior; CacheBehaviors: (Behavior & { PathPattern: string })[] };
  const policyConfig = (id: unknown) => {
    const policies = resourcesOf(dev.edgeTemplate, 'AWS::CloudFront::ResponseHeadersPolicy');
    const logicalId = (id as { Ref: string }).Ref;
    return (policies[logicalId]!.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> }).SecurityHeadersConfig;
  };

  it("lets the workspace app's page alone be framed, by Amazon Connect only, from the same files", () => {
    const { DefaultCacheBehavior: console, CacheBehaviors: behaviors } = config();
    const workspace = behaviors.find((behavior) => behavior.PathPattern === workspaceAppPath)!;
    expect(workspace).toBeDefined();
    expect(workspace).toMatchObject({ TargetOriginId: console.TargetOriginId, ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], CachePolicyId: cachingOptimized });
    expect(workspace.ResponseHeadersPolicyId).not.toEqual(console.ResponseHeadersPolicyId);

    const framed = policyConfig(workspace.ResponseHeadersPolicyId);
    const framedPolicy = rendered(framed.ContentSecurityPolicy!.ContentSecurityPolicy);
    expect(framedPolicy).toContain('frame-ancestors https://*.my.connect.aws;');
    expect(framed.FrameOptions).toBeUndefined();
    expect(framed.ContentTypeOptions).toEqual({ Override: true });
    expect(framed.StrictTransportSecurity).toEqual(policyConfig(console.ResponseHeadersPolicyId).StrictTransportSecurity);

    const everywhereElse = policyConfig(console.ResponseHeadersPolicyId);
    expect(rendered(everywhereElse.ContentSecurityPolicy!.ContentSecurityPolicy)).toContain("frame-ancestors 'none'");
    expect(everywhereElse.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
  });

  it('frames nothing but Connect, and differs for the workspace app in frame-ancestors alone', () => {
    const everywhere = consoleContentSecurityPolicy(tokens);
    const workspace = consoleContentSecurityPolicy(tokens, { frameAncestors: ['https://*.my.connect.aws'] });
    expect(directive(everywhere, 'frame-src')).toEqual([...connectFrameSources]);
    expect(directive(workspace, 'frame-ancestors')).toEqual(['https://*.my.connect.aws']);
    expect(workspace.replace(/frame-ancestors [^;]+/, '')).toBe(everywhere.replace(/frame-ancestors [^;]+/, ''));
    for (const source of connectFrameSources) expect(source).toMatch(/^https:\/\/\*\.(my\.connect\.aws|awsapps\.com)$/);
  });

  it('sends the same on the twin: the workspace app framed by Connect without X-Frame-Options, every other page DENY', () => {
    const issuer = ['http://localhost:4000'];
    const page = consoleSecurityHeaders(issuer, '/desk');
    expect(directive(page['content-security-policy']!, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directive(page['content-security-policy']!, 'frame-src')).toEqual([...connectFrameSources]);
    expect(page['x-frame-options']).toBe('DENY');
    const workspace = consoleSecurityHeaders(issuer, workspaceAppPath);
    expect(directive(workspace['content-security-policy']!, 'frame-ancestors')).toEqual(['https://*.my.connect.aws']);
    expect(workspace['x-frame-options']).toBeUndefined();
    for (const near of [`${workspaceAppPath}/x`, `${workspaceAppPath}x`, '/desk/pop']) expect(consoleSecurityHeaders(issuer, near)['x-frame-options'], near).toBe('DENY');
    // The CCP's softphone may use the microphone in Connect's frame; nothing else gets camera or location.
    expect(page['permissions-policy']).toBe('camera=(), microphone=(self "https://*.my.connect.aws" "https://*.awsapps.com"), geolocation=()');
  });
});

describe('console: deployment', () => {
  const deployments = (template: Template) =>
    Object.entries(resourcesOf(template, 'Custom::CDKBucketDeployment')).map(([id, resource]): Record<string, unknown> & { id: string } => ({ ...resource.Properties, id }));

  it('copies hashed files as immutable and everything else as no-cache, pruning nothing, then refreshes CloudFront', () => {
    const [hashed, pages] = [/^ConsoleHashedFiles/, /^ConsolePages/].map((pattern) => deployments(dev.edgeTemplate).find((deployment) => pattern.test(deployment.id))!);
    expect(hashed).toMatchObject({ Exclude: ['*'], Include: ['assets/*'], Prune: false, SystemMetadata: { 'cache-control': consoleCacheControl.hashed } });
    expect(pages).toMatchObject({ Exclude: ['assets/*'], Prune: false, SystemMetadata: { 'cache-control': consoleCacheControl.other } });
    expect(pages!.DistributionPaths).toEqual(['/*']);
    expect(consoleCacheControl.hashed).toContain('immutable');
    expect(consoleCacheControl.other).toBe('no-cache');
    // The pages (index.html) go after the files they name.
    const pagesResource = resourcesOf(dev.edgeTemplate, 'Custom::CDKBucketDeployment')[pages!.id] as unknown as { DependsOn?: string[] };
    expect(pagesResource.DependsOn?.some((id) => id.startsWith('ConsoleHashedFiles'))).toBe(true);
  });

  it("writes config.json: the Cognito issuer as authority, the console's client, managed login's logout and the redirect URIs", () => {
    const tokens: PersonTokens = {
      userPoolId: 'eu-west-1_Example',
      userPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
      jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example/.well-known/jwks.json',
      clientId: 'exampleclientid',
      signInOrigin: 'https://switchboard-dev.auth.eu-west-1.amazoncognito.com',
      logoutUrl: 'https://switchboard-dev.auth.eu-west-1.amazoncognito.com/logout',
    };
    expect(consoleConfig(tokens, 'https://switchboard.example.com')).toEqual({
      authority: tokens.issuer,
      clientId: tokens.clientId,
      logoutUrl: tokens.logoutUrl,
      redirectUri: 'https://switchboard.example.com/auth/callback',
      postLogoutRedirectUri: 'https://switchboard.example.com/',
    });
    // In the template: one more source than the built files, with the pool and client as deploy-time markers.
    const pages = deployments(dev.edgeTemplate).find((deployment) => deployment.id.startsWith('ConsolePages'))!;
    expect(pages.SourceObjectKeys as unknown[]).toHaveLength(2);
    const markers = rendered(pages.SourceMarkers);
    expect(markers).toMatch(/Switchboard-dev-People:ExportsOutputRefUserPool[0-9A-F]+/);
    expect(markers).toMatch(/Switchboard-dev-People:ExportsOutputRefUserPoolConsoleClient/);
  });

  it('synthesizes without a built console: a placeholder page, and a warning that says so', () => {
    // A folder with no index.html, whatever web/dist holds on this machine (the tests' setup builds it).
    const notBuilt = mkdtempSync(path.join(tmpdir(), 'switchboard-console-none-'));
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stacks = addSwitchboard(app, readDeploymentSettings(app, {}));
    const edge = new EdgeStack(app, 'ConsoleNotBuilt', {
      profile: stageProfile('dev'),
      api: stacks.api.api,
      originSecret: stacks.api.originSecret,
      people: stacks.people.tokens,
      consoleDirectory: notBuilt,
    });
    expect(edge.consoleIsPlaceholder).toBe(true);
    expect(warningsOf(edge)).toEqual([expect.stringContaining('index.html does not exist: the edge serves a placeholder page')]);
    expect(consolePlaceholderDirectory).toMatch(/infra\/console-placeholder$/);
  });

  it('deploys the built console when there is one, without the warning', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stacks = addSwitchboard(app, readDeploymentSettings(app, {}));
    const edge = new EdgeStack(app, 'ConsoleBuilt', {
      profile: stageProfile('dev'),
      api: stacks.api.api,
      originSecret: stacks.api.originSecret,
      people: stacks.people.tokens,
      consoleDirectory: builtConsole,
    });
    expect(edge.consoleIsPlaceholder).toBe(false);
    expect(warningsOf(edge)).toEqual([]);
  });

  it('leaves the API paths to the API, from the route declarations', () => {
    expect(apiPathPatterns()).toEqual(['/openapi.json', '/problems/*', '/s/*', '/v1/*']);
    expect(() => apiPathPatterns([{ path: '/{tenant}/x' } as never])).toThrow(/literal/);
  });
});

function warningsOf(stack: { node: App['node'] }): string[] {
  return stack.node
    .findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === 'aws:cdk:warning')
    .map((entry) => String(entry.data));
}
