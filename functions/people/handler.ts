import {
  getPerson,
  getPersonIdByAgentId,
  getPersonIdByEmail,
  getPersonOfSubject,
  insertPerson,
  listAllPeople,
  listPeople,
  publicPerson,
  replacePerson,
} from '../../shared/data/people-repo';
import { putAuditEntry } from '../../shared/data/audit-log-repo';
import { getTenantWithSettings } from '../../shared/data/tenants-repo';
import { keys } from '../../shared/data/keys';
import { type AuditContext, changedFieldPaths, newAuditEntry } from '../../shared/domain/audit';
import {
  type StoredPerson,
  agentIdCandidates,
  anotherActiveAdmin,
  invitationMail,
  removesAdmin,
  sessionsValidAfterOf,
  temporaryPassword,
} from '../../shared/domain/person';
import { auditContextOf } from '../../shared/http/audit';
import type { Caller } from '../../shared/http/caller';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { etagOf, requireIfMatch } from '../../shared/http/etag';
import { createApiHandler } from '../../shared/http/handler';
import { withIdempotency } from '../../shared/http/idempotency';
import { HttpError, conflict, forbidden, notFound } from '../../shared/http/problem';
import { peopleRoutes } from '../../shared/http/routes/people';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { looksLikeId, newId } from '../../shared/ids';
import { logger } from '../../shared/observability';
import { identityDirectory } from '../../shared/ports/identity-directory';
import { consoleLink, isMailRefused, mailSender } from '../../shared/ports/mail';
import type { Role, UpdatePersonBody } from '../../shared/schemas/person';

const directory = identityDirectory();
const mail = mailSender();


const personAnswer = <Status extends 200 | 201>(status: Status, person: StoredPerson, headers: Record<string, string> = {}) => ({
  status,
  headers: { ...headers, etag: etagOf(person.version) },
  body: publicPerson(person),
});

const personExists = () =>
  new HttpError('person-exists', 'A person with this e-mail address is already in the tenant, or the address has a Switchboard account elsewhere; nothing was changed', {
    errors: [{ path: '$.email', message: 'Already has an account' }],
  });

const agentIdTaken = (agentId: string) =>
  new HttpError('agent-id-taken', `Another person of the tenant has the agent id ${agentId}; nothing was changed`, {
    errors: [{ path: '$.agentId', message: 'Another person has this agent id' }],
  });

/** SES refused the address: the invitation was not stored (invite) or not sent again (resend). */
const invitationRefused = (cause: unknown, path: '$.email' | '$.personId') => {
  logger.warn('The invitation mail was refused', { errorName: (cause as Error).name });
  return new HttpError('mail-refused', 'The mail service refused to send the invitation to this address; nothing was stored or sent. Check the address', {
    errors: [{ path, message: 'The mail service refuses this address' }],
  });
};

/** Sends an invitation; an address SES refuses is the request's problem (422), anything else the service's. */
async function sendInvitation(invitation: Parameters<typeof mail.send>[0], path: '$.email' | '$.personId'): Promise<void> {
  await mail.send(invitation).catch((error: unknown) => {
    throw isMailRefused(error) ? invitationRefused(error, path) : error;
  });
}

const lastAdmin = () =>
  conflict("This person is the tenant's last active admin; make another person admin first. Nothing was changed", 'last-admin-person');

