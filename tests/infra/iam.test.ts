import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { declaredFunctions } from '../../infra/api-stack';
import { identityDirectoryGrants, mailSendingFunctions } from '../../infra/config';
import { signInRecordAttributes } from '../../infra/people-access';
import { deployedFunctionName, tableReadActions, tableWriteActions } from '../../infra/lambda-function';
import { type FunctionDeclaration, liveFunctions } from '../../shared/http/functions';
import { routes } from '../../shared/http/routes';
import { eventRelay } from '../../shared/events/outbox-stream';
import { eventFunctions } from '../../shared/events/subscriptions';
import { isAllowedByGrants, keyScopedAccess } from '../../shared/data/key-scoped-access';
import { twinReceiverPortsVariable } from '../../shared/services/webhook-delivery';
import { type CfnResource, exampleOperatorKeyHash, resourcesOf, synthesize, synthTimeout } from './synth';

/**
 * Least privilege, function by function, read from the synthesized templates: each role may do
 * what its declaration implies (tableAccess, sendsSms, schedules; PutEvents for the relay) on the
 * named resources, and nothing else — no wildcard action, no managed policy, no Scan, `*` only
 * for the actions that have no resource-level permissions.
 */

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const stage = 'dev';
let templates: Template[];
const declarations: Record<string, FunctionDeclaration> = { ...declaredFunctions, ...liveFunctions, ...eventFunctions, [eventRelay.name]: eventRelay.declaration };
const requestPath = new Set<string>(Object.keys(declaredFunctions));

const listOf = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);
const actionsOf = (statement: Statement) => listOf(statement.Action);
const resourcesIn = (statement: Statement) => listOf(statement.Resource);

