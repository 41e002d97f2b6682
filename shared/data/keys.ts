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
};

export type UniqueKind = 'PHONE' | 'EMAIL' | 'EXTID';
