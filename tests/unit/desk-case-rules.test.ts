import { describe, expect, it } from 'vitest';
import { CaseConflict, type CaseContext, claimCase, nearestDeadline, openCase, applyCaseEvent, reassignRefusal, urgencyAt } from '../../shared/domain/case';
import { defaultSlaPolicy } from '../../shared/domain/sla';
import type { Case } from '../../shared/schemas/case';

/** The desk's rules on a case (issue 14): claiming, who may reassign, the deadline a case is worked to. */

let counter = 0;
const context = (now: string): CaseContext => ({
  tenantId: 'ten_TEST',
  now,
  actor: 'mei',
  policy: defaultSlaPolicy,
  calendar: { timezone: 'Asia/Taipei', businessHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } },
  newEntryId: () => `cev_${String(++counter).padStart(4, '0')}`,
});
const openedAt = '2026-03-02T02:00:00.000Z';
const complaint = (assignee?: string): Case =>
  openCase(
    { type: 'complaint', severity: 'critical', category: 'billing', subject: 'Charged twice', customerId: 'cus_X', ...(assignee && { assignee }) },
    { ...context(openedAt), caseId: 'cas_TEST' },
  ).next;

describe('claiming', () => {
  it('gives an unassigned or queued case to the claimer, with one assign entry', () => {
    for (const before of [undefined, 'queue:billing']) {
      const change = claimCase(complaint(before), 'mei', context(openedAt));
      expect(change.next).toMatchObject({ assignee: 'mei', version: 2 });
      expect(change.entries).toEqual([expect.objectContaining({ type: 'assign', assignee: 'mei', reason: 'claimed' })]);
    }
  });

  it("changes nothing on the claimer's own case, and refuses another agent's naming them", () => {
    const own = complaint('mei');
    expect(claimCase(own, 'mei', context(openedAt)).next).toBe(own);
    expect(claimCase(complaint('agent:mei'), 'mei', context(openedAt)).entries).toEqual([]);
    const refused = (() => {
      try {
        claimCase(complaint('wei'), 'mei', context(openedAt));
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(CaseConflict);
    expect(refused).toMatchObject({ slug: 'case-already-claimed', extensions: { assignee: 'wei' } });
  });
});

describe('who may reassign', () => {
  const agent = { agentId: 'mei', mayReassign: false };
  it("refuses an agent another agent's case, whatever the new assignee", () => {
    expect(reassignRefusal(complaint('wei'), 'mei', agent)).toContain('wei holds the case');
    expect(reassignRefusal(complaint('wei'), null, agent)).toBeDefined();
    expect(reassignRefusal(complaint('wei'), 'queue:billing', { mayReassign: false })).toBeDefined();
  });
  it('lets an agent assign an unassigned or queued case, give away their own, and a supervisor anything', () => {
    expect(reassignRefusal(complaint(), 'wei', agent)).toBeUndefined();
    expect(reassignRefusal(complaint('queue:billing'), 'wei', agent)).toBeUndefined();
    expect(reassignRefusal(complaint('mei'), 'wei', agent)).toBeUndefined();
    expect(reassignRefusal(complaint('wei'), 'wei', agent)).toBeUndefined();
    expect(reassignRefusal(complaint('wei'), 'mei', { mayReassign: true })).toBeUndefined();
  });
});

describe('the deadline a case is worked to', () => {
  it('is the first response until met, then the resolution, and none once resolved', () => {
    const opened = complaint('mei');
    expect(nearestDeadline(opened)).toBe(opened.sla.firstResponse.dueAt);
    const started = applyCaseEvent(opened, { type: 'status_change', to: 'in_progress' }, context(openedAt)).next;
    expect(nearestDeadline(started)).toBe(started.sla.resolution.dueAt);
    const resolved = applyCaseEvent(started, { type: 'status_change', to: 'resolved' }, context(openedAt)).next;
    expect(nearestDeadline(resolved)).toBeUndefined();
  });

  it('counts as breached once past, due soon within the window, later beyond', () => {
    const now = new Date('2026-03-02T03:00:00.000Z');
    expect(urgencyAt('2026-03-02T02:59:59.000Z', now, 3_600_000)).toBe('breached');
    expect(urgencyAt('2026-03-02T04:00:00.000Z', now, 3_600_000)).toBe('dueSoon');
    expect(urgencyAt('2026-03-02T04:00:01.000Z', now, 3_600_000)).toBe('later');
  });
});
