import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import './config/node20-polyfills.ts';
import SummaryReporter from './config/summary-reporter.ts';

// Tests resolve sibling packages to their sources through the one `@noether/source` export condition (the
// same condition tsconfig's customConditions and tsx --conditions use), so no build is needed first.
const conditions = ['@noether/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'tests/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    pool: 'forks',
    setupFiles: ['./config/quiet-tfjs-banner.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', new SummaryReporter()],
    benchmark: { include: ['**/bench/**/*.bench.ts'] },
  },
});
