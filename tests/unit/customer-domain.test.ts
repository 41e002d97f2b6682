import { describe, expect, it } from 'vitest';
import { normalizeEmail, toE164 } from '../../shared/domain/contact-points';
import { InvalidCustomer, customerErasure, newCustomer, patchCustomer } from '../../shared/domain/customer';

const context = { customerId: 'cus_01JABCDEFGHJKMNPQRSTVWXYZ0', defaultCountry: 'TW', now: '2026-11-22T10:00:00.000Z' };

describe('phone numbers', () => {
  it('reads a Taiwanese national mobile number into E.164', () => {
    expect(toE164('0912 345 678', 'TW')).toBe('+886912345678');
    expect(toE164('0912-345-678', 'TW')).toBe('+886912345678');
  });

  it('keeps an international number whatever the default country', () => {
    expect(toE164('+1 415 555 2671', 'TW')).toBe('+14155552671');
  });

  it('refuses what is not a phone number', () => {
    expect(toE164('12', 'TW')).toBeUndefined();
    expect(toE164('not a number', 'TW')).toBeUndefined();
  });

  it('lowercases e-mail', () => {
    expect(normalizeEmail('  Mei.Lin@Example.COM ')).toBe('mei.lin@example.com');
  });
});

describe('customers', () => {
  it('normalizes contact points and records consent with its time and source', () => {
    const customer = newCustomer(
      {
        displayName: '林美玲',
        phone: '0912 345 678',
        email: 'Mei@Example.com',
        tags: ['vip', 'vip'],
        consent: { sms: { status: 'granted', source: 'web-form' } },
      },
      context,
    );
    expect(customer).toMatchObject({
      phone: '+886912345678',
      email: 'mei@example.com',
      tags: ['vip'],
      version: 1,
      consent: {
        sms: { status: 'granted', source: 'web-form', at: context.now },
        email: { status: 'unknown' },
        marketing: { status: 'unknown' },
      },
    });
  });

  it('names the field of an invalid phone', () => {
    expect(() => newCustomer({ phone: '123' }, context)).toThrowError(InvalidCustomer);
    try {
      newCustomer({ phone: '123' }, context);
    } catch (error) {
      expect((error as InvalidCustomer).errors[0]?.path).toBe('$.phone');
    }
  });

  it('patches as a merge: absent stays, null removes, version moves on', () => {
    const current = newCustomer({ givenName: 'Mei', familyName: 'Lin', phone: '0912345678' }, context);
    const next = patchCustomer(current, { familyName: null, email: 'A@B.CO' }, { defaultCountry: 'TW', now: 'later' });
    expect(next.givenName).toBe('Mei');
    expect(next).not.toHaveProperty('familyName');
    expect(next.email).toBe('a@b.co');
    expect(next.phone).toBe('+886912345678');
    expect(next.version).toBe(2);
    expect(next.updatedAt).toBe('later');
  });

  it('erasure keeps no personal data, in the tombstone or its event', () => {
    const current = newCustomer({ displayName: 'Mei', phone: '0912345678', email: 'a@b.co', externalId: 'crm-1' }, context);
    const erasedAt = '2026-11-23T10:00:00.000Z';
    const erasure = customerErasure('ten_01JABCDEFGHJKMNPQRSTVWXYZ0', current, erasedAt);
    const text = JSON.stringify(erasure);
    for (const personal of ['Mei', '+886912345678', 'a@b.co', 'crm-1']) expect(text).not.toContain(personal);
    expect(erasure.next).toMatchObject({ customerId: current.customerId, erasedAt });
    expect(erasure.events.map((event) => [event.detailType, event.detail.data])).toEqual([['Customer Erased', { customerId: current.customerId, erasedAt }]]);
  });
});
