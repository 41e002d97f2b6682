/**
 * The API's scopes, weakest first: each includes the ones before it (as shared/http/caller.ts
 * hasScope ranks them). The console hides a page the person's scopes do not reach; the API
 * refuses the request anyway.
 */
export const scopeRank = { readonly: 0, agent: 1, supervisor: 2, admin: 3 } as const;
export type Scope = keyof typeof scopeRank;

export const reaches = (granted: readonly string[], required: Scope): boolean =>
  granted.some((scope) => scope in scopeRank && scopeRank[scope as Scope] >= scopeRank[required]);
