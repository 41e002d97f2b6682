import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { StoredSignup } from '../domain/signup';
import { Signup, type SignupState } from '../schemas/signup';
import * as z from '../zod';
import { db, tableName } from './client';
import { keys, tenantPrefix } from './keys';
import { queryListed } from './listed-items';
import { parseItem, parseOptionalItem } from './stored-item';
import { cancellationCodes } from './transaction-errors';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const StoredSignupItem = z.extend(Signup, {
  tokenHash: z.optional(z.string()),
  tokenExpiresAt: z.optional(z.string()),
  subject: z.optional(z.string()),
  adminDisplayName: z.optional(z.string()),
});
const ClaimItem = z.object({ signupId: z.string() });

/**
 * The operator's list of sign-ups in one state, oldest first: a sparse gsi1 partition of the
 * `_operator` pseudo-tenant per state, moved with the sign-up when its state changes.
 */
const signupListing = (signup: Pick<StoredSignup, 'state' | 'createdAt' | 'signupId'>) => ({
  gsi1pk: `${tenantPrefix('_operator')}#SIGNUPS#${signup.state}`,
  gsi1sk: `${signup.createdAt}#${signup.signupId}`,
});

const signupItem = (signup: StoredSignup) => ({ ...keys.signup(signup.signupId), ...signupListing(signup), type: 'Signup', ...signup });

/** The token item expires (TTL) a day after its link stops working. */
const tokenItem = (signup: StoredSignup) => ({
  ...keys.signupToken(signup.tokenHash!),
  type: 'SignupToken',
  signupId: signup.signupId,
  expiresAt: Math.floor(Date.parse(signup.tokenExpiresAt!) / 1000) + 24 * 60 * 60,
});

const parseSignup = (item: Record<string, unknown>): StoredSignup => parseItem(StoredSignupItem, item) as StoredSignup;

export async function getSignup(signupId: string): Promise<StoredSignup | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.signup(signupId), ConsistentRead: true }));
  return Item ? parseSignup(Item) : undefined;
}

/** The sign-up of this admin address (lower-cased), whatever its state. */
export async function getSignupByEmail(email: string): Promise<StoredSignup | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.signupEmail(email), ConsistentRead: true }));
  const claim = parseOptionalItem(ClaimItem, Item);
  return claim ? getSignup(claim.signupId) : undefined;
}

/** The sign-up a verification token (by its hash) was issued for, if the token item still exists. */
export async function getSignupByTokenHash(tokenHash: string): Promise<StoredSignup | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.signupToken(tokenHash), ConsistentRead: true }));
  const token = parseOptionalItem(ClaimItem, Item);
  return token ? getSignup(token.signupId) : undefined;
}

/**
 * Stores a new sign-up with the claim of its address and its token; 'taken' when the address has a
 * sign-up already (two at once: one wins), so that one address never makes two businesses.
 */
export async function insertSignup(signup: StoredSignup): Promise<'inserted' | 'taken'> {
  const table = tableName();
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { ...keys.signupEmail(signup.adminEmail), type: 'SignupEmail', signupId: signup.signupId }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: table, Item: signupItem(signup), ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: table, Item: tokenItem(signup) } },
        ],
      }),
    );
    return 'inserted';
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return 'taken';
    throw error;
  }
}

/** Replaces `before` by `next` if it is still in `before.state` (and with the same token): the condition of every change of state. */
export function signupChange(before: StoredSignup, next: StoredSignup): TransactItem[] {
  const table = tableName();
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table,
        Item: signupItem(next),
        ConditionExpression: before.tokenHash ? '#state = :state AND tokenHash = :token' : '#state = :state',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':state': before.state, ...(before.tokenHash && { ':token': before.tokenHash }) },
      },
    },
  ];
  if (before.tokenHash && before.tokenHash !== next.tokenHash) items.push({ Delete: { TableName: table, Key: keys.signupToken(before.tokenHash) } });
  if (next.tokenHash && next.tokenHash !== before.tokenHash) items.push({ Put: { TableName: table, Item: tokenItem(next) } });
  return items;
}

/** Writes a change of state alone; false when the sign-up changed meanwhile (nothing is written). */
export async function replaceSignup(before: StoredSignup, next: StoredSignup): Promise<boolean> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: signupChange(before, next) }));
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** A page of the sign-ups in `state`, oldest first, after the one the cursor names. */
export async function listSignups(state: SignupState, limit: number, after?: { createdAt: string; signupId: string }): Promise<{ items: StoredSignup[]; last?: { createdAt: string; signupId: string } }> {
  const partition = signupListing({ state, createdAt: '', signupId: '' }).gsi1pk;
  const page = await queryListed({
    list: 'gsi1',
    keyCondition: 'gsi1pk = :pk',
    values: { ':pk': partition },
    limit,
    ...(after && { startKey: { ...signupListing({ state, ...after }), ...keys.signup(after.signupId) } }),
  });
  const items = page.items.map(parseSignup);
  const lastSk = page.lastKey?.gsi1sk;
  if (typeof lastSk !== 'string') return { items };
  const separator = lastSk.lastIndexOf('#');
  return { items, last: { createdAt: lastSk.slice(0, separator), signupId: lastSk.slice(separator + 1) } };
}
