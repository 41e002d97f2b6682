import {
  CustomerNotFound,
  StaleCase,
  caseListPartition,
  getCase,
  getTimeline,
  insertCase,
  listCases,
  listOpenCases,
  openCaseDeadlines,
  openCaseListPartition,
  saveCaseChange,
  type StoredCase,
} from '../../shared/data/cases-repo';
import { listAllPeople } from '../../shared/data/people-repo';
import { getContact } from '../../shared/data/contacts-repo';
import { getSurvey } from '../../shared/data/surveys-repo';
import { getSettings } from '../../shared/data/tenants-repo';
import {
  CaseConflict,
  type CaseChange,
  type CaseContext,
  InvalidCase,
  applyCaseEvent,
  claimCase,
  openCase,
  patchCase,
  reassignRefusal,
  transitionsOf,
  urgencyAt,
} from '../../shared/domain/case';
import { mapConcurrently } from '../../shared/concurrency';
import { peopleToCount, workloadConcurrency, workloadPeopleCap, worksCases } from '../../shared/domain/workload';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { checkOptionalIfMatch, etagOf, requireIfMatch } from '../../shared/http/etag';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { withIdempotency } from '../../shared/http/idempotency';
import { HttpError, conflict, forbidden, notFound, preconditionFailed, validationFailed } from '../../shared/http/problem';
import { type Caller, type Principal, hasScope } from '../../shared/http/caller';
import { looksLikeId, newId } from '../../shared/ids';
import { functionClock } from '../../shared/ports/clock';
import { logger } from '../../shared/observability';
import { type CaseWorkload, timelineCap } from '../../shared/schemas/case';
import { caseRoutes } from '../../shared/http/routes/cases';
import { caseContextOf } from '../../shared/services/case-context';

/** How often an event is re-applied when another write got in first (without If-Match). */
const maxAttempts = 3;

