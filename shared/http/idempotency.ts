import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../data/idempotency-store';
import type { ApiRequest, ApiResult } from './handler';
import { sha256Hex } from '../crypto';
import { type HttpError, badRequest, conflict, unprocessable } from './problem';

/**
 * Idempotency-Key on POST (draft-ietf-httpapi-idempotency-key-header): the first request with a
 * key runs; a replay with the same body gets the first answer back (with Idempotent-Replayed);
 * the same key with a different body answers 422; a replay while the first is still running
 * answers 409. Keys are scoped to the tenant and the route and kept for 24 hours. Successful
 * answers are kept; an error answer releases the key, since such a request wrote nothing.
 *
 * A key belongs to the API key (or the operator) that first used it: another key of the tenant
 * reusing it is refused (422) and learns nothing of the first request. No secret is stored: an
 * answer that showed one (a new API key, the tenant's admin key, a webhook signing secret) keeps
 * only its status and Location, and its replay answers 409 `secret-shown-once` naming the
 * resource, which the integrator revokes (or rotates) and creates again. An answer that named a
 * customer is listed for erasure, which drops its body; its replay then answers 409 `replay-erased`.
 */
export async function withIdempotency(request: ApiRequest, run: () => Promise<ApiResult>): Promise<ApiResult> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return run();
  if (key.length < 1 || key.length > 255) throw badRequest('Idempotency-Key must be 1 to 255 characters');

  const scope = request.caller.kind === 'tenant' ? request.caller.tenantId : '_operator';
  const callerId = request.caller.kind === 'tenant' ? request.caller.keyId : 'operator';
  const keyHash = sha256Hex(`${request.route.method} ${request.route.path}\n${key}`);
  const requestHash = sha256Hex(JSON.stringify({ params: request.params, body: request.body ?? null }));

  const existing = await claimIdempotencyKey(scope, keyHash, requestHash, callerId);
  if (existing) {
    // Records older than the caller binding have no callerId: they are nobody's to replay.
    if (existing.callerId !== callerId) {
      throw unprocessable('This Idempotency-Key was used by another API key; use a key of your own', 'idempotency-key-other-caller');
    }
    if (existing.requestHash !== requestHash) {
      throw unprocessable('This Idempotency-Key was used with a different request', 'idempotency-key-reused');
    }
    if (existing.state === 'in_progress') {
      throw conflict('A request with this Idempotency-Key is still being processed; retry shortly', 'idempotency-in-progress');
    }
    if (existing.withheld) throw withheldReplay(existing.withheld, existing.response.headers?.location);
    return { ...existing.response, headers: { ...existing.response.headers, 'idempotent-replayed': 'true' } };
  }

  let result: ApiResult;
  try {
    result = await run();
  } catch (error) {
    // A refused or failed request wrote nothing, so the key is free for a corrected retry.
    await releaseIdempotencyKey(scope, keyHash);
    throw error;
  }
  if (holdsSecret(result.body)) {
    await completeIdempotencyKey(scope, keyHash, { status: result.status, headers: result.headers }, { withheld: 'secret' });
  } else {
    await completeIdempotencyKey(scope, keyHash, result, { customerId: customerNamedBy(result.body) });
  }
  return result;
}

/** Answers that carry a field named `secret`, at the top or one object down (the tenant's `apiKey.secret`). */
function holdsSecret(body: unknown): boolean {
  if (!isObject(body)) return false;
  return 'secret' in body || Object.values(body).some((value) => isObject(value) && 'secret' in value);
}

/** The customer an answer's data belongs to: its top-level `customerId` (a customer, contact, case, survey or transaction). */
function customerNamedBy(body: unknown): string | undefined {
  return isObject(body) && typeof body.customerId === 'string' ? body.customerId : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function withheldReplay(withheld: 'secret' | 'erased', location: string | undefined): HttpError {
  const created = location ? ` and created ${location}` : '';
  return withheld === 'secret'
    ? conflict(
        `The first request with this Idempotency-Key succeeded${created}; its secret was shown once and is not kept. ` +
          'If that answer was lost, revoke (or rotate) what it created and create it again',
        'secret-shown-once',
      )
    : conflict(
        `The first request with this Idempotency-Key succeeded${created}; its answer held personal data of a customer since erased`,
        'replay-erased',
      );
}
