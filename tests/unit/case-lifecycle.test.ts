import { describe, expect, it } from 'vitest';
import {
  CaseConflict,
  type CaseContext,
  InvalidCase,
  applyCaseEvent,
  breachCase,
  openCase,
  patchCase,
  type CaseChange,
  slaTimerName,
} from '../../shared/domain/case';
import { defaultSlaPolicy, mergeSlaPolicy } from '../../shared/domain/sla';
import type { Case, CaseStatus } from '../../shared/schemas/case';

const nineToSix = [{ open: '09:00', close: '18:00' }];
let entryCounter = 0;
const context = (now: string, overrides: Partial<CaseContext> = {}): CaseContext => ({
  tenantId: 'ten_TEST',
  now,
  actor: 'key_TEST',
  policy: defaultSlaPolicy,
  calendar: {
    timezone: 'Asia/Taipei',
    businessHours: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix, sat: [], sun: [] },
  },
  newEntryId: () => `cev_${String(++entryCounter).padStart(4, '0')}`,
  ...overrides,
});

// Monday 2026-03-02 10:00 in Taipei.
const openedAt = '2026-03-02T02:00:00.000Z';
const later = '2026-03-02T03:00:00.000Z';

function complaint(severity: Case['severity'] = 'medium'): Case {
  return openCase(
    { type: 'complaint', severity, category: 'billing', subject: 'Charged twice', description: 'secret words', customerId: 'cus_X' },
    { ...context(openedAt), caseId: 'cas_TEST' },
  ).next;
}

function inStatus(status: CaseStatus): Case {
  const paths: Record<CaseStatus, CaseStatus[]> = {
    open: [],
    in_progress: ['in_progress'],
    awaiting_customer: ['in_progress', 'awaiting_customer'],
    resolved: ['in_progress', 'resolved'],
    closed: ['in_progress', 'resolved', 'closed'],
  };
  return paths[status].reduce((c, to) => applyCaseEvent(c, { type: 'status_change', to }, context(later)).next, complaint());
}

/** The data of the change's `Case SLA Deadlines Changed`, if it has one: what the sla-timers consumer acts on. */
function deadlinesEvent(change: CaseChange) {
  const events = change.events.filter((e) => e.detailType === 'Case SLA Deadlines Changed');
  expect(events.length).toBeLessThanOrEqual(1);
  return events[0]?.detail.data as
    | { caseId: string; caseVersion: number; firstResponse: { dueAt: string; state: string }; resolution: { dueAt: string; state: string } }
    | undefined;
}

const statuses: CaseStatus[] = ['open', 'in_progress', 'awaiting_customer', 'resolved', 'closed'];

describe('opening a case', () => {
  it('sets both deadlines from the policy and wants a timer for each', () => {
    const opened = openCase(
      { type: 'complaint', severity: 'medium', category: 'billing', subject: 'Charged twice', customerId: 'cus_X' },
      { ...context(openedAt), caseId: 'cas_TEST' },
    );
    // medium complaint: first response 1 business day (Tue 18:00), resolution 15 days.
    expect(opened.next.sla).toEqual({
      firstResponse: { startedAt: openedAt, dueAt: '2026-03-03T10:00:00.000Z' },
      resolution: { startedAt: openedAt, dueAt: '2026-03-17T02:00:00.000Z' },
    });
    expect(opened.next).toMatchObject({ status: 'open', breached: false, version: 1 });
    expect(opened.events.map((e) => e.detailType)).toEqual(['Case Opened', 'Case SLA Deadlines Changed']);
    expect(opened.events[0]!.detail).toMatchObject({
      tenantId: 'ten_TEST',
      data: { caseId: 'cas_TEST', firstResponseDueAt: '2026-03-03T10:00:00.000Z', resolutionDueAt: '2026-03-17T02:00:00.000Z' },
    });
    expect(opened.events[1]!.detail.tenantId).toBe('ten_TEST');
    expect(deadlinesEvent(opened)).toEqual({
      caseId: 'cas_TEST',
      customerId: 'cus_X',
      caseVersion: 1,
      firstResponse: { dueAt: '2026-03-03T10:00:00.000Z', state: 'running' },
      resolution: { dueAt: '2026-03-17T02:00:00.000Z', state: 'running' },
    });
  });

  it('keeps free text out of events', () => {
    const opened = openCase(
      { type: 'complaint', severity: 'low', category: 'billing', subject: 'Subject words', description: 'Description words', customerId: 'cus_X' },
      { ...context(openedAt), caseId: 'cas_TEST' },
    );
    const noted = applyCaseEvent(opened.next, { type: 'note', text: 'Note words', visibility: 'customer' }, context(later));
    const events = JSON.stringify([...opened.events, ...noted.events]);
    for (const words of ['Subject words', 'Description words', 'Note words']) expect(events).not.toContain(words);
  });

  it('names timers within the scheduler limit', () => {
    const name = slaTimerName('cas_01JZZZZZZZZZZZZZZZZZZZZZZZ', 'firstResponse');
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^[0-9a-zA-Z\-_.]+$/);
  });
});

