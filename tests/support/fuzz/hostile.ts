import fc from 'fast-check';

/**
 * Values an attacker or a broken client sends: wrong types, the edges of numbers, strings that
 * mean something to DynamoDB expressions, JSON, HTML or URLs, unicode that breaks naive code.
 */
export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  '\u202e\u0646\u0635',
  '𝒳😀👩‍👩‍👧',
  '中文客戶',
  '__proto__',
  'constructor',
  '#',
  '#pk',
  ':pk',
  'T#',
  'T#01JZZZZZZZZZZZZZZZZZZZZZZZ',
  "' OR '1'='1",
  '" OR ""="',
  'attribute_exists(pk) OR begins_with(pk, :x)',
  '${process.env}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '%2F%2E%2E',
  '1e308',
  '-0',
  'NaN',
  'Infinity',
  '0x10',
  '99999999999999999999999',
  '-1',
  '1.5',
  'true',
  'null',
  '[]',
  '{}',
] as const;

export const hostileNumbers = [0, -0, -1, 1.5, 1e308, -1e308, 5e-324, 2 ** 53 + 1, -(2 ** 31), 100000] as const;

export const hostileString = (maxLength: number) =>
  fc.oneof(
    fc.constantFrom(...hostileStrings),
    fc.string({ maxLength: 64, unit: 'binary' }),
    fc.integer({ min: 256, max: maxLength }).map((length) => 'a'.repeat(length)),
  );

/** Any JSON value, hostile leaves included (JSON has no NaN or Infinity: those go in as strings). */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString(2_000),
    fc.constantFrom(...hostileNumbers),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('id', 'type', 'name', 'tenantId', 'pk', 'sk', 'status'), fc.string({ maxLength: 10 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Raw bodies that are not what they claim to be. */
export const malformedBodies = [
  '{',
  '{"a":1,}',
  'null',
  '"just a string"',
  '[1,2,3]',
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `{"a":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
  '\uFEFF{}',
  '{"x":"\\ud800"}',
] as const;

/** JSON text carrying prototype-pollution keys, merged into an otherwise valid object. */
export function withPollutionKeys(valid: unknown): string {
  const base = valid && typeof valid === 'object' && !Array.isArray(valid) ? JSON.stringify(valid).slice(1, -1) : '';
  const pollution = '"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}}';
  return `{${pollution}${base ? `,${base}` : ''}}`;
}

/** Replaces one field of a valid object with a hostile value: valid shape, edge content. */
export const mutatedField = (valid: Record<string, unknown>) =>
  fc
    .tuple(fc.constantFrom(...Object.keys(valid), '__unknownField'), hostileJson)
    .map(([field, value]) => ({ ...valid, [field]: value }));
