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
 */

export type NameField = 'givenName' | 'familyName' | 'displayName';
export type MatchField = NameField | 'phone' | 'email' | 'externalId';

/** At most this many tokens a customer, each at most this long: a customer's writes stay in one transaction. */
export const searchLimits = { tokensPerCustomer: 40, tokenLength: 40, cjkRunWithSuffixes: 10 } as const;

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

/** The name tokens a customer is found by, each with the fields it comes from; at most `tokensPerCustomer`, the given and family names' first. */
export function customerSearchTokens(customer: Pick<Customer, NameField>): SearchToken[] {
  const byToken = new Map<string, NameField[]>();
  for (const field of ['givenName', 'familyName', 'displayName'] as const) {
    const text = customer[field];
    if (!text) continue;
    for (const token of tokensOfText(text)) {
      const fields = byToken.get(token);
      if (fields) {
        if (!fields.includes(field)) fields.push(field);
      } else if (byToken.size < searchLimits.tokensPerCustomer) {
        byToken.set(token, [field]);
      }
    }
  }
  return [...byToken].map(([token, fields]) => ({ token, fields }));
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
  /** Folded name words; a customer matches when each is the prefix of one of its tokens. */
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

/** The search text's words, folded as names are; the longest first (it is the most selective, so it is the one queried). */
function queryTerms(query: string): string[] {
  const terms = foldText(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .map(clip);
  return [...new Set(terms)].sort((a, b) => [...b].length - [...a].length);
}

/** The name fields by which a customer matches every term, or undefined when one term matches none of its tokens. */
export function nameMatch(customer: Pick<Customer, NameField>, terms: readonly string[]): NameField[] | undefined {
  const tokens = customerSearchTokens(customer);
  const fields = new Set<NameField>();
  for (const term of terms) {
    const matching = tokens.filter((entry) => entry.token.startsWith(term));
    if (matching.length === 0) return undefined;
    for (const entry of matching) for (const field of entry.fields) fields.add(field);
  }
  return (['givenName', 'familyName', 'displayName'] as const).filter((field) => fields.has(field));
}

/** The partition of a token: its first character, so a tenant's tokens spread over many partitions. */
export const tokenBucket = (token: string) => [...token][0] ?? '';
