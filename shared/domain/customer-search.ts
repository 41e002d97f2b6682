import type { Customer } from '../schemas/customer';
import { normalizeEmail, toE164 } from './contact-points';

/**
 * Customer search (docs/developers/data-model.md, "Customer search"): which name tokens a customer
 * is found by, and what a search text asks for. Pure.
 *
 * Names are found by the prefix of a token:
 * - Latin (and any other alphabetic) words are folded: NFKD, combining marks stripped, NFC again,
 *   lower-cased, so `José`, `JOSE` and `jose` are one token; each word is a token, and a word
 *   joined by a hyphen or an apostrophe is also a token whole (`Mei-Ling` → `mei`, `ling`, `meiling`).
 * - A run of CJK characters (Han, kana, Hangul, Bopomofo) has no spaces between family and given
 *   name, so the run is a token and so is each of its suffixes of two characters or more:
 *   林美玲 → 林美玲, 美玲. A prefix of the whole run finds the name typed from its start (林, 林美),
 *   and the suffixes find it by the given name (美玲) whatever the length of the family name
 *   (歐陽娜娜 → 陽娜娜, 娜娜). Suffixes rather than every substring: a given name is the end of the
 *   run, and n−1 tokens for n characters keeps a name's writes small. A single character (玲) finds
 *   only names that start with it: one Han character matches far too many people to be useful.
 * - Two words of a name are also a token together, a **pair** (`mei chen`, `chen mei`): any two
 *   words of one field, and a given with a family name word, in both orders. A search of several
 *   words reads the pair of its first two, so it reads only customers who have both, however
 *   many have one of them.
 *
 * Tokens are kept in buckets (the partition of the index) named by their first three letters, or
 * their first character when it is CJK, and a pair by both of its words' buckets: a search reads
 * one bucket, and a bucket holds the names that share a start, not a tenant's every name with one
 * initial. So a first word shorter than its bucket (one or two Latin letters) finds only that whole
 * word; a second one that short is checked on the customers its first word finds (`nameQuery`).
 */

export type NameField = 'givenName' | 'familyName' | 'displayName';
export type MatchField = NameField | 'phone' | 'email' | 'externalId';

/**
 * At most this many tokens a customer (words first, then pairs), each word at most this long: a
 * rename's transaction (the customer, 6 unique markers, 25 tokens removed and 25 written, and the
 * up to 40 tokens of the former rules it deletes) stays within DynamoDB's 100 items.
 */
export const searchLimits = { tokensPerCustomer: 25, tokenLength: 40, cjkRunWithSuffixes: 10, latinBucketLength: 3 } as const;

export interface SearchToken {
  token: string;
  fields: NameField[];
}

const cjkCharacter = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
const cjkRun = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]+/gu;

/** Case and accents ignored, full-width forms made plain: `Ｊｏｓé` → `jose`. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();
}

const clip = (token: string) => [...token].slice(0, searchLimits.tokenLength).join('');

/** The tokens one text is found by (see the module's comment). */
export function tokensOfText(text: string): string[] {
  const tokens: string[] = [];
  for (const word of foldText(text).split(/\s+/u)) {
    for (const run of word.match(cjkRun) ?? []) {
      const characters = [...run];
      tokens.push(run);
      if (characters.length <= searchLimits.cjkRunWithSuffixes) {
        for (let start = 1; start <= characters.length - 2; start++) tokens.push(characters.slice(start).join(''));
      }
    }
    const parts = word.replace(cjkRun, ' ').split(/[^\p{L}\p{N}]+/u).filter((part) => part.length > 0);
    tokens.push(...parts);
    if (parts.length > 1 && !cjkCharacter.test(word)) tokens.push(parts.join(''));
  }
  return [...new Set(tokens.map(clip))];
}

/** The name tokens a customer is found by, each with the fields it comes from; at most `tokensPerCustomer`: words first, then pairs. */
export function customerSearchTokens(customer: Pick<Customer, NameField>): SearchToken[] {
  const byToken = new Map<string, NameField[]>();
  const add = (token: string, fields: readonly NameField[]) => {
    const known = byToken.get(token);
    if (known) {
      for (const field of fields) if (!known.includes(field)) known.push(field);
    } else if (byToken.size < searchLimits.tokensPerCustomer) {
      byToken.set(token, [...fields]);
    }
  };
  for (const field of nameFields) {
    const text = customer[field];
    if (text) for (const token of tokensOfText(text)) add(token, [field]);
  }
  for (const { token, fields } of pairTokens(customer)) add(token, fields);
  return [...byToken].map(([token, fields]) => ({ token, fields }));
}

const nameFields = ['givenName', 'familyName', 'displayName'] as const;

/** The words of a text grouped by the space-separated word they come from (a hyphenated word gives its parts and itself whole; a CJK run itself, not its suffixes). */
function wordGroups(text: string): string[][] {
  return foldText(text)
    .split(/\s+/u)
    .map((word) => {
      const runs = word.match(cjkRun) ?? [];
      const parts = word.replace(cjkRun, ' ').split(/[^\p{L}\p{N}]+/u).filter((part) => part.length > 0);
      const joined = parts.length > 1 && runs.length === 0 ? [parts.join('')] : [];
      return [...runs, ...parts, ...joined].map(clip);
    })
    .filter((group) => group.length > 0);
}

