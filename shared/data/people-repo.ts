import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredAuditEntry } from '../domain/audit';
import type { StoredPerson } from '../domain/person';
import { Person } from '../schemas/person';
import * as z from '../zod';
import { auditEntryPut } from './audit-log-repo';
import { conditionally, db, tableName } from './client';
import { keys } from './keys';
import { parseItem, parseOptionalItem } from './stored-item';
import { cancellationCodes } from './transaction-errors';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const StoredPersonItem = z.extend(Person, { tenantId: z.string(), subject: z.string(), sessionsValidAfter: z.optional(z.int()) });
const SubjectItem = z.object({ tenantId: z.string(), personId: z.string() });
const ClaimItem = z.object({ personId: z.string() });
const TenantStateItem = z.object({ state: z._default(z.enum(['active', 'suspended']), 'active') });

const parsePerson = (item: Record<string, unknown>): StoredPerson => parseItem(StoredPersonItem, item) as StoredPerson;

export const publicPerson = ({ personId, email, displayName, role, state, agentId, lastSignInAt, invitedAt, version }: StoredPerson): Person => ({
  personId,
  email,
  ...(displayName !== undefined && { displayName }),
  role,
  state,
  agentId,
  ...(lastSignInAt !== undefined && { lastSignInAt }),
  invitedAt,
  version,
});

const personItem = (person: StoredPerson) => ({ ...keys.person(person.tenantId, person.personId), type: 'Person', ...person });

/**
 * A new person's items, each refused if it exists: the person, the claims of its e-mail address
 * and agent id in the tenant, and its sign-in account's subject (one account is one person).
 * For a transaction of the caller's (a new tenant's first admin).
 */
export function newPersonItems(person: StoredPerson): TransactItem[] {
  const table = tableName();
  const claim = { personId: person.personId, tenantId: person.tenantId };
  return [
    { Put: { TableName: table, Item: personItem(person), ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: table, Item: { ...keys.personEmail(person.tenantId, person.email), type: 'PersonEmail', ...claim }, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: table, Item: { ...keys.personAgentId(person.tenantId, person.agentId), type: 'PersonAgentId', ...claim }, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: table, Item: { ...keys.personSubject(person.subject), type: 'PersonSubject', ...claim }, ConditionExpression: 'attribute_not_exists(pk)' } },
  ];
}

export type InsertPersonOutcome = 'inserted' | 'email-taken' | 'agent-id-taken' | 'subject-taken';

/** Stores a new person with its claims and audit entry, in one transaction; which claim was taken when refused. */
export async function insertPerson(person: StoredPerson, audit: StoredAuditEntry): Promise<InsertPersonOutcome> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [...newPersonItems(person), auditEntryPut(audit)] }));
    return 'inserted';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (codes[1] === 'ConditionalCheckFailed') return 'email-taken';
    if (codes[2] === 'ConditionalCheckFailed') return 'agent-id-taken';
    if (codes[3] === 'ConditionalCheckFailed') return 'subject-taken';
    throw error;
  }
}

export async function getPerson(tenantId: string, personId: string): Promise<StoredPerson | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.person(tenantId, personId), ConsistentRead: true }));
  return Item ? parsePerson(Item) : undefined;
}

/** The person of the tenant with this e-mail address (lower-cased), if any. */
export async function getPersonIdByEmail(tenantId: string, email: string): Promise<string | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.personEmail(tenantId, email), ConsistentRead: true }));
  return parseOptionalItem(ClaimItem, Item)?.personId;
}

/** The person of the tenant with this agent id, if any. */
export async function getPersonIdByAgentId(tenantId: string, agentId: string): Promise<string | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.personAgentId(tenantId, agentId), ConsistentRead: true }));
  return parseOptionalItem(ClaimItem, Item)?.personId;
}

/** Which tenant and person a sign-in account is, if it is one of ours. */
export async function getPersonOfSubject(subject: string): Promise<{ tenantId: string; personId: string } | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.personSubject(subject) }));
  return parseOptionalItem(SubjectItem, Item);
}

/**
 * The authorizer's lookup of an access token's subject: the subject's item (which never changes
 * once written), then the person and its tenant's state in one BatchGetItem of the tenant's partition.
 */