/**
 * The lifecycle as docs/api.md ("Cases") states it, written out here rather than read from the
 * implementation: for each status, what each action leads to, a status or the 409 slug it is
 * refused with. `→ x` is a status_change to x; `patch` a PATCH of the subject.
 */
type Action = `→ ${CaseStatus}` | 'note' | 'assign' | 'customer_reply' | 'link_contact' | 'patch';
type Outcome = CaseStatus | 'illegal-transition' | 'case-closed';
const lifecycle: Record<CaseStatus, Record<Action, Outcome>> = {
  open: {
    '→ open': 'illegal-transition',
    '→ in_progress': 'in_progress',
    '→ awaiting_customer': 'illegal-transition',
    '→ resolved': 'illegal-transition',
    '→ closed': 'illegal-transition',
    note: 'open',
    assign: 'open',
    customer_reply: 'open',
    link_contact: 'open',
    patch: 'open',
  },
  in_progress: {
    '→ open': 'illegal-transition',
    '→ in_progress': 'illegal-transition',
    '→ awaiting_customer': 'awaiting_customer',
    '→ resolved': 'resolved',
    '→ closed': 'illegal-transition',
    note: 'in_progress',
    assign: 'in_progress',
    customer_reply: 'in_progress',
    link_contact: 'in_progress',
    patch: 'in_progress',
  },
  awaiting_customer: {
    '→ open': 'illegal-transition',
    '→ in_progress': 'in_progress',
    '→ awaiting_customer': 'illegal-transition',
    '→ resolved': 'resolved',
    '→ closed': 'illegal-transition',
    note: 'awaiting_customer',
    assign: 'awaiting_customer',
    // The customer answered: back in progress.
    customer_reply: 'in_progress',
    link_contact: 'awaiting_customer',
    patch: 'awaiting_customer',
  },
  resolved: {
    // The reopen.
    '→ open': 'open',
    '→ in_progress': 'illegal-transition',
    '→ awaiting_customer': 'illegal-transition',
    '→ resolved': 'illegal-transition',
    '→ closed': 'closed',
    note: 'resolved',
    assign: 'resolved',
    customer_reply: 'resolved',
    link_contact: 'resolved',
    patch: 'resolved',
  },
  closed: {
    // The reopen, and nothing else.
    '→ open': 'open',
    '→ in_progress': 'case-closed',
    '→ awaiting_customer': 'case-closed',
    '→ resolved': 'case-closed',
    '→ closed': 'case-closed',
    note: 'case-closed',
    assign: 'case-closed',
    customer_reply: 'case-closed',
    link_contact: 'case-closed',
    patch: 'case-closed',
  },
};

/** The statuses a status_change may go to from each status, per the table above. */
const legalTargets = (from: CaseStatus) => statuses.filter((to) => statuses.includes(lifecycle[from][`→ ${to}`] as CaseStatus));

function perform(current: Case, action: Action): CaseChange {
  const at = context(later);
  switch (action) {
    case 'note':
      return applyCaseEvent(current, { type: 'note', text: 'x', visibility: 'internal' }, at);
    case 'assign':
      return applyCaseEvent(current, { type: 'assign', assignee: 'agent:mei' }, at);
    case 'customer_reply':
      return applyCaseEvent(current, { type: 'customer_reply', text: 'hello' }, at);
    case 'link_contact':
      return applyCaseEvent(current, { type: 'link_contact', contactId: 'con_1' }, at);
    case 'patch':
      return patchCase(current, { subject: 'New subject' }, at);
    default:
      return applyCaseEvent(current, { type: 'status_change', to: action.slice(2) as CaseStatus }, at);
  }
}

