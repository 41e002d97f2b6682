import type * as z from '../zod';

/**
 * An item read from the table that lacks the shape its reader expects: written by older code
 * before a field existed, or corrupted. Its message names the item's key and each zod issue's
 * path and code, never a stored value, so it can be logged as it is (the customer unique-value
 * keys, which hold a phone number or e-mail, are shown without it). Not caught anywhere on
 * purpose: an API handler answers it as a logged 500 problem, an event consumer throws it so the
 * event is retried and then dead-lettered (docs/developers/data-model.md, "Items are parsed when read").
 */
export class StoredItemInvalid extends Error {
  override readonly name = 'StoredItemInvalid';

  constructor(
    readonly key: { pk: string; sk: string },
    readonly issues: string[],
  ) {
    super(`Stored item ${key.pk} ${key.sk} is invalid: ${issues.join('; ')}`);
  }
}

/**
 * The item as `schema` reads it. The schemas are zod objects that strip the attributes they do not
 * name, so the key attributes (pk, sk, gsi…, type, tenantId, expiresAt) fall away here unless the
 * schema asks for them. Build schemas once at module load: parsing is then cheap. `key` names an
 * item read with a ProjectionExpression that left its pk and sk out.
 */
export function parseItem<Schema extends z.ZodMiniType>(
  schema: Schema,
  item: Record<string, unknown>,
  key?: { pk: string; sk: string },
): z.output<Schema> {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  throw new StoredItemInvalid(keyOf(key ?? item), parsed.error.issues.map(describeIssue));
}

/** `parseItem` of an item that may be absent (a GetItem that found nothing). */
export function parseOptionalItem<Schema extends z.ZodMiniType>(
  schema: Schema,
  item: Record<string, unknown> | undefined,
  key?: { pk: string; sk: string },
): z.output<Schema> | undefined {
  return item === undefined ? undefined : parseItem(schema, item, key);
}

/** Path and code only, as for events (shared/events/consumer.ts): a message may quote what it refused. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '$';
  return issue.code === 'invalid_type' ? `${path} ${issue.code} (expected ${issue.expected})` : `${path} ${issue.code}`;
}

const personalKeyPart = /#(PHONE|EMAIL|EXTID)#.*$/;

function keyOf(item: Record<string, unknown>): { pk: string; sk: string } {
  return { pk: String(item.pk ?? '(no pk)').replace(personalKeyPart, '#$1#…'), sk: String(item.sk ?? '(no sk)') };
}
