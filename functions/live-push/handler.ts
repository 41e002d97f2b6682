import { getCase } from '../../shared/data/cases-repo';
import { applyOnce, isProcessed } from '../../shared/data/processed-events';
import { type DeadlineWarningPayload, type LiveCaseEvent, deadlineWarningTimerName, liveMessageOf, wantedDeadlineWarnings } from '../../shared/domain/live';
import { slaKinds } from '../../shared/domain/case';
import { CaseAssigned, CaseCustomerReplied, CaseOpened, CaseReplySent, CaseResolved, CaseSlaBreached, CaseSlaDeadlinesChanged, CaseStatusChanged } from '../../shared/events/case-events';
import { createEventConsumer } from '../../shared/events/consumer';
import { logger } from '../../shared/observability';
import { functionClock } from '../../shared/ports/clock';
import { cancelTimer, setTimer } from '../../shared/ports/scheduler';
import { pushToAudience } from '../../shared/services/live-fanout';

const consumer = 'live-push';
/** Passes before giving up on a case that keeps changing; the throw makes EventBridge retry later. */
const maxPasses = 5;

/**
 * Keeps one warning timer per running deadline of the case, 30 minutes before it (live-deadline
 * fires it), and none for the others. Like the SLA timers (functions/sla-timers), the case is
 * read rather than the event trusted, and read again after setting, so an older event delivered
 * late cannot bring back a warning a newer change moved or cancelled.
 */
export async function syncDeadlineWarnings(tenantId: string, caseId: string): Promise<void> {
  let stored = await getCase(tenantId, caseId);
  for (let pass = 1; pass <= maxPasses; pass++) {
    const wanted = wantedDeadlineWarnings(stored?.case, functionClock.now());
    await Promise.all(
      slaKinds.map((kind) => {
        const name = deadlineWarningTimerName(caseId, kind);
        const warning = wanted[kind];
        if (!warning) return cancelTimer(name);
        const payload: DeadlineWarningPayload = { tenantId, caseId, kind, dueAt: warning.dueAt };
        return setTimer({ name, at: warning.at, target: 'live-deadline', payload: { ...payload } });
      }),
    );
    const again = await getCase(tenantId, caseId);
    if (again?.case.version === stored?.case.version) return;
    stored = again;
  }
  throw new Error(`Case kept changing during ${maxPasses} passes of setting its deadline warnings`);
}

/**
 * The live channel's side of the case events: each assignment or change is pushed once to the
 * open desks it concerns (shared/domain/live.ts), and each change of the running deadlines moves
 * their warnings. A redelivered event finds its marker and pushes nothing again.
 */
export const handler = createEventConsumer(
  consumer,
  [CaseOpened, CaseAssigned, CaseStatusChanged, CaseSlaBreached, CaseResolved, CaseSlaDeadlinesChanged, CaseCustomerReplied, CaseReplySent],
  async ({ detailType, detail }) => {
    const { tenantId, eventId } = detail;
    const caseId = detail.data.caseId;
    logger.appendKeys({ caseId });
    if (detailType === 'Case SLA Deadlines Changed') {
      await syncDeadlineWarnings(tenantId, caseId);
      return;
    }
    if (await isProcessed(consumer, tenantId, eventId)) {
      logger.info('Case event already pushed; nothing to do');
      return;
    }
    const repliedWithoutAssignee = (detailType === 'Case Customer Replied' || detailType === 'Case Reply Sent') && !detail.data.assignee;
    const needsAssignee = detailType === 'Case Status Changed' || detailType === 'Case SLA Breached' || detailType === 'Case Resolved' || repliedWithoutAssignee;
    const assigneeNow = needsAssignee ? (await getCase(tenantId, caseId))?.case.assignee : undefined;
    const live = liveMessageOf({ detailType, data: detail.data } as LiveCaseEvent, assigneeNow);
    if (live) await pushToAudience(tenantId, live.audience, live.message);
    await applyOnce(consumer, tenantId, eventId, []);
  },
);