describe('the lifecycle', () => {
  const cells = statuses.flatMap((from) => Object.entries(lifecycle[from]).map(([action, outcome]) => [from, action as Action, outcome] as const));

  it.each(cells)('%s, %s: %s', (from, action, outcome) => {
    const attempt = () => perform(inStatus(from), action);
    if (outcome === 'illegal-transition') {
      expect(attempt).toThrow(expect.objectContaining({ slug: 'illegal-transition' }));
      // The 409 says which moves were possible (in any order).
      const refusal = (() => {
        try {
          attempt();
        } catch (error) {
          return error as CaseConflict;
        }
      })();
      expect([...(refusal?.extensions.allowed as CaseStatus[])].sort()).toEqual(legalTargets(from).sort());
    } else if (outcome === 'case-closed') {
      expect(attempt).toThrow(expect.objectContaining({ slug: 'case-closed' }));
    } else {
      expect(attempt().next.status).toBe(outcome);
    }
  });

  it('is refused with a CaseConflict, the error the API answers 409 for', () => {
    expect(() => perform(inStatus('open'), '→ closed')).toThrow(CaseConflict);
    expect(() => perform(inStatus('closed'), 'note')).toThrow(CaseConflict);
  });

  it('allows reopening only from resolved or closed', () => {
    expect(statuses.filter((from) => legalTargets(from).includes('open'))).toEqual(['resolved', 'closed']);
  });

  it('refuses every event but a reopen on a closed case, and any PATCH', () => {
    const closed = inStatus('closed');
    const refused = [
      { type: 'note', text: 'x', visibility: 'internal' },
      { type: 'assign', assignee: 'agent:mei' },
      { type: 'customer_reply', text: 'hello' },
      { type: 'link_contact', contactId: 'con_1' },
      { type: 'status_change', to: 'in_progress' },
    ] as const;
    for (const event of refused) {
      expect(() => applyCaseEvent(closed, event, context(later)), event.type).toThrow(
        expect.objectContaining({ slug: 'case-closed' }),
      );
    }
    expect(() => patchCase(closed, { subject: 'new' }, context(later))).toThrow(expect.objectContaining({ slug: 'case-closed' }));
    expect(applyCaseEvent(closed, { type: 'status_change', to: 'open' }, context(later)).next.status).toBe('open');
  });

  it('moves a case awaiting the customer back in progress when the customer replies', () => {
    const replied = applyCaseEvent(inStatus('awaiting_customer'), { type: 'customer_reply', channel: 'email' }, context(later));
    expect(replied.next.status).toBe('in_progress');
    expect(replied.entries.map((e) => e.type)).toEqual(['customer_reply', 'status_change']);
    expect(replied.events.map((e) => [e.detailType, (e.detail.data as { from: string; to: string }).to])).toEqual([
      ['Case Status Changed', 'in_progress'],
    ]);
  });
});

