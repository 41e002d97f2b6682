import { parseArgs } from 'node:util';

/** The load run's flags, each with its environment variable and default. */

export interface Options {
  tenants: number;
  durationSeconds: number;
  concurrency: number;
  maxRequests: number;
  seedCustomers: number;
  settleSeconds: number;
}

export function readOptions(): Options {
  const flags = {
    tenants: { env: 'LOAD_TENANTS', fallback: 20, max: 500 },
    duration: { env: 'LOAD_DURATION_SECONDS', fallback: 60, max: 3600 },
    concurrency: { env: 'LOAD_CONCURRENCY', fallback: 16, max: 256 },
    'max-requests': { env: 'LOAD_MAX_REQUESTS', fallback: 50_000, max: 10_000_000 },
    'seed-customers': { env: 'LOAD_SEED_CUSTOMERS', fallback: 10, max: 1000 },
    'settle-timeout': { env: 'LOAD_SETTLE_SECONDS', fallback: 120, max: 3600 },
  } as const;
  const usage = `Usage: npm run load -- ${Object.entries(flags)
    .map(([flag, { env, fallback }]) => `[--${flag} N (${env}, default ${fallback})]`)
    .join(' ')}`;
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: Object.fromEntries(Object.keys(flags).map((flag) => [flag, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  const read = (flag: keyof typeof flags) => {
    const { env, fallback, max } = flags[flag];
    const given = values[flag] ?? process.env[env];
    if (given === undefined || given === '') return fallback;
    const value = Number(given);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      console.error(`--${flag} (${env}) must be a whole number from 1 to ${max}, not "${given}"\n${usage}`);
      process.exit(2);
    }
    return value;
  };
  return {
    tenants: read('tenants'),
    durationSeconds: read('duration'),
    concurrency: read('concurrency'),
    maxRequests: read('max-requests'),
    seedCustomers: read('seed-customers'),
    settleSeconds: read('settle-timeout'),
  };
}
