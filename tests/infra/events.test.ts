import { eventSource } from '../../shared/events/catalog';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventsStack } from '../../infra/events-stack';
import { eventRelay } from '../../shared/events/outbox-stream';
import { defaultRetry, eventFunctions, subscriptions } from '../../shared/events/subscriptions';
import type { FunctionDeclaration } from '../../shared/http/functions';
import { declaredFunctions } from '../../infra/api-stack';
import { type CfnResource, exampleOperatorKeyHash, resourcesOf, synthTimeout, synthesize } from './synth';

/** The event backbone of a stage, as the template has it, checked against the declarations in shared/events. */

let api: Template;
let events: Template;
let data: Template;
let stack: EventsStack;
const stage = 'dev';

beforeAll(() => {
  const built = synthesize({ stage, operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
  api = built.apiTemplate;
  events = built.eventsTemplate;
  data = built.dataTemplate;
  stack = built.events;
}, synthTimeout);

const backbone = () => stack.events;
const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
/** A reference to a resource, whether in the same stack (Ref, GetAtt) or through a cross-stack export. */
const refersTo = (value: unknown, id: string) => JSON.stringify(value).includes(id);

/** Functions are told apart by POWERTOOLS_SERVICE_NAME, which the stacks set to `switchboard-<name>`. */
function findFunction(name: string): { template: Template; id: string; fn: CfnResource } {
  const found = [events, api].flatMap((template) =>
    Object.entries(resourcesOf(template, 'AWS::Lambda::Function'))
      .filter(([, fn]) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_SERVICE_NAME === `switchboard-${name}`)
      .map(([id, fn]) => ({ template, id, fn })),
  );
  expect(found, name).toHaveLength(1);
  return found[0]!;
}
const functionId = (name: string) => findFunction(name).id;
const environmentOf = (name: string) => (findFunction(name).fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
/** Every statement of the policies attached to a role. */
function statementsOf(template: Template, roleId: string): Statement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actions = (statement: Statement) => [statement.Action].flat();
function functionStatements(name: string): Statement[] {
  const { template, fn } = findFunction(name);
  return statementsOf(template, (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]);
}

describe('the event bus', () => {
  it('is one bus per stage, named switchboard-<stage>', () => {
    events.resourceCountIs('AWS::Events::EventBus', 1);
    events.hasResourceProperties('AWS::Events::EventBus', { Name: `switchboard-${stage}` });
  });

  it('has one rule per declared subscription, with its pattern, target, retry policy and its own dead-letter queue', () => {
    const rules = resourcesOf(events, 'AWS::Events::Rule');
    expect(Object.keys(rules)).toHaveLength(subscriptions.length);
    const queueIds = new Set<string>();
    for (const subscription of subscriptions) {
      const ruleEntry = Object.entries(rules).find(([, rule]) => rule.Properties.Name === `${stage}-${subscription.name}`);
      expect(ruleEntry, subscription.name).toBeDefined();
      const [, rule] = ruleEntry!;
      expect(rule.Properties.EventBusName).toEqual({ Ref: logicalId(backbone().bus) });
      const ownEventsOnly = subscription.pattern.source.includes(eventSource) ? { account: [{ Ref: 'AWS::AccountId' }] } : {};
      expect(rule.Properties.EventPattern).toEqual({ ...JSON.parse(JSON.stringify(subscription.pattern)), ...ownEventsOnly });
      const targets = rule.Properties.Targets as { Arn: unknown; RetryPolicy: unknown; DeadLetterConfig: { Arn: { 'Fn::GetAtt': [string] } } }[];
      expect(targets).toHaveLength(1);
      const retry = subscription.retry ?? defaultRetry;
      expect(targets[0]!.Arn).toEqual({ 'Fn::GetAtt': [functionId(subscription.consumer), 'Arn'] });
      expect(targets[0]!.RetryPolicy).toEqual({
        MaximumRetryAttempts: retry.maximumRetryAttempts,
        MaximumEventAgeInSeconds: retry.maximumEventAgeSeconds,
      });
      queueIds.add(targets[0]!.DeadLetterConfig.Arn['Fn::GetAtt'][0]);
    }
    expect(queueIds.size, 'each rule has a queue of its own').toBe(subscriptions.length);
  });

  it('builds a function for every declared event consumer, named switchboard-<stage>-<name>', () => {
    for (const name of Object.keys(eventFunctions)) {
      expect(findFunction(name).fn.Properties.FunctionName).toBe(`switchboard-${stage}-${name}`);
    }
  });
});

describe('dead-letter queues', () => {
  const queues = () => resourcesOf(events, 'AWS::SQS::Queue');

  it('are encrypted, refuse plain HTTP and keep messages 14 days', () => {
    // One per rule, the relay's, the inbound SMS subscription's (infra/messaging.ts), and failed asynchronous invocations.
    expect(Object.keys(queues())).toHaveLength(subscriptions.length + 3);
    for (const queue of Object.values(queues())) {
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 60 * 60 });
    }
    for (const id of Object.keys(queues())) {
      events.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('each have an alarm on any visible message', () => {
    for (const id of Object.keys(queues())) {
      events.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });
});

describe('failed asynchronous invocations', () => {
  it('of every event function go to the failed-invocations queue after Lambda retried them, not lost', () => {
    const failedInvocations = logicalId(backbone().failedInvocationsQueue);
    const configs = Object.values(resourcesOf(events, 'AWS::Lambda::EventInvokeConfig'));
    expect(configs).toHaveLength(Object.keys(eventFunctions).length);
    for (const name of Object.keys(eventFunctions)) {
      const fn = logicalId(backbone().functions[name as keyof typeof eventFunctions]);
      const queue = name === 'sms-inbound' ? logicalId(backbone().inboundSms.deadLetterQueue) : failedInvocations;
      const config = configs.find((candidate) => refersTo(candidate.Properties?.FunctionName, fn));
      expect(config?.Properties, name).toMatchObject({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 60 * 60,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
      });
    }
  });
});

describe('the outbox relay', () => {
  it('reads the table stream, which carries new images', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
  });

  it('is invoked with inserted outbox records only, retried from the failed record, then dead-lettered', () => {
    const mappings = resourcesOf(events, 'AWS::Lambda::EventSourceMapping');
    expect(Object.keys(mappings)).toHaveLength(1);
    const [mapping] = Object.values(mappings) as [CfnResource];
    expect(mapping.Properties).toMatchObject({
      FunctionName: { Ref: functionId(eventRelay.name) },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: eventRelay.batchSize,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: eventRelay.retryAttempts,
      MaximumRecordAgeInSeconds: eventRelay.maximumRecordAgeSeconds,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(eventRelay.filter) }] },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(backbone().relayDeadLetterQueue), 'Arn'] } } },
    });
    expect(JSON.stringify(mapping.Properties.EventSourceArn)).toContain('StreamArn');
  });

  it('may put events on its stage bus and nowhere else', () => {
    const statements = functionStatements(eventRelay.name);
    const putEvents = statements.filter((s) => actions(s).some((a) => a.startsWith('events:')));
    expect(putEvents).toEqual([
      expect.objectContaining({ Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [logicalId(backbone().bus), 'Arn'] } }),
    ]);
    expect(statements.some((s) => actions(s).some((a) => a.startsWith('dynamodb:') && !/Stream|Shard|Records/.test(a)))).toBe(false);
    expect(environmentOf(eventRelay.name).EVENT_BUS_NAME).toEqual({ Ref: logicalId(backbone().bus) });
  });

  it('no other function may put events on the bus', () => {
    const others = [...Object.keys(declaredFunctions), ...Object.keys(eventFunctions)];
    for (const name of others) {
      expect(functionStatements(name).some((s) => actions(s).includes('events:PutEvents')), name).toBe(false);
    }
  });
});

