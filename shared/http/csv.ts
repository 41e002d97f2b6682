/**
 * A CSV writer for exports that spreadsheet and BI tools open as they are: RFC 4180 (fields
 * separated by commas, records ended by CRLF, a field holding a comma, a double quote, CR or LF
 * enclosed in double quotes with its quotes doubled), UTF-8 with a byte order mark so that Excel
 * reads Chinese as UTF-8 rather than the system code page. Pure.
 *
 * Formula injection: a spreadsheet runs a text cell that starts with `=`, `+`, `-`, `@`, a tab or
 * a CR as a formula (OWASP "CSV injection"), and exported cells hold what customers and agents
 * typed. Such a text cell is written with a single quote in front (`'=1+1`), which spreadsheets
 * show as text; the quote is part of the value a CSV parser reads back. Numbers and booleans are
 * written as they are (a negative number is a number, not a formula).
 */

export type CsvValue = string | number | boolean | null | undefined;

/** The UTF-8 byte order mark, EF BB BF once encoded: the first character of every export. */
export const utf8Bom = '\uFEFF';

export const csvRecordSeparator = '\r\n';

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

/** One field: empty for null or undefined, guarded against formulas, quoted when it must be. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = formulaStart.test(value) ? `'${value}` : value;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ended by CRLF. */
export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + csvRecordSeparator;
}

/** The start of a CSV document: the byte order mark and the header record. */
export function csvHeader(columns: readonly string[]): string {
  return utf8Bom + csvRecord(columns);
}

/**
 * The rows of one answer, up to a row limit and a size limit. The size is counted as the body
 * travels in a Lambda answer's JSON envelope, where a quote, a CR or an LF takes two bytes, since
 * that envelope is what API Gateway limits to 6 MB.
 */
export class CsvSheet {
  private readonly records: string[];
  private envelopeBytes: number;
  private rowCount = 0;

  constructor(
    columns: readonly string[],
    private readonly limits: { maxRows: number; maxEnvelopeBytes: number },
  ) {
    const header = csvHeader(columns);
    this.records = [header];
    this.envelopeBytes = envelopeBytesOf(header);
  }

  /** Adds the row unless it would go past a limit; false: the sheet is full and the row was not added. */
  add(values: readonly CsvValue[]): boolean {
    if (this.rowCount >= this.limits.maxRows) return false;
    const record = csvRecord(values);
    const bytes = envelopeBytesOf(record);
    if (this.envelopeBytes + bytes > this.limits.maxEnvelopeBytes) return false;
    this.records.push(record);
    this.envelopeBytes += bytes;
    this.rowCount++;
    return true;
  }

  get rows(): number {
    return this.rowCount;
  }

  get text(): string {
    return this.records.join('');
  }
}

const envelopeBytesOf = (text: string) => Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
