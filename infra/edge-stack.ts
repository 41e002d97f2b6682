import { existsSync } from 'node:fs';
import path from 'node:path';
import { Annotations, BOOTSTRAP_QUALIFIER_CONTEXT, CfnOutput, CfnParameter, DefaultStackSynthesizer, Duration, Fn, SecretValue, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  Function as CloudFrontFunction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { apiKeyPattern } from '../shared/domain/api-key';
import { edgeOrigin, live } from '../shared/http/functions';
import { notFound, problemBody, problemTypeBase, unauthorized } from '../shared/http/problem';
import { type RouteDeclaration, routes } from '../shared/http/routes';
import { connectFrameSources, workspaceAppPath, workspaceFrameAncestors } from '../shared/http/console-security';
import { strictTransportSecurity } from '../shared/http/transport-security';
import { type StageProfile, repositoryRoot, webAclArnPattern } from './config';
import { type PersonTokens, consolePaths } from './people-stack';

/** CloudFront takes its web ACL from us-east-1 only, whatever the region of the rest of the stage. */
export const firewallRegion = 'us-east-1';

/**
 * The stage's web ACL, in WAF's evaluation order. Managed rule groups answer 403; the rate rule
 * answers 429 and the tenant key shape rule 401, each with a problem document. Each rule has its CloudWatch metric and sampled requests,
 * so what the edge refuses is counted and can be looked at (docs/operations.md, "The edge").
 */
export const edgeRuleNames = {
  ipReputation: 'AWSManagedRulesAmazonIpReputationList',
  requestsPerAddress: 'RequestsPerAddress',
  signUpsPerAddress: 'SignUpsPerAddress',
  common: 'AWSManagedRulesCommonRuleSet',
  knownBadInputs: 'AWSManagedRulesKnownBadInputsRuleSet',
  tenantKeyShape: 'TenantKeyShape',
} as const;

/**
 * A path template of the route declarations as a regular expression (`{param}`: one segment).
 * Braces never occur in a literal part of a declared path.
 */
export const pathRegex = (path: string) => path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+');

/**
 * Where the edge requires a well-formed tenant key: every path under `/v1/` but those of routes
 * that take no tenant key (the operator's, public ones), read from the route declarations, so a
 * new operator route is left alone the day it is declared. An undeclared `/v1/` path without a
 * key is therefore answered 401 at the edge, not 404 by `$default`: it says no more.
 */
export function tenantKeyScope(declared = routes) {
  const otherPaths = [...new Set(declared.filter((route) => route.access.kind !== 'tenant' && route.path.startsWith('/v1/')).map((route) => route.path))];
  return { prefix: '/v1/', exceptPaths: otherPaths.length > 0 ? `^(?:${otherPaths.map(pathRegex).join('|')})$` : undefined };
}

/** A person's access token as the authorizer tells it from a key: three dot-separated base64url parts (a JWT). */
export const personTokenShape = '[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+';

/**
 * `Authorization: Bearer <credential>`: a key of the issued shape (apiKeyPattern) or a person's
 * access token, as the handlers parse it (bearerToken). A new kind of credential for the tenant
 * authorizer must be added here, or the edge refuses it.
 */
export const bearerKeyRegex = `^[Bb][Ee][Aa][Rr][Ee][Rr]\\s+(?:${apiKeyPattern.source.replace(/^\^|\$$/g, '')}|${personTokenShape})\\s*$`;

/**
 * The public sign-up (`POST /v1/signups`, `POST /v1/signups/verify`): each attempt mails someone,
 * so one address may try only a few times in 5 minutes (StageLimits.signUpsPerAddressPer5Minutes).
 */
export const signUpPathPrefix = '/v1/signups';

/** WAF's regex statements take at most 512 characters. */
const wafRegexMaxLength = 512;

/** The body WAF answers a blocked rate with: the same problem type as the per-tenant limit, so clients back off alike. */
const rateLimitedProblem = {
  type: `${problemTypeBase}too-many-requests`,
  title: 'Too many requests',
  status: 429,
  detail: 'Too many requests from this address; retry in a few minutes',
};

export interface FirewallStackProps extends StackProps {
  profile: StageProfile;
}

/** The stage's AWS WAF web ACL for CloudFront (scope CLOUDFRONT), deployed to us-east-1. */
export class FirewallStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: FirewallStackProps) {
    super(scope, id, props);
    const { stage, limits } = props.profile;
    const visibility = (metric: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `switchboard-${stage}-${metric}`,
    });
    const managedGroup = (name: string, priority: number, countInstead: string[] = []): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(countInstead.length > 0 && { ruleActionOverrides: countInstead.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }),
        },
      },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `switchboard-${stage}`,
      description: `Switchboard ${stage}: in front of the API, the survey pages and the console, through CloudFront`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('edge'),
      customResponseBodies: {
        'too-many-requests': { contentType: 'APPLICATION_JSON', content: JSON.stringify(rateLimitedProblem) },
        unauthorized: { contentType: 'APPLICATION_JSON', content: JSON.stringify(problemBody(unauthorized())) },
      },
      rules: [
        managedGroup(edgeRuleNames.ipReputation, 0),
        {
          name: edgeRuleNames.requestsPerAddress,
          priority: 1,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'too-many-requests' } } },
          statement: {
            rateBasedStatement: { limit: limits.requestsPerAddressPer5Minutes, evaluationWindowSec: 300, aggregateKeyType: 'IP' },
          },
          visibilityConfig: visibility(edgeRuleNames.requestsPerAddress),
        },
        {
          name: edgeRuleNames.signUpsPerAddress,
          priority: 2,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'too-many-requests' } } },
          statement: {
            rateBasedStatement: {
              limit: limits.signUpsPerAddressPer5Minutes,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: signUpPathPrefix,
                  textTransformations: [{ priority: 0, type: 'URL_DECODE' }, { priority: 1, type: 'LOWERCASE' }],
                },
              },
            },
          },
          visibilityConfig: visibility(edgeRuleNames.signUpsPerAddress),
        },
        // The group blocks bodies over 8 KiB; the API takes up to 64 KiB and answers a larger one 413 itself.
        managedGroup(edgeRuleNames.common, 3, ['SizeRestrictions_BODY']),
        managedGroup(edgeRuleNames.knownBadInputs, 4),
        tenantKeyShapeRule(5, visibility(edgeRuleNames.tenantKeyShape)),
      ],
    });

    new CfnOutput(this, 'WebAclArn', {
      value: this.webAcl.attrArn,
      description: `The web ACL of stage ${stage}: give it to the edge stack (-c webAclArn=… or its WebAclArn parameter)`,
    });
  }
}

