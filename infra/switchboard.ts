import { type App, type Stack, Validations } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ApiStack } from './api-stack';
import { type DeploymentSettings, stageProfile } from './config';
import { DataStack } from './data-stack';
import { EdgeStack, FirewallStack, firewallRegion } from './edge-stack';
import { EventsStack } from './events-stack';
import { PeopleStack } from './people-stack';

export interface SwitchboardStacks {
  data: DataStack;
  events: EventsStack;
  people: PeopleStack;
  api: ApiStack;
  /** Absent when `-c webAclArn` names a web ACL made elsewhere. */
  firewall?: FirewallStack;
  edge: EdgeStack;
}

/**
 * Adds one stage of Switchboard to the app, with cdk-nag's AWS Solutions and Serverless checks: `cdk synth`
 * fails on an unacknowledged error and reports every unacknowledged warning.
 */
export function addSwitchboard(app: App, settings: DeploymentSettings): SwitchboardStacks {
  const profile = stageProfile(settings.stage, settings.logLevel, settings.reserveConcurrency);
  const prefix = `Switchboard-${settings.stage}`;
  const tags = { project: 'switchboard', stage: settings.stage };

  const data = new DataStack(app, `${prefix}-Data`, {
    env: settings.env,
    description: `Switchboard ${settings.stage}: the DynamoDB table`,
    terminationProtection: profile.isProduction,
    tags,
    profile,
  });
  const people = new PeopleStack(app, `${prefix}-People`, {
    env: settings.env,
    description: `Switchboard ${settings.stage}: the Cognito user pool of people (all tenants), managed login and the console's client`,
    terminationProtection: profile.isProduction,
    tags,
    profile,
    publicBaseUrl: settings.publicBaseUrl,
    mail: settings.mail,
    signInDomain: settings.signInDomain,
    identityProviders: settings.identityProviders,
    table: data.table,
    secretKey: data.secretKey,
  });
  const events = new EventsStack(app, `${prefix}-Events`, {
    env: settings.env,
    description: `Switchboard ${settings.stage}: event bus, rules, consumers, outbox relay and timers`,
    tags,
    profile,
    table: data.table,
    secretKey: data.secretKey,
    operatorKeyHash: settings.operatorKeyHash,
    publicBaseUrl: settings.publicBaseUrl,
    inboundMailDomain: settings.inboundMailDomain,
    people: people.tokens,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    env: settings.env,
    description: `Switchboard ${settings.stage}: HTTP API, authorizer and functions`,
    tags,
    profile,
    table: data.table,
    secretKey: data.secretKey,
    operatorKeyHash: settings.operatorKeyHash,
    events: events.events,
    originSecretVersions: settings.originSecretVersions,
    people: {
      tokens: people.tokens,
      mail: settings.mail,
      publicBaseUrl: settings.publicBaseUrl,
      signupRequiresApproval: settings.signupRequiresApproval,
    },
    inboundMailDomain: settings.inboundMailDomain,
  });
  const firewall = settings.webAclArn
    ? undefined
    : new FirewallStack(app, `${prefix}-Firewall`, {
        env: { account: settings.env?.account, region: firewallRegion },
        description: `Switchboard ${settings.stage}: the WAF web ACL in front of the edge (CloudFront scope, so us-east-1)`,
        tags,
        profile,
      });
  // The web ACL's ARN crosses regions by hand (-c webAclArn or the WebAclArn parameter): a
  // cross-region reference would need both regions known at synth, and `cdk synth` runs without an account.
  const edge = new EdgeStack(app, `${prefix}-Edge`, {
    env: settings.env,
    description: `Switchboard ${settings.stage}: CloudFront with WAF in front of the API, the survey pages and the console (S3)`,
    tags,
    profile,
    api: api.api,
    originSecret: api.originSecret,
    originSecretVersions: settings.originSecretVersions,
    webAclArn: settings.webAclArn,
    people: people.tokens,
    publicBaseUrl: settings.publicBaseUrl,
    live: { domainName: events.live.domainName },
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  acknowledgeServerlessFindings({ data, events, people, api, edge });
  return { data, events, people, api, firewall, edge };
}

const constructsOf = <T extends IConstruct>(stack: Stack, type: abstract new (...args: never[]) => T) =>
  stack.node.findAll().filter((construct): construct is T => construct instanceof type);

/**
 * The Serverless pack's findings that are by design, each with its reason, per resource (never
 * app-wide, so a new function or queue is checked afresh). See docs/developers/security.md, "cdk-nag".
 */
function acknowledgeServerlessFindings({ events, api }: SwitchboardStacks): void {
  const backbone = events.events;
  for (const fn of [...constructsOf(api, LambdaFunction), ...constructsOf(events, LambdaFunction)]) {
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaLatestVersion',
      reason: 'Switchboard targets nodejs22.x on purpose (bundles are built for node22 and measured on it); moving to a newer runtime is a deliberate change.',
    });
  }
  for (const fn of constructsOf(api, LambdaFunction)) {
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked synchronously by API Gateway (route or authorizer): a failure is answered to the caller as a 5xx and counted by the errors alarm; there is no queued event to dead-letter.',
    });
  }
  Validations.of(backbone.relay).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason: 'Invoked by the DynamoDB stream event source mapping, whose on-failure destination (RelayDeadLetterQueue) keeps every batch that failed all retries.',
  });
  for (const fn of Object.values(events.live.functions)) {
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked synchronously by the live channel\'s WebSocket API ($connect authorizer and routes): a failure refuses or ends the connection, and the console reconnects; there is no queued event to dead-letter.',
    });
  }
  for (const fn of Object.values(backbone.functions)) {
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked asynchronously (EventBridge rule, Scheduler timer or the inbound-SMS topic): an on-failure destination keeps what failed after Lambda retried it (infra/event-backbone.ts); the rule looks only for the older DeadLetterConfig.',
    });
  }
  const deadLetterQueues = constructsOf(events, Queue).filter((queue) => /(DeadLetterQueue|FailedInvocationsQueue)$/.test(queue.node.id));
  for (const queue of deadLetterQueues) {
    Validations.of(queue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'A dead-letter queue itself (of a rule target, the stream relay or the inbound SMS subscription): it is the end of the line; its messages are redriven by hand (docs/operations.md).',
    });
  }
}
