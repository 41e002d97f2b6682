import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { checkOptionalIfMatch, etagOf, ifMatchMaxLength, requireIfMatch } from '../../shared/http/etag';
import { HttpError } from '../../shared/http/problem';

const problemOf = (check: () => void) => {
  try {
    check();
    return undefined;
  } catch (error) {
    return error instanceof HttpError ? error.slug : error;
  }
};

describe('If-Match', () => {
  it('names the current version as an ETag the service made, weak or strong, or * for any', () => {
    for (const header of ['"3"', 'W/"3"', '*', ' "3" ']) expect(problemOf(() => requireIfMatch(header, 3)), header).toBeUndefined();
    expect(problemOf(() => requireIfMatch(etagOf(123_456_789_012_345), 123_456_789_012_345))).toBeUndefined();
  });

  it('refuses a stale version (412), anything else it cannot read (412), and none where it is required (428)', () => {
    expect(problemOf(() => requireIfMatch('"2"', 3))).toBe('precondition-failed');
    for (const header of ['3', '"abc"', '**', `"${'9'.repeat(16)}"`, 'W/"3", "4"']) {
      expect(problemOf(() => requireIfMatch(header, 3)), header).toBe('precondition-failed');
    }
    expect(problemOf(() => requireIfMatch(undefined, 3))).toBe('precondition-required');
    expect(problemOf(() => checkOptionalIfMatch(undefined, 3))).toBeUndefined();
  });

  it('is declared in the document with the pattern and length the service reads, and the longest ETag it makes fits', () => {
    const document = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, { parameters?: { name: string; schema: { pattern: string; maxLength: number } }[] }>> };
    const schemas = Object.values(document.paths)
      .flatMap((operations) => Object.values(operations))
      .flatMap((operation) => operation.parameters ?? [])
      .filter((parameter) => parameter.name === 'If-Match')
      .map((parameter) => parameter.schema);
    expect(schemas.length).toBeGreaterThan(0);
    for (const schema of schemas) {
      expect(schema.maxLength).toBe(ifMatchMaxLength);
      for (const header of ['"3"', `W/"${'9'.repeat(15)}"`, '*']) {
        expect(new RegExp(schema.pattern).test(header), header).toBe(true);
        expect(header.length).toBeLessThanOrEqual(schema.maxLength);
      }
      expect(new RegExp(schema.pattern).test('"abc"')).toBe(false);
    }
  });
});
