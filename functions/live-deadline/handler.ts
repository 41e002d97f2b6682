import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from '../../shared/zod';
import { getCase } from '../../shared/data/cases-repo';
import { applyOnce, isProcessed } from '../../shared/data/processed-events';
import { deadlineWarning, deadlineWarningDue } from '../../shared/domain/live';
import { logger, withLambdaContext } from '../../shared/observability';
import { SlaKind } from '../../shared/schemas/vocabulary';
import { Iso8601 } from '../../shared/schemas/common';
import { pushToAudience } from '../../shared/services/live-fanout';

const WarningPayload = z.object({ tenantId: z.string().check(z.minLength(1)), caseId: z.string().check(z.minLength(1)), kind: SlaKind, dueAt: Iso8601 });

export type DeadlineWarningOutcome = 'pushed' | 'stale' | 'duplicate' | 'invalid';

/**
 * A deadline warning's timer fired (set by live-push 30 minutes before the deadline). It is
 * pushed when the case still runs that deadline at the same dueAt: a moved, met or stopped
 * deadline makes the timer stale. Once per (case, kind, dueAt): a second delivery pushes nothing.
 */
export async function warnOfDeadline(event: unknown): Promise<DeadlineWarningOutcome> {
  const parsed = WarningPayload.safeParse(event);
  if (!parsed.success) {
    logger.error('Deadline warning payload is not valid', { issues: parsed.error.issues.map((issue) => issue.path.join('.')) });
    return 'invalid';
  }
  const payload = parsed.data;
  logger.appendKeys({ tenantId: payload.tenantId, caseId: payload.caseId, kind: payload.kind });
  const once = `near#${payload.caseId}#${payload.kind}#${payload.dueAt}`;
  if (await isProcessed('live-deadline', payload.tenantId, once)) return 'duplicate';
  const current = (await getCase(payload.tenantId, payload.caseId))?.case;
  if (!deadlineWarningDue(current, payload)) {
    logger.info('Deadline warning is stale: the deadline moved, was met or stopped');
    return 'stale';
  }
  const warning = deadlineWarning(current, payload.kind);
  await pushToAudience(payload.tenantId, warning.audience, warning.message);
  await applyOnce('live-deadline', payload.tenantId, once, []);
  return 'pushed';
}

export const handler = middy<unknown, DeadlineWarningOutcome, Error, Context>()
  .use(withLambdaContext())
  .handler(async (event) => warnOfDeadline(event));
