import { describe, expect, it } from 'vitest';
import { StoredItemInvalid, parseItem, parseOptionalItem } from '../../shared/data/stored-item';
import * as z from '../../shared/zod';

const Reply = z.object({ body: z.string(), from: z.string(), status: z.enum(['open', 'closed']) });

describe('parseItem', () => {
  it('answers what the schema names, without the key attributes', () => {
    const item = { pk: 'T#ten_1#SMSIN#m1', sk: 'UNMATCHED', gsi1pk: 'x', type: 'UnmatchedSmsReply', expiresAt: 1, body: 'hi', from: '+886911222333', status: 'open' };
    expect(parseItem(Reply, item)).toEqual({ body: 'hi', from: '+886911222333', status: 'open' });
    expect(parseOptionalItem(Reply, undefined)).toBeUndefined();
  });

  it('refuses an item missing a field with its key and the paths, never a stored value', () => {
    const item = { pk: 'T#ten_1#SMSIN#m1', sk: 'UNMATCHED', from: '+886911222333', status: 'secret-status' };
    const refuse = () => parseItem(Reply, item);
    expect(refuse).toThrow(StoredItemInvalid);
    try {
      refuse();
    } catch (error) {
      const invalid = error as StoredItemInvalid;
      expect(invalid.name).toBe('StoredItemInvalid');
      expect(invalid.key).toEqual({ pk: 'T#ten_1#SMSIN#m1', sk: 'UNMATCHED' });
      expect(invalid.issues).toEqual(['body invalid_type (expected string)', 'status invalid_value']);
      expect(invalid.message).toBe('Stored item T#ten_1#SMSIN#m1 UNMATCHED is invalid: body invalid_type (expected string); status invalid_value');
      expect(invalid.message).not.toContain('secret-status');
    }
  });

  it('hides the phone number, e-mail or external id a unique marker is keyed by', () => {
    for (const [kind, value] of [['PHONE', '+886911222333'], ['EMAIL', 'mei@example.org'], ['EXTID', 'crm-77']]) {
      const item = { pk: `T#ten_1#${kind}#${value}`, sk: 'UNIQUE' };
      expect(() => parseItem(z.object({ customerId: z.string() }), item)).toThrow(`Stored item T#ten_1#${kind}#… UNIQUE is invalid`);
    }
  });

  it('names an item read without its keys by the key it was read with', () => {
    expect(() => parseItem(z.object({ plan: z.string() }), {}, { pk: 'T#ten_1', sk: 'TENANT' })).toThrow('Stored item T#ten_1 TENANT is invalid: plan invalid_type');
  });
});
