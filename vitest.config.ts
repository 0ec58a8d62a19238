import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import './config/node20-polyfills.ts';
import SummaryReporter from './config/summary-reporter.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
// Tests resolve sibling packages to their sources, so no build is needed before `pnpm test`.
const alias = Object.fromEntries(
  readdirSync(`${root}packages`)
    .filter((name) => existsSync(`${root}packages/${name}/src/index.ts`))
    .map((name) => [`@noether/${name}`, `${root}packages/${name}/src/index.ts`]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    pool: 'forks',
    setupFiles: ['./config/quiet-tfjs-banner.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', new SummaryReporter()],
    benchmark: { include: ['**/bench/**/*.bench.ts'] },
  },
});
