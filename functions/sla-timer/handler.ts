import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from '../../shared/zod';
import { StaleCase, getCase, saveCaseChange } from '../../shared/data/cases-repo';
import { getSettings } from '../../shared/data/tenants-repo';
import { breachCase } from '../../shared/domain/case';
import { logger, withLambdaContext } from '../../shared/observability';
import { SlaKind } from '../../shared/schemas/case';
import { Iso8601 } from '../../shared/schemas/common';
import { caseContextOf } from '../../shared/services/case-context';

const TimerPayload = z.object({ tenantId: z.string().check(z.minLength(1)), caseId: z.string().check(z.minLength(1)), kind: SlaKind, dueAt: Iso8601 });

export type SlaTimerOutcome = 'breached' | 'ignored' | 'invalid';

/** Re-reads and retries when another write of the case got in between. */
const maxAttempts = 5;

/**
 * A case's SLA timer fired. The timer is trusted to fire at (or just after) its deadline, so the
 * clock is never consulted: what decides is whether the case still runs that deadline, with the
 * same dueAt as the payload's. If so it is marked breached, escalated per the tenant's policy,
 * and `Case SLA Breached` goes to the outbox in the same transaction; a second delivery of the
 * same timer then finds it breached and does nothing.
 */
export async function handleSlaTimer(event: unknown): Promise<SlaTimerOutcome> {
  const parsed = TimerPayload.safeParse(event);
  if (!parsed.success) {
    // A retry cannot fix a malformed payload; dropping it is all there is to do.
    logger.error('SLA timer payload is not valid', { issues: parsed.error.issues.map((issue) => issue.path.join('.')) });
    return 'invalid';
  }
  const { tenantId, caseId, kind, dueAt } = parsed.data;
  logger.appendKeys({ tenantId, caseId, kind });
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const stored = await getCase(tenantId, caseId);
    if (!stored) {
      logger.warn('SLA timer fired for a case that does not exist');
      return 'ignored';
    }
    const settings = await getSettings(tenantId);
    // Entries are dated no earlier than the deadline they record, whatever this host's clock says.
    const now = new Date(Math.max(Date.now(), Date.parse(dueAt))).toISOString();
    const change = breachCase(stored.case, kind, dueAt, caseContextOf(tenantId, settings, 'system', now));
    if (!change) {
      logger.info('SLA timer is stale or its deadline was met; nothing to do');
      return 'ignored';
    }
    try {
      await saveCaseChange(tenantId, stored.case.version, change);
      logger.info('Case SLA breached', { severity: change.next.severity });
      return 'breached';
    } catch (error) {
      if (!(error instanceof StaleCase)) throw error;
    }
  }
  throw new Error(`Case kept changing during ${maxAttempts} attempts to record its SLA breach`);
}


export const handler = middy<unknown, SlaTimerOutcome, Error, Context>()
  .use(withLambdaContext())
  .handler(async (event) => handleSlaTimer(event));
