import { badRequest } from './problem';
import { tenantPrefix } from '../data/keys';

type Key = Record<string, unknown>;

export function encodeCursor(lastEvaluatedKey: Key | undefined): string | undefined {
  return lastEvaluatedKey ? Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url') : undefined;
}

/**
 * A cursor is the last key a page read. It is opaque to clients and not trusted: it must be a
 * flat object of string attributes, its queried partition key must be the one this query
 * uses, and every partition-key attribute in it must belong to the caller's tenant. So a
 * cursor from tenant A, or an edited one, can only ever be refused.
 */
export function decodeCursor(cursor: string | undefined, tenantId: string, queriedPartition: Key): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => badRequest('The cursor is not valid for this list; start again without it');
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key as Key);
  if (entries.length === 0 || entries.length > 4) throw invalid();
  const prefix = tenantPrefix(tenantId);
  for (const [name, value] of entries) {
    if (typeof value !== 'string' || value.length > 512) throw invalid();
    if (/pk$/.test(name) && value !== prefix && !value.startsWith(`${prefix}#`)) throw invalid();
  }
  for (const [name, value] of Object.entries(queriedPartition)) {
    if ((key as Key)[name] !== value) throw invalid();
  }
  return key as Key;
}

/**
 * DynamoDB's refusal of a cursor that passed decodeCursor but does not fit the query's key
 * condition (an edited sort key, say): the client's fault, answered as an invalid cursor.
 */
export function isRefusedCursor(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationException' && /starting key|exclusive ?start ?key/i.test(error.message);
}

export const invalidCursor = () => badRequest('The cursor is not valid for this list; start again without it');
