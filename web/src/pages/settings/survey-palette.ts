/**
 * The survey page's colours from the tenant's branding colour, as the server computes them
 * (shared/http/survey-page.ts `brandPalette`; that module runs on Node and cannot be bundled
 * here). tests/e2e/console-settings.test.ts compares the preview with the server's palette.
 */

const channels = (hex: string) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
const toHex = (rgb: number[]) => `#${rgb.map((value) => Math.round(value).toString(16).padStart(2, '0')).join('')}`;

function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((value) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

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
  brand: string;
  onBrand: string;
  accent: string;
}

export const isBrandColour = (colour: string) => /^#[0-9a-fA-F]{6}$/.test(colour);

export function brandPalette(colour: string): BrandPalette {
  const base = isBrandColour(colour) ? colour.toLowerCase() : '#1f4e79';
  const onBrand = contrastRatio(base, '#ffffff') >= contrastRatio(base, '#000000') ? '#ffffff' : '#000000';
  const brand = contrastRatio(base, onBrand) >= 4.5 ? base : shiftUntil(base, onBrand === '#ffffff' ? '#000000' : '#ffffff', onBrand, 4.5);
  return { brand, onBrand, accent: shiftUntil(base, '#000000', '#ffffff', 4.5) };
}
