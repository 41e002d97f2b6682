import { describe, expect, it } from 'vitest';
import { CsvSheet, csvField, csvHeader, csvRecord } from '../../shared/http/csv';
import { parseCsv } from '../support/csv-parser';

describe('the CSV writer', () => {
  it('starts a document with the UTF-8 byte order mark and a CRLF-ended header', () => {
    const header = csvHeader(['contactId', 'queue']);
    expect([...Buffer.from(header, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(header.slice(1)).toBe('contactId,queue\r\n');
  });

  it('quotes fields with commas, quotes, CR or LF and doubles their quotes (RFC 4180)', () => {
    expect(csvField('plain 文字')).toBe('plain 文字');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('line 1\r\nline 2')).toBe('"line 1\r\nline 2"');
  });

  it('writes nothing for missing values and numbers and booleans as they are', () => {
    expect(csvRecord([undefined, null, 0, -3.5, true, false, ''])).toBe(',,0,-3.5,true,false,\r\n');
  });

  it.each(['=1+1', '+886912345678', '-2+3', '@SUM(A1)', '\tcmd', '\r=1'])(
    'puts a single quote before a text cell a spreadsheet would run as a formula: %j',
    (value) => {
      expect(parseCsv(csvRecord([value]))).toEqual([[`'${value}`]]);
    },
  );

  it('leaves text that only contains formula characters later alone', () => {
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('客服 - 帳務')).toBe('客服 - 帳務');
  });

  it('gives back every value through a CSV parser', () => {
    const values = ['退款, 請盡快', '他說 "謝謝"', '第一行\r\n第二行', 'x'];
    const document = csvHeader(['a', 'b', 'c', 'd']) + csvRecord(values);
    expect(parseCsv(document.slice(1))).toEqual([['a', 'b', 'c', 'd'], values]);
  });
});

describe('a CSV sheet (one answer of an export)', () => {
  it('takes rows up to its row limit', () => {
    const sheet = new CsvSheet(['a'], { maxRows: 2, maxEnvelopeBytes: 1_000_000 });
    expect([sheet.add(['1']), sheet.add(['2']), sheet.add(['3'])]).toEqual([true, true, false]);
    expect(sheet.text).toBe('\uFEFFa\r\n1\r\n2\r\n');
  });

  it('stops before its size as a JSON string would pass the limit, counting escapes twice', () => {
    const header = csvHeader(['a']);
    const headerBytes = Buffer.byteLength(JSON.stringify(header)) - 2;
    // `"x"` is written with its quotes doubled inside quotes, then CRLF: in JSON each of the 6 quotes, the CR and the LF take two bytes: 12 + 1 + 4 = 17.
    const sheet = new CsvSheet(['a'], { maxRows: 100, maxEnvelopeBytes: headerBytes + 17 });
    expect(sheet.add(['"x"'])).toBe(true);
    expect(sheet.add(['y'])).toBe(false);
    expect(sheet.rows).toBe(1);
    expect(Buffer.byteLength(JSON.stringify(sheet.text)) - 2).toBe(headerBytes + 17);
  });

  it('counts Chinese text at its UTF-8 size', () => {
    const header = csvHeader(['a']);
    const headerBytes = Buffer.byteLength(JSON.stringify(header)) - 2;
    const sheet = new CsvSheet(['a'], { maxRows: 100, maxEnvelopeBytes: headerBytes + 3 * 2 + 4 - 1 });
    expect(sheet.add(['退款'])).toBe(false);
  });
});
