/**
 * How many SMS segments a message body costs, as carriers bill it. A body that is all GSM 03.38
 * characters is sent in GSM-7 (160 septets in one segment; 153 per segment once it is split, the
 * rest being the concatenation header). Anything else sends the whole body in UCS-2 (70 UTF-16
 * code units alone, 67 per segment when split). A character of the GSM extension table costs two
 * septets (escape + character) and is never split across segments; neither is a surrogate pair.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Characters as a reader counts them (Unicode code points). */
  characters: number;
  segments: number;
}

const gsmBasic = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);
const gsmExtension = new Set(Array.from('\f^{}\\[~]|€'));

const limits = {
  'GSM-7': { single: 160, perPart: 153 },
  'UCS-2': { single: 70, perPart: 67 },
} as const;

export function countSegments(text: string): SegmentCount {
  const characters = Array.from(text);
  const isGsm = characters.every((character) => gsmBasic.has(character) || gsmExtension.has(character));
  const encoding: SmsEncoding = isGsm ? 'GSM-7' : 'UCS-2';
  // Septets per character in GSM-7; UTF-16 code units per code point in UCS-2.
  const units = characters.map((character) => (isGsm ? (gsmExtension.has(character) ? 2 : 1) : character.length));
  const total = units.reduce((sum, size) => sum + size, 0);
  const { single, perPart } = limits[encoding];
  if (total === 0) return { encoding, characters: 0, segments: 0 };
  if (total <= single) return { encoding, characters: characters.length, segments: 1 };

  let segments = 1;
  let used = 0;
  for (const size of units) {
    if (used + size > perPart) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, characters: characters.length, segments };
}
