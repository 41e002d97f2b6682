import { describe, expect, it } from 'vitest';
import { customerSearchTokens, nameMatch, searchLimits, searchPlan, searchTokenChanges, tokensOfText } from '../../shared/domain/customer-search';

describe('customer search tokens', () => {
  it('fold Latin words: case, accents and full-width forms ignored, hyphenated words also whole', () => {
    expect(tokensOfText('José  ÁLVAREZ')).toEqual(['jose', 'alvarez']);
    expect(tokensOfText('Ｍｅｉ-Ling')).toEqual(['mei', 'ling', 'meiling']);
  });

  it('index a CJK name whole and by each suffix of two characters or more', () => {
    expect(tokensOfText('林美玲')).toEqual(['林美玲', '美玲']);
    expect(tokensOfText('歐陽娜娜')).toEqual(['歐陽娜娜', '陽娜娜', '娜娜']);
    expect(tokensOfText('林美玲Amy')).toEqual(['林美玲', '美玲', 'amy']);
  });

  it('keep a long CJK run whole only, and a customer under its token bound', () => {
    expect(tokensOfText('一二三四五六七八九十甲')).toEqual(['一二三四五六七八九十甲']);
    const many = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    expect(customerSearchTokens({ displayName: many })).toHaveLength(searchLimits.tokensPerCustomer);
  });

  it('name the fields a token comes from', () => {
    expect(customerSearchTokens({ givenName: 'Mei', familyName: 'Chen', displayName: 'Chen Mei' })).toEqual([
      { token: 'mei', fields: ['givenName', 'displayName'] },
      { token: 'chen', fields: ['familyName', 'displayName'] },
    ]);
  });

  it('move on a rename only what changed', () => {
    const before = customerSearchTokens({ givenName: 'Mei', familyName: 'Chen' });
    const after = customerSearchTokens({ givenName: 'Mei', familyName: 'Lin' });
    expect(searchTokenChanges(before, after)).toEqual({ remove: ['chen'], write: [{ token: 'lin', fields: ['familyName'] }] });
    expect(searchTokenChanges(before, before)).toEqual({ remove: [], write: [] });
  });
});

describe('a search text', () => {
  it('is a phone number when it looks like one and reads as one in the default country', () => {
    expect(searchPlan('(09) 1234-5678', 'TW')).toMatchObject({ phone: '+886912345678', nameTerms: [] });
    expect(searchPlan('+886 912 345 678', 'TW').phone).toBe('+886912345678');
  });

  it('is an e-mail address when it has an @', () => {
    expect(searchPlan(' Mei@Example.COM ', 'TW')).toEqual({ email: 'mei@example.com', externalId: 'Mei@Example.COM', nameTerms: [] });
  });

  it('is otherwise name terms, the longest first, and an external id', () => {
    expect(searchPlan('jo Álvarez', 'TW')).toEqual({ externalId: 'jo Álvarez', nameTerms: ['alvarez', 'jo'] });
  });

  it('matches a customer only when every term starts one of its tokens', () => {
    const customer = { givenName: 'José', familyName: 'Álvarez' };
    expect(nameMatch(customer, ['alv', 'jo'])).toEqual(['givenName', 'familyName']);
    expect(nameMatch(customer, ['alv', 'mar'])).toBeUndefined();
    expect(nameMatch({ displayName: '林美玲' }, ['美玲'])).toEqual(['displayName']);
  });
});