export async function getPersonAndTenantStateBySubject(subject: string): Promise<{ person: StoredPerson; tenantState: 'active' | 'suspended' } | undefined> {
  const owner = await getPersonOfSubject(subject);
  if (!owner) return undefined;
  const table = tableName();
  const personKey = keys.person(owner.tenantId, owner.personId);
  const { Responses } = await db().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [personKey, keys.tenant(owner.tenantId)] } } }));
  const items = Responses?.[table] ?? [];
  const personFound = items.find((item) => item.sk === personKey.sk);
  const tenantFound = items.find((item) => item.sk === keys.tenant(owner.tenantId).sk);
  if (!personFound || !tenantFound) return undefined;
  const person = parsePerson(personFound);
  if (person.subject !== subject) return undefined;
  return { person, tenantState: parseItem(TenantStateItem, tenantFound).state };
}

/** A page of the tenant's people, in the order they were invited (person ids are time-ordered). */
export async function listPeople(tenantId: string, limit: number, startKey?: Record<string, unknown>): Promise<{ items: StoredPerson[]; lastKey?: Record<string, unknown> }> {
  const { Items, LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenant(tenantId).pk, ':prefix': keys.personPrefix },
      Limit: limit,
      ExclusiveStartKey: startKey,
      ConsistentRead: true,
    }),
  );
  return { items: (Items ?? []).map(parsePerson), ...(LastEvaluatedKey && { lastKey: LastEvaluatedKey }) };
}

/** Every person of the tenant (a tenant has tens of people, not thousands): for the last-admin rule. */
export async function listAllPeople(tenantId: string): Promise<StoredPerson[]> {
  const people: StoredPerson[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await listPeople(tenantId, 100, startKey);
    people.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return people;
}

export type ReplacePersonOutcome = 'written' | 'stale' | 'agent-id-taken' | 'admin-gone';

/**
 * Writes `next` over `before` if the person is still at `before.version`, with its audit entry, in
 * one transaction. A new agent id moves the claim (refused if another person holds it). With
 * `keptAdminId`, the transaction also checks that person is still an active admin, so two admins
 * demoting each other at once cannot leave the tenant without one.
 */
export async function replacePerson(before: StoredPerson, next: StoredPerson, audit: StoredAuditEntry, keptAdminId?: string): Promise<ReplacePersonOutcome> {
  const table = tableName();
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table,
        Item: personItem(next),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': before.version },
      },
    },
  ];
  const movesAgentId = next.agentId !== before.agentId;
  if (movesAgentId) {
    items.push(
      { Put: { TableName: table, Item: { ...keys.personAgentId(next.tenantId, next.agentId), type: 'PersonAgentId', personId: next.personId, tenantId: next.tenantId }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Delete: { TableName: table, Key: keys.personAgentId(before.tenantId, before.agentId), ConditionExpression: 'personId = :me', ExpressionAttributeValues: { ':me': before.personId } } },
    );
  }
  const adminCheckAt = items.length;
  if (keptAdminId) {
    items.push({
      ConditionCheck: {
        TableName: table,
        Key: keys.person(next.tenantId, keptAdminId),
        ConditionExpression: '#role = :admin AND #state = :active',
        ExpressionAttributeNames: { '#role': 'role', '#state': 'state' },
        ExpressionAttributeValues: { ':admin': 'admin', ':active': 'active' },
      },
    });
  }
  items.push(auditEntryPut(audit));
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return 'written';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (codes[0] === 'ConditionalCheckFailed') return 'stale';
    if (movesAgentId && codes[1] === 'ConditionalCheckFailed') return 'agent-id-taken';
    if (keptAdminId && codes[adminCheckAt] === 'ConditionalCheckFailed') return 'admin-gone';
    if (codes.includes('TransactionConflict')) return 'stale';
    throw error;
  }
}

/**
 * Records a sign-in at `now` unless one was recorded since `recordedSince` (a conditional update,
 * so many requests at once write once); an invited person becomes active. Never a deactivated one.
 */
export async function recordSignIn(tenantId: string, personId: string, now: string, recordedSince: string): Promise<boolean> {
  return conditionally(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.person(tenantId, personId),
        UpdateExpression: 'SET lastSignInAt = :now, #state = :active',
        ConditionExpression: 'attribute_exists(pk) AND #state <> :deactivated AND (attribute_not_exists(lastSignInAt) OR lastSignInAt < :since)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':now': now, ':since': recordedSince, ':active': 'active', ':deactivated': 'deactivated' },
      }),
    ),
  );
}
