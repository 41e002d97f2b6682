import { defineConfig } from 'vitest/config';

// CI sets VITEST_JSON_REPORT to keep a machine-readable report next to the usual output.
const jsonReport = Boolean(process.env.VITEST_JSON_REPORT);

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // What the local twin sets for its functions, for test files that load a handler before
    // starting a twin (Powertools reads these when a module loads). A test may still override.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' },
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport ? { outputFile: { json: 'reports/vitest.json' } } : {}),
  },
});
