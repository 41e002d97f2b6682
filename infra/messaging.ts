import { ArnFormat, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const smsService = 'sms-voice.amazonaws.com';

export interface InboundSmsProps {
  stage: string;
  /** functions/sms-inbound: subscribed to the topic. */
  receiver: NodejsFunction;
  /** Messages SNS could not hand to the function, and invocations that failed after Lambda's retries. */
  deadLetterQueue: Queue;
  removalPolicy: RemovalPolicy;
}

/**
 * Two-way SMS: the SNS topic tenants' numbers in AWS End User Messaging SMS publish customers'
 * messages to (docs/operations.md, "SMS"), and the sms-inbound function subscribed to it.
 *
 * The topic is encrypted with a customer managed key, not SNS's AWS managed key (alias/aws/sns):
 * AWS End User Messaging SMS must be allowed to use the key to publish, and an AWS managed key's
 * policy cannot be changed.
 */
export class InboundSms extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  /** SNS deliveries sms-inbound could not take, and invocations it failed after Lambda's retries. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: InboundSmsProps) {
    super(scope, id);
    this.deadLetterQueue = props.deadLetterQueue;
    const stack = Stack.of(this);
    const fromThisAccountsSms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'sms-voice', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) },
    };

    this.key = new Key(this, 'TopicKey', {
      description: `Switchboard ${props.stage}: encrypts the inbound SMS topic`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(smsService)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromThisAccountsSms,
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      topicName: `switchboard-${props.stage}-inbound-sms`,
      displayName: `Switchboard ${props.stage}: customers' SMS to tenants' numbers`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // Only End User Messaging SMS of this account (the numbers' two-way destination) may publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(smsService)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccountsSms,
      }),
    );

    this.topic.addSubscription(new LambdaSubscription(props.receiver, { deadLetterQueue: props.deadLetterQueue }));
    props.receiver.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(props.deadLetterQueue),
    });
  }
}

/**
 * The tag the operator puts on every SMS resource it allocates to a tenant (docs/operations.md,
 * "Allocating resources to a tenant"): its value is the tenant id.
 */
export const smsTenantTagKey = 'tenantId';

/**
 * Lets a function send SMS and put numbers on opt-out lists (shared/ports/sms-sender.ts).
 * SendTextMessage authorizes every resource the request names: the origination identity (phone
 * number, pool or sender ID), the configuration set and the opt-out list. The operator allocates
 * resources to tenants at run time, so the grant names each resource type of this account and
 * region, not single resources, and only those carrying a `tenantId` tag (allocated to a tenant):
 * a number of the account that no tenant was given cannot be sent from. Which tenant may use which
 * tagged resource is checked by the sender before each send against the same allocation
 * (shared/services/sending-rights.ts; docs/developers/security.md, "Tenants use only what the operator gave
 * them"). AWS's `Default` opt-out list cannot be one tenant's, and is granted by name.
 */
export function allowSmsSending(fn: NodejsFunction): void {
  const stack = Stack.of(fn);
  const smsResource = (resource: string, name: string) =>
    stack.formatArn({ service: 'sms-voice', resource, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const sendResources = [
    smsResource('phone-number', '*'),
    smsResource('pool', '*'),
    smsResource('sender-id', '*'),
    smsResource('configuration-set', '*'),
    smsResource('opt-out-list', '*'),
  ];
  const allocatedToATenant = { Null: { [`aws:ResourceTag/${smsTenantTagKey}`]: 'false' } };
  const defaultOptOutList = smsResource('opt-out-list', 'Default');
  fn.addToRolePolicy(new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: sendResources, conditions: allocatedToATenant }));
  fn.addToRolePolicy(new PolicyStatement({ actions: ['sms-voice:PutOptedOutNumber'], resources: [smsResource('opt-out-list', '*')], conditions: allocatedToATenant }));
  fn.addToRolePolicy(new PolicyStatement({ actions: ['sms-voice:SendTextMessage', 'sms-voice:PutOptedOutNumber'], resources: [defaultOptOutList] }));
  for (const resource of sendResources) {
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(resource, stack)}]`,
      reason:
        "The operator allocates SMS numbers, pools, configuration sets and opt-out lists to tenants at run time; the grant is limited to SendTextMessage (and PutOptedOutNumber on opt-out lists) on this account's and region's resources of each type that carry a tenantId tag, and the sender checks the tag's tenant is the one it sends for.",
    });
  }
}

/**
 * Lets a function mail from the SES identities (domains or addresses) the operator allocated to
 * tenants (shared/ports/mail.ts sendCaseMail). As for SMS, identities are allocated at run time, so
 * the grant names this account's and region's identities carrying a `tenantId` tag (the operator
 * tags each identity it allocates, docs/operations.md "Allocating a mail identity"), and the sender
 * checks the allocation before each send (shared/domain/allocations.ts caseMailFrom).
 */
export function allowTenantMailSending(fn: NodejsFunction): void {
  const stack = Stack.of(fn);
  const identities = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['ses:SendEmail'], resources: [identities], conditions: { Null: { [`aws:ResourceTag/${smsTenantTagKey}`]: 'false' } } }),
  );
  Validations.of(fn.role!).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagArn(identities, stack)}]`,
    reason:
      "The operator allocates SES identities to tenants at run time; the grant is limited to SendEmail from this account's and region's identities that carry a tenantId tag, and the sender mails only from the identity allocated to the tenant it sends for.",
  });
}

/** How cdk-nag prints an ARN built by formatArn: `arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:…`. */
function nagArn(arn: string, stack: Stack): string {
  const resolved = stack.resolve(arn) as unknown;
  if (typeof resolved === 'string') return resolved;
  const [separator, parts] = (resolved as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((part) => (typeof part === 'string' ? part : `<${String((part as { Ref: string }).Ref)}>`)).join(separator);
}

/** The metric the metered SMS sender publishes per send, with `service` and `tenantId` as dimensions (shared/services/metered-sms.ts). */
export const smsCapUsedMetric = { namespace: 'Switchboard', metricName: 'SmsCapUsedPercent' } as const;

/** A tenant past this share of any SMS limit (segments per day or month, the monthly spend cap) raises SmsCapAlarm. */
export const smsCapAlarmPercent = 80;

/**
 * Raised when any tenant passes 80 % of one of its SMS limits (docs/operations.md, "SMS quota
 * alarm"). An alarm needs fixed dimensions and tenants come and go, so it watches a CloudWatch
 * Metrics Insights query: the maximum of the per-tenant metric over every tenant and sending
 * function. The query that names the tenant is in the alarm's description.
 */
export function addSmsCapAlarm(scope: Construct): Alarm {
  const query = `SELECT MAX(${smsCapUsedMetric.metricName}) FROM SCHEMA("${smsCapUsedMetric.namespace}", service, tenantId)`;
  return new Alarm(scope, 'SmsCapAlarm', {
    alarmDescription:
      `A tenant used more than ${smsCapAlarmPercent} % of an SMS limit (segments per day or month, or the monthly spend cap). ` +
      `Which tenant: ${query} GROUP BY tenantId ORDER BY MAX() DESC LIMIT 10. What to do: docs/operations.md, "SMS quota alarm".`,
    metric: new MathExpression({ expression: query, period: Duration.minutes(5), label: 'Highest SMS cap use of any tenant (%)', usingMetrics: {} }),
    threshold: smsCapAlarmPercent,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