/**
 * A tenant route called without a key of the issued shape (none, junk, another scheme) is
 * answered 401 at the edge, with the contract's problem body, instead of running the authorizer
 * and then the handler to say the same. A well-formed key still goes to the authorizer, which
 * alone can tell a live key from a revoked or invented one.
 */
function tenantKeyShapeRule(priority: number, visibilityConfig: CfnWebACL.VisibilityConfigProperty): CfnWebACL.RuleProperty {
  const scope = tenantKeyScope();
  for (const regex of [bearerKeyRegex, scope.exceptPaths ?? '']) {
    if (regex.length > wafRegexMaxLength) throw new Error(`A WAF regex is longer than ${wafRegexMaxLength} characters: ${regex}`);
  }
  const none = [{ priority: 0, type: 'NONE' }];
  const not = (statement: CfnWebACL.StatementProperty): CfnWebACL.StatementProperty => ({ notStatement: { statement } });
  return {
    name: edgeRuleNames.tenantKeyShape,
    priority,
    action: { block: { customResponse: { responseCode: 401, customResponseBodyKey: 'unauthorized' } } },
    statement: {
      andStatement: {
        statements: [
          { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: scope.prefix, textTransformations: none } },
          ...(scope.exceptPaths ? [not({ regexMatchStatement: { fieldToMatch: { uriPath: {} }, regexString: scope.exceptPaths, textTransformations: none } })] : []),
          not({ regexMatchStatement: { fieldToMatch: { singleHeader: { Name: 'authorization' } }, regexString: bearerKeyRegex, textTransformations: none } }),
        ],
      },
    },
    visibilityConfig,
  };
}

/**
 * The value CloudFront adds to every origin request (`edgeOrigin.header`), generated by Secrets
 * Manager; it lives in the API stack, beside the functions that check it.
 */
