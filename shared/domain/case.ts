import type { DomainEvent } from '../events/catalog';
import { newEvent } from '../events/events';
import { CaseAssigned, CaseOpened, CaseResolved, CaseSlaBreached, CaseSlaDeadlinesChanged, CaseStatusChanged, type SlaDeadlineState } from '../events/case-events';
import type { FieldError } from './errors';
import type {
  Case,
  CaseEventBody,
  CaseStatus,
  CreateCaseBody,
  RecoveryStep,
  ServiceRecovery,
  SlaClock,
  SlaKind,
  SlaPolicy,
  TimelineEntry,
  UpdateCaseBody,
} from '../schemas/case';
import { agentOfAssignee } from './agent';
import { type BusinessCalendar, raisedSeverity, slaDeadline } from './sla';

/**
 * The case lifecycle. A status change to `open` from resolved or closed is a reopen; nothing
 * else returns to `open`. A closed case takes no event but a reopen, and no PATCH.
 */
export const allowedTransitions: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  open: ['in_progress'],
  in_progress: ['awaiting_customer', 'resolved'],
  awaiting_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'open'],
  closed: ['open'],
};

export const slaKinds: readonly SlaKind[] = ['firstResponse', 'resolution'];
const finished = (status: CaseStatus) => status === 'resolved' || status === 'closed';

export interface CaseContext {
  tenantId: string;
  now: string;
  /** Who made the change: the API key id, or "system". */
  actor: string;
  policy: SlaPolicy;
  calendar: BusinessCalendar;
  /** A fresh timeline entry id (time-ordered). */
  newEntryId: () => string;
}

/**
 * A change to a case: the new state, what the timeline records and what the bus hears. Whenever
 * the running deadlines change, the events include `Case SLA Deadlines Changed`, from which the
 * sla-timers consumer sets the scheduler's timers: written with the change, so never lost.
 */
export interface CaseChange {
  next: Case;
  entries: TimelineEntry[];
  events: DomainEvent[];
}

export class InvalidCase extends Error {
  constructor(readonly errors: FieldError[]) {
    super('Invalid case');
  }
}

