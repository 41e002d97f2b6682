import type { TestTwin } from '../twin';

/** One request tenant B makes, aimed at tenant A's data. */
export interface Probe {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * What the cross-tenant test needs from each area of the API: tenant A's data to aim at, a probe
 * for each of the area's tenant routes, and a check that A's data came through unchanged.
 */
export interface CrossTenantArea<Seeded extends { secrets: string[] } = { secrets: string[] }> {
  name: string;
  /** Creates tenant A's data with A's admin key. `secrets`: strings no answer to B may contain. */
  seed(twin: TestTwin, aKey: string): Promise<Seeded>;
  probes: Record<string, (seeded: Seeded) => Probe>;
  /** Fails when B's probes changed anything of A's. */
  verifyUnchanged(twin: TestTwin, aKey: string, seeded: Seeded): Promise<void>;
  /** A list cursor of A's, for the check that it is useless to B. */
  cursors?: (seeded: Seeded) => { path: string; cursor: string }[];
}

/** An id of the same kind that names nothing, for "answers as if missing" comparisons. */
export const missingTwin = (path: string) => path.replace(/([a-z]{3})_[0-9A-Z]{26}/g, '$1_01JZZZZZZZZZZZZZZZZZZZZZZZ');