export function createOriginSecret(scope: Construct, profile: StageProfile): Secret {
  const secret = new Secret(scope, 'OriginSecret', {
    description: `Switchboard ${profile.stage}: CloudFront's origin header value; requests without it are refused`,
    // Letters and digits only: the functions receive the accepted values space-separated.
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    removalPolicy: profile.removalPolicy,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Rotating the origin secret means redeploying the CloudFront distribution with the new value while the functions accept both; a rotation Lambda cannot do that. It is rotated by hand (docs/operations.md, "The origin secret").',
  });
  return secret;
}

/** The secret's value as CloudFormation resolves it at deploy time: the given version, or the current one. */
const originSecretValue = (secret: ISecret, versionId?: string) =>
  (versionId ? SecretValue.secretsManager(secret.secretArn, { versionId }) : secret.secretValue).unsafeUnwrap();

/**
 * What the functions accept (`edgeOrigin.secretsVariable`): every version named by
 * `-c originSecretVersions`, or the current one. CloudFront holds the same value in its own
 * configuration, so the functions' environment exposes nothing CloudFront does not.
 */
export const acceptedOriginSecretsValue = (secret: ISecret, versions?: readonly string[]) =>
  versions && versions.length > 0 ? versions.map((version) => originSecretValue(secret, version)).join(' ') : originSecretValue(secret);

export interface EdgeStackProps extends StackProps {
  profile: StageProfile;
  api: IHttpApi;
  originSecret: ISecret;
  /** The first is sent; undefined: the current version. */
  originSecretVersions?: readonly string[];
  /** The firewall stack's web ACL ARN; undefined: the `WebAclArn` parameter, given at deploy time. */
  webAclArn?: string;
  /** The people user pool: the console's sign-in settings and what its pages may connect to. */
  people: PersonTokens;
  /** `-c publicBaseUrl`: the console's address when the distribution has a domain of its own; undefined: the distribution's. */
  publicBaseUrl?: string;
  /**
   * The live channel's WebSocket API (infra/live-channel.ts), whose stage is named after `live.path`:
   * CloudFront forwards `wss://<edge>/live` to it, so the console opens it on its own origin.
   */
  live?: { domainName: string };
  /** The built console (`npm run build` of web/, Vite's output); default `web/dist`. Absent: a placeholder page. */
  consoleDirectory?: string;
}

/** The console as Vite builds it; its hashed files are under `assets/`. */
export const defaultConsoleDirectory = path.join(repositoryRoot, 'web', 'dist');
/** What the edge serves when no console was built: one page that says so (synth and tests need no build). */
export const consolePlaceholderDirectory = path.join(repositoryRoot, 'infra', 'console-placeholder');
/** Vite's hashed output: a file there never changes under its name. */
export const hashedAssetsPrefix = 'assets/';

export const consoleCacheControl = {
  hashed: 'public, max-age=31536000, immutable',
  /** index.html, config.json and the unhashed files of web/public: revalidated on every load (S3 answers 304 by ETag). */
  other: 'no-cache',
} as const;

/**
 * The first path segments the API serves, from the route declarations: each becomes a CloudFront
 * behaviour to the API origin (`/v1/*`, `/s/*`, `/problems/*`, and `/openapi.json` exactly);
 * every other path is the console's.
 */
export function apiPathPatterns(declared: readonly RouteDeclaration[] = routes): string[] {
  const patterns = new Set<string>();
  for (const route of declared) {
    const [, first, ...rest] = route.path.split('/');
    if (!first || first.includes('{')) throw new Error(`A route's first path segment must be literal to route it at the edge: ${route.path}`);
    patterns.add(rest.length === 0 ? `/${first}` : `/${first}/*`);
  }
  return [...patterns].sort();
}

/**
 * Every `/v<n>/…` path is the API's, declared or not (a client of a version that does not exist
 * gets the API's 404 problem, not the console's page), as on the twin. CloudFront path patterns
 * have no digit class: `?` is any one character, so `/v?/*` and `/v??/*` send versions 0 to 99 to
 * the API, and with them any `/<v and one or two characters>/…` path — no console page may start
 * so (tests/infra/edge.test.ts checks the console's pages). What these patterns leave to the
 * console behaviour (`/v2` without a slash, `/v100/…`) its page rewrite answers with the same 404
 * problem (consolePageRewriteCode).
 */
export const versionedApiPathPatterns = ['/v?/*', '/v??/*'] as const;