describe('timers (EventBridge Scheduler)', () => {
  const timerFunctions = Object.entries({ ...declaredFunctions, ...eventFunctions } as Record<string, FunctionDeclaration>)
    .filter(([, declaration]) => declaration.schedules)
    .map(([name]) => name);

  it('has a schedule group per stage', () => {
    events.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    events.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: `switchboard-${stage}` });
  });

  it('has a role only EventBridge Scheduler of this account assumes, which may invoke the event functions and nothing else', () => {
    const roleId = logicalId(backbone().schedulerRole);
    const role = resourcesOf(events, 'AWS::IAM::Role')[roleId]!;
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    const statements = statementsOf(events, roleId);
    expect(statements.flatMap(actions)).toEqual(['lambda:InvokeFunction']);
    expect(statements[0]!.Resource).toEqual(
      expect.arrayContaining(Object.keys(eventFunctions).map((name) => ({ 'Fn::GetAtt': [functionId(name), 'Arn'] }))),
    );
  });

  it('functions that set timers know the group, the role and how to name a target, and may manage only that group’s schedules', () => {
    expect(timerFunctions.length).toBeGreaterThan(0);
    for (const name of timerFunctions) {
      const env = environmentOf(name);
      expect(env.SCHEDULE_GROUP_NAME, name).toBe(`switchboard-${stage}`);
      expect(refersTo(env.SCHEDULER_ROLE_ARN, logicalId(backbone().schedulerRole)), name).toBe(true);
      expect(JSON.stringify(env.FUNCTION_ARN_PREFIX), name).toContain(`:function:switchboard-${stage}-`);

      const statements = functionStatements(name);
      const scheduler = statements.filter((s) => actions(s).some((a) => a.startsWith('scheduler:')));
      expect(scheduler.flatMap(actions).sort(), name).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule']);
      expect(JSON.stringify(scheduler[0]!.Resource), name).toContain(`:schedule/switchboard-${stage}/*`);
      const passRole = statements.filter((s) => actions(s).includes('iam:PassRole'));
      expect(passRole, name).toHaveLength(1);
      expect(refersTo(passRole[0]!.Resource, logicalId(backbone().schedulerRole)), name).toBe(true);
      expect(passRole[0]!.Condition, name).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    }
  });

  it('functions that set no timers get neither the variables nor the permissions', () => {
    const others = [...Object.keys(declaredFunctions), ...Object.keys(eventFunctions), eventRelay.name].filter((n) => !timerFunctions.includes(n));
    for (const name of others) {
      expect(environmentOf(name).SCHEDULE_GROUP_NAME, name).toBeUndefined();
      expect(functionStatements(name).some((s) => actions(s).some((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')), name).toBe(false);
    }
  });
});

describe('survey links in SMS', () => {
  it('survey-send gets PUBLIC_BASE_URL only when the deployment names its public address', () => {
    expect(environmentOf('survey-send')).not.toHaveProperty('PUBLIC_BASE_URL');
    const withUrl = synthesize({ stage, operatorKeyHash: exampleOperatorKeyHash, publicBaseUrl: 'https://api.example.com/' }, { bundle: false });
    const variables = Object.values(resourcesOf(withUrl.eventsTemplate, 'AWS::Lambda::Function'))
      .map((fn) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables)
      .filter((vars) => vars.PUBLIC_BASE_URL !== undefined);
    expect(variables.map((vars) => vars.POWERTOOLS_SERVICE_NAME)).toContain('switchboard-survey-send');
    expect(variables.every((vars) => vars.PUBLIC_BASE_URL === 'https://api.example.com')).toBe(true);
  }, synthTimeout);
});
