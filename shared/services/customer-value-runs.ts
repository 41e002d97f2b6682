import * as z from '../zod';
import { dailyRunTimerName, manualRunTimerName, nextDailyRun } from '../domain/customer-value';
import { setTimer } from '../ports/scheduler';

/**
 * The timers of the customer-value job (functions/customer-value-refresh), one-time schedules
 * through the timer port: each daily run arms the next one before it computes, so a failed run
 * still leaves tomorrow's armed (and Scheduler retries the failed one).
 */
export const CustomerValueRunPayload = z.object({
  tenantId: z.string().check(z.minLength(1)),
  /** The instant the run computes as of: the scheduled 03:00, or when a manual refresh was asked. */
  runAt: z.iso.datetime({ offset: true }),
  trigger: z.enum(['daily', 'manual']),
});
export type CustomerValueRunPayload = z.infer<typeof CustomerValueRunPayload>;

export const customerValueRunTarget = 'customer-value-refresh';

/** Arms the tenant's first daily run after `after`; arming the same day twice sets one timer. */
export async function armDailyRun(tenantId: string, timezone: string, after: Date): Promise<Date> {
  const runAt = nextDailyRun(after, timezone);
  const payload: CustomerValueRunPayload = { tenantId, runAt: runAt.toISOString(), trigger: 'daily' };
  await setTimer({ name: dailyRunTimerName(tenantId, runAt, timezone), at: runAt, target: customerValueRunTarget, payload });
  return runAt;
}

/** A schedule must lie in the future: the manual run starts a second after it was asked for. */
const manualRunDelayMs = 1_000;

export async function armManualRun(tenantId: string, requestedAt: Date): Promise<void> {
  const payload: CustomerValueRunPayload = { tenantId, runAt: requestedAt.toISOString(), trigger: 'manual' };
  await setTimer({
    name: manualRunTimerName(tenantId, requestedAt),
    at: new Date(requestedAt.getTime() + manualRunDelayMs),
    target: customerValueRunTarget,
    payload,
  });
}
