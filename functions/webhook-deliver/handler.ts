import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from '../../shared/zod';
import { logger, withLambdaContext } from '../../shared/observability';
import { attemptDelivery } from '../../shared/services/webhook-delivery';

/** What a retry timer carries, or a test delivery's first attempt (see shared/services/webhook-delivery.ts). */
const RetryTimerPayload = z.object({
  tenantId: z.string().check(z.minLength(1)),
  webhookId: z.string().check(z.minLength(1)),
  deliveryId: z.string().check(z.minLength(1)),
  attempt: z.int().check(z.gte(1)),
});

/**
 * One retry of a webhook delivery (or the first attempt of a test delivery), invoked by its one-time timer. A delivery that already made
 * this attempt, succeeded, or whose webhook is gone is left as it is; an attempt held by another
 * invocation throws so that the invocation is retried after the hold runs out.
 */
export const handler = middy<unknown, void, Error, Context>()
  .use(withLambdaContext())
  .handler(async (event) => {
    const payload = RetryTimerPayload.safeParse(event);
    if (!payload.success) {
      logger.error('Dropped a retry timer payload of the wrong shape', { issues: payload.error.issues.map((issue) => issue.path.join('.')) });
      return;
    }
    logger.appendKeys({ tenantId: payload.data.tenantId });
    await attemptDelivery(payload.data);
  });
