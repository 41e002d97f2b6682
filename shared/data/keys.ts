/**
 * Every partition key (table and index) starts with the tenant prefix `T#<tenantId>`, so that
 * no key of one tenant can ever name another tenant's item, and IAM can confine a role by
 * partition key with dynamodb:LeadingKeys (shared/data/key-scoped-access.ts).
 */
export const tenantPrefix = (tenantId: string) => `T#${tenantId}`;

export const keys = {
  tenant: (tenantId: string) => ({ pk: tenantPrefix(tenantId), sk: 'TENANT' }),
  settings: (tenantId: string) => ({ pk: tenantPrefix(tenantId), sk: 'SETTINGS' }),
  apiKey: (tenantId: string, keyId: string) => ({ pk: tenantPrefix(tenantId), sk: `APIKEY#${keyId}` }),
  apiKeyPrefix: 'APIKEY#',
  customer: (tenantId: string, customerId: string) => ({
    pk: `${tenantPrefix(tenantId)}#CUS#${customerId}`,
    sk: 'PROFILE',
  }),
  customerListing: (tenantId: string, customerId: string) => ({
    gsi1pk: `${tenantPrefix(tenantId)}#CUSTOMERS`,
    gsi1sk: customerId,
  }),
  uniqueValue: (tenantId: string, kind: UniqueKind, value: string) => ({
    pk: `${tenantPrefix(tenantId)}#${kind}#${value}`,
    sk: 'UNIQUE',
  }),
  idempotency: (scope: string, keyHash: string) => ({ pk: `${tenantPrefix(scope)}#IDEMP#${keyHash}`, sk: 'IDEMP' }),
  person: (tenantId: string, personId: string) => ({ pk: tenantPrefix(tenantId), sk: `PERSON#${personId}` }),
  personPrefix: 'PERSON#',
  /** One e-mail address is one person of a tenant (the address lower-cased). */
  personEmail: (tenantId: string, email: string) => ({ pk: `${tenantPrefix(tenantId)}#PERSONEMAIL#${email}`, sk: 'UNIQUE' }),
  /** One agent id is one person of a tenant. */
  personAgentId: (tenantId: string, agentId: string) => ({ pk: `${tenantPrefix(tenantId)}#PERSONAGENT#${agentId}`, sk: 'UNIQUE' }),
  /**
   * Which tenant and person a sign-in account (its `sub`) is: the authorizer knows only the token's
   * subject, so the item sits in the system pseudo-tenant `_people`, as SMS numbers sit in `_sms`.
   */
  personSubject: (subject: string) => ({ pk: `${tenantPrefix('_people')}#SUBJECT#${subject}`, sk: 'PERSON' }),
  /** A self-service sign-up (before any tenant exists), in the system pseudo-tenant `_signup`. */
  signup: (signupId: string) => ({ pk: `${tenantPrefix('_signup')}#${signupId}`, sk: 'SIGNUP' }),
  /** One sign-up per admin e-mail address, whatever its state: the claim names it. */
  signupEmail: (email: string) => ({ pk: `${tenantPrefix('_signup')}#EMAIL#${email}`, sk: 'CLAIM' }),
  /** The verification link's token, by its SHA-256. */
  signupToken: (tokenHash: string) => ({ pk: `${tenantPrefix('_signup')}#TOKEN#${tokenHash}`, sk: 'TOKEN' }),
};

export type UniqueKind = 'PHONE' | 'EMAIL' | 'EXTID';
