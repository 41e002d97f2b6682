import type { Schemas } from '../../api/client';

/** The name a person would say: the display name, else given and family names (family first for CJK names). */
export function customerName(customer: Pick<Schemas['Customer'], 'displayName' | 'givenName' | 'familyName'>): string | undefined {
  if (customer.displayName) return customer.displayName;
  const { givenName, familyName } = customer;
  if (!givenName && !familyName) return undefined;
  const cjk = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(`${familyName ?? ''}${givenName ?? ''}`);
  return cjk ? `${familyName ?? ''}${givenName ?? ''}` : [givenName, familyName].filter(Boolean).join(' ');
}