export const handler = createApiHandler(
  'cases', caseRoutes,
  {
    async createCase(request) {
      const { tenantId, body } = request;
      if (!looksLikeId('cus', body.customerId)) throw unknownCustomer();
      await requireReferencesInTenant(tenantId, body.contactIds ?? [], body.surveyId, '$.contactIds');
      const context = await caseContext(tenantId, request.caller);
      const change = domainRule(() => openCase(body, { ...context, caseId: newId('cas') }));
      try {
        await insertCase(tenantId, change);
      } catch (error) {
        if (error instanceof CustomerNotFound) throw unknownCustomer();
        throw error;
      }
      const created = change.next;
      return {
        status: 201,
        headers: { location: `/v1/cases/${created.caseId}`, etag: etagOf(created.version) },
        body: created,
      };
    },

    async getCase(request) {
      const { tenantId, params } = request;
      const stored = await storedCase(tenantId, params.caseId);
      const timeline = await getTimeline(tenantId, params.caseId, timelineCap);
      return {
        status: 200,
        headers: { etag: etagOf(stored.case.version) },
        body: { ...stored.case, timeline: timeline.entries, timelineTruncated: timeline.truncated, allowedTransitions: [...transitionsOf(stored.case)] },
      };
    },

    async updateCase(request) {
      const { tenantId, params } = request;
      const stored = await storedCase(tenantId, params.caseId);
      requireIfMatch(request.headers['if-match'], stored.case.version);
      if (request.body.assignee !== undefined) refuseReassign(stored, request.body.assignee, request.caller);
      const context = await caseContext(tenantId, request.caller);
      const change = domainRule(() => patchCase(stored.case, request.body, context));
      await commit(tenantId, stored, change);
      return { status: 200, headers: { etag: etagOf(change.next.version) }, body: change.next };
    },

    async addCaseEvent(request) {
      const { tenantId, params } = request;
      const ifMatch = request.headers['if-match'];
      const linked = request.body.type === 'link_contact' || request.body.type === 'customer_reply' ? request.body.contactId : undefined;
      if (linked) await requireReferencesInTenant(tenantId, [linked], undefined, '$.contactId');
      const context = await caseContext(tenantId, request.caller);
      for (let attempt = 1; ; attempt++) {
        const stored = await storedCase(tenantId, params.caseId);
        checkOptionalIfMatch(ifMatch, stored.case.version);
        if (request.body.type === 'assign') refuseReassign(stored, request.body.assignee, request.caller);
        const change = domainRule(() => applyCaseEvent(stored.case, request.body, context));
        try {
          await commit(tenantId, stored, change);
        } catch (error) {
          if (error instanceof HttpError && error.status === 412 && ifMatch === undefined && attempt < maxAttempts) continue;
          throw error;
        }
        return {
          status: 201,
          headers: { etag: etagOf(change.next.version) },
          // A case event always records one timeline entry.
          body: { entry: change.entries[0]!, case: change.next },
        };
      }
    },

    async claimCase(request) {
      const { tenantId, params } = request;
      // The case first: another tenant's id answers 404 whoever asks.
      let stored = await storedCase(tenantId, params.caseId);
      const agentId = personAgentId(request.caller, 'Claiming takes a case for the person signed in');
      const context = await caseContext(tenantId, request.caller);
      for (let attempt = 1; ; attempt++) {
        const change = domainRule(() => claimCase(stored.case, agentId, context));
        try {
          await commit(tenantId, stored, change);
          return { status: 200, headers: { etag: etagOf(change.next.version) }, body: change.next };
        } catch (error) {
          // Another write got in first (another claim, say): read again and decide on what it wrote.
          if (!(error instanceof HttpError && error.status === 412) || attempt === maxAttempts) throw error;
          stored = await storedCase(tenantId, params.caseId);
        }
      }
    },

    async listMyCases(request) {
      const { tenantId, query } = request;
      const agentId = personAgentId(request.caller, 'My work lists the cases of the person signed in');
      const list = { assignee: agentId };
      const startKey = decodeCursor(query.cursor, tenantId, openCaseListPartition(tenantId, list));
      const page = await listOpenCases(tenantId, list, query.limit, startKey);
      return { status: 200, body: { items: page.items, nextCursor: encodeCursor(page.lastKey) } };
    },

    async listCaseQueue(request) {
      const { tenantId, query } = request;
      const list = query.queue === undefined ? { unassigned: true as const } : { assignee: `queue:${query.queue}` };
      const startKey = decodeCursor(query.cursor, tenantId, openCaseListPartition(tenantId, list));
      const page = await listOpenCases(tenantId, list, query.limit, startKey);
      return { status: 200, body: { items: page.items, nextCursor: encodeCursor(page.lastKey) } };
    },

    async getCaseWorkload(request) {
      const { tenantId } = request;
      const now = functionClock.now();
      const soonMs = dueSoonMinutes * 60_000;
      const load = (deadlines: string[]) => {
        const counted = { open: deadlines.length, breached: 0, dueSoon: 0 };
        for (const dueAt of deadlines) {
          const urgency = urgencyAt(dueAt, now, soonMs);
          if (urgency !== 'later') counted[urgency]++;
        }
        const nextDueAt = [...deadlines].sort()[0];
        return { ...counted, ...(nextDueAt && { nextDueAt }) };
      };
      const [{ people, notCounted }, unassigned] = await Promise.all([
        listAllPeople(tenantId).then(async (everyone) => {
          const { counted, notCounted } = peopleToCount(everyone);
          const loads = await mapConcurrently(counted, workloadConcurrency, async (person) => ({
            person,
            load: {
              agentId: person.agentId,
              ...(person.displayName && { displayName: person.displayName }),
              role: person.role,
              ...load(await openCaseDeadlines(tenantId, { assignee: person.agentId })),
            },
          }));
          return { people: loads, notCounted };
        }),
        openCaseDeadlines(tenantId, { unassigned: true }).then(load),
      ]);
      if (notCounted > 0) logger.warn('The workload counted the first people only', { peopleNotCounted: notCounted, cap: workloadPeopleCap });
      // Who works cases (invited or active, not viewers), and anyone else still holding open cases (a deactivated agent's are for reassigning).
      const agents = people.filter(({ person, load: held }) => held.open > 0 || worksCases(person)).map(({ load: held }) => held);
      agents.sort((a, b) => b.breached - a.breached || b.dueSoon - a.dueSoon || b.open - a.open || a.agentId.localeCompare(b.agentId));
      const body: CaseWorkload = { at: now.toISOString(), dueSoonMinutes, agents, unassigned, ...(notCounted > 0 && { peopleNotCounted: notCounted }) };
      return { status: 200, body };
    },

    async listCases(request) {
      const { tenantId, query } = request;
      const { limit, cursor, ...filter } = query;
      if (filter.customerId !== undefined && !looksLikeId('cus', filter.customerId)) return { status: 200, body: { items: [] } };
      const startKey = decodeCursor(cursor, tenantId, caseListPartition(tenantId, filter));
      const page = await listCases(tenantId, filter, limit, startKey);
      return { status: 200, body: { items: page.items, nextCursor: encodeCursor(page.lastKey) } };
    },
  },
  { idempotency: withIdempotency, requestLimit: tenantRequestLimit },
);

