import os from 'node:os';
import { defineConfig } from 'vitest/config';

/** Browser tests need Debian's Chromium, so they run on their own: `npm run test:e2e`. */
const e2e = process.env.E2E === '1';
/** `*.services.test.ts` need a real service (S3-compatible server…): only in `npm run test:services`. */
const services = process.env.TEST_SERVICES === '1';
/**
 * `*.faults.test.ts` kill, cut off or starve real server processes: only in `npm run test:faults`,
 * which runs them alone (and on real services), never in the other runs.
 */
const faults = process.env.TEST_FAULTS === '1';
const FAULTS = '**/*.faults.test.ts';

export default defineConfig({
  test: {
    // Vitest's default leaves a core free (one file at a time on a 2-core machine), but a test
    // file spends much of its time waiting on fsync, a database or a child process: one worker
    // a core ran `npm test`'s files in 7.5 min instead of 12.2 here.
    maxWorkers: os.availableParallelism(),
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: '.test-output/junit.xml' },
    projects: faults
      ? [
          {
            test: {
              name: 'faults',
              include: [`apps/server/src/${FAULTS}`],
              environment: 'node',
              globalSetup: ['apps/server/src/test-support/global-setup.ts'],
              testTimeout: 240_000,
              hookTimeout: 240_000,
              // Each file runs real processes under load and measures recovery: one at a time.
              fileParallelism: false,
            },
          },
        ]
      : e2e
        ? [
            {
              test: {
                name: 'e2e',
                include: ['apps/web/e2e/**/*.e2e.test.ts'],
                environment: 'node',
                globalSetup: ['apps/web/e2e/global-setup.ts'],
                testTimeout: 60_000,
                hookTimeout: 180_000,
                fileParallelism: false,
                // A browser waits on uploads, live events and re-renders: on a loaded 2-core
                // machine these take seconds, not the one second expect.poll allows by default.
                expect: { poll: { timeout: 10_000, interval: 100 } },
              },
            },
          ]
        : [
            {
              test: {
                name: 'server',
                include: ['apps/server/src/**/*.test.ts'],
                exclude: [FAULTS, ...(services ? [] : ['**/*.services.test.ts'])],
                environment: 'node',
                globalSetup: ['apps/server/src/test-support/global-setup.ts'],
                testTimeout: 30_000,
                hookTimeout: 120_000,
              },
            },
            // The web suite and the CDK synth tests use no service: `npm test` runs them, the
            // services run keeps only infra's own *.services.test.ts.
            ...(services
              ? []
              : [
                  {
                    test: {
                      name: 'web',
                      include: ['apps/web/src/**/*.test.tsx', 'apps/web/src/**/*.test.ts'],
                      environment: 'jsdom',
                      setupFiles: ['apps/web/src/test-support/setup.ts'],
                    },
                  },
                ]),
            {
              test: {
                // Each test file synthesises one environment's app once (~7 s, ~430 MB).
                name: 'infra',
                include: [services ? 'infra/**/*.services.test.ts' : 'infra/**/*.test.ts'],
                exclude: [
                  '**/node_modules/**',
                  'infra/cdk.out/**',
                  ...(services ? [] : ['**/*.services.test.ts']),
                ],
                environment: 'node',
                testTimeout: 120_000,
                hookTimeout: 120_000,
              },
            },
          ],
  },
});
