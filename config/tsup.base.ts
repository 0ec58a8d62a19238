import { defineConfig, type Options } from 'tsup';

/**
 * The one build configuration every package uses: ESM + CJS + .d.ts from `src/index.ts`.
 * A package's `tsup.config.ts` is `export default createTsupConfig()`; swapping bundlers is a one-file change.
 */
export function createTsupConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
    external: [/^@tensorflow\//, /^@noether\//],
    ...overrides,
  });
}