describe('SLA clocks', () => {
  it('meets the first response with a note to the customer, not an internal note or an assignment', () => {
    const noted = applyCaseEvent(complaint(), { type: 'note', text: 'x', visibility: 'internal' }, context(later));
    expect(deadlinesEvent(noted)).toBeUndefined();
    const assigned = applyCaseEvent(noted.next, { type: 'assign', assignee: 'agent:mei' }, context(later));
    expect(assigned.next.sla.firstResponse.metAt).toBeUndefined();
    expect(deadlinesEvent(assigned)).toBeUndefined();
    const answered = applyCaseEvent(assigned.next, { type: 'note', text: 'We are on it', visibility: 'customer' }, context(later));
    expect(answered.next.sla.firstResponse.metAt).toBe(later);
    expect(deadlinesEvent(answered)).toMatchObject({
      caseVersion: 4,
      firstResponse: { state: 'met' },
      resolution: { dueAt: answered.next.sla.resolution.dueAt, state: 'running' },
    });
    // Already met: a second note to the customer changes no deadline.
    expect(deadlinesEvent(applyCaseEvent(answered.next, { type: 'note', text: 'More', visibility: 'customer' }, context(later)))).toBeUndefined();
  });

  it('meets the first response when the case leaves open', () => {
    const started = applyCaseEvent(complaint(), { type: 'status_change', to: 'in_progress' }, context(later));
    expect(started.next.sla.firstResponse.metAt).toBe(later);
    expect(deadlinesEvent(started)).toMatchObject({ caseVersion: 2, firstResponse: { state: 'met' }, resolution: { state: 'running' } });
  });

  it('meets the resolution on resolve, cancels its timer, and says whether the deadlines held', () => {
    const inProgress = inStatus('in_progress');
    const resolved = applyCaseEvent(inProgress, { type: 'status_change', to: 'resolved' }, context(later));
    expect(resolved.next).toMatchObject({ status: 'resolved', resolvedAt: later, sla: { resolution: { metAt: later } } });
    expect(resolved.events.map((e) => e.detailType)).toEqual(['Case Status Changed', 'Case Resolved', 'Case SLA Deadlines Changed']);
    expect(resolved.events[1]!.detail.data).toMatchObject({ firstResponseBreached: false, resolutionBreached: false });
    expect(deadlinesEvent(resolved)).toMatchObject({ firstResponse: { state: 'met' }, resolution: { state: 'met' } });
    // Closing a resolved case stops nothing that still ran.
    expect(deadlinesEvent(applyCaseEvent(resolved.next, { type: 'status_change', to: 'closed' }, context(later)))).toBeUndefined();
  });

  it('restarts the resolution clock on reopen and wants its timer again', () => {
    const resolved = inStatus('resolved');
    const reopenedAt = '2026-03-10T02:00:00.000Z';
    const change = applyCaseEvent(resolved, { type: 'status_change', to: 'open' }, context(reopenedAt));
    const reopened = change.next;
    expect(reopened.sla.resolution).toEqual({ startedAt: reopenedAt, dueAt: '2026-03-25T02:00:00.000Z' });
    expect(reopened.sla.firstResponse.metAt).toBe(later);
    expect(reopened).not.toHaveProperty('resolvedAt');
    expect(deadlinesEvent(change)).toMatchObject({
      caseVersion: reopened.version,
      firstResponse: { state: 'met' },
      resolution: { dueAt: '2026-03-25T02:00:00.000Z', state: 'running' },
    });
  });

  it('moves running deadlines when severity or type changes, counted from when each clock started', () => {
    const policy = mergeSlaPolicy(defaultSlaPolicy, {
      targets: { complaint: { high: { resolution: { amount: 3, unit: 'days' } } } },
    });
    const opened = complaint('medium');
    const change = patchCase(opened, { severity: 'high' }, context(later, { policy }));
    const raised = change.next;
    // high complaint: first response 4 business hours from Mon 10:00 = 14:00; resolution 3 days.
    expect(raised.sla.firstResponse.dueAt).toBe('2026-03-02T06:00:00.000Z');
    expect(raised.sla.resolution.dueAt).toBe('2026-03-05T02:00:00.000Z');
    expect(deadlinesEvent(change)).toMatchObject({
      caseVersion: 2,
      firstResponse: { dueAt: '2026-03-02T06:00:00.000Z', state: 'running' },
      resolution: { dueAt: '2026-03-05T02:00:00.000Z', state: 'running' },
    });
    // A PATCH that moves no deadline says nothing about them.
    expect(deadlinesEvent(patchCase(raised, { category: 'refunds', subject: 'Still charged twice' }, context(later, { policy })))).toBeUndefined();

    const answered = applyCaseEvent(opened, { type: 'note', text: 'x', visibility: 'customer' }, context(later)).next;
    const retyped = patchCase(answered, { type: 'request' }, context(later)).next;
    expect(retyped.sla.firstResponse).toEqual(answered.sla.firstResponse);
    // medium request: 5 business days from Monday → Monday 18:00.
    expect(retyped.sla.resolution.dueAt).toBe('2026-03-09T10:00:00.000Z');
  });

  it('keeps the service recovery record to complaints', () => {
    const request = { ...complaint(), type: 'request' as const };
    expect(() => patchCase(request, { serviceRecovery: { apologyGiven: true } }, context(later))).toThrow(InvalidCase);
    const recovered = patchCase(complaint(), { serviceRecovery: { apologyGiven: true, remedy: 'Refunded' } }, context(later)).next;
    const followedUp = patchCase(
      recovered,
      { serviceRecovery: { followUp: { customerSatisfied: true, checkedAt: later } } },
      context(later),
    ).next;
    expect(followedUp.serviceRecovery).toEqual({ apologyGiven: true, remedy: 'Refunded', followUp: { customerSatisfied: true, checkedAt: later } });
    expect(() => patchCase(followedUp, { type: 'inquiry' }, context(later))).toThrow(InvalidCase);
  });
});

