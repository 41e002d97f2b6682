import type { Case } from '../schemas/case';
import type { Role } from '../schemas/person';
import type { SlaKind } from '../schemas/vocabulary';
import { isRunning, slaKinds } from './case';

/**
 * The live channel (a WebSocket per open console): what the server tells a signed-in person's
 * browser, and whom it tells. The messages are the desk's contract (docs/developers/live.md):
 * each says what changed, never the data itself; the console refetches what it shows.
 */
export type LiveMessage =
  | { type: 'case.assigned'; caseId: string; assignee: string | null }
  | { type: 'case.updated'; caseId: string; reason: CaseUpdateReason }
  | { type: 'case.deadline-near'; caseId: string; deadline: SlaKind; dueAt: string }
  | { type: 'screen-pop'; contactId: string; phone?: string; customerId?: string };

export type CaseUpdateReason = 'customer-reply' | 'reply-sent' | 'status' | 'note' | 'breached' | 'resolved' | 'opened';

/** Who receives a message: people by their agent id, and everyone signed in with one of `roles`. */
export interface LiveAudience {
  agentIds: readonly string[];
  roles: readonly Role[];
}

/** The roles that watch every case of the tenant: they see assignments, changes and unowned deadlines. */
export const overseeingRoles: readonly Role[] = ['supervisor', 'admin'];

/** A connection as the push reaches it: the person behind it, by agent id and role. */
export interface LiveRecipient {
  agentId: string;
  role: Role;
}

export const reaches = (audience: LiveAudience, recipient: LiveRecipient): boolean =>
  audience.agentIds.includes(recipient.agentId) || audience.roles.includes(recipient.role);

const toCaseWatchers = (assignee: string | undefined | null): LiveAudience => ({
  agentIds: assignee ? [assignee] : [],
  roles: overseeingRoles,
});

/** The case events the live channel speaks of, as their consumer receives them (detail-type and data). */
export type LiveCaseEvent =
  | { detailType: 'Case Opened'; data: { caseId: string; assignee?: string } }
  | { detailType: 'Case Assigned'; data: { caseId: string; assignee: string | null; previousAssignee?: string } }
  | { detailType: 'Case Status Changed'; data: { caseId: string } }
  | { detailType: 'Case SLA Breached'; data: { caseId: string } }
  | { detailType: 'Case Resolved'; data: { caseId: string } }
  | { detailType: 'Case Customer Replied'; data: { caseId: string; assignee?: string } }
  | { detailType: 'Case Reply Sent'; data: { caseId: string; assignee?: string } };

/**
 * What a case event tells the open desks. The assignee of a status change is not in its event:
 * `assigneeNow` is the case's current assignee, read by the caller.
 */
export function liveMessageOf(event: LiveCaseEvent, assigneeNow: string | undefined): { message: LiveMessage; audience: LiveAudience } | undefined {
  switch (event.detailType) {
    case 'Case Opened':
      // An unassigned new case is the team queue's news: supervisors see it, as an update.
      if (!event.data.assignee) return { message: { type: 'case.updated', caseId: event.data.caseId, reason: 'opened' }, audience: toCaseWatchers(undefined) };
      return { message: { type: 'case.assigned', caseId: event.data.caseId, assignee: event.data.assignee }, audience: toCaseWatchers(event.data.assignee) };
    case 'Case Assigned': {
      const audience = toCaseWatchers(event.data.assignee);
      // The one who lost the case refreshes their list too.
      const agentIds = event.data.previousAssignee ? [...audience.agentIds, event.data.previousAssignee] : audience.agentIds;
      return { message: { type: 'case.assigned', caseId: event.data.caseId, assignee: event.data.assignee }, audience: { ...audience, agentIds } };
    }
    case 'Case Status Changed':
      return { message: { type: 'case.updated', caseId: event.data.caseId, reason: 'status' }, audience: toCaseWatchers(assigneeNow) };
    case 'Case SLA Breached':
      return { message: { type: 'case.updated', caseId: event.data.caseId, reason: 'breached' }, audience: toCaseWatchers(assigneeNow) };
    case 'Case Resolved':
      return { message: { type: 'case.updated', caseId: event.data.caseId, reason: 'resolved' }, audience: toCaseWatchers(assigneeNow) };
    case 'Case Customer Replied':
      return { message: { type: 'case.updated', caseId: event.data.caseId, reason: 'customer-reply' }, audience: toCaseWatchers(event.data.assignee ?? assigneeNow) };
    case 'Case Reply Sent':
      return { message: { type: 'case.updated', caseId: event.data.caseId, reason: 'reply-sent' }, audience: toCaseWatchers(event.data.assignee ?? assigneeNow) };
    default:
      return undefined;
  }
}

