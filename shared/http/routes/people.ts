import { Page } from '../../schemas/common';
import { InvitePersonBody, Me, PeopleQuery, Person, PersonIdParams, UpdatePersonBody } from '../../schemas/person';
import { adminAccess, defineRoutes, readonlyAccess } from '../route-types';

const personIdExample = { personId: 'per_01JF9C4D5E6F7G8H9J0K1M2N3P' } as const;

const personExample = {
  personId: 'per_01JF9C4D5E6F7G8H9J0K1M2N3P',
  email: 'mei.lin@acme.tw',
  displayName: 'Mei Lin',
  role: 'supervisor',
  state: 'active',
  agentId: 'mei.lin',
  lastSignInAt: '2026-03-05T01:02:00.000Z',
  invitedAt: '2026-03-04T06:30:00.000Z',
  version: 2,
} as const;

const invitedExample = {
  personId: personExample.personId,
  email: personExample.email,
  displayName: personExample.displayName,
  role: personExample.role,
  state: 'invited',
  agentId: personExample.agentId,
  invitedAt: personExample.invitedAt,
  version: 1,
} as const;

/** The tenant's people (admin only), and who is calling (any tenant caller). */
export const peopleRoutes = defineRoutes([
  {
    operationId: 'listPeople',
    method: 'GET',
    path: '/v1/people',
    function: 'people',
    access: adminAccess,
    tag: 'People',
    summary: 'List the people of the tenant with their role, state and last sign-in',
    request: { query: PeopleQuery },
    description:
      'Every person of the tenant, invited, active or deactivated, with their role, agent id and when they last signed in, in the order they were invited. ' +
      'Paged: at most `limit` (1–100, default 25) per page; pass `nextCursor` as `cursor` for the next. Admin only',
    examples: { request: { query: { limit: '25' } }, responses: { 200: { items: [personExample] } } },
    responses: { 200: { description: 'A page of people', schema: Page(Person) } },
  },
  {
    operationId: 'invitePerson',
    method: 'POST',
    path: '/v1/people',
    function: 'people',
    access: adminAccess,
    tag: 'People',
    summary: 'Invite a person by e-mail with a role; they get a mail with a temporary password',
    idempotent: true,
    request: { body: InvitePersonBody },
    description:
      'Creates the person (state invited) and their sign-in account, and mails them an invitation, in the tenant\'s language and English, with a temporary password ' +
      'and the console\'s address; at the first sign-in they choose a password and set up an authenticator app. ' +
      'The agent id defaults to the e-mail address before the @, made unique in the tenant. An e-mail address already in the tenant answers 409 person-exists; ' +
      'an agent id another person has, 409 agent-id-taken; an address the mail service refuses, 422 mail-refused, and nothing is stored. ' +
      'When the mail service or the sign-in directory is busy the answer is 503 and nothing is stored but, at most, a sign-in account without a person, which a retry completes. Honours Idempotency-Key: a retry with the same key answers the first answer and mails nothing again. Admin only',
    examples: {
      request: { body: { email: 'mei.lin@acme.tw', role: 'supervisor', displayName: 'Mei Lin' } },
      responses: { 201: invitedExample },
    },
    problems: ['person-exists', 'agent-id-taken', 'not-found', 'mail-refused'],
    responses: { 201: { description: 'Invited', schema: Person, headers: ['Location', 'ETag'] } },
  },
  {
    operationId: 'getPerson',
    method: 'GET',
    path: '/v1/people/{personId}',
    function: 'people',
    access: adminAccess,
    tag: 'People',
    summary: 'One person of the tenant, with the ETag a change needs',
    request: { params: PersonIdParams },
    description: 'One person with their role, state, agent id and last sign-in; the ETag is what PATCH takes in If-Match. Admin only',
    examples: { request: { params: personIdExample }, responses: { 200: personExample } },
    responses: { 200: { description: 'The person', schema: Person, headers: ['ETag'] } },
  },
  {
    operationId: 'updatePerson',
    method: 'PATCH',
    path: '/v1/people/{personId}',
    function: 'people',
    access: adminAccess,
    tag: 'People',
    summary: "Change a person's role, display name or agent id; requires If-Match",
    requiresIfMatch: true,
    request: { params: PersonIdParams, body: UpdatePersonBody },
    description:
      "Changes the role, the display name (null removes it) or the agent id. A new role applies to the person's next request (within the authorizer's 60-second cache). " +
      "The tenant's last active admin cannot be given another role (409 last-admin-person); an agent id another person has answers 409 agent-id-taken. " +
      'Requires If-Match with the ETag last read (428 without it, 412 when the person changed since). Admin only',
    examples: {
      request: { params: personIdExample, body: { role: 'agent' } },
      responses: { 200: { ...personExample, role: 'agent', version: 3 } },
    },
    problems: ['last-admin-person', 'agent-id-taken', 'conflict'],
    responses: { 200: { description: 'The changed person', schema: Person, headers: ['ETag'] } },
  },
  {
    operationId: 'deactivatePerson',
    method: 'POST',
    path: '/v1/people/{personId}/deactivate',
    function: 'people',
    access: adminAccess,
    tag: 'People',
    summary: 'Deactivate a person: they can no longer sign in, and their sessions end',
    request: { params: PersonIdParams },
    description:
      'Deactivates the person: their sign-in account is disabled, their refresh tokens are revoked, and their access tokens are refused from their next request ' +
      "(within the authorizer's 60-second cache). Their agent id stays on contacts and cases. The tenant's last active admin cannot be deactivated (409 last-admin-person). " +
      'Deactivating a deactivated person changes nothing. Admin only',
    examples: { request: { params: personIdExample }, responses: { 200: { ...personExample, state: 'deactivated', version: 3 } } },
    problems: ['last-admin-person', 'conflict'],
    responses: { 200: { description: 'The deactivated person', schema: Person, headers: ['ETag'] } },
  },
  {
    operationId: 'reactivatePerson',
    method: 'POST',
    path: '/v1/people/{personId}/reactivate',
    function: 'people',
    access: adminAccess,
    tag: 'People',
    summary: 'Reactivate a deactivated person: they can sign in again',
    request: { params: PersonIdParams },
    description:
      'Enables the sign-in account of a deactivated person again, with the role they had. Reactivating a person who is not deactivated changes nothing. Admin only',
    examples: { request: { params: personIdExample }, responses: { 200: { ...personExample, version: 4 } } },
    problems: ['conflict'],
    responses: { 200: { description: 'The person', schema: Person, headers: ['ETag'] } },
  },
  {
    operationId: 'resendInvitation',
    method: 'POST',
    path: '/v1/people/{personId}/invitation',
    function: 'people',
    access: adminAccess,
    tag: 'People',
    summary: 'Send an invited person a new invitation, with a new temporary password',
    idempotent: true,
    request: { params: PersonIdParams },
    description:
      'For a person still invited (who has not signed in yet): sets a new temporary password on their sign-in account and mails the invitation again; the earlier mail\'s password ' +
      'stops working. For when the mail did not arrive, was refused or throttled by the mail service (the invitation answered 503), or its password expired (after 7 days). ' +
      'A person who has signed in already answers 409 conflict: they use "Forgot password" on the sign-in page. ' +
      'Honours Idempotency-Key: a retry with the same key answers the first answer and mails nothing again. Admin only',
    examples: { request: { params: personIdExample }, responses: { 200: invitedExample } },
    problems: ['conflict', 'mail-refused'],
    responses: { 200: { description: 'The invited person, mailed again', schema: Person, headers: ['ETag'] } },
  },
  {
    operationId: 'getMe',
    method: 'GET',
    path: '/v1/me',
    function: 'people',
    access: readonlyAccess,
    tag: 'People',
    summary: 'Who is calling: the person (or API key), its role and scopes, and its tenant',
    description:
      "Who the credential belongs to: a person (id, e-mail, display name, role, agent id) or an API key (id), the scopes it has, and its tenant's name, locale, time zone and, when set, Amazon Connect access URL. " +
      "The console's first call. Any tenant caller",
    examples: {
      responses: {
        200: {
          principal: { kind: 'person', personId: 'per_01JF9C4D5E6F7G8H9J0K1M2N3P', email: 'mei.lin@acme.tw', displayName: 'Mei Lin', role: 'supervisor', agentId: 'mei.lin' },
          scopes: ['supervisor'],
          tenant: { tenantId: 'ten_01JF8Z4Q7V2W3X4Y5Z6A7B8C9D', name: 'Formosa Telecom Care', locale: 'zh-TW', timezone: 'Asia/Taipei' },
        },
      },
    },
    problems: ['not-found'],
    responses: { 200: { description: 'The caller', schema: Me } },
  },
  {
    operationId: 'signOutEverywhere',
    method: 'POST',
    path: '/v1/me/sign-out-everywhere',
    function: 'people',
    access: readonlyAccess,
    tag: 'People',
    summary: "End every session of the calling person, on every device",
    description:
      "Revokes the calling person's refresh tokens and refuses every access token issued before now (within the authorizer's 60-second cache), this one included: " +
      'every browser and device must sign in again. People only: an API key answers 403',
    problems: ['conflict'],
    responses: { 204: { description: 'Signed out everywhere' } },
  },
]);