/** The change is not possible in the case's current state (409). */
export class CaseConflict extends Error {
  constructor(
    /** The problem type it is answered as (shared/http/problem-types.ts). */
    readonly slug: 'illegal-transition' | 'case-closed' | 'case-already-claimed',
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function openCase(input: CreateCaseBody, context: CaseContext & { caseId: string }): CaseChange {
  const { now } = context;
  const start = new Date(now);
  const clock = (kind: SlaKind): SlaClock => ({
    startedAt: now,
    dueAt: slaDeadline(context.policy, context.calendar, input.type, input.severity, kind, start).toISOString(),
  });
  const next: Case = withoutUndefined({
    caseId: context.caseId,
    type: input.type,
    severity: input.severity,
    category: input.category,
    subject: input.subject,
    description: input.description,
    customerId: input.customerId,
    contactIds: dedupe(input.contactIds ?? []),
    assignee: input.assignee,
    surveyId: input.surveyId,
    agentId: input.agentId,
    status: 'open' as const,
    sla: { firstResponse: clock('firstResponse'), resolution: clock('resolution') },
    breached: false,
    escalations: [],
    openedAt: now,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  const entry = entryOf(context, { type: 'opened', to: 'open', severity: next.severity, assignee: next.assignee });
  const event = newEvent(
    CaseOpened,
    context.tenantId,
    {
      caseId: next.caseId,
      customerId: next.customerId,
      type: next.type,
      severity: next.severity,
      category: next.category,
      assignee: next.assignee,
      contactIds: next.contactIds,
      firstResponseDueAt: next.sla.firstResponse.dueAt,
      resolutionDueAt: next.sla.resolution.dueAt,
    },
    now,
  );
  return { next, entries: [entry], events: [event, deadlinesChanged(next, context)] };
}

/**
 * PATCH: a change of type or severity moves every deadline still running, counted from when
 * its clock started (met and breached deadlines are history and stay).
 */
export function patchCase(current: Case, patch: UpdateCaseBody, context: CaseContext): CaseChange {
  refuseIfClosed(current);
  const next: Case = structuredClone(current);
  const fields: string[] = [];
  for (const field of ['type', 'severity', 'category', 'subject'] as const) {
    if (patch[field] !== undefined && patch[field] !== current[field]) {
      (next as Record<string, unknown>)[field] = patch[field];
      fields.push(field);
    }
  }
  if (patch.assignee !== undefined && (patch.assignee ?? undefined) !== current.assignee) {
    if (patch.assignee === null) delete next.assignee;
    else next.assignee = patch.assignee;
    fields.push('assignee');
  }
  if (patch.serviceRecovery !== undefined) {
    if (next.type !== 'complaint') {
      throw new InvalidCase([{ path: '$.serviceRecovery', message: 'Only complaints have a service recovery record' }]);
    }
    next.serviceRecovery = { ...current.serviceRecovery, ...patch.serviceRecovery };
    fields.push('serviceRecovery');
  }
  const recoveryEntries = recoverySteps(current.serviceRecovery, next.serviceRecovery).map((step) => recoveryEntry(context, step, next.serviceRecovery!));
  if (next.type !== 'complaint' && next.serviceRecovery) {
    throw new InvalidCase([{ path: '$.type', message: 'A case with a service recovery record stays a complaint' }]);
  }
  if (fields.length === 0) return { next: current, entries: [], events: [] };
  if (fields.includes('type') || fields.includes('severity')) {
    for (const kind of slaKinds) {
      const clock = next.sla[kind];
      if (isRunning(next, kind)) {
        clock.dueAt = slaDeadline(context.policy, context.calendar, next.type, next.severity, kind, new Date(clock.startedAt)).toISOString();
      }
    }
  }
  const entry = entryOf(context, {
    type: 'updated',
    fields,
    ...(fields.includes('severity') && { severity: next.severity }),
    ...(fields.includes('assignee') && { assignee: next.assignee ?? null }),
  });
  return withDeadlines(current, { next: touched(next, context), entries: [entry, ...recoveryEntries], events: [] }, context);
}

/**
 * An event posted to the case's timeline. The first response is met by a note sent to the
 * customer (visibility `customer`) or by the case leaving `open`; resolution by `resolved`.
 * A customer reply to a case awaiting the customer puts it back in progress.
 */
export function applyCaseEvent(current: Case, input: CaseEventBody, context: CaseContext): CaseChange {
  const isReopen = input.type === 'status_change' && input.to === 'open';
  if (!isReopen) refuseIfClosed(current);
  const next: Case = structuredClone(current);
  const entries: TimelineEntry[] = [];
  const events: DomainEvent[] = [];
  switch (input.type) {
    case 'note':
      entries.push(entryOf(context, { type: 'note', text: input.text, visibility: input.visibility }));
      if (input.visibility === 'customer') entries.push(...meet(next, 'firstResponse', context, events));
      break;
    case 'assign':
      if (input.assignee === null) delete next.assignee;
      else next.assignee = input.assignee;
      entries.push(entryOf(context, { type: 'assign', assignee: input.assignee }));
      break;
    case 'status_change':
      entries.push(...moveTo(next, input.to, context, events, input.reason));
      break;
    case 'customer_reply':
      entries.push(
        entryOf(context, { type: 'customer_reply', text: input.text, channel: input.channel, contactId: input.contactId }),
      );
      if (input.contactId) next.contactIds = dedupe([...next.contactIds, input.contactId]);
      if (current.status === 'awaiting_customer') entries.push(...moveTo(next, 'in_progress', context, events));
      break;
    case 'link_contact':
      next.contactIds = dedupe([...next.contactIds, input.contactId]);
      entries.push(entryOf(context, { type: 'link_contact', contactId: input.contactId }));
      break;
    case 'service_recovery':
      next.serviceRecovery = { ...current.serviceRecovery, ...recoveryStepRecord(current, input, context.now) };
      entries.push(recoveryEntry(context, input.step, next.serviceRecovery));
      break;
  }
  return withDeadlines(current, { next: touched(next, context), entries, events }, context);
}

function moveTo(next: Case, to: CaseStatus, context: CaseContext, events: DomainEvent[], reason?: string): TimelineEntry[] {
  const from = next.status;
  if (!allowedTransitions[from].includes(to)) {
    throw new CaseConflict('illegal-transition', `A case cannot go from ${from} to ${to}`, {
      from,
      to,
      allowed: allowedTransitions[from],
    });
  }
  const { now } = context;
  next.status = to;
  const lateEntries: TimelineEntry[] = [];
  if (from === 'open') lateEntries.push(...meet(next, 'firstResponse', context, events));
  if (to === 'resolved') {
    next.resolvedAt = now;
    lateEntries.push(...meet(next, 'resolution', context, events));
  }
  if (to === 'closed') next.closedAt = now;
  if (to === 'open') {
    // A reopen restarts the resolution clock from now; the first response stays as it was.
    next.reopenedAt = now;
    delete next.resolvedAt;
    delete next.closedAt;
    next.sla.resolution = {
      startedAt: now,
      dueAt: slaDeadline(context.policy, context.calendar, next.type, next.severity, 'resolution', new Date(now)).toISOString(),
    };
  }
  events.push(newEvent(CaseStatusChanged, context.tenantId, { caseId: next.caseId, customerId: next.customerId, from, to }, now));
  if (to === 'resolved') {
    events.push(
      newEvent(
        CaseResolved,
        context.tenantId,
        {
          caseId: next.caseId,
          customerId: next.customerId,
          type: next.type,
          severity: next.severity,
          openedAt: next.openedAt,
          resolvedAt: now,
          firstResponseBreached: next.sla.firstResponse.breachedAt !== undefined,
          resolutionBreached: next.sla.resolution.breachedAt !== undefined,
        },
        now,
      ),
    );
  }
  return [...lateEntries, entryOf(context, { type: 'status_change', from, to, reason })];
}

/**
 * The deadline `kind` passed at `dueAt`, as a timer says. Nothing happens (undefined) unless
 * the case still runs that clock with exactly that deadline: a moved deadline's old timer, a
 * met or already breached one, a finished case all leave it alone. The breach is dated at the
 * deadline, not at when the timer ran.
 */
export function breachCase(current: Case, kind: SlaKind, dueAt: string, context: CaseContext): CaseChange | undefined {
  if (!isRunning(current, kind) || !sameInstant(current.sla[kind].dueAt, dueAt)) return undefined;
  const next: Case = structuredClone(current);
  next.sla[kind].breachedAt = current.sla[kind].dueAt;
  next.breached = true;
  const rule = context.policy.escalation[kind];
  const fromSeverity = next.severity;
  if (rule.raiseSeverity) next.severity = raisedSeverity(next.severity);
  if (rule.assignTo) next.assignee = rule.assignTo;
  const escalated = next.severity !== fromSeverity || next.assignee !== current.assignee;
  next.escalations = [
    ...next.escalations,
    withoutUndefined({ kind, at: next.sla[kind].dueAt, fromSeverity, toSeverity: next.severity, assignee: rule.assignTo }),
  ];
  const entry = entryOf(context, { type: 'sla_breached', kind, dueAt: next.sla[kind].dueAt, severity: next.severity, assignee: next.assignee });
  const event = newEvent(
    CaseSlaBreached,
    context.tenantId,
    {
      caseId: next.caseId,
      customerId: next.customerId,
      type: next.type,
      kind,
      dueAt: next.sla[kind].dueAt,
      severity: next.severity,
      escalated,
    },
    context.now,
  );
  return withDeadlines(current, { next: touched(next, context), entries: [entry], events: [event] }, context);
}

/** Whether the `kind` clock is still counting down: not met, not breached, case not finished. */
export function isRunning(c: Case, kind: SlaKind): boolean {
  const clock = c.sla[kind];
  return !clock.metAt && !clock.breachedAt && !finished(c.status);
}

/** The SLA timers a case should have armed: kind → dueAt. */
export function wantedTimers(c: Case | undefined): Partial<Record<SlaKind, string>> {
  const wanted: Partial<Record<SlaKind, string>> = {};
  if (!c) return wanted;
  for (const kind of slaKinds) if (isRunning(c, kind)) wanted[kind] = c.sla[kind].dueAt;
  return wanted;
}

/** The scheduler name of a case's timer for one deadline kind (≤ 64 characters of [0-9a-zA-Z-_.]). */
export const slaTimerName = (caseId: string, kind: SlaKind) => `${caseId}.${kind}`;

/** The event an SLA timer delivers to the sla-timer function when it fires. */
export interface SlaTimerPayload {
  tenantId: string;
  caseId: string;
  kind: SlaKind;
  dueAt: string;
}

/** Where each deadline stands, as `Case SLA Deadlines Changed` reports it. */
export function deadlineState(c: Case, kind: SlaKind): SlaDeadlineState {
  const clock = c.sla[kind];
  if (clock.breachedAt) return 'breached';
  if (clock.metAt) return 'met';
  return finished(c.status) ? 'stopped' : 'running';
}

function deadlinesChanged(c: Case, context: CaseContext): DomainEvent {
  const deadline = (kind: SlaKind) => ({ dueAt: c.sla[kind].dueAt, state: deadlineState(c, kind) });
  return newEvent(
    CaseSlaDeadlinesChanged,
    context.tenantId,
    {
      caseId: c.caseId,
      customerId: c.customerId,
      caseVersion: c.version,
      firstResponse: deadline('firstResponse'),
      resolution: deadline('resolution'),
    },
    context.now,
  );
}

/** Adds `Case SLA Deadlines Changed` when the change starts, moves or stops a deadline, that is when the timers must change. */
function withDeadlines(before: Case, assigned: CaseChange, context: CaseContext): CaseChange {
  const change = withAssignment(before, assigned, context);
  const was = wantedTimers(before);
  const now = wantedTimers(change.next);
  if (slaKinds.every((kind) => was[kind] === now[kind])) return change;
  return { ...change, events: [...change.events, deadlinesChanged(change.next, context)] };
}

/** Adds `Case Assigned` when the change gives the case another assignee (or none). */
function withAssignment(before: Case, change: CaseChange, context: CaseContext): CaseChange {
  if (before.assignee === change.next.assignee) return change;
  const event = newEvent(
    CaseAssigned,
    context.tenantId,
    withoutUndefined({ caseId: change.next.caseId, customerId: change.next.customerId, assignee: change.next.assignee ?? null, previousAssignee: before.assignee }),
    context.now,
  );
  return { ...change, events: [...change.events, event] };
}

/**
 * Meets the `kind` deadline now. Met after its deadline, before the timer said so (the timer
 * runs a little late, or was re-armed after a deadline moved into the past), it is recorded as
 * breached at the deadline too, with its Case SLA Breached, so that the breach count and SLA
 * compliance agree; there is no escalation, the work it would hurry is done. Returns the
 * timeline entry of such a breach.
 */
function meet(c: Case, kind: SlaKind, context: CaseContext, events: DomainEvent[]): TimelineEntry[] {
  const clock = c.sla[kind];
  if (clock.metAt) return [];
  clock.metAt = context.now;
  if (clock.breachedAt || Date.parse(context.now) <= Date.parse(clock.dueAt)) return [];
  clock.breachedAt = clock.dueAt;
  c.breached = true;
  events.push(
    newEvent(
      CaseSlaBreached,
      context.tenantId,
      { caseId: c.caseId, customerId: c.customerId, type: c.type, kind, dueAt: clock.dueAt, severity: c.severity, escalated: false },
      context.now,
    ),
  );
  return [entryOf(context, { type: 'sla_breached', kind, dueAt: clock.dueAt, severity: c.severity })];
}

/**
 * The caller (an agent, `agentId`) takes the case. A case no agent holds (unassigned, or
 * assigned to a queue) becomes the caller's; a case the caller already holds is left as it is
 * (no change: claiming again is harmless); a case another agent holds is refused, naming them.
 * The write that follows is conditional on the version read, so of two claims at once one wins.
 */
export function claimCase(current: Case, agentId: string, context: CaseContext): CaseChange {
  refuseIfClosed(current);
  const holder = agentOfAssignee(current.assignee);
  if (holder === agentId) return { next: current, entries: [], events: [] };
  if (holder !== undefined) {
    throw new CaseConflict('case-already-claimed', `${holder} holds the case already`, { assignee: holder });
  }
  const next: Case = { ...structuredClone(current), assignee: agentId };
  const entry = entryOf(context, { type: 'assign', assignee: agentId, reason: 'claimed' });
  return withDeadlines(current, { next: touched(next, context), entries: [entry], events: [] }, context);
}

/** Who asks to change a case's assignee: their agent id (a person; an API key has none) and whether they may reassign (the supervisor scope). */
export interface AssigningCaller {
  agentId?: string;
  mayReassign: boolean;
}

/**
 * Why the caller may not give the case `to` (an agent id, a queue, or null), or undefined when
 * they may. Without the supervisor scope, a case another agent holds is not theirs to give away;
 * one no agent holds, or their own, is.
 */
export function reassignRefusal(current: Case, to: string | null, caller: AssigningCaller): string | undefined {
  if (caller.mayReassign || (to ?? undefined) === current.assignee) return undefined;
  const holder = agentOfAssignee(current.assignee);
  if (holder === undefined || holder === caller.agentId) return undefined;
  return `${holder} holds the case: reassigning another agent's case needs the supervisor role (scope supervisor)`;
}

/** The deadline a case is worked to now: the nearest of those not met (past when overdue), none once resolved or closed. */
export function nearestDeadline(c: Case): string | undefined {
  if (finished(c.status)) return undefined;
  const due = slaKinds.filter((kind) => !c.sla[kind].metAt).map((kind) => c.sla[kind].dueAt);
  return due.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}

/** Where a case stands against its nearest deadline at `now`: overdue, due within `soonMs`, or later. */
export function urgencyAt(dueAt: string, now: Date, soonMs: number): 'breached' | 'dueSoon' | 'later' {
  const left = Date.parse(dueAt) - now.getTime();
  if (left < 0) return 'breached';
  return left <= soonMs ? 'dueSoon' : 'later';
}

/** The statuses a case may move to from where it is (what the console offers as buttons). */
export const transitionsOf = (c: Case): readonly CaseStatus[] => allowedTransitions[c.status];

type RecoveryEvent = Extract<CaseEventBody, { type: 'service_recovery' }>;

/** What one recovery step records on the case's serviceRecovery; complaints only, each step with its own field. */
function recoveryStepRecord(c: Case, input: RecoveryEvent, now: string): ServiceRecovery {
  if (c.type !== 'complaint') throw new InvalidCase([{ path: '$.type', message: 'Only complaints have service recovery steps' }]);
  const needs: Record<RecoveryStep, 'remedy' | 'compensation' | 'customerSatisfied' | undefined> = {
    apology: undefined,
    remedy: 'remedy',
    compensation: 'compensation',
    follow_up: 'customerSatisfied',
  };
  const errors: FieldError[] = [];
  for (const field of ['remedy', 'compensation', 'customerSatisfied'] as const) {
    const wanted = needs[input.step] === field;
    if (wanted && input[field] === undefined) errors.push({ path: `$.${field}`, message: `Required for the step ${input.step}` });
    if (!wanted && input[field] !== undefined) errors.push({ path: `$.${field}`, message: `Only for the step ${stepOf[field]}` });
  }
  if (errors.length > 0) throw new InvalidCase(errors);
  switch (input.step) {
    case 'apology':
      return { apologyGiven: true };
    case 'remedy':
      return { remedy: input.remedy! };
    case 'compensation':
      return { compensation: input.compensation! };
    case 'follow_up':
      return { followUp: { customerSatisfied: input.customerSatisfied!, checkedAt: now } };
  }
}

const stepOf = { remedy: 'remedy', compensation: 'compensation', customerSatisfied: 'follow_up' } as const;

/** The recovery steps a change of the record takes (an apology given, a new remedy, compensation or follow-up). */
function recoverySteps(before: ServiceRecovery | undefined, after: ServiceRecovery | undefined): RecoveryStep[] {
  if (!after) return [];
  const changed = (field: keyof ServiceRecovery) => after[field] !== undefined && JSON.stringify(after[field]) !== JSON.stringify(before?.[field]);
  return [
    ...(after.apologyGiven === true && before?.apologyGiven !== true ? (['apology'] as const) : []),
    ...(changed('remedy') ? (['remedy'] as const) : []),
    ...(changed('compensation') ? (['compensation'] as const) : []),
    ...(changed('followUp') ? (['follow_up'] as const) : []),
  ];
}

function recoveryEntry(context: CaseContext, step: RecoveryStep, record: ServiceRecovery): TimelineEntry {
  return entryOf(context, {
    type: 'service_recovery',
    step,
    ...(step === 'remedy' && { text: record.remedy }),
    ...(step === 'compensation' && { compensation: record.compensation }),
    ...(step === 'follow_up' && { customerSatisfied: record.followUp?.customerSatisfied }),
  });
}

function refuseIfClosed(c: Case): void {
  if (c.status === 'closed') {
    throw new CaseConflict('case-closed', 'The case is closed; reopen it (status_change to open) to change it');
  }
}

function touched(next: Case, context: CaseContext): Case {
  return withoutUndefined({ ...next, version: next.version + 1, updatedAt: context.now });
}

function entryOf(context: CaseContext, fields: Omit<TimelineEntry, 'entryId' | 'at' | 'actor'>): TimelineEntry {
  return withoutUndefined({ entryId: context.newEntryId(), at: context.now, actor: context.actor, ...fields });
}

const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

const dedupe = (values: string[]) => [...new Set(values)];

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
