import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { EventBus, type EventPattern as CdkEventPattern, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventSource } from '../shared/events/catalog';
import { eventRelay } from '../shared/events/outbox-stream';
import {
  type EventFunctionName,
  type EventPattern,
  type Subscription,
  defaultRetry,
  eventFunctions,
  subscriptions,
} from '../shared/events/subscriptions';
import type { FunctionDeclaration } from '../shared/http/functions';
import { type StageProfile, reservedConcurrencyOf } from './config';
import { createSwitchboardFunction, deployedFunctionName, pascalCase } from './lambda-function';
import { InboundSms, addSmsCapAlarm, allowSmsSending } from './messaging';
import { InboundMail } from './inbound-mail';

export interface EventBackboneProps {
  profile: StageProfile;
  /** The table, with its stream (NEW_IMAGE): the relay reads new outbox records from it. */
  table: ITable;
  secretKey: IKey;
  tableIndexes: string;
  operatorKeyHash?: string;
  /** The API's public base URL, for the web link in survey SMS (PUBLIC_BASE_URL); absent: no link. */
  publicBaseUrl?: string;
  /** The domain of tenants' inbound mailboxes (SES receiving); absent: the mail bucket and function but no receipt rule set. */
  inboundMailDomain?: string;
}

const consumerTimeout = Duration.seconds(30);
const relayTimeout = Duration.minutes(1);
/** Lambda's retries of an asynchronous invocation that failed, before it goes to the failed-invocations queue. */
const asyncRetryAttempts = 2;
const asyncMaxEventAge = Duration.hours(6);
/** Dead letters are kept as long as SQS allows: time to find the bug and redrive. */
const deadLetterRetention = Duration.days(14);

/**
 * The event side of a stage, built from the declarations in shared/events: the bus, the outbox
 * relay on the table's stream, one function per event consumer, one rule per subscription (with
 * its retry policy and dead-letter queue), an alarm on every dead-letter queue, and the schedule
 * group and role through which functions set one-time timers.
 */
export class EventBackbone extends Construct {
  readonly bus: EventBus;
  readonly relay: NodejsFunction;
  readonly relayDeadLetterQueue: Queue;
  /**
   * Invocations an event function failed after Lambda's own retries. Rules, schedules and SNS
   * invoke the functions asynchronously: a rule's dead-letter queue only catches events it could
   * not hand to Lambda, so a consumer that throws would otherwise lose the event once Lambda gives up.
   */
  readonly failedInvocationsQueue: Queue;
  readonly functions: Record<EventFunctionName, NodejsFunction>;
  /** By subscription name. */
  readonly rules: Record<string, Rule> = {};
  /** By subscription name. */
  readonly deadLetterQueues: Record<string, Queue> = {};
  readonly scheduleGroup: ScheduleGroup;
  /** `switchboard-<stage>`, as a plain string: other stacks use it without a cross-stack reference. */
  readonly scheduleGroupName: string;
  /** Assumed by EventBridge Scheduler to invoke the timers' target functions. */
  readonly schedulerRole: Role;
  /** `arn:aws:lambda:<region>:<account>:function:switchboard-<stage>-`: a declared name appended is a function's ARN. */
  readonly functionArnPrefix: string;
  /** Two-way SMS: the topic tenants' numbers publish to, with sms-inbound subscribed (infra/messaging.ts). */
  readonly inboundSms: InboundSms;
  /** Inbound e-mail: the mail bucket and SES's receipt rule set invoking mail-inbound (infra/inbound-mail.ts). */
  readonly inboundMail: InboundMail;

