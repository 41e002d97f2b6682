import { describe, expect, it } from 'vitest';
import { AuthorizerCache, authorizerCacheMaxEntries } from '../../infra/local/authorizer-cache';

const allowed = { isAuthorized: true };

describe("the twin's authorizer cache", () => {
  it('holds at most 10 000 answers, dropping the oldest first', () => {
    const cache = new AuthorizerCache(60_000, () => 0);
    expect(authorizerCacheMaxEntries).toBe(10_000);
    for (let i = 0; i < authorizerCacheMaxEntries + 5; i++) cache.set(`Bearer key-${i}`, allowed);
    expect(cache.size).toBe(authorizerCacheMaxEntries);
    for (let i = 0; i < 5; i++) expect(cache.get(`Bearer key-${i}`)).toBeUndefined();
    expect(cache.get('Bearer key-5')).toEqual(allowed);
    expect(cache.get(`Bearer key-${authorizerCacheMaxEntries + 4}`)).toEqual(allowed);
  });

  it('keeps an answer for the TTL from when it was given, however often it is read', () => {
    let now = 0;
    const cache = new AuthorizerCache(60_000, () => now);
    cache.set('Bearer a', allowed);
    now = 59_999;
    expect(cache.get('Bearer a')).toEqual(allowed);
    now = 60_000;
    expect(cache.get('Bearer a')).toBeUndefined();
  });
});
