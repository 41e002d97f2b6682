/** What one answer of an export route gave: its CSV text and the cursor of the rest, if any. */
export interface CsvPage {
  text: string;
  nextCursor?: string;
  filename?: string;
}

const byteOrderMark = '\uFEFF';

/** The `cursor` of a `Link: <…?cursor=…>; rel="next"` header. */
export function nextCursorOf(link: string | null): string | undefined {
  const target = link?.split(',').find((part) => /rel="?next"?/.test(part))?.match(/<([^>]*)>/)?.[1];
  if (!target) return undefined;
  return new URLSearchParams(target.slice(target.indexOf('?') + 1)).get('cursor') ?? undefined;
}

export function filenameOf(disposition: string | null): string | undefined {
  return disposition?.match(/filename="?([^";]+)"?/)?.[1];
}

/** Records after the header, counting line breaks outside quoted fields (a note may hold a line break). */
export function dataRowsOf(csv: string): number {
  let records = 0;
  let quoted = false;
  let sinceBreak = 0;
  for (const character of csv.startsWith(byteOrderMark) ? csv.slice(1) : csv) {
    if (character === '"') quoted = !quoted;
    if (character === '\n' && !quoted) {
      records++;
      sinceBreak = 0;
    } else if (character !== '\r') sinceBreak++;
  }
  if (sinceBreak > 0) records++;
  return Math.max(0, records - 1);
}

/** One file of every page: the first whole, the others without their byte order mark and header row. */
export function joinPages(pages: readonly string[]): string {
  return pages
    .map((page, index) => {
      if (index === 0) return page;
      const body = page.startsWith(byteOrderMark) ? page.slice(1) : page;
      const headerEnd = body.indexOf('\n');
      return headerEnd < 0 ? '' : body.slice(headerEnd + 1);
    })
    .join('');
}
