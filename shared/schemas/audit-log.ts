import * as z from '../zod';
import { Iso8601, PaginationQuery, periodBoundPattern } from './common';
import { Scope } from './api-key';
import { Plan } from './tenant';
import { Role } from './person';

/**
 * Who made a change: an API key of the tenant, a person of the tenant signed in with an access
 * token, or the operator who runs the service (self-service sign-up included).
 */
export const AuditActor = z.withMeta(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('api-key'), keyId: z.string() }),
    z.object({ type: z.literal('person'), personId: z.string() }),
    z.object({ type: z.literal('operator') }),
  ]),
  { id: 'AuditActor', description: 'Who made the change: an API key of the tenant (by id), a person of the tenant (by id), or the operator' },
);
export type AuditActor = z.infer<typeof AuditActor>;

/** Where the request came from, as API Gateway saw it. */
export const AuditSource = z.withMeta(
  z.object({
    ip: z.described(z.string(), "The caller's address as API Gateway saw it"),
    userAgent: z.described(z.string(), 'The User-Agent header, cut to 256 characters; empty when none was sent'),
  }),
  { id: 'AuditSource' },
);
export type AuditSource = z.infer<typeof AuditSource>;

export const AuditTargetType = z.enum(['api-key', 'settings', 'webhook', 'export', 'customer', 'tenant', 'allocation', 'person']);

/** What the change was made to: its kind and, where it has one, its id. */
export const AuditTarget = z.withMeta(
  z.object({ type: AuditTargetType, id: z.optional(z.string()) }),
  { id: 'AuditTarget' },
);
export type AuditTarget = z.infer<typeof AuditTarget>;

const ChangedFields = z.described(
  z.array(z.string()),
  'Dotted paths of the fields whose value changed (an array counts as one field); never their values',
);

/**
 * The catalogue: each action with the summary its entries carry. A summary is small and holds no
 * secret and no personal data beyond ids (docs/api.md, "Audit log").
 */
export const auditSummaries = {
  'api-key.created': z.object({ scopes: z.array(Scope) }),
  'api-key.revoked': z.object({ scopes: z.array(Scope) }),
  'settings.changed': z.object({ changedFields: ChangedFields }),
  'webhook.created': z.object({ eventTypes: z.array(z.string()), enabled: z.boolean() }),
  'webhook.changed': z.object({ changedFields: ChangedFields }),
  'webhook.secret-rotated': z.object({}),
  'webhook.deleted': z.object({}),
  'export.downloaded': z.object({
    export: z.enum(['contacts', 'survey-responses']),
    from: z.withMeta(z.string(), { pattern: periodBoundPattern, description: 'The range as asked: a date (YYYY-MM-DD) or an RFC 3339 instant' }),
    to: z.withMeta(z.string(), { pattern: periodBoundPattern, description: 'The range as asked: a date (YYYY-MM-DD) or an RFC 3339 instant' }),
    rows: z.int(),
    withNotes: z.boolean(),
    continued: z.described(z.boolean(), 'A later page of the same export (the request carried a cursor)'),
  }),
  'customer.erased': z.object({}),
  'tenant.created': z.object({
    plan: Plan,
    adminKeyId: z.described(z.optional(z.string()), 'The first admin key, for a tenant the operator created'),
    adminPersonId: z.described(z.optional(z.string()), 'The first admin person, for a tenant created by self-service sign-up'),
  }),
  'allocation.granted': z.object({ kind: z.string(), resourceId: z.string() }),
  'allocation.released': z.object({ kind: z.string(), resourceId: z.string() }),
  'tenant.suspended': z.object({ reason: z.described(z.string(), "The operator's reason, as given to the suspend route") }),
  'tenant.resumed': z.object({}),
  'person.invited': z.object({ role: Role }),
  'person.invitation-resent': z.object({ role: z.described(Role, 'The role the invitation offers') }),
  'person.changed': z.object({ changedFields: ChangedFields, role: z.described(Role, 'The role after the change') }),
  'person.deactivated': z.object({}),
  'person.reactivated': z.object({}),
  'person.signed-out-everywhere': z.object({}),
} as const;

export type AuditAction = keyof typeof auditSummaries;
export const auditActions = Object.keys(auditSummaries) as [AuditAction, ...AuditAction[]];
export const AuditAction = z.enum(auditActions);
export type AuditSummary<A extends AuditAction> = z.infer<(typeof auditSummaries)[A]>;

const entryFields = {
  entryId: z.described(z.string(), 'Time-ordered id of the entry'),
  at: z.described(Iso8601, 'When the change was made'),
  actor: AuditActor,
  target: AuditTarget,
  source: AuditSource,
};

const entryOf = <A extends AuditAction>(action: A) =>
  z.object({ ...entryFields, action: z.literal(action), summary: auditSummaries[action] as (typeof auditSummaries)[A] });

export const AuditEntry = z.withMeta(
  z.discriminatedUnion('action', [
    entryOf('api-key.created'),
    entryOf('api-key.revoked'),
    entryOf('settings.changed'),
    entryOf('webhook.created'),
    entryOf('webhook.changed'),
    entryOf('webhook.secret-rotated'),
    entryOf('webhook.deleted'),
    entryOf('export.downloaded'),
    entryOf('customer.erased'),
    entryOf('tenant.created'),
    entryOf('allocation.granted'),
    entryOf('allocation.released'),
    entryOf('tenant.suspended'),
    entryOf('tenant.resumed'),
    entryOf('person.invited'),
    entryOf('person.invitation-resent'),
    entryOf('person.changed'),
    entryOf('person.deactivated'),
    entryOf('person.reactivated'),
    entryOf('person.signed-out-everywhere'),
  ]),
  { id: 'AuditEntry', description: 'One change to the tenant: who, when, what, from where' },
);
export type AuditEntry = z.infer<typeof AuditEntry>;

/** An actor as the `actor` filter names it: an API key id (`key_…`), a person id (`per_…`) or `operator`. */
export const AuditActorId = z.withMeta(
  z.string().check(z.regex(/^(operator|(key|per)_[0-9A-HJKMNP-TV-Z]{26})$/, 'Must be an API key id (key_…), a person id (per_…) or operator')),
  { description: 'An API key id (key_…), a person id (per_…) or `operator`', maxLength: 30 },
);

export const AuditLogQuery = z.extend(PaginationQuery, {
  action: z.optional(AuditAction),
  actor: z.optional(AuditActorId),
});