/** A case "due soon" in the workload: its nearest deadline within this many minutes. */
const dueSoonMinutes = 60;

/** The agent id of the person calling; an API key has none. */
function personAgentId(caller: Caller, what: string): string {
  if (caller.kind === 'tenant' && caller.principal.kind === 'person') return caller.principal.agentId;
  throw new HttpError('person-required', `${what}; an API key has no agent id: sign in as a person`);
}

/** Agents may give away a case no agent holds, or their own; another agent's case needs the supervisor scope. */
function refuseReassign(stored: StoredCase, to: string | null, caller: Caller): void {
  if (caller.kind !== 'tenant') return;
  const refusal = reassignRefusal(stored.case, to, {
    agentId: caller.principal.kind === 'person' ? caller.principal.agentId : undefined,
    mayReassign: hasScope(caller.scopes, 'supervisor'),
  });
  if (refusal) throw forbidden(refusal);
}

/**
 * Writes the change with its events. SLA timers are not this function's business: a change that
 * moves a deadline carries `Case SLA Deadlines Changed`, and the sla-timers consumer sets them.
 */
async function commit(tenantId: string, stored: StoredCase, change: CaseChange): Promise<void> {
  if (change.next === stored.case) return;
  try {
    await saveCaseChange(tenantId, stored.case.version, change);
  } catch (error) {
    if (error instanceof StaleCase) throw preconditionFailed('The case changed while this request ran; read it again');
    throw error;
  }
}

async function storedCase(tenantId: string, caseId: string): Promise<StoredCase> {
  const stored = looksLikeId('cas', caseId) ? await getCase(tenantId, caseId) : undefined;
  if (!stored) throw notFound('No such case');
  return stored;
}

/** A person is named on the timeline as the agent they are (as assignees are); an API key by its id. */
const timelineActor = (principal: Principal): string => (principal.kind === 'person' ? principal.agentId : principal.keyId);

async function caseContext(tenantId: string, caller: Caller): Promise<CaseContext> {
  const settings = await getSettings(tenantId);
  if (!settings) throw notFound('The tenant has no settings');
  const actor = caller.kind === 'tenant' ? timelineActor(caller.principal) : 'system';
  // The twin's clock when it runs the functions on it, so that deadlines (and their timers) follow a moved clock.
  return caseContextOf(tenantId, settings, actor, functionClock.now().toISOString());
}

/**
 * Contact and survey ids a case refers to must name the caller's own: an id of another tenant
 * (or of nothing) is refused with 422 naming the field, the same answer either way.
 * `contactPath`: the field of the first contact id, `$.contactIds` (indexed) or `$.contactId`.
 */
async function requireReferencesInTenant(tenantId: string, contactIds: readonly string[], surveyId: string | undefined, contactPath: string): Promise<void> {
  const [contacts, survey] = await Promise.all([
    Promise.all(contactIds.map((contactId) => (looksLikeId('con', contactId) ? getContact(tenantId, contactId) : undefined))),
    surveyId === undefined ? undefined : looksLikeId('svy', surveyId) ? getSurvey(tenantId, surveyId) : undefined,
  ]);
  const errors = [
    ...contactIds.flatMap((_, index) =>
      contacts[index] ? [] : [{ path: contactPath === '$.contactIds' ? `${contactPath}[${index}]` : contactPath, message: 'No such contact' }],
    ),
    ...(surveyId !== undefined && !survey ? [{ path: '$.surveyId', message: 'No such survey' }] : []),
  ];
  if (errors.length > 0) throw new HttpError('unknown-reference', 'No such contact or survey in this tenant', { errors });
}

const unknownCustomer = () =>
  new HttpError('unknown-customer', 'No such customer in this tenant', { errors: [{ path: '$.customerId', message: 'No such customer' }] });

function domainRule<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof InvalidCase) throw validationFailed(error.errors);
    if (error instanceof CaseConflict) throw conflict(error.message, error.slug, error.extensions);
    throw error;
  }
}
