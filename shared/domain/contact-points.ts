import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Phone numbers are stored in E.164. A national number is read against the tenant's default
 * country, so in Taiwan `0912 345 678` becomes `+886912345678`. Returns undefined when the
 * input is not a valid number for any country it could belong to.
 */
export function toE164(input: string, defaultCountry: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), { defaultCountry: defaultCountry as CountryCode });
  return parsed?.isValid() ? parsed.number : undefined;
}

export const normalizeEmail = (input: string) => input.trim().toLowerCase();
