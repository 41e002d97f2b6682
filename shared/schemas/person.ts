import * as z from '../zod';
import { Iso8601, Locale, PaginationQuery } from './common';
import { AgentId } from './agent';
import { Scope } from './api-key';

/**
 * What a person of a tenant may do, given by an admin. Each role is a set of API scopes
 * (`roleScopes`): the authorizer grants a signed-in person its role's scopes, and every route's
 * required scope decides the rest, as for API keys. docs/api.md's roles table is built from this.
 */
export const Role = z.enum(['admin', 'supervisor', 'agent', 'viewer']);
export type Role = z.infer<typeof Role>;

export const roleScopes: Readonly<Record<Role, readonly Scope[]>> = {
  admin: ['admin'],
  supervisor: ['supervisor'],
  agent: ['agent'],
  viewer: ['readonly'],
};

export const PersonState = z.enum(['invited', 'active', 'deactivated']);
export type PersonState = z.infer<typeof PersonState>;

const PersonId = z.string().check(z.maxLength(64));

/** An e-mail address as a sign-in name: trimmed and lower-cased, so one address is one person per tenant. */
export const EmailAddress = z.withMeta(
  z.string().check(
    z.maxLength(254, { abort: true, message: 'An e-mail address has at most 254 characters' }),
    z.trim(),
    z.toLowerCase(),
    z.regex(/^[^\s@"<>()\\,;:]+@[^\s@"<>()\\,;:]+\.[^\s@"<>()\\,;:]+$/, 'Must be an e-mail address such as mei.lin@acme.tw'),
  ),
  { maxLength: 254, description: 'An e-mail address; compared without regard to case' },
);

const DisplayName = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));

export const Person = z.withMeta(
  z.object({
    personId: z.string(),
    email: z.string(),
    displayName: z.optional(z.string()),
    role: Role,
    state: z.described(PersonState, 'invited until the first sign-in, then active; deactivated people cannot sign in'),
    agentId: z.described(AgentId, 'The agent id contacts, cases and analytics name this person by'),
    lastSignInAt: z.described(z.optional(Iso8601), 'When the person last signed in (recorded at most every 15 minutes)'),
    invitedAt: Iso8601,
    version: z.described(z.int(), 'Sent as the ETag; PATCH needs it in If-Match'),
  }),
  { id: 'Person' },
);
export type Person = z.infer<typeof Person>;

export const InvitePersonBody = z.strictObject({
  email: EmailAddress,
  role: Role,
  displayName: z.optional(DisplayName),
  agentId: z.described(z.optional(AgentId), 'Defaults to the e-mail address before the @ (made unique in the tenant)'),
});
export type InvitePersonBody = z.infer<typeof InvitePersonBody>;

export const UpdatePersonBody = z.strictObject({
  role: z.optional(Role),
  displayName: z.optional(z.nullable(DisplayName)),
  agentId: z.optional(AgentId),
});
export type UpdatePersonBody = z.infer<typeof UpdatePersonBody>;

export const PersonIdParams = z.object({ personId: PersonId });

export const PeopleQuery = z.extend(PaginationQuery, {});

/** Who is calling (GET /v1/me): a person or an API key, its scopes and its tenant. */
export const Me = z.withMeta(
  z.object({
    principal: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('person'),
        personId: z.string(),
        email: z.string(),
        displayName: z.optional(z.string()),
        role: Role,
        agentId: AgentId,
      }),
      z.object({ kind: z.literal('key'), keyId: z.string() }),
    ]),
    scopes: z.array(Scope),
    tenant: z.object({
      tenantId: z.string(),
      name: z.string(),
      locale: Locale,
      timezone: z.string(),
      connectAccessUrl: z.described(
        z.optional(z.string()),
        "The tenant's Amazon Connect access URL (settings connect.accessUrl) when set: where the desk's phone (the Contact Control Panel) comes from",
      ),
    }),
  }),
  { id: 'Me' },
);
export type Me = z.infer<typeof Me>;