/** What the API's `$default` route answers for a path no route declares. */
const undeclaredVersionProblem = problemBody(notFound(), undefined);

/**
 * A CloudFront Function (viewer request, console behaviour only): a console path without a file
 * extension (`/`, `/auth/callback`, `/signup/verify`) is a page of the single-page app, so it is
 * answered with /index.html; files keep their paths (a missing one is S3's 403). An error-response
 * rewrite (403 → index.html) would instead turn the API's own 403s and 404s into the console.
 * A `/v<n>` path the versioned behaviours did not take is answered the API's 404 problem here.
 */
export const consolePageRewriteCode = `function handler(event) {
  var request = event.request;
  if (/^\\/v[0-9]+(\\/|$)/.test(request.uri)) {
    return {
      statusCode: 404,
      statusDescription: 'Not Found',
      headers: { 'content-type': { value: 'application/problem+json' }, 'cache-control': { value: 'no-store' } },
      body: { encoding: 'text', data: ${JSON.stringify(JSON.stringify(undeclaredVersionProblem))} }
    };
  }
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * The live channel at the edge: the WebSocket upgrade (a GET) goes to the WebSocket API with every
 * viewer header but Host (Sec-WebSocket-Key, -Version, -Protocol with the access token), nothing cached.
 */
function liveBehavior(domainName: string): BehaviorOptions {
  return {
    origin: new HttpOrigin(domainName, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY, originSslProtocols: [OriginSslPolicy.TLS_V1_2] }),
    viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
    cachePolicy: CachePolicy.CACHING_DISABLED,
    originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
  };
}

/**
 * The console's Content-Security-Policy. Scripts and styles only from the console's own files (no
 * inline script, no eval); Cloudscape needs no 'unsafe-inline' for styles: its CSS is in files and
 * it sets inline styles through the CSSOM (element.style), which CSP allows; its CSS uses
 * `data:` SVG images. The console talks to its own origin (the API) and, for sign-in, to the
 * Cognito issuer (discovery) and managed login's domain (token, userinfo). It frames only Amazon
 * Connect's Contact Control Panel (`connectFrameSources`), and is framed by nobody, except the
 * workspace app's page, which Connect's agent workspace frames (`frameAncestors`).
 */
export function consoleContentSecurityPolicy(tokens: Pick<PersonTokens, 'issuer' | 'signInOrigin'>, options: { frameAncestors?: readonly string[] } = {}): string {
  const issuerOrigin = tokens.issuer.replace(/^(https:\/\/[^/]+).*$/, '$1');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${issuerOrigin} ${tokens.signInOrigin}`,
    `frame-src ${connectFrameSources.join(' ')}`,
    `frame-ancestors ${options.frameAncestors?.length ? options.frameAncestors.join(' ') : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * CloudFront with the stage's WAF web ACL, one origin for everything a browser or client calls:
 * the HTTP API (`apiPathPatterns`: `/v1/*`, the survey pages `/s/*`, `/problems/*`,
 * `/openapi.json`; and `versionedApiPathPatterns`, any `/v<n>/*`) and the console from S3 (every
 * other path). API behaviours cache nothing: every
 * request reaches the API with its Authorization, query string and headers (Idempotency-Key,
 * If-Match, Content-Type, …), plus the origin secret header that CloudFront sets (overwriting one a
 * viewer may send). The console is cached by its files' Cache-Control.
 */
export class EdgeStack extends Stack {
  readonly distribution: Distribution;
  readonly consoleBucket: Bucket;
  /** True when web/dist was absent and the placeholder page is deployed instead. */
  readonly consoleIsPlaceholder: boolean;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { stage, isProduction } = props.profile;
    const webAclArn =
      props.webAclArn ??
      new CfnParameter(this, 'WebAclArn', {
        type: 'String',
        description: `Output WebAclArn of Switchboard-${stage}-Firewall (us-east-1): the web ACL in front of this distribution`,
        allowedPattern: webAclArnPattern.source,
      }).valueAsString;

