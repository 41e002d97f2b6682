import { newId } from '../ids';
import type { DomainEvent, EventDefinition } from './catalog';
import type * as z from '../zod';

/**
 * Builds an event of a catalogued type, validated against its schema, so that nothing
 * malformed reaches the outbox.
 */
export function newEvent<Data extends z.ZodMiniType>(
  definition: EventDefinition<string, Data>,
  tenantId: string,
  data: z.input<Data>,
  occurredAt: string = new Date().toISOString(),
): DomainEvent<z.infer<Data>> {
  const detail = definition.detail.parse({
    eventId: newId('evt'),
    tenantId,
    occurredAt,
    schemaVersion: definition.schemaVersion,
    data,
  });
  return { detailType: definition.detailType, detail };
}
