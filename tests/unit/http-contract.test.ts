import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import type { HttpError } from '../../shared/http/problem';
import { requireIfMatch } from '../../shared/http/etag';
import { hasScope } from '../../shared/http/caller';
import { parseApiKey, issueApiKey } from '../../shared/domain/api-key';
import { matchPath } from '../../shared/http/routes';
import { newId, looksLikeId } from '../../shared/ids';

const statusOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as HttpError).status;
  }
  return 'no error';
};

describe('cursors', () => {
  const tenantA = newId('ten');
  const tenantB = newId('ten');
  const partition = { gsi1pk: `T#${tenantA}#CUSTOMERS` };
  const lastKey = { pk: `T#${tenantA}#CUS#x`, sk: 'PROFILE', ...partition, gsi1sk: 'x' };

  it('round-trips for the tenant that made it', () => {
    expect(decodeCursor(encodeCursor(lastKey), tenantA, partition)).toEqual(lastKey);
  });

  it("is refused for another tenant's query", () => {
    const otherPartition = { gsi1pk: `T#${tenantB}#CUSTOMERS` };
    expect(statusOf(() => decodeCursor(encodeCursor(lastKey), tenantB, otherPartition))).toBe(400);
  });

  it('is refused when edited to point into another tenant', () => {
    const forged = encodeCursor({ ...lastKey, pk: `T#${tenantB}#CUS#x` });
    expect(statusOf(() => decodeCursor(forged, tenantA, partition))).toBe(400);
  });

  it('is refused when it is not a cursor at all', () => {
    for (const junk of ['', 'abc', Buffer.from('[1]').toString('base64url'), Buffer.from('{"pk":1}').toString('base64url')]) {
      expect(statusOf(() => decodeCursor(junk, tenantA, partition))).toBe(400);
    }
  });
});

describe('If-Match', () => {
  it('requires the current version', () => {
    expect(statusOf(() => requireIfMatch(undefined, 3))).toBe(428);
    expect(statusOf(() => requireIfMatch('"2"', 3))).toBe(412);
    expect(statusOf(() => requireIfMatch('garbage', 3))).toBe(412);
    expect(statusOf(() => requireIfMatch('"3"', 3))).toBe('no error');
    expect(statusOf(() => requireIfMatch('W/"3"', 3))).toBe('no error');
    expect(statusOf(() => requireIfMatch('*', 3))).toBe('no error');
  });
});

describe('scopes', () => {
  it('admin includes agent includes readonly, never the reverse', () => {
    expect(hasScope(['admin'], 'agent')).toBe(true);
    expect(hasScope(['agent'], 'readonly')).toBe(true);
    expect(hasScope(['readonly'], 'agent')).toBe(false);
    expect(hasScope(['agent'], 'admin')).toBe(false);
  });
});

describe('API keys', () => {
  it('carry the tenant and key ids, and nothing else parses', () => {
    const tenantId = newId('ten');
    const issued = issueApiKey(tenantId);
    expect(parseApiKey(issued.secret)).toEqual({ tenantId, keyId: issued.keyId });
    expect(issued.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(parseApiKey(issued.secret + 'x')).toBeUndefined();
    expect(parseApiKey('sb.ten_x.key_y.z')).toBeUndefined();
  });
});

describe('ids', () => {
  it('sort by creation time and say what they name', () => {
    const earlier = newId('cus', 1_700_000_000_000);
    const later = newId('cus', 1_700_000_000_001);
    expect(earlier < later).toBe(true);
    expect(looksLikeId('cus', earlier)).toBe(true);
    expect(looksLikeId('ten', earlier)).toBe(false);
  });
});

describe('route matching', () => {
  it('finds the declared route and its parameters, or the allowed methods', () => {
    const found = matchPath('GET', '/v1/customers/cus_1');
    expect(found && 'route' in found && found.route.operationId).toBe('getCustomer');
    expect(found && 'params' in found && found.params).toEqual({ customerId: 'cus_1' });
    const wrongMethod = matchPath('PUT', '/v1/customers/cus_1');
    expect(wrongMethod && 'allowed' in wrongMethod && wrongMethod.allowed.sort()).toEqual(['DELETE', 'GET', 'PATCH']);
    expect(matchPath('GET', '/v1/nothing')).toBeUndefined();
    expect(matchPath('GET', '/v1/customers/%E0%A4%A')).toBeUndefined();
  });
});
