import { markTimersArmed } from '../../shared/data/cases-repo';
import { type TimerChanges, slaTimerName } from '../../shared/domain/case';
import { logger, metrics, MetricUnit } from '../../shared/observability';
import type { Case } from '../../shared/schemas/case';
import { cancelTimer, setTimer } from '../../shared/scheduling/scheduler';

/** The payload the sla-timer function receives when a deadline's timer fires. */
export interface SlaTimerPayload {
  tenantId: string;
  caseId: string;
  kind: 'firstResponse' | 'resolution';
  dueAt: string;
}

/** A deadline already past is given to the scheduler this far ahead, since a schedule must lie in the future. */
const pastDeadlineDelayMs = 60_000;

/**
 * Sets and cancels a case's SLA timers after its write has committed, then clears the case's
 * `timersPending` mark. A failure is logged and counted (metric SlaTimerSyncFailed), not
 * answered: the change is committed, the mark stays, and the next write of the case resyncs.
 */
export async function armSlaTimers(tenantId: string, c: Case, changes: TimerChanges): Promise<void> {
  try {
    await Promise.all([
      ...changes.set.map(({ kind, dueAt }) => {
        const payload: SlaTimerPayload = { tenantId, caseId: c.caseId, kind, dueAt };
        const at = Date.parse(dueAt) > Date.now() ? new Date(dueAt) : new Date(Date.now() + pastDeadlineDelayMs);
        return setTimer({ name: slaTimerName(c.caseId, kind), at, target: 'sla-timer', payload: { ...payload } });
      }),
      ...changes.cancel.map((kind) => cancelTimer(slaTimerName(c.caseId, kind))),
    ]);
    await markTimersArmed(tenantId, c.caseId, c.version);
  } catch (error) {
    metrics.addMetric('SlaTimerSyncFailed', MetricUnit.Count, 1);
    logger.error('SLA timers not synced; the next write of the case retries', { caseId: c.caseId, error: error as Error });
  }
}
