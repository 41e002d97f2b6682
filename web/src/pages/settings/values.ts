/**
 * A number field as the person typed it: a number when it reads as one, otherwise the text itself,
 * so that the API refuses it and its message appears beside the field (typed as a number for the
 * request body, which the API checks anyway).
 */
export function numberOrAsTyped(text: string): number {
  const trimmed = text.trim();
  return (/^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed) as number;
}

/** The same for a field where empty means "none" (null). */
export const numberOrNone = (text: string): number | null => (text.trim() === '' ? null : numberOrAsTyped(text));

export const textOf = (value: number | null | undefined): string => (value === null || value === undefined ? '' : String(value));