  constructor(scope: Construct, id: string, private readonly props: EventBackboneProps) {
    super(scope, id);
    const { profile } = props;
    const stack = Stack.of(this);

    this.bus = new EventBus(this, 'Bus', {
      eventBusName: `switchboard-${profile.stage}`,
      description: `Switchboard ${profile.stage}: domain events (source switchboard)`,
    });
    this.scheduleGroupName = `switchboard-${profile.stage}`;
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', {
      scheduleGroupName: this.scheduleGroupName,
      removalPolicy: profile.removalPolicy,
    });
    this.functionArnPrefix = stack.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: deployedFunctionName(profile.stage, ''),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      // Only schedules of this account may use the role (the confused-deputy guard AWS recommends).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Switchboard ${profile.stage}: EventBridge Scheduler invokes timer targets`,
    });

    this.functions = Object.fromEntries(
      Object.entries<FunctionDeclaration>(eventFunctions).map(([name, declaration]) => [
        name,
        this.createFunction(name, declaration, consumerTimeout),
      ]),
    ) as Record<EventFunctionName, NodejsFunction>;
    this.failedInvocationsQueue = this.createDeadLetterQueue(
      'FailedInvocationsQueue',
      'Events, timers and inbound SMS an event function failed on after Lambda retried them (each record names the function and holds the event): fix, then `npm run redrive`',
    );
    for (const [name, fn] of Object.entries<NodejsFunction>(this.functions)) {
      // sms-inbound's failures go to the inbound SMS dead-letter queue with its SNS deliveries (infra/messaging.ts).
      if (name === 'sms-inbound') continue;
      fn.configureAsyncInvoke({
        retryAttempts: asyncRetryAttempts,
        maxEventAge: asyncMaxEventAge,
        onFailure: new SqsDestination(this.failedInvocationsQueue),
      });
    }
    const targets = Object.values<NodejsFunction>(this.functions);
    if (targets.length > 0) {
      // The function ARNs themselves, not `:*`: schedules invoke the unqualified function.
      this.schedulerRole.addToPolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: targets.map((fn) => fn.functionArn) }),
      );
    }
    for (const [name, declaration] of Object.entries<FunctionDeclaration>(eventFunctions)) {
      if (declaration.schedules) this.allowTimers(this.functions[name as EventFunctionName]);
    }
    for (const [name, declaration] of Object.entries<FunctionDeclaration>(eventFunctions)) {
      if (declaration.sendsSms) allowSmsSending(this.functions[name as EventFunctionName]);
    }
    for (const subscription of subscriptions) this.subscribe(subscription);
    this.inboundSms = new InboundSms(this, 'InboundSms', {
      stage: profile.stage,
      receiver: this.functions['sms-inbound'],
      deadLetterQueue: this.createDeadLetterQueue(
        'InboundSmsDeadLetterQueue',
        'Inbound SMS that SNS could not hand to sms-inbound, or that failed after its retries',
      ),
      removalPolicy: profile.removalPolicy,
    });
    addSmsCapAlarm(this);
    const mailReceivers = Object.entries<FunctionDeclaration>(eventFunctions).filter(([, declaration]) => declaration.mailBucket === 'receive');
    if (mailReceivers.length !== 1) throw new Error('Exactly one event function must declare mailBucket: receive (SES receiving invokes one function)');
    this.inboundMail = new InboundMail(this, 'InboundMail', {
      stage: profile.stage,
      domain: props.inboundMailDomain,
      receiver: this.functions[mailReceivers[0]![0] as EventFunctionName],
      removalPolicy: profile.removalPolicy,
    });
    for (const [name, declaration] of Object.entries<FunctionDeclaration>(eventFunctions)) {
      if (declaration.mailBucket === 'erase') this.inboundMail.allowErasure(this.functions[name as EventFunctionName]);
    }

    this.relayDeadLetterQueue = this.createDeadLetterQueue(
      'RelayDeadLetterQueue',
      'Stream positions of outbox records the relay could not publish after every retry: republish them (docs/developers/events.md)',
    );
    this.relay = this.createRelay();
  }

  /** Lets a function sign download links of mail attachments (shared/ports/object-store.ts). */
  allowAttachmentDownloads(fn: NodejsFunction): void {
    this.inboundMail.allowAttachmentDownloads(fn);
  }

  /** Lets a function set and cancel timers in this stage's schedule group (shared/ports/scheduler.ts). */
  allowTimers(fn: NodejsFunction): void {
    fn.addEnvironment('SCHEDULE_GROUP_NAME', this.scheduleGroupName);
    fn.addEnvironment('SCHEDULER_ROLE_ARN', this.schedulerRole.roleArn);
    fn.addEnvironment('FUNCTION_ARN_PREFIX', this.functionArnPrefix);
    const schedules = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [schedules],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(Stack.of(fn).resolve(schedules))}]`,
      reason: `Timers are schedules named at run time; the grant covers only create/update/delete of schedules in this stage's group (${this.scheduleGroupName}).`,
    });
  }

  private createFunction(name: string, declaration: FunctionDeclaration, timeout: Duration): NodejsFunction {
    const { profile, table, secretKey, tableIndexes, operatorKeyHash, publicBaseUrl } = this.props;
    const reservedConcurrency = reservedConcurrencyOf(profile, name);
    const fn = createSwitchboardFunction(this, { name, declaration, profile, table, secretKey, tableIndexes, operatorKeyHash, timeout, reservedConcurrency });
    if (publicBaseUrl && declaration.sendsSms) fn.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    this.alarmOn(`${pascalCase(name)}ErrorsAlarm`, `The ${name} function failed (each failure is retried; see its dead-letter queue)`, fn.metricErrors({ period: Duration.minutes(5) }), 0);
    return fn;
  }

  private subscribe(subscription: Subscription): void {
    const id = pascalCase(subscription.name);
    const retry = subscription.retry ?? defaultRetry;
    const deadLetterQueue = this.createDeadLetterQueue(
      `${id}DeadLetterQueue`,
      `Events the ${subscription.name} rule could not deliver to ${subscription.consumer} after every retry`,
    );
    const rule = new Rule(this, `${id}Rule`, {
      eventBus: this.bus,
      ruleName: `${this.props.profile.stage}-${subscription.name}`,
      description: subscription.description,
      eventPattern: {
        ...cdkEventPattern(subscription.pattern),
        // Switchboard's own events come from this account only. Other accounts may be allowed on
        // the bus (tenants forwarding Amazon Connect events); this keeps them from posing as us.
        ...(subscription.pattern.source.includes(eventSource) ? { account: [Stack.of(this).account] } : {}),
      },
    });
    rule.addTarget(
      new LambdaFunction(this.functions[subscription.consumer], {
        retryAttempts: retry.maximumRetryAttempts,
        maxEventAge: Duration.seconds(retry.maximumEventAgeSeconds),
        deadLetterQueue,
      }),
    );
    this.rules[subscription.name] = rule;
    this.deadLetterQueues[subscription.name] = deadLetterQueue;
  }

  private createRelay(): NodejsFunction {
    const relay = this.createFunction(eventRelay.name, eventRelay.declaration, relayTimeout);
    relay.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);
    this.bus.grantPutEventsTo(relay);
    relay.addEventSource(
      new DynamoEventSource(this.props.table, {
        // TRIM_HORIZON, not LATEST: a mapping created (or re-created) after records were written must
        // still relay them; LATEST would silently skip every outbox record written before it started.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: eventRelay.batchSize,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: eventRelay.retryAttempts,
        maxRecordAge: Duration.seconds(eventRelay.maximumRecordAgeSeconds),
        filters: [FilterCriteria.filter(eventRelay.filter)],
        onFailure: new SqsDlq(this.relayDeadLetterQueue),
      }),
    );
    Validations.of(relay.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and dynamodb:ListStreams, which the stream event source needs, do not support resource-level permissions.',
    });
    this.alarmOn(
      'RelayIteratorAgeAlarm',
      'Outbox records wait more than 5 minutes for the relay: events are delayed (EventBridge down, or the relay failing)',
      relay.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
      5 * 60 * 1000,
    );
    return relay;
  }

  private createDeadLetterQueue(id: string, description: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: deadLetterRetention,
      removalPolicy: this.props.profile.removalPolicy,
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue (of an EventBridge rule target, the stream relay, the inbound SMS subscription or failed asynchronous invocations); its messages are redriven by hand.',
    });
    this.alarmOn(
      `${id}Alarm`,
      `${description}. Any message here is an event not delivered.`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      0,
    );
    return queue;
  }

  private alarmOn(id: string, description: string, metric: Metric, above: number): Alarm {
    return new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: above,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

/** The declared pattern in CDK's terms (camelCase keys, which CDK renders back as EventBridge's). */
export function cdkEventPattern(pattern: EventPattern): CdkEventPattern {
  const { source, 'detail-type': detailType, detail, ...rest } = pattern;
  if (Object.keys(rest).length > 0) throw new Error(`Unsupported top-level pattern fields: ${Object.keys(rest).join(', ')}`);
  return {
    source: [...source],
    ...(detailType ? { detailType: [...detailType] } : {}),
    ...(detail ? { detail: detail as Record<string, unknown> } : {}),
  };
}

/** How cdk-nag prints a resource: CloudFormation pseudo parameters as `<AWS::Region>`, joins flattened. */
function nagResource(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  if (typeof resolved === 'object' && resolved !== null) {
    if ('Ref' in resolved) return `<${String(resolved.Ref)}>`;
    if ('Fn::Join' in resolved) {
      const [separator, parts] = resolved['Fn::Join'] as [string, unknown[]];
      return parts.map(nagResource).join(separator);
    }
  }
  return JSON.stringify(resolved);
}
