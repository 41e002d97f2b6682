import type { PatternNode, PatternValue } from './subscriptions';

/**
 * EventBridge's event pattern matching, for the subset of the pattern language Switchboard
 * declares (`PatternValue`). The same function filters the local twin's bus and its DynamoDB
 * stream (Lambda filter criteria use the same language), so a pattern behaves the same there
 * as in AWS.
 *
 * The rules, as EventBridge applies them:
 * - every field named in the pattern must match; fields the pattern does not name are ignored;
 * - a field matches when its value matches any of the listed values; when the event's value is
 *   an array, when any of its elements does;
 * - `exists: false` matches a missing field; every other matcher needs the field to be there
 *   (`anything-but` too);
 * - matching is on leaf values (strings, numbers, booleans, null), never on objects.
 */
export function matchesPattern(pattern: PatternNode, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    if (expected === undefined) return true;
    const value = isRecord(event) ? event[field] : undefined;
    if (Array.isArray(expected)) return matchesField(expected, value);
    if (!isRecord(expected)) throw new Error(`Pattern field "${field}" must be an array of values or a nested pattern`);
    return matchesPattern(expected, value);
  });
}

function matchesField(expected: readonly PatternValue[], value: unknown): boolean {
  if (value === undefined) return expected.some((matcher) => isRecord(matcher) && 'exists' in matcher && !matcher.exists);
  const leaves = Array.isArray(value) ? value : [value];
  return expected.some((matcher) => {
    if (isRecord(matcher) && 'exists' in matcher) return matcher.exists === leaves.some(isLeaf);
    return leaves.some((leaf) => isLeaf(leaf) && matchesLeaf(matcher, leaf));
  });
}

type Leaf = string | number | boolean | null;

function matchesLeaf(matcher: PatternValue, leaf: Leaf): boolean {
  if (!isRecord(matcher)) return matcher === leaf;
  if ('prefix' in matcher) return typeof leaf === 'string' && leaf.startsWith(matcher.prefix);
  if ('suffix' in matcher) return typeof leaf === 'string' && leaf.endsWith(matcher.suffix);
  if ('equals-ignore-case' in matcher) {
    return typeof leaf === 'string' && leaf.toLowerCase() === matcher['equals-ignore-case'].toLowerCase();
  }
  if ('anything-but' in matcher) {
    const excluded: readonly Leaf[] = Array.isArray(matcher['anything-but']) ? matcher['anything-but'] : [matcher['anything-but']];
    return !excluded.includes(leaf);
  }
  throw new Error(`Unsupported pattern matcher ${JSON.stringify(matcher)}`);
}

const isLeaf = (value: unknown): value is Leaf =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
