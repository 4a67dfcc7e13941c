import { defineConfig } from 'vitest/config';

/** Handlers log only warnings in tests, and publish no metrics (CloudWatch's business). */
const quiet = { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'WARN' };

/**
 * One project per test layer, each run by its own npm script (`npm run test:unit`, …).
 * Integration and e2e tests start their own emulators per file, so they run in forks.
 */
export default defineConfig({
  test: {
    // Builds the upload page's script (functions/web/generated/, build output) before any project.
    globalSetup: ['test/support/build-web.ts'],
    projects: [
      { test: { name: 'unit', env: quiet, include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          env: quiet,
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          env: quiet,
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
