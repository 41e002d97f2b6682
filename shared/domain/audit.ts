import { newId } from '../ids';
import type { AuditAction, AuditActor, AuditEntry, AuditSource, AuditSummary, AuditTarget } from '../schemas/audit-log';

/** Who and where a change came from: the verified caller and the request's source. */
export interface AuditContext {
  actor: AuditActor;
  source: AuditSource;
}

/** An entry as stored: the entry the API shows, and the tenant it belongs to and when it expires. */
export type StoredAuditEntry = AuditEntry & { tenantId: string; expiresAt: number };

const maxUserAgentLength = 256;

/**
 * When an entry made at `at` expires (epoch seconds, the table's TTL attribute): one calendar
 * year later, so an entry of 29 February is kept until 1 March.
 */
export function auditExpiresAt(at: string): number {
  const expiry = new Date(at);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + 1);
  return Math.floor(expiry.getTime() / 1000);
}

/** The id the `actor` filter names: an API key's id, a person's id, or `operator`. */
export const actorIdOf = (actor: AuditActor): string => (actor.type === 'api-key' ? actor.keyId : actor.type === 'person' ? actor.personId : 'operator');

/** A new audit entry of `action` at `at`, by the context's actor, on `target`. */
export function newAuditEntry<A extends AuditAction>(
  tenantId: string,
  context: AuditContext,
  change: { action: A; target: AuditTarget; summary: AuditSummary<A>; at: string },
): StoredAuditEntry {
  const { action, target, summary, at } = change;
  return {
    tenantId,
    entryId: newId('aud', Date.parse(at)),
    at,
    actor: context.actor,
    action,
    target,
    summary,
    source: { ip: context.source.ip, userAgent: context.source.userAgent.slice(0, maxUserAgentLength) },
    expiresAt: auditExpiresAt(at),
  } as StoredAuditEntry;
}

/**
 * The dotted paths of the fields whose value differs between `before` and `after`, objects walked
 * into, an array compared whole (its path once), `ignored` top-level fields left out. Only paths:
 * an entry never carries a value, so nothing secret or personal is copied into the log.
 */
export function changedFieldPaths(before: unknown, after: unknown, ignored: readonly string[] = []): string[] {
  const changed: string[] = [];
  const walk = (left: unknown, right: unknown, path: string) => {
    if (isPlainObject(left) && isPlainObject(right)) {
      const names = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
      for (const name of names) {
        if (path === '' && ignored.includes(name)) continue;
        walk(left[name], right[name], path === '' ? name : `${path}.${name}`);
      }
      return;
    }
    if (JSON.stringify(left) !== JSON.stringify(right)) changed.push(path);
  };
  walk(before, after, '');
  return changed;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
