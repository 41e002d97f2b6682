import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AgentId, Assignee, maxAgentIdInputLength } from '../../shared/schemas/agent';
import { CreateContactBody, ListContactsQuery } from '../../shared/schemas/contact';
import { CreateCaseBody, UpdateCaseBody } from '../../shared/schemas/case';
import * as z from '../../shared/zod';

/** The value a schema keeps, or the messages it refuses with. */
function parsed(schema: z.ZodMiniType, value: unknown): { value: unknown } | { refused: string[] } {
  const result = z.safeParse(schema, value);
  return result.success ? { value: result.data } : { refused: result.error.issues.map((issue) => issue.message) };
}

describe('an agent id', () => {
  it('is taken as given when it is lower case, without #, :, spaces or control characters, 128 characters at most', () => {
    for (const id of ['agent-2', 'mei.lin@acme.tw', '王小明', 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb', 'a'.repeat(128)]) {
      expect(parsed(AgentId, id)).toEqual({ value: id });
    }
    expect(parsed(AgentId, '  agent-2 ')).toEqual({ value: 'agent-2' });
  });

  it('drops the agent: prefix, which has one meaning, so agent:agent-2 is agent-2', () => {
    expect(parsed(AgentId, 'agent:agent-2')).toEqual({ value: 'agent-2' });
  });

  it('refuses upper case (Mei and mei may be two people), queues, separators and empty ids, saying why', () => {
    expect(parsed(AgentId, 'Agent-2')).toEqual({ refused: ['Agent ids are lower case; if this agent is agent-2, send that'] });
    expect(parsed(AgentId, 'queue:billing')).toEqual({ refused: ['queue:… names a queue, not an agent; give the agent id'] });
    for (const bad of ['a#b', 'a:b', 'mei lin', 'a\u0007b']) {
      expect(parsed(AgentId, bad)).toEqual({ refused: ['An agent id has no #, :, spaces or control characters'] });
    }
    expect(parsed(AgentId, '')).toEqual({ refused: ['An agent id must not be empty'] });
    expect(parsed(AgentId, 'agent:')).toEqual({ refused: ['An agent id must not be empty'] });
    expect(parsed(AgentId, 'a'.repeat(129))).toMatchObject({ refused: [expect.stringContaining('at most 128')] });
  });

  it('reads at most 256 characters of raw text (the maxLength the OpenAPI document states), white space and agent: included', () => {
    const padded = `agent:${'a'.repeat(128)}`.padEnd(maxAgentIdInputLength, ' ');
    expect(parsed(AgentId, padded)).toEqual({ value: 'a'.repeat(128) });
    expect(parsed(AgentId, `${padded} `)).toEqual({ refused: ['An agent id has at most 128 characters'] });
    expect(parsed(Assignee, `${padded} `)).toEqual({ refused: ['An assignee has at most 128 characters'] });
    expect(z.toJSONSchema(AgentId, { io: 'input' })).toMatchObject({ maxLength: maxAgentIdInputLength });
  });
});

describe('a case assignee', () => {
  it('is an agent id as on contacts, or a queue as queue:<name>', () => {
    expect(parsed(Assignee, 'agent-2')).toEqual({ value: 'agent-2' });
    expect(parsed(Assignee, 'agent:agent-2')).toEqual({ value: 'agent-2' });
    expect(parsed(Assignee, 'queue:complaints')).toEqual({ value: 'queue:complaints' });
    expect(parsed(Assignee, 'queue:')).toMatchObject({ refused: [expect.stringContaining('queue: takes a queue name')] });
    expect(parsed(Assignee, 'agent:Mei')).toMatchObject({ refused: [expect.stringContaining('lower case')] });
    expect(parsed(Assignee, 'team:billing')).toMatchObject({ refused: [expect.stringContaining('no #, :')] });
  });
});

describe('the same agent on contacts and cases', () => {
  it('is written the same way by every field that names an agent, and a refusal names the field', () => {
    const contact = z.parse(CreateContactBody, { channel: 'voice', direction: 'inbound', agentId: 'agent:agent-2' });
    const opened = z.parse(CreateCaseBody, { type: 'complaint', category: 'billing', subject: 'x', customerId: 'cus_1', assignee: 'agent:agent-2', agentId: 'agent-2' });
    const reassigned = z.parse(UpdateCaseBody, { assignee: 'agent-2' });
    const listed = z.parse(ListContactsQuery, { agentId: 'agent:agent-2' });
    expect([contact.agentId, opened.assignee, opened.agentId, reassigned.assignee, listed.agentId]).toEqual(['agent-2', 'agent-2', 'agent-2', 'agent-2', 'agent-2']);

    const refused = z.safeParse(CreateContactBody, { channel: 'voice', direction: 'inbound', agentId: 'Agent-2' });
    expect(refused.error?.issues.map((issue) => issue.path)).toEqual([['agentId']]);
  });
});

/** Every field of a schema (through objects, optional, nullable, default, arrays, unions), with its path. */
function fieldsOf(schema: z.ZodMiniType, path: string, seen = new Set<unknown>()): { path: string; name: string; schema: z.ZodMiniType }[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as unknown as { def: Record<string, unknown> & { type: string } }).def;
  const inner = (child: unknown, at: string) => fieldsOf(child as z.ZodMiniType, at, seen);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodMiniType>).flatMap(([name, field]) => [
        { path: `${path}.${name}`, name, schema: field },
        ...inner(field, `${path}.${name}`),
      ]);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
      return inner(def.innerType, path);
    case 'array':
      return inner(def.element, `${path}[]`);
    case 'union':
      return (def.options as unknown[]).flatMap((option, index) => inner(option, `${path}|${index}`));
    case 'pipe':
      return [...inner(def.in, path), ...inner(def.out, path)];
    default:
      return [];
  }
}

const schemaFolder = new URL('../../shared/schemas/', import.meta.url);
const schemaModules: Record<string, Record<string, unknown>> = Object.fromEntries(
  await Promise.all(
    readdirSync(schemaFolder)
      .filter((file) => file.endsWith('.ts'))
      .map(async (file) => [file, (await import(new URL(file, schemaFolder).href)) as Record<string, unknown>] as const),
  ),
);

describe('every field of shared/schemas that names an agent', () => {
  const agentFields = Object.entries(schemaModules).flatMap(([file, exports]) =>
    Object.entries(exports)
      .filter(([, value]) => typeof value === 'object' && value !== null && 'def' in value)
      .flatMap(([name, schema]) => fieldsOf(schema as z.ZodMiniType, `${file}:${name}`))
      .filter((field) => ['agentId', 'assignee', 'assignedTo', 'assignTo', 'referredBy'].includes(field.name)),
  );

  it('is found (the walk reaches requests, queries and answers)', () => {
    const paths = agentFields.map((field) => field.path);
    for (const expected of ['survey.ts:ListSurveysQuery.agentId', 'survey.ts:Survey.agentId', 'contact.ts:Contact.agentId', 'case.ts:Case.assignee']) {
      expect(paths).toContain(expected);
    }
  });

  it('is the one AgentId (or Assignee): agent:mei is mei, and an upper-case id or a Connect ARN is refused', () => {
    const offWay = agentFields.flatMap((field) => {
      const prefixed = z.safeParse(field.schema, 'agent:mei');
      const upper = z.safeParse(field.schema, 'Mei');
      const arn = z.safeParse(field.schema, 'arn:aws:connect:us-west-2:123456789012:instance/1234/agent/bbbb');
      return prefixed.success && prefixed.data === 'mei' && !upper.success && !arn.success ? [] : [field.path];
    });
    expect(offWay).toEqual([]);
  });
});