    const origin = new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      customHeaders: { [edgeOrigin.header]: originSecretValue(props.originSecret, props.originSecretVersions?.[0]) },
    });
    const hsts = {
      accessControlMaxAge: Duration.seconds(strictTransportSecurity.maxAgeSeconds),
      includeSubdomains: strictTransportSecurity.includeSubdomains,
      override: true,
    };
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Switchboard ${stage}: HSTS and nosniff as the functions send them, frame and referrer defaults`,
      securityHeadersBehavior: {
        strictTransportSecurity: hsts,
        contentTypeOptions: { override: true },
        // The survey page sends its own (DENY, no-referrer); these fill in for answers that have none.
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: false },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: false },
      },
    });
    const apiBehavior: BehaviorOptions = {
      origin,
      // HTTPS only, not a redirect: a redirected POST would lose its body.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // Every viewer header (Authorization included, allowed since nothing is cached), cookie and
      // query string, and CloudFront-Viewer-Address; not Host, which API Gateway routes by.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: securityHeaders,
    };

    this.consoleBucket = new Bucket(this, 'ConsoleBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.profile.removalPolicy,
      autoDeleteObjects: !isProduction,
    });
    const consoleHeaders = new ResponseHeadersPolicy(this, 'ConsoleSecurityHeaders', {
      comment: `Switchboard ${stage}: the console's Content-Security-Policy, HSTS, nosniff, no framing, no referrer`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(props.people), override: true },
        strictTransportSecurity: hsts,
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    // The agent workspace frames the desk's workspace app: that page alone, with Connect as its only
    // allowed ancestor and no X-Frame-Options (which cannot name an origin).
    const workspaceAppHeaders = new ResponseHeadersPolicy(this, 'WorkspaceAppSecurityHeaders', {
      comment: `Switchboard ${stage}: the console's headers for ${workspaceAppPath}, framed by Amazon Connect's agent workspace only`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(props.people, { frameAncestors: workspaceFrameAncestors }), override: true },
        strictTransportSecurity: hsts,
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    const consolePageRewrite = new CloudFrontFunction(this, 'ConsolePageRewrite', {
      comment: 'Console paths without a file extension are pages of the single-page app: /index.html',
      code: FunctionCode.fromInline(consolePageRewriteCode),
      runtime: FunctionRuntime.JS_2_0,
    });

    const consoleBehavior: BehaviorOptions = {
      origin: S3BucketOrigin.withOriginAccessControl(this.consoleBucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: consoleHeaders,
      functionAssociations: [{ function: consolePageRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Switchboard ${stage}: API, survey pages and console`,
      defaultBehavior: consoleBehavior,
      additionalBehaviors: {
        ...Object.fromEntries([...apiPathPatterns(), ...versionedApiPathPatterns].map((pattern) => [pattern, apiBehavior])),
        ...(props.live && { [live.path]: liveBehavior(props.live.domainName) }),
        [workspaceAppPath]: { ...consoleBehavior, responseHeadersPolicy: workspaceAppHeaders },
      },
      webAclId: webAclArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
    });
    acknowledgeDistributionFindings(this.distribution);
    acknowledgeConsoleBucketFindings(this.consoleBucket);

    const consoleDirectory = props.consoleDirectory ?? defaultConsoleDirectory;
    this.consoleIsPlaceholder = !existsSync(path.join(consoleDirectory, 'index.html'));
    if (this.consoleIsPlaceholder) {
      Annotations.of(this).addWarningV2(
        'switchboard:console-not-built',
        `${consoleDirectory}/index.html does not exist: the edge serves a placeholder page instead of the console. Build it (npx vite build web) before cdk deploy.`,
      );
    }
    this.deployConsole(this.consoleIsPlaceholder ? consolePlaceholderDirectory : consoleDirectory, props);

    new CfnOutput(this, 'EdgeUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
      description: 'The public address of the API, the survey pages and the console (give it as -c publicBaseUrl)',
    });
  }

  /**
   * Two deployments to the bucket: the hashed files, immutable, and the rest (index.html, the
   * generated config.json, web/public's files) revalidated on each load. Neither prunes: a page
   * loaded before a deployment still finds the chunks it names (the bucket is versioned too).
   */
  private deployConsole(directory: string, props: EdgeStackProps): void {
    const logGroup = new LogGroup(this, 'ConsoleDeploymentLogGroup', { retention: props.profile.logRetention, removalPolicy: props.profile.removalPolicy });
    const hashed = new BucketDeployment(this, 'ConsoleHashedFiles', {
      sources: [Source.asset(directory)],
      destinationBucket: this.consoleBucket,
      exclude: ['*'],
      include: [`${hashedAssetsPrefix}*`],
      cacheControl: [CacheControl.fromString(consoleCacheControl.hashed)],
      prune: false,
      memoryLimit: 512,
      logGroup,
    });
    const pages = new BucketDeployment(this, 'ConsolePages', {
      sources: [Source.asset(directory), Source.jsonData('config.json', consoleConfig(props.people, props.publicBaseUrl ?? `https://${this.distribution.distributionDomainName}`))],
      destinationBucket: this.consoleBucket,
      exclude: [`${hashedAssetsPrefix}*`],
      cacheControl: [CacheControl.fromString(consoleCacheControl.other)],
      prune: false,
      memoryLimit: 512,
      logGroup,
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    // index.html names the hashed files: they go first.
    pages.node.addDependency(hashed);
    acknowledgeConsoleDeploymentFindings(this, this.consoleBucket);
  }
}

/**
 * The console's /config.json (web/src/auth/session.ts, ConsoleConfig): the Cognito issuer as the
 * OpenID Connect authority, the console's client, and managed login's logout endpoint, which
 * Cognito's discovery document does not list.
 */
export function consoleConfig(people: PersonTokens, consoleOrigin: string) {
  return {
    authority: people.issuer,
    clientId: people.clientId,
    logoutUrl: people.logoutUrl,
    redirectUri: `${consoleOrigin}${consolePaths.callback}`,
    postLogoutRedirectUri: `${consoleOrigin}${consolePaths.afterSignOut}`,
  };
}

function acknowledgeDistributionFindings(distribution: Distribution): void {
  Validations.of(distribution).acknowledge(
    {
      id: 'AwsSolutions-CFR1',
      reason: 'Tenants and their customers are in many countries (a tenant chooses where it surveys); WAF, not geography, decides who is refused.',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason:
        "Every forwarded request is logged once by the API's access log (without the caller's IP, user agent, path or query: personal data); what WAF refuses is counted per rule with sampled requests. CloudFront logs would keep viewers' IPs and full URLs.",
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate, whose minimum protocol CloudFront fixes; a custom domain with its ACM certificate and TLSv1.2_2021 is the operator’s step (docs/operations.md).',
    },
  );
}

/**
 * The console's deployment runs aws-cdk-lib's own BucketDeployment handler (a Python Lambda
 * function that copies the built files at deploy time); its findings are those of that construct.
 */
function acknowledgeConsoleDeploymentFindings(stack: Stack, bucket: Bucket): void {
  const handlers = stack.node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (handlers.length === 0) throw new Error('No BucketDeployment handler found to review');
  const qualifier = String(stack.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER);
  const consoleBucket = stack.getLogicalId(bucket.node.defaultChild as CfnBucket);
  const grants =
    "BucketDeployment's own grant to its handler: read the CDK asset bucket's objects, write and delete the console bucket's objects; CloudFront invalidations have no resource-level permissions.";
  for (const handler of handlers) {
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "aws-cdk-lib's BucketDeployment handler role has AWSLambdaBasicExecutionRole (its logs); it runs only during a deployment.",
      },
      ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => ({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: grants })),
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: grants },
      { id: `AwsSolutions-IAM5[Resource::<${consoleBucket}.Arn>/*]`, reason: grants },
      { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*]`, reason: grants },
      { id: 'AwsSolutions-L1', reason: "The runtime of aws-cdk-lib's BucketDeployment handler is chosen by aws-cdk-lib and moves with its version." },
      { id: 'Serverless-LambdaLatestVersion', reason: "The runtime of aws-cdk-lib's BucketDeployment handler is chosen by aws-cdk-lib and moves with its version." },
      {
        id: 'Serverless-LambdaDLQ',
        reason: 'Invoked synchronously by CloudFormation as a custom resource: a failure fails (and rolls back) the deployment; there is no event to dead-letter.',
      },
      { id: 'Serverless-LambdaTracing', reason: 'Runs once per deployment to copy files; its log group records each run. Tracing would show nothing more.' },
    );
  }
}

function acknowledgeConsoleBucketFindings(bucket: Bucket): void {
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      "The console's bucket holds only the built console (public code) and its config.json; it is read by CloudFront alone (origin access control) and written only by the deployment, which CloudTrail records. Access logs would add nothing.",
  });
}
