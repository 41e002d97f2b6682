import { CfnOutput, CfnParameter, Duration, Fn, SecretValue, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { apiKeyPattern } from '../shared/domain/api-key';
import { edgeOrigin } from '../shared/http/functions';
import { problemBody, problemTypeBase, unauthorized } from '../shared/http/problem';
import { routes } from '../shared/http/routes';
import { strictTransportSecurity } from '../shared/http/transport-security';
import { type StageProfile, webAclArnPattern } from './config';

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

/**
 * `Authorization: Bearer <key>` with a key of the issued shape (apiKeyPattern), as the handlers
 * parse it (bearerToken). A new kind of credential for the tenant authorizer (people's access
 * tokens) must be added here, or the edge refuses it.
 */
export const bearerKeyRegex = `^[Bb][Ee][Aa][Rr][Ee][Rr]\\s+${apiKeyPattern.source.replace(/^\^|\$$/g, '')}\\s*$`;

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
      description: `Switchboard ${stage}: in front of the API and the survey pages, through CloudFront`,
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
        // The group blocks bodies over 8 KiB; the API takes up to 64 KiB and answers a larger one 413 itself.
        managedGroup(edgeRuleNames.common, 2, ['SizeRestrictions_BODY']),
        managedGroup(edgeRuleNames.knownBadInputs, 3),
        tenantKeyShapeRule(4, visibility(edgeRuleNames.tenantKeyShape)),
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
}

/**
 * CloudFront in front of the whole HTTP API (`/v1/*`, the survey pages `/s/*`, `/openapi.json`),
 * with the stage's WAF web ACL. Nothing is cached: every request reaches the API with its
 * Authorization, query string and headers (Idempotency-Key, If-Match, Content-Type, …), plus the
 * origin secret header that CloudFront sets (overwriting one a viewer may send).
 */
export class EdgeStack extends Stack {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { stage } = props.profile;
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
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Switchboard ${stage}: HSTS and nosniff as the functions send them, frame and referrer defaults`,
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(strictTransportSecurity.maxAgeSeconds),
          includeSubdomains: strictTransportSecurity.includeSubdomains,
          override: true,
        },
        contentTypeOptions: { override: true },
        // The survey page sends its own (DENY, no-referrer); these fill in for answers that have none.
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: false },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: false },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Switchboard ${stage}: API and survey pages`,
      defaultBehavior: {
        origin,
        // HTTPS only, not a redirect: a redirected POST would lose its body.
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Every viewer header (Authorization included, allowed since nothing is cached), cookie and
        // query string, and CloudFront-Viewer-Address; not Host, which API Gateway routes by.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: securityHeaders,
      },
      webAclId: webAclArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
    });
    acknowledgeDistributionFindings(this.distribution);

    new CfnOutput(this, 'EdgeUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
      description: 'The public address of the API and the survey pages (give it as -c publicBaseUrl)',
    });
  }
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
