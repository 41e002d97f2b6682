import * as z from '../zod';
import { allEvents } from '../events/all-events';
import { Iso8601, PaginationQuery } from './common';

export const allEventTypes = '*';

/** The detail-types of the event catalog, which a webhook may subscribe to. */
export const catalogDetailTypes = [...new Set(allEvents.map((definition) => definition.detailType as string))].sort();

const EventType = z.described(z.enum([allEventTypes, ...catalogDetailTypes]), 'A detail-type from the event catalog, or * for every event');

const EventTypes = z.described(
  z.array(EventType).check(
    z.minLength(1),
    z.maxLength(50),
    z.refine((types) => !types.includes(allEventTypes) || types.length === 1, {
      message: '* already means every event type; give it alone',
    }),
  ),
  'The event types delivered to this endpoint',
);

const EndpointUrl = z.described(
  z.url({ protocol: /^https?$/, error: 'Must be an absolute https:// URL' }).check(z.maxLength(2048)),
  'The HTTPS endpoint that receives the events',
);

const Description = z.string().check(z.trim(), z.minLength(1), z.maxLength(500));

export const CreateWebhookBody = z.withMeta(
  z.strictObject({
    url: EndpointUrl,
    eventTypes: EventTypes,
    description: z.optional(Description),
    enabled: z._default(z.boolean(), true),
  }),
  { id: 'CreateWebhook' },
);
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const UpdateWebhookBody = z.withMeta(
  z
    .partial(
      z.strictObject({
        url: EndpointUrl,
        eventTypes: EventTypes,
        description: z.nullable(Description),
        enabled: z.boolean(),
        rotateSecret: z.described(z.literal(true), 'Issue a new signing secret, shown once in this answer'),
      }),
    )
    .check(z.refine((patch) => Object.keys(patch).length > 0, { message: 'Nothing to change' })),
  { id: 'UpdateWebhook', description: 'Fields to change; null removes the description' },
);
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBody>;

export const Webhook = z.withMeta(
  z.object({
    webhookId: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.optional(z.string()),
    enabled: z.boolean(),
    secretRotatedAt: z.described(z.optional(Iso8601), 'When the secret was last rotated; the one before stays valid for 24 hours'),
    version: z.int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  }),
  { id: 'Webhook' },
);
export type Webhook = z.infer<typeof Webhook>;

export const WebhookWithSecret = z.withMeta(
  z.extend(Webhook, {
    secret: z.described(z.string(), 'The signing secret (whsec_…). Shown only in this answer: store it now.'),
  }),
  { id: 'WebhookWithSecret' },
);

export const UpdatedWebhook = z.withMeta(
  z.extend(Webhook, {
    secret: z.described(z.optional(z.string()), 'The new signing secret, present only when rotateSecret was asked; shown once'),
  }),
  { id: 'UpdatedWebhook' },
);

export const WebhookIdParams = z.object({ webhookId: z.string().check(z.maxLength(64)) });

export const DeliveryStatus = z.enum(['pending', 'succeeded', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const WebhookDelivery = z.withMeta(
  z.object({
    deliveryId: z.string(),
    webhookId: z.string(),
    eventId: z.string(),
    detailType: z.string(),
    status: z.described(DeliveryStatus, 'pending until a 2xx answer (succeeded) or the last retry failed (failed)'),
    attempts: z.described(z.int(), 'Attempts made so far'),
    lastResponseStatus: z.described(z.optional(z.int()), "The HTTP status of the endpoint's last answer"),
    lastError: z.described(z.optional(z.string()), 'Why the last attempt failed; never the response body'),
    lastAttemptAt: z.optional(Iso8601),
    nextAttemptAt: z.described(z.optional(Iso8601), 'When the next retry is due, while pending'),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  }),
  { id: 'WebhookDelivery' },
);
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const ListDeliveriesQuery = PaginationQuery;
