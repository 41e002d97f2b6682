import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePhoneNumberFromString as parseWithFullMetadata, type CountryCode } from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';
import min from 'libphonenumber-js/metadata.min.json';
import { phoneMetadataFile } from '../../infra/tools/phone-metadata';
import { toE164 } from '../../shared/domain/contact-points';
import { parsingMetadata } from '../../shared/domain/phone-metadata-source';

/** What the library with its own, untrimmed metadata makes of the input. */
function expectedE164(input: string, defaultCountry: string): string | undefined {
  const parsed = parseWithFullMetadata(input.trim(), { defaultCountry: defaultCountry as CountryCode });
  return parsed?.isValid() ? parsed.number : undefined;
}

describe('the phone metadata the functions bundle', () => {
  it('is what `npm run phone-metadata` derives from the installed libphonenumber-js (run it after updating the package)', () => {
    expect(JSON.parse(readFileSync(phoneMetadataFile, 'utf8'))).toEqual(parsingMetadata(min));
  });

  it('is less than half the size of the library metadata', () => {
    expect(JSON.stringify(parsingMetadata(min)).length).toBeLessThan(JSON.stringify(min).length * 0.5);
  });

  it("reads every country's example number exactly as the full metadata does: E.164, international and national, from home and abroad", () => {
    const countries = Object.keys(examples) as CountryCode[];
    expect(countries.length).toBeGreaterThan(200);
    let compared = 0;
    for (const country of countries) {
      const number = parseWithFullMetadata(examples[country as keyof typeof examples], country);
      expect(number?.isValid(), country).toBe(true);
      const inputs = [
        number!.number,
        number!.formatInternational(),
        number!.formatNational(),
        number!.nationalNumber,
        `${number!.number}0`,
        number!.number.slice(0, -2),
        number!.formatNational().slice(0, -1),
      ];
      for (const input of inputs) {
        for (const defaultCountry of [country, 'US', 'TW', 'GB']) {
          expect(toE164(input, defaultCountry), `${input} in ${defaultCountry}`).toBe(expectedE164(input, defaultCountry));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('still refuses what is not a phone number', () => {
    for (const input of ['', 'abc', '12', '+0 123 456', '0912-345-678-999-000']) expect(toE164(input, 'TW')).toBeUndefined();
    expect(toE164('0912 345 678', 'TW')).toBe('+886912345678');
  });
});
