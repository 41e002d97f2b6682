import * as caseEvents from './case-events';
import type { EventDefinition } from './catalog';
import * as contactEvents from './contact-events';
import * as customerEvents from './customer-events';
import * as smsEvents from './sms-events';
import * as surveyEvents from './survey-events';
import type * as z from '../zod';

/**
 * Every catalogued event, collected from the area catalogs: whatever they export that is an
 * EventDefinition. docs/events.md is checked against them. Importing this bundles every event
 * schema: a consumer imports only the definitions it accepts, unless it takes them all (webhooks).
 */
type Exported<Module> = Extract<Module[keyof Module], EventDefinition>;
export type CatalogDefinition =
  | Exported<typeof contactEvents>
  | Exported<typeof caseEvents>
  | Exported<typeof customerEvents>
  | Exported<typeof surveyEvents>
  | Exported<typeof smsEvents>;
export type DetailType = CatalogDefinition['detailType'];

/** An event of one of `Definition`'s catalogued versions as a consumer receives it: validated, typed by its detail-type. */
export type ConsumedEvent<Definition extends CatalogDefinition> = Definition extends CatalogDefinition
  ? {
      detailType: Definition['detailType'];
      detail: z.infer<Definition['detail']>;
      /** EventBridge's id of this delivery's event; the same event published twice has two. Dedupe on detail.eventId. */
      busEventId: string;
    }
  : never;

/** A catalogued event of detail-type `T`, in any of its catalogued versions. */
export type CatalogEvent<T extends DetailType = DetailType> = ConsumedEvent<Extract<CatalogDefinition, { detailType: T }>>;

const isEventDefinition = (value: unknown): value is EventDefinition =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as EventDefinition).detailType === 'string' &&
  typeof (value as EventDefinition).schemaVersion === 'number' &&
  typeof (value as EventDefinition).detail?.safeParse === 'function';

export const allEvents: readonly CatalogDefinition[] = [
  ...Object.values(contactEvents),
  ...Object.values(caseEvents),
  ...Object.values(customerEvents),
  ...Object.values(surveyEvents),
  ...Object.values(smsEvents),
].filter(isEventDefinition) as CatalogDefinition[];

const versionKey = (detailType: string, schemaVersion: number) => `${detailType}@${schemaVersion}`;
const catalogued = new Set<string>();
for (const definition of allEvents) {
  const key = versionKey(definition.detailType, definition.schemaVersion);
  if (catalogued.has(key)) throw new Error(`Two catalogued events are ${key}`);
  catalogued.add(key);
}

