import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../data/idempotency-store';
import type { ApiRequest, ApiResult } from './handler';
import { sha256Hex } from '../crypto';
import { badRequest, conflict, unprocessable } from './problem';

/**
 * Idempotency-Key on POST (draft-ietf-httpapi-idempotency-key-header): the first request with a
 * key runs; a replay with the same body gets the first answer back (with Idempotent-Replayed);
 * the same key with a different body answers 422; a replay while the first is still running
 * answers 409. Keys are scoped to the tenant and the route and kept for 24 hours. Successful
 * answers are kept; an error answer releases the key, since such a request wrote nothing.
 */
export async function withIdempotency(request: ApiRequest, run: () => Promise<ApiResult>): Promise<ApiResult> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return run();
  if (key.length < 1 || key.length > 255) throw badRequest('Idempotency-Key must be 1 to 255 characters');

  const scope = request.caller.kind === 'tenant' ? request.caller.tenantId : '_operator';
  const keyHash = sha256Hex(`${request.route.method} ${request.route.path}\n${key}`);
  const requestHash = sha256Hex(JSON.stringify({ params: request.params, body: request.body ?? null }));

  const existing = await claimIdempotencyKey(scope, keyHash, requestHash);
  if (existing) {
    if (existing.requestHash !== requestHash) {
      throw unprocessable('This Idempotency-Key was used with a different request', 'idempotency-key-reused');
    }
    if (existing.state === 'in_progress') {
      throw conflict('A request with this Idempotency-Key is still being processed; retry shortly', 'idempotency-in-progress');
    }
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
  await completeIdempotencyKey(scope, keyHash, result);
  return result;
}
