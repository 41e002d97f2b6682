import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventsStack } from '../../infra/events-stack';
import { declaredFunctions } from '../../infra/api-stack';
import { eventFunctions } from '../../shared/events/subscriptions';
import type { FunctionDeclaration } from '../../shared/http/functions';
import { type CfnResource, exampleOperatorKeyHash, resourcesOf, synthTimeout, synthesize } from './synth';

/** Two-way SMS and SMS sending as the events stack deploys them (infra/messaging.ts). */

let events: Template;
let api: Template;
let stack: EventsStack;
const stage = 'dev';

beforeAll(() => {
  const built = synthesize({ stage, operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
  events = built.eventsTemplate;
  api = built.apiTemplate;
  stack = built.events;
}, synthTimeout);

const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
const topicId = () => logicalId(stack.events.inboundSms.topic);
const keyId = () => logicalId(stack.events.inboundSms.key);

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Principal?: unknown; Condition?: unknown };
function functionEntry(template: Template, name: string): [string, CfnResource] | undefined {
  return Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).find(
    ([, fn]) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_SERVICE_NAME === `switchboard-${name}`,
  );
}
function roleStatements(template: Template, fn: CfnResource): Statement[] {
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const smsActions = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('sms-voice:'));

describe('the inbound SMS topic', () => {
  it('is a standard topic encrypted with a rotating customer managed key', () => {
    const topic = resourcesOf(events, 'AWS::SNS::Topic')[topicId()]!;
    expect(topic.Properties).toMatchObject({ TopicName: `switchboard-${stage}-inbound-sms`, KmsMasterKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] } });
    expect(topic.Properties.FifoTopic).toBeUndefined();
    expect(resourcesOf(events, 'AWS::KMS::Key')[keyId()]!.Properties.EnableKeyRotation).toBe(true);
  });

  it('lets End User Messaging SMS of this account use the key and publish, and refuses plain HTTP', () => {
    const sourceAccount = { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } };
    const key = resourcesOf(events, 'AWS::KMS::Key')[keyId()]!;
    expect((key.Properties.KeyPolicy as { Statement: Statement[] }).Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Principal: { Service: 'sms-voice.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: expect.objectContaining({ StringEquals: sourceAccount }),
        }),
      ]),
    );
    events.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId() },
            Condition: Match.objectLike({ StringEquals: sourceAccount }),
          }),
        ]),
      },
    });
  });

  it('delivers to sms-inbound, with a dead-letter queue for the subscription and for failed invocations', () => {
    const [receiverId] = functionEntry(events, 'sms-inbound')!;
    const subscriptions = Object.values(resourcesOf(events, 'AWS::SNS::Subscription')).filter(
      (subscription) => JSON.stringify(subscription.Properties.TopicArn) === JSON.stringify({ Ref: topicId() }),
    );
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]!.Properties).toMatchObject({ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': [receiverId, 'Arn'] } });
    const redrive = subscriptions[0]!.Properties.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string, string] } };
    const queueId = redrive.deadLetterTargetArn['Fn::GetAtt'][0];
    expect(resourcesOf(events, 'AWS::SQS::Queue')[queueId]).toBeDefined();

    events.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: receiverId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    events.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [receiverId, 'Arn'] },
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topicId() },
    });
    events.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    });
  });
});

describe('SMS permissions', () => {
  it('let sms-inbound send and opt numbers out on this account’s SMS resources only', () => {
    const [, fn] = functionEntry(events, 'sms-inbound')!;
    const statements = roleStatements(events, fn);
    expect([...new Set(smsActions(statements))].sort()).toEqual(['sms-voice:PutOptedOutNumber', 'sms-voice:SendTextMessage']);
    const send = statements.find((s) => s.Action === 'sms-voice:SendTextMessage')!;
    const resources = JSON.stringify(send.Resource);
    for (const type of ['phone-number/*', 'pool/*', 'sender-id/*', 'configuration-set/*', 'opt-out-list/*']) expect(resources).toContain(`:${type}`);
    expect(resources).toContain('AWS::AccountId');
    expect(resources).not.toContain('"*"');
    const optOut = statements.find((s) => s.Action === 'sms-voice:PutOptedOutNumber')!;
    expect(JSON.stringify(optOut.Resource)).toContain(':opt-out-list/*');
    expect(JSON.stringify(optOut.Resource)).not.toContain('phone-number');
  });

  it('§1 tenants use only what the operator gave them: sending and opt-out writes only on SMS resources tagged with a tenant (aws:ResourceTag/tenantId), AWS Default opt-out list by name', () => {
    for (const name of ['sms-inbound', 'survey-send']) {
      const entry = functionEntry(events, name)!;
      const statements = roleStatements(events, entry[1]).filter((s) => smsActions([s]).length > 0);
      const taggedOnly = { Null: { 'aws:ResourceTag/tenantId': 'false' } };
      const wildcards = statements.filter((s) => JSON.stringify(s.Resource).includes('/*'));
      expect(wildcards.length, name).toBeGreaterThanOrEqual(2);
      for (const statement of wildcards) expect(statement.Condition, `${name} ${JSON.stringify(statement.Action)}`).toEqual(taggedOnly);
      const untagged = statements.filter((s) => s.Condition === undefined);
      expect(untagged.map((s) => JSON.stringify(s.Resource)).every((resource) => resource.includes(':opt-out-list/Default') && !resource.includes('*')), name).toBe(true);
    }
  });

  it('are given to no function that does not declare it sends SMS', () => {
    const all = { ...declaredFunctions, ...eventFunctions } as Record<string, FunctionDeclaration>;
    for (const [name, declaration] of Object.entries(all)) {
      if (declaration.sendsSms) continue;
      const entry = functionEntry(events, name) ?? functionEntry(api, name);
      expect(smsActions(roleStatements(entry === functionEntry(events, name) ? events : api, entry![1])), name).toEqual([]);
    }
  });
});

describe('the SMS cap alarm (issue 11 §2)', () => {
  it('alarms when any tenant passes 80 % of an SMS limit: the maximum over every tenant of the per-tenant metric, by Metrics Insights', () => {
    const alarms = Object.values(resourcesOf(events, 'AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Metrics ?? []).includes('SmsCapUsedPercent'),
    );
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!.Properties;
    expect(alarm).toMatchObject({ Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    expect(alarm.Metrics).toEqual([
      expect.objectContaining({
        Expression: 'SELECT MAX(SmsCapUsedPercent) FROM SCHEMA("Switchboard", service, tenantId)',
        Period: 300,
        ReturnData: true,
      }),
    ]);
    expect(String(alarm.AlarmDescription)).toContain('GROUP BY tenantId');
    expect(String(alarm.AlarmDescription)).toContain('docs/operations.md');
  });
});