/** How long before a deadline the desk is warned. */
export const deadlineWarningMs = 30 * 60 * 1000;

/** The scheduler name of a case's deadline warning (≤ 64 characters of [0-9a-zA-Z-_.]). */
export const deadlineWarningTimerName = (caseId: string, kind: SlaKind) => `near.${caseId}.${kind}`;

/** What a deadline warning's timer delivers to live-deadline when it fires. */
export interface DeadlineWarningPayload {
  tenantId: string;
  caseId: string;
  kind: SlaKind;
  dueAt: string;
}

/**
 * When each running deadline of the case should be warned of: 30 minutes before it, or at once
 * (`now`) when it is nearer than that; none for a deadline that is past, met, breached or stopped.
 */
export function wantedDeadlineWarnings(c: Case | undefined, now: Date): Partial<Record<SlaKind, { at: Date; dueAt: string }>> {
  const wanted: Partial<Record<SlaKind, { at: Date; dueAt: string }>> = {};
  if (!c) return wanted;
  for (const kind of slaKinds) {
    if (!isRunning(c, kind)) continue;
    const dueAt = c.sla[kind].dueAt;
    const due = Date.parse(dueAt);
    if (due <= now.getTime()) continue;
    wanted[kind] = { at: new Date(Math.max(due - deadlineWarningMs, now.getTime())), dueAt };
  }
  return wanted;
}

/**
 * Whether a fired warning still stands: the deadline is still running at the dueAt it was set for
 * (a moved, met or stopped deadline makes an old timer stale), and its warning is due.
 */
export function deadlineWarningDue(c: Case | undefined, payload: DeadlineWarningPayload): c is Case {
  return !!c && isRunning(c, payload.kind) && c.sla[payload.kind].dueAt === payload.dueAt;
}

export function deadlineWarning(c: Case, kind: SlaKind): { message: LiveMessage; audience: LiveAudience } {
  return {
    message: { type: 'case.deadline-near', caseId: c.caseId, deadline: kind, dueAt: c.sla[kind].dueAt },
    // The assignee, or when no one has the case, those who hand cases out.
    audience: c.assignee ? { agentIds: [c.assignee], roles: [] } : { agentIds: [], roles: overseeingRoles },
  };
}

/** The Amazon Connect event types after which an agent has the contact in front of them. */
export const screenPopEventTypes: readonly string[] = ['CONNECTED_TO_AGENT', 'INITIATED'];

/**
 * The caller's number in an Amazon Connect contact event, when it carries one
 * (`detail.customerEndpoint` of type TELEPHONE_NUMBER, in E.164; keys in any case, as Connect's
 * events vary): undefined for another channel, an anonymous caller, or an event without it.
 */
export function connectCallerNumber(detail: Record<string, unknown> | undefined): string | undefined {
  const field = (object: Record<string, unknown> | undefined, name: string) =>
    object ? Object.entries(object).find(([key]) => key.toLowerCase() === name)?.[1] : undefined;
  const endpoint = field(detail, 'customerendpoint');
  if (typeof endpoint !== 'object' || endpoint === null) return undefined;
  const type = field(endpoint as Record<string, unknown>, 'type');
  const address = field(endpoint as Record<string, unknown>, 'address');
  if (type !== undefined && type !== 'TELEPHONE_NUMBER') return undefined;
  return typeof address === 'string' && /^\+[1-9]\d{6,14}$/.test(address) ? address : undefined;
}

/** The screen pop for an agent: the contact, and the customer or their number when known. */
export function screenPop(input: { contactId: string; customerId?: string; phone?: string }): LiveMessage {
  return {
    type: 'screen-pop',
    contactId: input.contactId,
    ...(input.phone !== undefined && { phone: input.phone }),
    ...(input.customerId !== undefined && { customerId: input.customerId }),
  };
}
