/**
 * The survey page's colours from the tenant's branding colour, keeping text at a contrast of at
 * least 4.5:1 (WCAG AA). Pure, with no imports: the survey page (shared/http/survey-page.ts) and the
 * console's previews of it (settings' branding, the template editor) compute them alike.
 */

export const isBrandColour = (colour: string) => /^#[0-9a-fA-F]{6}$/.test(colour);

const channels = (hex: string) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
const toHex = (rgb: number[]) => `#${rgb.map((value) => Math.round(value).toString(16).padStart(2, '0')).join('')}`;

/** WCAG 2 relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((value) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG 2 contrast ratio, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** Mixes `hex` step by step toward `toward` until it reaches `ratio` against `against`. */
function shiftUntil(hex: string, toward: string, against: string, ratio: number): string {
  const from = channels(hex);
  const to = channels(toward);
  for (let share = 0; share <= 1; share += 0.05) {
    const mixed = toHex(from.map((value, index) => value + (to[index]! - value) * share));
    if (contrastRatio(mixed, against) >= ratio) return mixed;
  }
  return toward;
}

export interface BrandPalette {
  /** The header, the chosen answers and the button: the tenant's colour (shifted if text on it could not reach 4.5:1). */
  brand: string;
  /** Black or white, whichever reads better on `brand`. */
  onBrand: string;
  /** The tenant's colour darkened until it reaches 4.5:1 on white: focus rings and the chosen answer's border. */
  accent: string;
}

/** Colours from the tenant's branding colour that keep text at a contrast of at least 4.5:1 (WCAG AA). */
export function brandPalette(colour: string): BrandPalette {
  const base = isBrandColour(colour) ? colour.toLowerCase() : '#1f4e79';
  const onBrand = contrastRatio(base, '#ffffff') >= contrastRatio(base, '#000000') ? '#ffffff' : '#000000';
  const brand = contrastRatio(base, onBrand) >= 4.5 ? base : shiftUntil(base, onBrand === '#ffffff' ? '#000000' : '#ffffff', onBrand, 4.5);
  return { brand, onBrand, accent: shiftUntil(base, '#000000', '#ffffff', 4.5) };
}
