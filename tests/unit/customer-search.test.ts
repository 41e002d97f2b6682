import { describe, expect, it } from 'vitest';
import {
  customerSearchTokens,
  legacySearchTokens,
  nameMatch,
  nameQuery,
  searchLimits,
  searchPlan,
  searchTokenChanges,
  tokenAnswers,
  tokenBucket,
  tokensOfText,
} from '../../shared/domain/customer-search';

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

  it('name the fields a token comes from, words first, then pairs of words in both orders', () => {
    expect(customerSearchTokens({ givenName: 'Mei', familyName: 'Chen', displayName: 'Chen Mei' })).toEqual([
      { token: 'mei', fields: ['givenName', 'displayName'] },
      { token: 'chen', fields: ['familyName', 'displayName'] },
      { token: 'mei chen', fields: ['givenName', 'familyName', 'displayName'] },
      { token: 'chen mei', fields: ['givenName', 'familyName', 'displayName'] },
    ]);
  });

  it('pair a given with a family name word, and two words of one field, but not the parts of one hyphenated word', () => {
    const tokens = customerSearchTokens({ givenName: 'Mei-Ling', familyName: 'Chen', displayName: 'Mei-Ling Chen' }).map((entry) => entry.token);
    expect(tokens).toEqual(expect.arrayContaining(['mei chen', 'chen mei', 'meiling chen', 'ling chen', 'chen ling']));
    expect(tokens).not.toContain('mei ling');
    expect(customerSearchTokens({ givenName: '美玲', familyName: '陳' }).map((entry) => entry.token)).toEqual(['美玲', '陳', '美玲 陳', '陳 美玲']);
    expect(customerSearchTokens({ displayName: 'Anna Maria Lopez' }).map((entry) => entry.token)).toContain('anna lopez');
  });

  it('keep words before pairs when a name has more tokens than a customer may', () => {
    const tokens = customerSearchTokens({ givenName: 'Ana Bea Cleo Dora', familyName: 'Eve Fay Gil' });
    expect(tokens).toHaveLength(searchLimits.tokensPerCustomer);
    expect(tokens.slice(0, 7).map((entry) => entry.token)).toEqual(['ana', 'bea', 'cleo', 'dora', 'eve', 'fay', 'gil']);
  });

  it('keep what the first rules wrote, words only, to delete it', () => {
    expect(legacySearchTokens({ givenName: 'Mei', familyName: 'Chen', displayName: '陳美玲' })).toEqual(['mei', 'chen', '陳美玲', '美玲']);
  });

  it('move on a rename only what changed', () => {
    const before = customerSearchTokens({ givenName: 'Mei', familyName: 'Chen' });
    const after = customerSearchTokens({ givenName: 'Mei', familyName: 'Lin' });
    expect(searchTokenChanges(before, after)).toEqual({
      remove: ['chen', 'mei chen', 'chen mei'],
      write: [
        { token: 'lin', fields: ['familyName'] },
        { token: 'mei lin', fields: ['givenName', 'familyName'] },
        { token: 'lin mei', fields: ['givenName', 'familyName'] },
      ],
    });
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

  it('is otherwise name terms, as typed, and an external id', () => {
    expect(searchPlan('jo Álvarez', 'TW')).toEqual({ externalId: 'jo Álvarez', nameTerms: ['jo', 'alvarez'] });
    expect(searchPlan('Mei-Ling Chen', 'TW').nameTerms).toEqual(['meiling', 'chen']);
    expect(nameQuery(searchPlan('Mei-Ling Chen', 'TW').nameTerms)).toEqual({ bucket: 'mei che', prefix: 'meiling', second: 'chen' });
    expect(customerSearchTokens({ givenName: 'Mei-Ling', familyName: 'Chen' }).map((entry) => entry.token)).toContain('meiling chen');
  });

  it('matches a customer only when every term starts one of its tokens', () => {
    const customer = { givenName: 'José', familyName: 'Álvarez' };
    expect(nameMatch(customer, ['alv', 'jo'])).toEqual(['givenName', 'familyName']);
    expect(nameMatch(customer, ['alv', 'mar'])).toBeUndefined();
    expect(nameMatch({ displayName: '林美玲' }, ['美玲'])).toEqual(['displayName']);
  });
});

describe('the buckets of the index', () => {
  it('name a word by its first three letters, or its first CJK character, and a pair by both', () => {
    expect(tokenBucket('chen')).toBe('che');
    expect(tokenBucket('li')).toBe('li');
    expect(tokenBucket('林美玲')).toBe('林');
    expect(tokenBucket('jose gonzalez')).toBe('jos gon');
    expect(tokenBucket('陳 美玲')).toBe('陳 美');
  });

  it('are read by a search: the word\'s own bucket, or the pair\'s of the first two words', () => {
    expect(nameQuery(['chen'])).toEqual({ bucket: 'che', prefix: 'chen' });
    expect(nameQuery(['jos', 'gonz', 'x'])).toEqual({ bucket: 'jos gon', prefix: 'jos', second: 'gonz' });
    expect(nameQuery([])).toBeUndefined();
  });

  it('reads the first word alone while the second is still shorter than a bucket, and leaves it to the customers read', () => {
    expect(nameQuery(['mei', 'c'])).toEqual({ bucket: 'mei', prefix: 'mei' });
    expect(nameQuery(['mei', 'ch'])).toEqual({ bucket: 'mei', prefix: 'mei' });
    expect(nameQuery(['林', '美'])).toEqual({ bucket: '林 美', prefix: '林', second: '美' });
    expect(nameMatch({ givenName: 'Mei', familyName: 'Chen' }, ['mei', 'ch'])).toEqual(['givenName', 'familyName']);
    expect(nameMatch({ givenName: 'Mei', familyName: 'Lin' }, ['mei', 'ch'])).toBeUndefined();
  });

  it('hold every token a search finds: the query\'s bucket is the bucket of each token it matches', () => {
    const names = ['José Gonzalez', 'Mei-Ling Chen', 'Josefina Gonzaga', '林美玲', 'Li Wu'];
    const tokens = names.flatMap((name) => customerSearchTokens({ displayName: name }).map((entry) => entry.token));
    for (const typed of [['jos'], ['jose'], ['gonza'], ['mei', 'che'], ['jose', 'gonzalez'], ['jos', 'gonzag'], ['林'], ['林美'], ['wu', 'li']]) {
      const query = nameQuery(typed)!;
      const found = tokens.filter((token) => token.startsWith(query.prefix) && tokenAnswers(query, token) && (query.second !== undefined) === token.includes(' '));
      expect(found.length, typed.join(' ')).toBeGreaterThan(0);
      for (const token of found) expect(tokenBucket(token), `${typed.join(' ')} → ${token}`).toBe(query.bucket);
    }
  });

  it('answer a pair search only with pairs whose second word starts with the second term', () => {
    const query = nameQuery(['jos', 'gonzal'])!;
    expect(tokenAnswers(query, 'jose gonzalez')).toBe(true);
    expect(tokenAnswers(query, 'jose gonzaga')).toBe(false);
  });

  it('find a word shorter than a bucket only whole: `li` is Li, not Lin', () => {
    expect(tokenBucket('lin')).not.toBe(nameQuery(['li'])!.bucket);
    expect(tokenBucket('li')).toBe(nameQuery(['li'])!.bucket);
  });
});