/** Statements of every policy attached to the role of the function deployed as `name`. */
function roleOf(name: string): { statements: Statement[]; role: CfnResource } {
  for (const template of templates) {
    const fn = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).find(
      (resource) => resource.Properties.FunctionName === deployedFunctionName(stage, name),
    );
    if (!fn) continue;
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = resourcesOf(template, 'AWS::IAM::Role')[roleId]!;
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const inline = ((role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
    return { statements: [...statements, ...inline], role };
  }
  throw new Error(`No function ${name} in the templates`);
}

/** Actions IAM authorizes only on `*`: X-Ray's, and listing a table's streams for the relay's event source. */
const starOnly = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams']);
const streamActions = new Set(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);

function allowedServices(name: string, declaration: FunctionDeclaration): Set<string> {
  const services = ['logs', 'xray'];
  if (declaration.tableAccess !== 'none' || name === eventRelay.name) services.push('dynamodb');
  if (declaration.sendsSms) services.push('sms-voice');
  if (declaration.schedules) services.push('scheduler', 'iam');
  if (name === eventRelay.name) services.push('events');
  if (declaration.secretBox) services.push('kms');
  if (declaration.mailBucket) services.push('s3');
  // The live channel's management API: PostToConnection on the live stage's connections.
  if (declaration.pushesLive) services.push('execute-api');
  // The people side (infra/config.ts): Cognito admin calls on the stage's pool, SES v2 mail.
  if (name in identityDirectoryGrants) services.push('cognito-idp');
  if (mailSendingFunctions.includes(name) || declaration.sendsTenantMail) services.push('ses');
  // Event functions and the relay send what failed after their retries to a dead-letter queue.
  if (name in eventFunctions || name === eventRelay.name) services.push('sqs');
  return new Set(services);
}

beforeAll(() => {
  const synthesized = synthesize({ stage, operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
  templates = [synthesized.apiTemplate, synthesized.eventsTemplate];
}, synthTimeout);

describe('IAM least privilege per function', () => {
  const names = Object.keys(declarations);

  it('covers every declared function', () => {
    for (const name of names) expect(() => roleOf(name), name).not.toThrow();
  });

  it.each(names)('%s: no managed policy, no wildcard action, only the services its declaration implies', (name) => {
    const { statements, role } = roleOf(name);
    expect(role.Properties.ManagedPolicyArns ?? [], name).toEqual([]);
    const services = allowedServices(name, declarations[name]!);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of actionsOf(statement)) {
        expect(action, name).not.toMatch(/\*$|^\*/);
        expect(services, `${name} may not ${action}`).toContain(action.split(':')[0]);
      }
      if (resourcesIn(statement).includes('*')) {
        expect(actionsOf(statement).filter((action) => !starOnly.has(action)), `${name}: Resource * for`).toEqual([]);
      }
    }
  });

  it.each(names)('%s: table actions exactly as its tableAccess says, on the table and its indexes only, never Scan', (name) => {
    const declaration = declarations[name]!;
    const { statements } = roleOf(name);
    const tableStatements = statements.filter(
      (statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:') && !streamActions.has(action)) && !isRateCounterGrant(statement) && !isRollupGrant(statement) && !isSignInRecordGrant(statement),
    );
    const granted = new Set(tableStatements.flatMap(actionsOf));
    const expected =
      declaration.tableAccess === 'readwrite'
        ? [...tableReadActions, ...tableWriteActions]
        : declaration.tableAccess === 'read'
          ? [...tableReadActions]
          : declaration.tableAccess === 'survey-link'
            ? [...new Set(keyScopedAccess['survey-link'].flatMap((grant) => grant.actions))]
            : [];
    expect([...granted].sort(), name).toEqual([...expected].sort());
    expect(statements.flatMap(actionsOf), name).not.toContain('dynamodb:Scan');
    for (const statement of tableStatements) {
      for (const resource of resourcesIn(statement)) {
        const text = JSON.stringify(resource);
        expect(resource, name).not.toBe('*');
        // The data stack's table, by its export, or that ARN + /index/*.
        expect(text, name).toMatch(/Fn::ImportValue.*Table/);
      }
    }
    if (requestPath.has(name)) expect(statements.flatMap(actionsOf).filter((action) => streamActions.has(action)), name).toEqual([]);
  });

  it('grants exactly the table actions docs/developers/security.md names, read and readwrite', () => {
    const documented = readFileSync('docs/developers/security.md', 'utf8')
      .replace(/\s+/g, ' ')
      .match(/table actions \*\*exactly\*\* `([^`]+)` \(read\) plus `([^`]+)` \(readwrite\)/);
    expect(documented, 'the grants sentence in docs/developers/security.md').not.toBeNull();
    const actions = (list: string) => list.split(', ').map((action) => `dynamodb:${action}`);
    expect(actions(documented![1]!)).toEqual([...tableReadActions]);
    expect(actions(documented![2]!)).toEqual([...tableWriteActions]);
  });

  it('lets the analytics function put its rollups, on their keys only, and no other function', () => {
    for (const name of names) {
      const grants = roleOf(name).statements.filter(isRollupGrant);
      if (declarations[name]!.writesAnalyticsRollups) {
        expect(grants.flatMap(actionsOf), name).toEqual(['dynamodb:PutItem']);
      } else {
        expect(grants, name).toEqual([]);
      }
    }
    expect(declarations.analytics!.writesAnalyticsRollups).toBe(true);
  });

  it('lets read-only functions that serve tenants write their per-minute request counters and nothing else', () => {
    const tenantRouteFunctions = new Set(routes.filter((route) => route.access.kind === 'tenant').map((route) => route.function as string));
    for (const name of names) {
      const grants = roleOf(name).statements.filter(isRateCounterGrant);
      const expected = tenantRouteFunctions.has(name) && declarations[name]!.tableAccess === 'read' ? 1 : 0;
      expect(grants, name).toHaveLength(expected);
      for (const grant of grants) expect(actionsOf(grant), name).toEqual(['dynamodb:UpdateItem']);
    }
  });

  it('gives events:PutEvents to the relay only, and SMS, scheduler and PassRole only where declared', () => {
    for (const name of names) {
      const actions = roleOf(name).statements.flatMap(actionsOf);
      expect(actions.includes('events:PutEvents'), name).toBe(name === eventRelay.name);
      expect(actions.some((action) => action.startsWith('sms-voice:')), name).toBe(Boolean(declarations[name]!.sendsSms));
      expect(actions.some((action) => action.startsWith('scheduler:')), name).toBe(Boolean(declarations[name]!.schedules));
    }
  });

  it('lets the webhooks function only make data keys of the secret key, and the delivery functions only decrypt them', () => {
    const expected: Record<string, string[]> = { webhooks: ['kms:GenerateDataKey'], 'webhook-dispatch': ['kms:Decrypt'], 'webhook-deliver': ['kms:Decrypt'] };
    for (const name of names) {
      const kmsStatements = roleOf(name).statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('kms:')));
      expect(kmsStatements.flatMap(actionsOf).sort(), name).toEqual(expected[name] ?? []);
      for (const statement of kmsStatements) {
        for (const resource of resourcesIn(statement)) expect(JSON.stringify(resource), name).toMatch(/Fn::ImportValue.*SecretKey/);
      }
    }
  });

  it('lets event functions only send to queues, named ones', () => {
    for (const name of names) {
      for (const statement of roleOf(name).statements.filter((s) => actionsOf(s).some((action) => action.startsWith('sqs:')))) {
        // What queue.grantSendMessages gives: send, and find the queue.
        const sendOnly = new Set(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']);
        expect(actionsOf(statement).filter((action) => !sendOnly.has(action)), name).toEqual([]);
        expect(resourcesIn(statement), name).not.toContain('*');
      }
    }
  });

  it('lets PassRole pass only the scheduler role, only to EventBridge Scheduler', () => {
    for (const name of names) {
      for (const statement of roleOf(name).statements.filter((s) => actionsOf(s).includes('iam:PassRole'))) {
        expect(statement.Condition, name).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
        expect(JSON.stringify(statement.Resource), name).toMatch(/SchedulerRole/);
      }
    }
  });
});

describe('survey-web, the public survey page (issue 11 §5)', () => {
  const tenant = `ten_${'?'.repeat(26)}`;
  const id = (prefix: string) => `${prefix}_${'?'.repeat(26)}`;

  it('may touch only the token lookup, its guess counters and the items of a survey, each action confined by dynamodb:LeadingKeys', () => {
    const { statements } = roleOf('survey-web');
    const table = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    const granted = table.map((statement) => ({
      actions: actionsOf(statement),
      leadingKeys: statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
      conditions: Object.keys(statement.Condition ?? {}),
      resources: resourcesIn(statement).map((resource) => JSON.stringify(resource)),
    }));
    expect(granted.map(({ actions, leadingKeys }) => ({ actions, leadingKeys }))).toEqual([
      { actions: ['dynamodb:GetItem'], leadingKeys: ['T#_survey#TOKEN#*', 'T#_survey#RATE#*', `T#${tenant}#SVY#${id('svy')}`] },
      { actions: ['dynamodb:UpdateItem'], leadingKeys: ['T#_survey#RATE#*'] },
      { actions: ['dynamodb:BatchGetItem'], leadingKeys: [`T#${tenant}`, `T#${tenant}#SVT#${id('svt')}`] },
      { actions: ['dynamodb:PutItem'], leadingKeys: [`T#${tenant}#SVY#${id('svy')}`, `T#${tenant}#OUTBOX#${id('evt')}`] },
    ]);
    for (const statement of granted) {
      expect(statement.conditions).toEqual(['ForAllValues:StringLike']);
      // The table itself, never its indexes: the page reads nothing by index.
      expect(statement.resources).toHaveLength(1);
      expect(statement.resources[0]).not.toContain('/index/');
    }
  });

  it("keeps the public page away from customers, contacts, cases, keys and webhooks, and from Query, Delete and batch writes", () => {
    const grants = keyScopedAccess['survey-link'];
    const allowed = (action: Parameters<typeof isAllowedByGrants>[1], key: string) => isAllowedByGrants(grants, action, key);
    const tenantId = 'ten_01JABCDEFGHJKMNPQRSTVWXYZ0';
    expect(allowed('dynamodb:GetItem', `T#${tenantId}#SVY#svy_01JABCDEFGHJKMNPQRSTVWXYZ0`)).toBe(true);
    expect(allowed('dynamodb:PutItem', `T#${tenantId}#OUTBOX#evt_01JABCDEFGHJKMNPQRSTVWXYZ0`)).toBe(true);
    for (const key of [
      `T#${tenantId}#CUS#cus_01JABCDEFGHJKMNPQRSTVWXYZ0`,
      `T#${tenantId}#CON#con_01JABCDEFGHJKMNPQRSTVWXYZ0`,
      `T#${tenantId}#PHONE#+61400000000`,
      `T#${tenantId}#IDEMP#abc`,
      `T#${tenantId}#SVY#svy_01JABCDEFGHJKMNPQRSTVWXYZ0#EXTRA`,
      `T#${tenantId}x#SVY#svy_01JABCDEFGHJKMNPQRSTVWXYZ0`,
      'T#_operator#IDEMP#abc',
    ]) {
      for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const) expect(allowed(action, key), `${action} ${key}`).toBe(false);
    }
    expect(allowed('dynamodb:PutItem', `T#${tenantId}`)).toBe(false);
    expect(allowed('dynamodb:UpdateItem', `T#${tenantId}#SVY#svy_01JABCDEFGHJKMNPQRSTVWXYZ0`)).toBe(false);
    for (const action of ['dynamodb:Query', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'] as const) {
      expect(grants.some((grant) => (grant.actions as readonly string[]).includes(action)), action).toBe(false);
    }
  });
});

describe('webhook delivery in AWS (issue 11 §5)', () => {
  it("gives no deployed function the twin's loopback-receiver allowance, so every endpoint gets the address checks", () => {
    const functions = templates.flatMap((template) => Object.values(resourcesOf(template, 'AWS::Lambda::Function')));
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      expect(Object.keys(variables), String(fn.Properties.FunctionName)).not.toContain(twinReceiverPortsVariable);
      expect(Object.keys(variables), String(fn.Properties.FunctionName)).not.toContain('WEBHOOKS_ALLOW_LOOPBACK_HTTP');
    }
  });
});

/** The grant that confines a read-only function's writes to `T#<tenantId>#AGG#ROLLUP#…` items (infra/api-stack.ts). */
function isRollupGrant(statement: { Condition?: unknown }): boolean {
  return JSON.stringify(statement.Condition ?? {}) === JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#*#AGG#ROLLUP#*'] } });
}

/** The authorizer's grant to record a person's sign-in: UpdateItem of those attributes only (infra/people-access.ts). */
function isSignInRecordGrant(statement: { Condition?: Record<string, Record<string, unknown>> }): boolean {
  return JSON.stringify(statement.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes']) === JSON.stringify(signInRecordAttributes);
}

/** The grant that confines a read-only function's writes to `T#<tenantId>#RATE#…` counters (infra/api-stack.ts). */
function isRateCounterGrant(statement: { Condition?: unknown }): boolean {
  return JSON.stringify(statement.Condition ?? {}) === JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#*#RATE#*'] } });
}