describe('a breach', () => {
  const fired = '2026-03-03T10:00:30.000Z';

  it('is recorded at the deadline, raises severity, reassigns per policy, and emits once', () => {
    const policy = mergeSlaPolicy(defaultSlaPolicy, { escalation: { firstResponse: { assignTo: 'queue:supervisors' } } });
    const opened = complaint('medium');
    const breach = breachCase(opened, 'firstResponse', opened.sla.firstResponse.dueAt, context(fired, { policy, actor: 'system' }))!;
    expect(breach.next).toMatchObject({
      severity: 'high',
      assignee: 'queue:supervisors',
      breached: true,
      sla: { firstResponse: { breachedAt: opened.sla.firstResponse.dueAt }, resolution: opened.sla.resolution },
      escalations: [{ kind: 'firstResponse', fromSeverity: 'medium', toSeverity: 'high', assignee: 'queue:supervisors' }],
    });
    expect(deadlinesEvent(breach)).toMatchObject({
      caseVersion: 2,
      firstResponse: { dueAt: opened.sla.firstResponse.dueAt, state: 'breached' },
      resolution: { dueAt: opened.sla.resolution.dueAt, state: 'running' },
    });
    expect(breach.events.filter((e) => e.detailType !== 'Case SLA Deadlines Changed').map((e) => [e.detailType, e.detail.data])).toEqual([
      [
        'Case SLA Breached',
        {
          caseId: 'cas_TEST',
          customerId: 'cus_X',
          type: 'complaint',
          kind: 'firstResponse',
          dueAt: opened.sla.firstResponse.dueAt,
          severity: 'high',
          escalated: true,
        },
      ],
      // The escalation gave the case to someone: their open desk is told (the live channel).
      ['Case Assigned', { caseId: 'cas_TEST', customerId: 'cus_X', assignee: breach.next.assignee, ...(opened.assignee && { previousAssignee: opened.assignee }) }],
    ]);
    expect(breach.next.assignee).toEqual(expect.any(String));
    expect(breachCase(breach.next, 'firstResponse', opened.sla.firstResponse.dueAt, context(fired))).toBeUndefined();
  });

  it('does nothing for a stale deadline, a met one, or a finished case', () => {
    const opened = complaint('medium');
    const moved = patchCase(opened, { severity: 'low' }, context(later)).next;
    expect(breachCase(moved, 'firstResponse', opened.sla.firstResponse.dueAt, context(fired))).toBeUndefined();
    expect(breachCase(moved, 'firstResponse', moved.sla.firstResponse.dueAt, context(fired))).toBeDefined();
    const answered = applyCaseEvent(opened, { type: 'note', text: 'x', visibility: 'customer' }, context(later)).next;
    expect(breachCase(answered, 'firstResponse', opened.sla.firstResponse.dueAt, context(fired))).toBeUndefined();
    const resolved = inStatus('resolved');
    expect(breachCase(resolved, 'resolution', resolved.sla.resolution.dueAt, context(fired))).toBeUndefined();
  });

  it('is recorded when a deadline is met after it passed, before its timer ran: resolved late is never within SLA', () => {
    const opened = complaint('medium');
    // First response due Tue 18:00 Taipei (10:00Z); the case leaves open and is resolved 30 s after it, the timer not yet run.
    const lateWork = applyCaseEvent(opened, { type: 'status_change', to: 'in_progress' }, context(fired));
    expect(lateWork.next).toMatchObject({
      breached: true,
      sla: { firstResponse: { metAt: fired, breachedAt: opened.sla.firstResponse.dueAt } },
    });
    expect(lateWork.next.escalations).toEqual([]);
    expect(lateWork.entries.map((e) => e.type)).toEqual(['sla_breached', 'status_change']);
    const breached = lateWork.events.filter((e) => e.detailType === 'Case SLA Breached').map((e) => e.detail.data);
    expect(breached).toEqual([
      { caseId: 'cas_TEST', customerId: 'cus_X', type: 'complaint', kind: 'firstResponse', dueAt: opened.sla.firstResponse.dueAt, severity: 'medium', escalated: false },
    ]);
    // The timer then finds the deadline met and does nothing: the breach is counted once.
    expect(breachCase(lateWork.next, 'firstResponse', opened.sla.firstResponse.dueAt, context(fired))).toBeUndefined();
    const resolved = applyCaseEvent(lateWork.next, { type: 'status_change', to: 'resolved' }, context(fired));
    expect(resolved.events.find((e) => e.detailType === 'Case Resolved')!.detail.data).toMatchObject({
      firstResponseBreached: true,
      resolutionBreached: false,
    });
    // Met before the deadline: no breach.
    const onTime = applyCaseEvent(opened, { type: 'status_change', to: 'in_progress' }, context(later));
    expect(onTime.next.breached).toBe(false);
    expect(onTime.events.map((e) => e.detailType)).not.toContain('Case SLA Breached');
  });
});
