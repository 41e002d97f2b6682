import { getCase } from '../../shared/data/cases-repo';
import { type SlaTimerPayload, slaKinds, slaTimerName, wantedTimers } from '../../shared/domain/case';
import { CaseSlaDeadlinesChanged } from '../../shared/events/case-events';
import { createEventConsumer } from '../../shared/events/consumer';
import { logger } from '../../shared/observability';
import type { Case } from '../../shared/schemas/case';
import { functionClock } from '../../shared/ports/clock';
import { cancelTimer, setTimer } from '../../shared/ports/scheduler';

/** A deadline already past is given to the scheduler this far ahead, since a schedule must lie in the future. */
const pastDeadlineDelayMs = 60_000;

/** Passes before giving up on a case that keeps changing; the throw makes EventBridge retry later. */
const maxPasses = 5;

export type SyncOutcome = 'synced' | 'no-such-case';

/**
 * Makes the scheduler hold exactly the timers the case's current state wants: one per running
 * deadline, at its dueAt; the other kind cancelled. Both calls are idempotent, so a repeated
 * event changes nothing.
 *
 * The case is re-read rather than trusting the event's deadlines: events arrive out of order, and
 * a `Case SLA Deadlines Changed` older than the case must not bring back a timer a later change
 * moved or cancelled. Reading alone is not enough when two deliveries for the same case overlap
 * (one reads version 3, the other reads 4 and sets its timers, then the first sets 3's), so after
 * setting the timers the case is read again, and a newer version is applied in another pass. The
 * last writer of any timer has therefore seen, after its write, the case's latest version.
 *
 * A Scheduler failure throws: EventBridge retries the event and finally dead-letters it, where an
 * alarm fires. Nothing is written to the table, so no applyOnce marker is needed.
 */
export async function syncSlaTimers(tenantId: string, caseId: string, eventCaseVersion: number): Promise<SyncOutcome> {
  let stored = await getCase(tenantId, caseId);
  for (let pass = 1; pass <= maxPasses; pass++) {
    if (!stored) {
      // Cases are never deleted, and timer names are not tenant-scoped: leave any timer of that id alone.
      logger.warn('Deadline event for a case that does not exist; nothing to do');
      return 'no-such-case';
    }
    const applied = stored.case;
    if (applied.version < eventCaseVersion) {
      // Cannot happen with a consistent read of a committed change; retrying is the safe answer if it does.
      throw new Error(`The case is at version ${applied.version}, older than its event's ${eventCaseVersion}`);
    }
    if (pass === 1 && applied.version > eventCaseVersion) {
      logger.info('Deadline event is older than the case; applying the case as it is now', { eventCaseVersion, caseVersion: applied.version });
    }
    await applyTimers(tenantId, applied);
    stored = await getCase(tenantId, caseId);
    if (stored?.case.version === applied.version) return 'synced';
  }
  throw new Error(`Case kept changing during ${maxPasses} passes of setting its SLA timers`);
}

async function applyTimers(tenantId: string, c: Case): Promise<void> {
  const wanted = wantedTimers(c);
  // The clock the deadlines were computed on: the twin's moved clock when it runs the functions on it.
  const now = functionClock.now().getTime();
  await Promise.all(
    slaKinds.map((kind) => {
      const name = slaTimerName(c.caseId, kind);
      const dueAt = wanted[kind];
      if (dueAt === undefined) return cancelTimer(name);
      const payload: SlaTimerPayload = { tenantId, caseId: c.caseId, kind, dueAt };
      const at = Date.parse(dueAt) > now ? new Date(dueAt) : new Date(now + pastDeadlineDelayMs);
      return setTimer({ name, at, target: 'sla-timer', payload: { ...payload } });
    }),
  );
}

export const handler = createEventConsumer('sla-timers', [CaseSlaDeadlinesChanged], async ({ detail }) => {
  const { caseId, caseVersion } = detail.data;
  logger.appendKeys({ caseId });
  await syncSlaTimers(detail.tenantId, caseId, caseVersion);
});
