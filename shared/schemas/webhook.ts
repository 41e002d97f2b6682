import * as z from 'zod';
import { allEvents } from '../events/all-events';
import { Iso8601, PaginationQuery } from './common';

export const allEventTypes = '*';

/** The detail-types of the event catalog, which a webhook may subscribe to. */
export const catalogDetailTypes = [...new Set(allEvents.map((definition) => definition.detailType as string))];

const EventType = z.enum([allEventTypes, ...catalogDetailTypes]).describe('A detail-type from the event catalog, or * for every event');

const EventTypes = z
  .array(EventType)
  .min(1)
  .max(50)
  .refine((types) => !types.includes(allEventTypes) || types.length === 1, {
    message: '* already means every event type; give it alone',
  })
  .describe('The event types delivered to this endpoint');

const EndpointUrl = z
  .url({ protocol: /^https?$/, error: 'Must be an absolute https:// URL' })
  .max(2048)
  .describe('The HTTPS endpoint that receives the events');

const Description = z.string().trim().min(1).max(500);

export const CreateWebhookBody = z
  .strictObject({
    url: EndpointUrl,
    eventTypes: EventTypes,
    description: Description.optional(),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'CreateWebhook' });
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const UpdateWebhookBody = z
  .strictObject({
    url: EndpointUrl,
    eventTypes: EventTypes,
    description: Description.nullable(),
    enabled: z.boolean(),
    rotateSecret: z.literal(true).describe('Issue a new signing secret, shown once in this answer'),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Nothing to change' })
  .meta({ id: 'UpdateWebhook', description: 'Fields to change; null removes the description' });
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBody>;

export const Webhook = z
  .object({
    webhookId: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.string().optional(),
    enabled: z.boolean(),
    secretRotatedAt: Iso8601.optional().describe('When the secret was last rotated; the one before stays valid for 24 hours'),
    version: z.number().int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof Webhook>;

export const WebhookWithSecret = Webhook.extend({
  secret: z.string().describe('The signing secret (whsec_…). Shown only in this answer: store it now.'),
}).meta({ id: 'WebhookWithSecret' });

export const UpdatedWebhook = Webhook.extend({
  secret: z.string().optional().describe('The new signing secret, present only when rotateSecret was asked; shown once'),
}).meta({ id: 'UpdatedWebhook' });

export const WebhookIdParams = z.object({ webhookId: z.string().max(64) });

export const DeliveryStatus = z.enum(['pending', 'succeeded', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const WebhookDelivery = z
  .object({
    deliveryId: z.string(),
    webhookId: z.string(),
    eventId: z.string(),
    detailType: z.string(),
    status: DeliveryStatus.describe('pending until a 2xx answer (succeeded) or the last retry failed (failed)'),
    attempts: z.number().int().describe('Attempts made so far'),
    lastResponseStatus: z.number().int().optional().describe("The HTTP status of the endpoint's last answer"),
    lastError: z.string().optional().describe('Why the last attempt failed; never the response body'),
    lastAttemptAt: Iso8601.optional(),
    nextAttemptAt: Iso8601.optional().describe('When the next retry is due, while pending'),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const ListDeliveriesQuery = PaginationQuery;
