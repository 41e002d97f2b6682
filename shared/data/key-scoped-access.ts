import { outboxKey } from './outbox';
import { surveyTemplateKeys } from './survey-templates-repo';
import { surveyKeys } from './surveys-repo';
import { keys, tenantPrefix } from './keys';

/** A DynamoDB action a function's role may be granted on the table. */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:ConditionCheckItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem';

/**
 * Actions allowed only on items whose partition key matches one of `leadingKeys` (IAM StringLike:
 * `*` any run of characters, `?` exactly one), as `dynamodb:LeadingKeys` checks it in AWS and the
 * local twin checks it too (infra/local/table-grants.ts).
 */
export interface KeyScopedGrant {
  actions: readonly TableAction[];
  leadingKeys: readonly string[];
}

/** Any id our generator makes with this prefix (shared/ids.ts: `<prefix>_` and 26 characters), and only such ids. */
const anyId = (prefix: string) => `${prefix}_${'?'.repeat(26)}`;
const tenant = anyId('ten');

/** Exactly the partition keys, built by the same key functions the repositories use. */
const tokenLookup = surveyKeys.token('*').pk;
/** The survey page's guess counters (rateCounterKey in the `_survey` pseudo-tenant, whose items are all the page's own). */
const linkGuessCounter = `${tenantPrefix('_survey')}#RATE#*`;
const tenantRecord = keys.tenant(tenant).pk;
const survey = surveyKeys.survey(tenant, anyId('svy')).pk;
const surveyTemplate = surveyTemplateKeys.head(tenant, anyId('svt')).pk;
const outboxEvent = outboxKey(tenant, anyId('evt')).pk;

/**
 * Table access confined by partition key, per function that declares it (`tableAccess` in
 * shared/http/functions.ts). `survey-link`: the public survey page knows only a token, so it may
 * look the token up and count guesses in the `_survey` pseudo-tenant, read a tenant's profile and
 * settings (branding), a survey and its template version, and write a survey and the events of its
 * answers (the outbox) — nothing else: no customer, contact, case, API key, webhook or
 * idempotency record, no Query, no delete.
 */
export const keyScopedAccess = {
  'survey-link': [
    { actions: ['dynamodb:GetItem'], leadingKeys: [tokenLookup, linkGuessCounter, survey] },
    { actions: ['dynamodb:UpdateItem'], leadingKeys: [linkGuessCounter] },
    { actions: ['dynamodb:BatchGetItem'], leadingKeys: [tenantRecord, surveyTemplate] },
    { actions: ['dynamodb:PutItem'], leadingKeys: [survey, outboxEvent] },
  ],
} as const satisfies Record<string, readonly KeyScopedGrant[]>;

export type KeyScopedAccess = keyof typeof keyScopedAccess;

/** Whether `value` matches an IAM StringLike `pattern` (`*` any run, `?` one character, all else literal). */
export function matchesStringLike(pattern: string, value: string): boolean {
  const source = [...pattern].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** Whether the grants allow `action` on an item whose partition key is `leadingKey`. */
export const isAllowedByGrants = (grants: readonly KeyScopedGrant[], action: TableAction, leadingKey: string) =>
  grants.some((grant) => grant.actions.includes(action) && grant.leadingKeys.some((pattern) => matchesStringLike(pattern, leadingKey)));