/** Given with family name words first (the pairs people type), then two words of one field; both orders. */
function pairTokens(customer: Pick<Customer, NameField>): SearchToken[] {
  const pairs: SearchToken[] = [];
  const both = (first: string, second: string, fields: NameField[]) => {
    if (first === second) return;
    pairs.push({ token: `${first} ${second}`, fields }, { token: `${second} ${first}`, fields });
  };
  const groups = (field: NameField) => (customer[field] ? wordGroups(customer[field]) : []);
  for (const given of groups('givenName').flat()) {
    for (const family of groups('familyName').flat()) both(given, family, ['givenName', 'familyName']);
  }
  for (const field of nameFields) {
    const fieldGroups = groups(field);
    fieldGroups.forEach((group, index) => {
      for (const later of fieldGroups.slice(index + 1)) for (const first of group) for (const second of later) both(first, second, [field]);
    });
  }
  return pairs;
}

/**
 * The tokens the first rules wrote (words only, at most 40, in partitions by first character:
 * `legacySearchTokenKey`): a rename and an erasure delete them too, until the backfill has removed
 * them everywhere.
 */
export function legacySearchTokens(customer: Pick<Customer, NameField>): string[] {
  const tokens = new Set<string>();
  for (const field of nameFields) {
    const text = customer[field];
    if (!text) continue;
    for (const token of tokensOfText(text)) if (tokens.size < 40) tokens.add(token);
  }
  return [...tokens];
}

/** The tokens to delete and to write when a customer's names change (a token whose fields changed is written again). */
export function searchTokenChanges(before: readonly SearchToken[], after: readonly SearchToken[]): { remove: string[]; write: SearchToken[] } {
  const old = new Map(before.map((entry) => [entry.token, entry.fields.join(',')]));
  const next = new Set(after.map((entry) => entry.token));
  return {
    remove: before.filter((entry) => !next.has(entry.token)).map((entry) => entry.token),
    write: after.filter((entry) => old.get(entry.token) !== entry.fields.join(',')),
  };
}

/** What a search text asks for: an exact phone, e-mail or external id, and name prefixes. */
export interface SearchPlan {
  phone?: string;
  email?: string;
  externalId?: string;
  /** Folded name words, as typed; a customer matches when each is the prefix of one of its words. */
  nameTerms: string[];
}

const phoneLike = /^\+?[\d\s().\-/]+$/u;

export function searchPlan(text: string, defaultCountry: string): SearchPlan {
  const query = text.trim();
  if (query.includes('@')) return { email: normalizeEmail(query), externalId: query, nameTerms: [] };
  if (phoneLike.test(query) && query.replace(/\D/g, '').length >= 6) {
    const phone = toE164(query, defaultCountry);
    return { ...(phone && { phone }), externalId: query, nameTerms: [] };
  }
  return { externalId: query, nameTerms: queryTerms(query) };
}

/** The search text's words, folded as names are, in the order typed; a hyphenated word whole, as it is a token (`Mei-Ling` → `meiling`). */
function queryTerms(query: string): string[] {
  const terms = foldText(query)
    .split(/\s+/u)
    .flatMap((word) => {
      const parts = word.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length > 0);
      return parts.length > 1 && !cjkCharacter.test(word) ? [parts.join('')] : parts;
    })
    .map(clip);
  return [...new Set(terms)];
}

/**
 * The one range of the index a name search reads: the bucket of its first word (or of the pair
 * of its first two words) and the tokens in it that start with the first word. With two words or
 * more, an entry matches when its pair's second word starts with `second`; any further words are
 * checked on the customers read (`nameMatch`).
 */
export interface NameQuery {
  bucket: string;
  prefix: string;
  second?: string;
}

export function nameQuery(terms: readonly string[]): NameQuery | undefined {
  const [first, second] = terms;
  if (first === undefined) return undefined;
  // A second word still shorter than its bucket (`mei c`, typed on the way to `mei chen`) cannot
  // name the pair's bucket: the first word's range is read, and the second checked on the customers.
  if (second === undefined || !fillsBucket(second)) return { bucket: wordBucket(first), prefix: first };
  return { bucket: `${wordBucket(first)} ${wordBucket(second)}`, prefix: first, second };
}

const fillsBucket = (word: string) => cjkCharacter.test([...word][0] ?? '') || [...word].length >= searchLimits.latinBucketLength;

/** Whether a token read by `query` answers it (a pair's second word must start with the second term). */
export function tokenAnswers(query: NameQuery, token: string): boolean {
  if (query.second === undefined) return true;
  const space = token.indexOf(' ');
  return space >= 0 && token.slice(space + 1).startsWith(query.second);
}

/** The name fields by which a customer matches every term, or undefined when one term starts none of its words. */
export function nameMatch(customer: Pick<Customer, NameField>, terms: readonly string[]): NameField[] | undefined {
  const words = customerSearchTokens(customer).filter((entry) => !entry.token.includes(' '));
  const fields = new Set<NameField>();
  for (const term of terms) {
    const matching = words.filter((entry) => entry.token.startsWith(term));
    if (matching.length === 0) return undefined;
    for (const entry of matching) for (const field of entry.fields) fields.add(field);
  }
  return nameFields.filter((field) => fields.has(field));
}

/** A word's bucket: its first three letters (the word whole when shorter), or its first character when that is CJK. */
export function wordBucket(word: string): string {
  const characters = [...word];
  return characters.slice(0, cjkCharacter.test(characters[0] ?? '') ? 1 : searchLimits.latinBucketLength).join('');
}

/** The partition of a token: its word's bucket, or a pair's two words' buckets. */
export const tokenBucket = (token: string) => token.split(' ').map(wordBucket).join(' ');
