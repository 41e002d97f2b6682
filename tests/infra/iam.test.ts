import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { declaredFunctions } from '../../infra/api-stack';
import { deployedFunctionName, tableReadActions, tableWriteActions } from '../../infra/lambda-function';
import { tenantLeadingKeys, tenantSessionTag } from '../../infra/tenant-data-role';
import type { FunctionDeclaration } from '../../shared/http/functions';
import { routes } from '../../shared/http/routes';
import { eventRelay } from '../../shared/events/outbox-stream';
import { eventFunctions } from '../../shared/events/subscriptions';
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
const declarations: Record<string, FunctionDeclaration> = { ...declaredFunctions, ...eventFunctions, [eventRelay.name]: eventRelay.declaration };
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
        actionsOf(statement).some((action) => action.startsWith('dynamodb:') && !streamActions.has(action)) && !isRateCounterGrant(statement) && !isRollupGrant(statement),
    );
    const granted = new Set(tableStatements.flatMap(actionsOf));
    const expected =
      declaration.tableAccess === 'readwrite' ? [...tableReadActions, ...tableWriteActions] : declaration.tableAccess === 'read' ? [...tableReadActions] : [];
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

  it('grants exactly the table actions docs/security.md names, read and readwrite', () => {
    const documented = readFileSync('docs/security.md', 'utf8')
      .replace(/\s+/g, ' ')
      .match(/table actions \*\*exactly\*\* `([^`]+)` \(read\) plus `([^`]+)` \(readwrite\)/);
    expect(documented, 'the grants sentence in docs/security.md').not.toBeNull();
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

describe('tenant-scoped data role (dynamodb:LeadingKeys)', () => {
  function tenantRole() {
    const roles = resourcesOf(templates[0]!, 'AWS::IAM::Role');
    const entry = Object.entries(roles).find(([id]) => id.startsWith('TenantDataRole'));
    expect(entry).toBeDefined();
    const [roleId, role] = entry!;
    const statements = Object.values(resourcesOf(templates[0]!, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    return { role, statements };
  }

  it("confines every table action to keys that start with the session's tenant prefix", () => {
    const { statements } = tenantRole();
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(actionsOf(statement).every((action) => action.startsWith('dynamodb:'))).toBe(true);
      expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
      expect(statement.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': tenantLeadingKeys } });
    }
    expect(tenantLeadingKeys).toEqual(['T#${aws:PrincipalTag/tenantId}', 'T#${aws:PrincipalTag/tenantId}#*']);
  });

  it('may be assumed only by the tenant API functions, with exactly one tenantId session tag', () => {
    const { role } = tenantRole();
    const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    expect(trust.flatMap(actionsOf).sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    const tenantFunctions = new Set(routes.filter((route) => route.access.kind === 'tenant').map((route) => route.function));
    for (const statement of trust) {
      expect(statement.Condition?.['ForAllValues:StringEquals']).toEqual({ 'aws:TagKeys': [tenantSessionTag] });
      expect(statement.Condition?.StringLike).toEqual({ [`aws:RequestTag/${tenantSessionTag}`]: 'ten_*' });
      const callers = JSON.stringify(statement.Condition?.ArnEquals);
      for (const name of tenantFunctions) expect(callers, name).toContain(`${name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Role`);
      expect(callers).not.toContain('OpenapiRole');
      expect(callers).not.toContain('FallbackRole');
    }
  });
});

/** The grant that confines a read-only function's writes to `T#<tenantId>#AGG#ROLLUP#…` items (infra/api-stack.ts). */
function isRollupGrant(statement: { Condition?: unknown }): boolean {
  return JSON.stringify(statement.Condition ?? {}) === JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#*#AGG#ROLLUP#*'] } });
}

/** The grant that confines a read-only function's writes to `T#<tenantId>#RATE#…` counters (infra/api-stack.ts). */
function isRateCounterGrant(statement: { Condition?: unknown }): boolean {
  return JSON.stringify(statement.Condition ?? {}) === JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#*#RATE#*'] } });
}
