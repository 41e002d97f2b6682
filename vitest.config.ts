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
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport ? { outputFile: { json: 'reports/vitest.json' } } : {}),
  },
});
