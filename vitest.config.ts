import { defineConfig } from 'vitest/config';

// CI sets VITEST_JSON_REPORT to keep a machine-readable report next to the usual output.
const jsonReport = Boolean(process.env.VITEST_JSON_REPORT);

// What the local twin sets for its functions, for test files that load a handler before
// starting a twin (Powertools reads these when a module loads). A test may still override.
const twinEnvironment = { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' };

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport ? { outputFile: { json: 'reports/vitest.json' } } : {}),
    // Two projects so that `vitest run --project unit` (npm run test:unit) needs neither Java nor
    // a browser: only the other project starts DynamoDB Local, and only when it has files to run.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], env: twinEnvironment },
      },
      {
        extends: true,
        test: {
          name: 'twin',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/unit/**'],
          globalSetup: ['tests/global-setup.ts'],
          env: twinEnvironment,
        },
      },
    ],
  },
});