export const handler = createApiHandler('people', peopleRoutes, {
  async listPeople(request) {
    const startKey = decodeCursor(request.query.cursor, request.tenantId, { pk: keys.tenant(request.tenantId).pk });
    const page = await listPeople(request.tenantId, request.query.limit, startKey);
    return { status: 200, body: { items: page.items.map(publicPerson), nextCursor: encodeCursor(page.lastKey) } };
  },

  async invitePerson(request) {
    const { tenantId, body } = request;
    const tenant = await getTenantWithSettings(tenantId);
    if (!tenant) throw notFound('The tenant no longer exists');
    if (await getPersonIdByEmail(tenantId, body.email)) throw personExists();
    const agentId = await freeAgentId(tenantId, body.email, body.agentId);

    const password = temporaryPassword();
    const account = await directory.createAccount({ email: body.email, password, temporary: true });
    if (!account.created) {
      // An account of ours belongs to one person; one without a person is left from an invitation that failed after creating it.
      if (await getPersonOfSubject(account.subject)) throw personExists();
      await directory.setPassword({ email: body.email, password, temporary: true });
    }

    const now = new Date().toISOString();
    const person: StoredPerson = {
      tenantId,
      personId: newId('per'),
      subject: account.subject,
      email: body.email,
      ...(body.displayName !== undefined && { displayName: body.displayName }),
      role: body.role,
      state: 'invited',
      agentId,
      invitedAt: now,
      version: 1,
    };
    const audit = newAuditEntry(tenantId, auditContextOf(request), {
      action: 'person.invited',
      target: { type: 'person', id: person.personId },
      summary: { role: person.role },
      at: now,
    });
    // Mailed before the person is stored: if storing fails, a retry finds the account, sets a new password and mails again.
    const content = invitationMail({ locale: tenant.settings.locale, tenantName: tenant.profile.name, role: person.role, email: person.email, temporaryPassword: password, consoleUrl: consoleLink() });
    await sendInvitation({ to: person.email, ...content, tenantId, kind: 'invitation' }, '$.email');
    const outcome = await insertPerson(person, audit);
    if (outcome === 'email-taken' || outcome === 'subject-taken') throw personExists();
    if (outcome === 'agent-id-taken') throw agentIdTaken(agentId);
    logger.info('Person invited', { personId: person.personId, role: person.role });
    return personAnswer(201, person, { location: `/v1/people/${person.personId}` });
  },

  async resendInvitation(request) {
    const { tenantId } = request;
    const person = await existingPerson(tenantId, request.params.personId);
    if (person.state !== 'invited') {
      throw conflict(`The person is ${person.state} and has signed in before; they reset their password with "Forgot password" on the sign-in page. Nothing was sent`);
    }
    const tenant = await getTenantWithSettings(tenantId);
    if (!tenant) throw notFound('The tenant no longer exists');
    const password = temporaryPassword();
    await directory.setPassword({ email: person.email, password, temporary: true });
    const content = invitationMail({ locale: tenant.settings.locale, tenantName: tenant.profile.name, role: person.role, email: person.email, temporaryPassword: password, consoleUrl: consoleLink() });
    await sendInvitation({ to: person.email, ...content, tenantId, kind: 'invitation' }, '$.personId');
    // A resend changes no stored item (the password is the directory's), so its entry is written on
    // its own, once the mail service took the mail: a refused resend is none. A retry with the same
    // Idempotency-Key is answered from the stored answer and writes none again.
    await putAuditEntry(
      newAuditEntry(tenantId, auditContextOf(request), {
        action: 'person.invitation-resent',
        target: { type: 'person', id: person.personId },
        summary: { role: person.role },
        at: new Date().toISOString(),
      }),
    );
    logger.info('Invitation sent again', { personId: person.personId });
    return personAnswer(200, person);
  },

  async getPerson(request) {
    return personAnswer(200, await existingPerson(request.tenantId, request.params.personId));
  },

  async updatePerson(request) {
    const before = await existingPerson(request.tenantId, request.params.personId);
    requireIfMatch(request.headers['if-match'], before.version);
    const next = withChanges(before, request.body);
    const changedFields = changedFieldPaths(publicPerson(before), publicPerson(next), ['version']);
    if (changedFields.length === 0) return personAnswer(200, before);
    if (next.agentId !== before.agentId && (await getPersonIdByAgentId(request.tenantId, next.agentId))) throw agentIdTaken(next.agentId);
    const keptAdminId = await adminKeptThrough(before, { role: next.role });
    const audit = newAuditEntry(request.tenantId, auditContextOf(request), {
      action: 'person.changed',
      target: { type: 'person', id: before.personId },
      summary: { changedFields, role: next.role },
      at: new Date().toISOString(),
    });
    const outcome = await replacePerson(before, next, audit, keptAdminId);
    if (outcome === 'agent-id-taken') throw agentIdTaken(next.agentId);
    if (outcome === 'admin-gone') throw lastAdmin();
    if (outcome === 'stale') throw conflict('The person changed at the same time; read it again and retry');
    logger.info('Person changed', { personId: next.personId, changedFields });
    return personAnswer(200, next);
  },

  async deactivatePerson(request) {
    const person = await changeState(request.tenantId, request.params.personId, 'deactivated', auditContextOf(request));
    // Also when the person was deactivated already: a retry after the directory failed finishes the job.
    await directory.disableAccount(person.subject);
    await directory.signOutEverywhere(person.subject);
    return personAnswer(200, person);
  },

  async reactivatePerson(request) {
    const person = await changeState(request.tenantId, request.params.personId, 'active', auditContextOf(request));
    await directory.enableAccount(person.subject);
    return personAnswer(200, person);
  },

  async getMe(request) {
    const tenant = await getTenantWithSettings(request.tenantId);
    if (!tenant) throw notFound('The tenant no longer exists');
    const principal = await mePrincipal(request.caller);
    return {
      status: 200,
      body: {
        principal,
        scopes: request.caller.kind === 'tenant' ? request.caller.scopes : [],
        tenant: {
          tenantId: tenant.profile.tenantId,
          name: tenant.profile.name,
          locale: tenant.settings.locale,
          timezone: tenant.settings.timezone,
          ...(tenant.settings.connect?.accessUrl && { connectAccessUrl: tenant.settings.connect.accessUrl }),
        },
      },
    };
  },

  async signOutEverywhere(request) {
    const caller = request.caller;
    if (caller.kind !== 'tenant' || caller.principal.kind !== 'person') throw forbidden('Only a person signed in with an access token can sign out everywhere; an API key is revoked instead');
    const before = await existingPerson(request.tenantId, caller.principal.personId);
    const now = new Date();
    const next: StoredPerson = { ...before, sessionsValidAfter: sessionsValidAfterOf(now), version: before.version + 1 };
    const audit = newAuditEntry(request.tenantId, auditContextOf(request), {
      action: 'person.signed-out-everywhere',
      target: { type: 'person', id: before.personId },
      summary: {},
      at: now.toISOString(),
    });
    const outcome = await replacePerson(before, next, audit);
    if (outcome !== 'written') throw conflict('Your account changed at the same time; try again');
    await directory.signOutEverywhere(before.subject);
    logger.info('Person signed out everywhere', { personId: before.personId });
    return { status: 204 };
  },
}, { idempotency: withIdempotency, requestLimit: tenantRequestLimit });

