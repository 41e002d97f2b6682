export type AuthorizerAnswer = { isAuthorized: boolean; context?: Record<string, unknown> };

/** As many identities as the twin remembers answers for; the oldest answer goes first. */
export const authorizerCacheMaxEntries = 10_000;

/**
 * API Gateway's authorizer cache: answers keyed by the identity source values, for a fixed time
 * on the twin's clock (from when the answer was given, not sliding with use), so that a test
 * moves past the expiry instead of sleeping through it. Bounded, so that a client sending a new
 * Authorization header with every request cannot grow the twin's memory without end.
 */
export class AuthorizerCache {
  // A Map iterates in insertion order, so its first key is the oldest answer.
  private readonly answers = new Map<string, { answer: AuthorizerAnswer; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = authorizerCacheMaxEntries,
  ) {}

  get size(): number {
    return this.answers.size;
  }

  get(identity: string): AuthorizerAnswer | undefined {
    const cached = this.answers.get(identity);
    if (!cached) return undefined;
    if (cached.expiresAt > this.now()) return cached.answer;
    this.answers.delete(identity);
    return undefined;
  }

  set(identity: string, answer: AuthorizerAnswer): void {
    if (this.ttlMs <= 0) return;
    this.answers.delete(identity);
    while (this.answers.size >= this.maxEntries) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(identity, { answer, expiresAt: this.now() + this.ttlMs });
  }
}
