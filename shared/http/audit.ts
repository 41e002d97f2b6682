import type { AuditContext } from '../domain/audit';
import type { Caller } from './caller';
import type { RequestSource } from './operation';

/**
 * The audit log's who and from where for a request: the verified caller (never anything the
 * request says about itself) and the source API Gateway reported.
 */
export function auditContextOf(request: { caller: Caller; source: RequestSource }): AuditContext {
  const { caller, source } = request;
  if (caller.kind === 'tenant') {
    const { principal } = caller;
    return { actor: principal.kind === 'person' ? { type: 'person', personId: principal.personId } : { type: 'api-key', keyId: principal.keyId }, source };
  }
  if (caller.kind === 'operator') return { actor: { type: 'operator' }, source };
  throw new Error('An anonymous request changes nothing that is audited');
}