async function existingPerson(tenantId: string, personId: string): Promise<StoredPerson> {
  const person = looksLikeId('per', personId) ? await getPerson(tenantId, personId) : undefined;
  if (!person) throw notFound('No such person');
  return person;
}

/** The agent id asked for, if no other person has it; else the first free one derived from the e-mail address. */
async function freeAgentId(tenantId: string, email: string, asked: string | undefined): Promise<string> {
  if (asked !== undefined) {
    if (await getPersonIdByAgentId(tenantId, asked)) throw agentIdTaken(asked);
    return asked;
  }
  for (const candidate of agentIdCandidates(email)) {
    if (!(await getPersonIdByAgentId(tenantId, candidate))) return candidate;
  }
  throw new HttpError('agent-id-taken', 'Every agent id derived from this e-mail address is taken; give one in agentId', {
    errors: [{ path: '$.agentId', message: 'Give an agent id' }],
  });
}

function withChanges(before: StoredPerson, body: UpdatePersonBody): StoredPerson {
  const next: StoredPerson = { ...before, version: before.version + 1 };
  if (body.role !== undefined) next.role = body.role;
  if (body.agentId !== undefined) next.agentId = body.agentId;
  if (body.displayName === null) delete next.displayName;
  else if (body.displayName !== undefined) next.displayName = body.displayName;
  return next;
}

/**
 * When the change takes away the person's admin rights, another active admin who must still be one
 * when the change is written (checked in its transaction); refused when there is none.
 */
async function adminKeptThrough(person: StoredPerson, next: { role?: Role; state?: 'deactivated' }): Promise<string | undefined> {
  if (!removesAdmin(person, next)) return undefined;
  const kept = anotherActiveAdmin(await listAllPeople(person.tenantId), person.personId);
  if (!kept) throw lastAdmin();
  return kept;
}

/** Deactivates or reactivates; doing it again changes nothing and answers the person as they are. */
async function changeState(tenantId: string, personId: string, target: 'active' | 'deactivated', context: AuditContext): Promise<StoredPerson> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = await existingPerson(tenantId, personId);
    if (target === 'deactivated' ? before.state === 'deactivated' : before.state !== 'deactivated') return before;
    const now = new Date();
    const next: StoredPerson =
      target === 'deactivated'
        ? { ...before, state: 'deactivated', sessionsValidAfter: sessionsValidAfterOf(now), version: before.version + 1 }
        : { ...before, state: before.lastSignInAt ? 'active' : 'invited', version: before.version + 1 };
    const keptAdminId = await adminKeptThrough(before, target === 'deactivated' ? { state: 'deactivated' } : {});
    const audit = newAuditEntry(tenantId, context, {
      action: target === 'deactivated' ? 'person.deactivated' : 'person.reactivated',
      target: { type: 'person', id: personId },
      summary: {},
      at: now.toISOString(),
    });
    const outcome = await replacePerson(before, next, audit, keptAdminId);
    if (outcome === 'admin-gone') throw lastAdmin();
    if (outcome === 'written') {
      logger.info(target === 'deactivated' ? 'Person deactivated' : 'Person reactivated', { personId });
      return next;
    }
  }
  throw conflict('The person changed at the same time; try again');
}

async function mePrincipal(caller: Caller) {
  if (caller.kind !== 'tenant') throw new Error('GET /v1/me is a tenant route');
  const { principal } = caller;
  if (principal.kind === 'key') return { kind: 'key' as const, keyId: principal.keyId };
  const person = await getPerson(caller.tenantId, principal.personId);
  if (!person) throw notFound('Your person no longer exists');
  return {
    kind: 'person' as const,
    personId: person.personId,
    email: person.email,
    ...(person.displayName !== undefined && { displayName: person.displayName }),
    role: person.role,
    agentId: person.agentId,
  };
}
