import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { StoredCase } from '../../shared/data/cases-repo';
import type { Case } from '../../shared/schemas/case';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.SCHEDULE_GROUP_NAME = 'switchboard-test';
  process.env.SCHEDULER_ROLE_ARN = 'arn:aws:iam::000000000000:role/switchboard-test-scheduler';
  process.env.FUNCTION_ARN_PREFIX = 'arn:aws:lambda:local:000000000000:function:switchboard-test-';
});

/** What each getCase call answers, in order; the last one repeats. */
let reads: (StoredCase | undefined)[] = [];
vi.mock('../../shared/data/cases-repo', () => ({
  getCase: vi.fn(async () => (reads.length > 1 ? reads.shift() : reads[0])),
}));

const { syncSlaTimers } = await import('../../functions/sla-timers/handler');
const { functionClock } = await import('../../shared/ports/clock');

const scheduler = mockClient(SchedulerClient);
beforeEach(() => {
  scheduler.reset();
  scheduler.onAnyCommand().resolves({});
});

const firstResponseDue = '2099-03-03T10:00:00.000Z';
const resolutionDue = '2099-03-17T02:00:00.000Z';
const resolutionDueLater = '2099-03-20T02:00:00.000Z';

function storedCase(version: number, changes: { status?: Case['status']; firstResponseMet?: boolean; resolutionDueAt?: string } = {}): StoredCase {
  return {
    case: {
      caseId: 'cas_TEST',
      type: 'complaint',
      severity: 'medium',
      category: 'billing',
      subject: 'Charged twice',
      customerId: 'cus_X',
      contactIds: [],
      status: changes.status ?? 'open',
      sla: {
        firstResponse: { startedAt: '2099-03-02T02:00:00.000Z', dueAt: firstResponseDue, ...(changes.firstResponseMet && { metAt: '2099-03-02T03:00:00.000Z' }) },
        resolution: { startedAt: '2099-03-02T02:00:00.000Z', dueAt: changes.resolutionDueAt ?? resolutionDue },
      },
      breached: false,
      escalations: [],
      openedAt: '2099-03-02T02:00:00.000Z',
      version,
      createdAt: '2099-03-02T02:00:00.000Z',
      updatedAt: '2099-03-02T02:00:00.000Z',
    } as Case,
  };
}

/** The scheduler calls in the order they were made: ['set', name, dueAt] or ['cancel', name]. */
function calls() {
  return scheduler.calls().map((call) => {
    const command = call.args[0];
    if (command instanceof CreateScheduleCommand) {
      return ['set', command.input.Name, JSON.parse(command.input.Target!.Input!).dueAt as string];
    }
    if (command instanceof DeleteScheduleCommand) return ['cancel', command.input.Name];
    return ['other', command.constructor.name];
  });
}

