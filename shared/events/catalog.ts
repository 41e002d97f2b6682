import * as z from '../zod';
import { Iso8601 } from '../schemas/common';

/** Every Switchboard event on the bus has this source. */
export const eventSource = 'switchboard';

/**
 * An event's detail: the envelope every event carries (its own id, the tenant, when it happened,
 * the version of its data's schema) and its data. Consumers dedupe on `eventId`.
 */
export const eventEnvelope = {
  eventId: z.string().check(z.minLength(1)),
  tenantId: z.string().check(z.minLength(1)),
  occurredAt: Iso8601,
  schemaVersion: z.int().check(z.positive()),
};

export interface EventDefinition<DetailType extends string = string, Data extends z.ZodMiniType = z.ZodMiniType> {
  detailType: DetailType;
  schemaVersion: number;
  description: string;
  data: Data;
  detail: z.ZodMiniType<{ eventId: string; tenantId: string; occurredAt: string; schemaVersion: number; data: z.infer<Data> }>;
}

export function defineEvent<DetailType extends string, Data extends z.ZodMiniType>(
  detailType: DetailType,
  schemaVersion: number,
  description: string,
  data: Data,
): EventDefinition<DetailType, Data> {
  const detail = z.object({ ...eventEnvelope, schemaVersion: z.literal(schemaVersion), data });
  return { detailType, schemaVersion, description, data, detail: detail as unknown as EventDefinition<DetailType, Data>['detail'] };
}

/** An event ready to be written to the outbox and published. */
export interface DomainEvent<Data = unknown> {
  detailType: string;
  detail: { eventId: string; tenantId: string; occurredAt: string; schemaVersion: number; data: Data };
}
