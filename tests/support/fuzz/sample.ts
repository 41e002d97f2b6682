import fc from 'fast-check';
import * as z from '../../../shared/zod';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: Json[];
  const?: Json;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minItems?: number;
  default?: Json;
  additionalProperties?: JsonSchema | boolean;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/** Values a field's name or format suggests, tried when a generic value does not pass. */
const byFormat: Record<string, Json> = {
  email: 'fuzz@example.com',
  uri: 'https://hooks.example.com/in',
  url: 'https://hooks.example.com/in',
  'date-time': '2026-01-05T10:00:00+08:00',
  date: '2026-01-05',
  time: '10:00',
  duration: 'P1D',
};
const byName: [RegExp, Json][] = [
  [/timezone/i, 'Asia/Taipei'],
  [/currency/i, 'TWD'],
  [/country/i, 'TW'],
  [/phone|e164|msisdn/i, '+886912345678'],
  [/email/i, 'fuzz@example.com'],
  [/url/i, 'https://hooks.example.com/in'],
  [/^(at|from|date|startedAt|endedAt|queuedAt|answeredAt|openedAt)$/i, '2026-01-05'],
  [/^(to|until|end)$/i, '2026-01-06'],
  [/^(start|end|time)$/i, '09:00'],
  [/locale|language/i, 'en'],
  [/colou?r/i, '#336699'],
];

/**
 * The smallest instance of a JSON schema: required properties only, the first enum member, the
 * least number allowed. It need not be valid (refinements are invisible to JSON Schema); see
 * validSample, which repairs it against the zod schema.
 */
export function minimalInstance(schema: JsonSchema, name = '', defs: Record<string, JsonSchema> = schema.$defs ?? {}): Json {
  if (schema.$ref) return minimalInstance(defs[schema.$ref.replace('#/$defs/', '')] ?? {}, name, defs);
  const minimal = (inner: JsonSchema, innerName = name) => minimalInstance(inner, innerName, defs);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0]!;
  if (schema.default !== undefined) return schema.default;
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice?.length) return minimal(choice.find((option) => option.type !== 'null') ?? choice[0]!);
  if (schema.allOf?.length) return minimal(Object.assign({}, ...schema.allOf) as JsonSchema);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      for (const key of schema.required ?? []) out[key] = minimal(schema.properties?.[key] ?? {}, key);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, (_, i) => minimal(schema.prefixItems?.[i] ?? schema.items ?? {}));
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : undefined);
      return low ?? Math.min(1, schema.maximum ?? 1);
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string': {
      if (schema.format === 'date-time' && /^(to|until|end)/i.test(name)) return '2026-01-06T10:00:00+08:00';
      if (schema.format && byFormat[schema.format] !== undefined) return byFormat[schema.format]!;
      if (schema.pattern) {
        const matching = stringMatching(schema.pattern, name);
        if (matching !== undefined) return matching;
      }
      const hinted = byName.find(([pattern]) => pattern.test(name));
      if (hinted) return hinted[1];
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    }
    default:
      return {};
  }
}

/** A string matching a JSON-schema pattern: a hint for the field's name if it fits, else one fast-check makes. */
function stringMatching(pattern: string, name: string): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  const hinted = byName.find(([names, value]) => names.test(name) && typeof value === 'string' && regex.test(value));
  if (hinted) return hinted[1] as string;
  try {
    return fc.sample(fc.stringMatching(regex), { numRuns: 1, seed: 1 })[0];
  } catch {
    return undefined;
  }
}

function setAt(target: Json, path: PropertyKey[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container = (target && typeof target === 'object' ? target : typeof head === 'number' ? [] : {}) as Record<string, Json>;
  container[String(head)] = setAt(container[String(head)] ?? null, rest, value);
  return container as Json;
}

const candidates = (name: string): Json[] => [
  ...byName.filter(([pattern]) => pattern.test(name)).map(([, value]) => value),
  ...Object.values(byFormat),
  '09:00',
  'x',
  1,
  true,
  'abc-1',
];

/**
 * A valid request part for a declared zod schema, or undefined when none could be made: the
 * minimal JSON-schema instance, then up to a few rounds of replacing each field zod refuses with
 * the first candidate it accepts there.
 */
export function validSample(schema: z.ZodMiniType, overrides: Record<string, Json> = {}): Json | undefined {
  const idsOnly = Object.fromEntries(Object.entries(overrides).filter(([key]) => /Id$/.test(key)));
  for (const attempt of [overrides, idsOnly, {}]) {
    const sample = sampleWith(schema, attempt);
    if (sample !== undefined) return sample;
  }
  return undefined;
}

function sampleWith(schema: z.ZodMiniType, overrides: Record<string, Json>): Json | undefined {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    json = {};
  }
  let sample = minimalInstance(json);
  if (sample && typeof sample === 'object' && !Array.isArray(sample)) {
    for (const [key, value] of Object.entries(overrides)) if (json.properties?.[key]) sample[key] = value;
  }
  for (let round = 0; round < 6; round++) {
    const parsed = schema.safeParse(sample);
    if (parsed.success) return sample;
    for (const issue of parsed.error.issues) {
      if (issue.path.length === 0 && sample && typeof sample === 'object' && !Array.isArray(sample)) {
        sample = withOneMoreField(schema, json, sample);
        continue;
      }
      const name = String(issue.path.at(-1) ?? '');
      const fixed = candidates(name).find((candidate) => {
        const attempt = setAt(structuredClone(sample), issue.path as PropertyKey[], candidate);
        const again = schema.safeParse(attempt);
        return again.success || !again.error.issues.some((other) => other.path.join('.') === issue.path.join('.'));
      });
      if (fixed !== undefined) sample = setAt(sample, issue.path as PropertyKey[], fixed);
      else if (issue.code === 'unrecognized_keys' && sample && typeof sample === 'object' && !Array.isArray(sample)) {
        for (const key of issue.keys) delete (sample as Record<string, Json>)[key];
      }
    }
  }
  return schema.safeParse(sample).success ? sample : undefined;
}

/** An object refined as a whole (at least one of these fields…): the first optional field that satisfies it. */
function withOneMoreField(schema: z.ZodMiniType, json: JsonSchema, sample: { [key: string]: Json }): { [key: string]: Json } {
  const root = json.$ref ? (json.$defs?.[json.$ref.replace('#/$defs/', '')] ?? {}) : json;
  for (const [key, property] of Object.entries(root.properties ?? {})) {
    if (key in sample) continue;
    const attempt = { ...sample, [key]: minimalInstance(property, key, json.$defs ?? {}) };
    const parsed = schema.safeParse(attempt);
    if (parsed.success || !parsed.error.issues.some((issue) => issue.path.length === 0)) return attempt;
  }
  return sample;
}

/** Query and path parts travel as strings: every value of the sample as its string. */
export const asStrings = (sample: Json | undefined): Record<string, string> =>
  sample && typeof sample === 'object' && !Array.isArray(sample)
    ? Object.fromEntries(Object.entries(sample).filter(([, value]) => value !== null && typeof value !== 'object').map(([key, value]) => [key, String(value)]))
    : {};