describe('syncSlaTimers', () => {
  it("sets a timer for each running deadline and cancels the other, as the case's current state wants", async () => {
    reads = [storedCase(2, { firstResponseMet: true })];
    expect(await syncSlaTimers('ten_TEST', 'cas_TEST', 2)).toBe('synced');
    expect(calls()).toEqual([
      ['cancel', 'cas_TEST.firstResponse'],
      ['set', 'cas_TEST.resolution', resolutionDue],
    ]);
    const create = scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(create).toMatchObject({
      GroupName: 'switchboard-test',
      ScheduleExpression: 'at(2099-03-17T02:00:00)',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: 'arn:aws:lambda:local:000000000000:function:switchboard-test-sla-timer' },
    });
    expect(JSON.parse(create.Target!.Input!)).toEqual({ tenantId: 'ten_TEST', caseId: 'cas_TEST', kind: 'resolution', dueAt: resolutionDue });
  });

  it('applies the current case, not the older event: a late event cannot bring a stopped timer back', async () => {
    reads = [storedCase(5, { status: 'resolved', firstResponseMet: true })];
    expect(await syncSlaTimers('ten_TEST', 'cas_TEST', 1)).toBe('synced');
    expect(calls()).toEqual([
      ['cancel', 'cas_TEST.firstResponse'],
      ['cancel', 'cas_TEST.resolution'],
    ]);
  });

  it('applies the newer state again when the case changed while its timers were being set', async () => {
    // Read version 3 (resolution running), set its timers; meanwhile version 4 resolved the case
    // and its own delivery already ran. The second read sees 4, so this delivery cancels what it set.
    reads = [storedCase(3, { firstResponseMet: true }), storedCase(4, { status: 'resolved', firstResponseMet: true })];
    expect(await syncSlaTimers('ten_TEST', 'cas_TEST', 3)).toBe('synced');
    expect(calls()).toEqual([
      ['cancel', 'cas_TEST.firstResponse'],
      ['set', 'cas_TEST.resolution', resolutionDue],
      ['cancel', 'cas_TEST.firstResponse'],
      ['cancel', 'cas_TEST.resolution'],
    ]);
  });

  it('gives up (and so is retried) when the case keeps changing', async () => {
    reads = [1, 2, 3, 4, 5, 6, 7].map((version) => storedCase(version, { resolutionDueAt: version % 2 ? resolutionDue : resolutionDueLater }));
    await expect(syncSlaTimers('ten_TEST', 'cas_TEST', 1)).rejects.toThrow(/kept changing/);
  });

  it('throws when the Scheduler fails, so that EventBridge retries the event', async () => {
    reads = [storedCase(1)];
    scheduler.on(CreateScheduleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(syncSlaTimers('ten_TEST', 'cas_TEST', 1)).rejects.toThrow('Rate exceeded');
  });

  it('treats cancelling a timer that is already gone (fired, or never set) as done', async () => {
    reads = [storedCase(2, { status: 'resolved', firstResponseMet: true })];
    scheduler.on(DeleteScheduleCommand).rejects(new ResourceNotFoundException({ message: 'Schedule does not exist.', Message: 'Schedule does not exist.', $metadata: {} }));
    expect(await syncSlaTimers('ten_TEST', 'cas_TEST', 2)).toBe('synced');
  });

  it('gives a deadline already past to the scheduler a minute from now', async () => {
    const past = storedCase(1);
    past.case.sla.firstResponse.dueAt = '2020-01-01T00:00:00.000Z';
    reads = [past];
    const before = Date.now();
    await syncSlaTimers('ten_TEST', 'cas_TEST', 1);
    const create = scheduler.commandCalls(CreateScheduleCommand).find((call) => call.args[0].input.Name === 'cas_TEST.firstResponse')!;
    const at = Date.parse(`${/^at\((.*)\)$/.exec(create.args[0].input.ScheduleExpression!)![1]}Z`);
    expect(at - before).toBeGreaterThanOrEqual(59_000);
    expect(at - before).toBeLessThanOrEqual(62_000);
    expect(JSON.parse(create.args[0].input.Target!.Input!).dueAt).toBe('2020-01-01T00:00:00.000Z');
  });

  it("judges a deadline past by the function clock (the twin's moved clock), not by the real time", async () => {
    // firstResponseDue (2099-03-03T10:00Z) lies ahead in real time, but behind a clock moved to 2099-03-04.
    reads = [storedCase(1)];
    const realClock = functionClock.now;
    functionClock.now = () => new Date('2099-03-04T00:00:00.000Z');
    try {
      await syncSlaTimers('ten_TEST', 'cas_TEST', 1);
    } finally {
      functionClock.now = realClock;
    }
    const scheduled = (name: string) =>
      scheduler.commandCalls(CreateScheduleCommand).find((call) => call.args[0].input.Name === name)!.args[0].input.ScheduleExpression;
    expect(scheduled('cas_TEST.firstResponse')).toBe('at(2099-03-04T00:01:00)');
    expect(scheduled('cas_TEST.resolution')).toBe('at(2099-03-17T02:00:00)');
  });

  it('does nothing for a case that does not exist', async () => {
    reads = [undefined];
    expect(await syncSlaTimers('ten_TEST', 'cas_GONE', 1)).toBe('no-such-case');
    expect(calls()).toEqual([]);
  });

  it('retries an event newer than the case it reads', async () => {
    reads = [storedCase(1)];
    await expect(syncSlaTimers('ten_TEST', 'cas_TEST', 2)).rejects.toThrow(/older than its event/);
    expect(calls()).toEqual([]);
  });
});
