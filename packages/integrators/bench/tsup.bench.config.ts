import { defineConfig } from 'tsup';

/**
 * Bundles bench/nbody.ts with the package source (and @noether/autodiff's) into node_modules/.cache/noether-bench/nbody.js, run by
 * plain `node` as users run the built package. Under the tsx dev loader the same code ran 25-30% slower
 * (measured; detaching any ArrayBuffer reproduces it, after which V8 re-checks typed arrays in every loop).
 */
export default defineConfig({
  entry: { nbody: 'bench/nbody.ts' },
  outDir: 'node_modules/.cache/noether-bench',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  sourcemap: false,
  clean: true,
  silent: true,
  noExternal: [/^@noether\//],
  external: [/^@tensorflow\//],
  esbuildOptions(options) {
    options.conditions = ['@noether/source'];
  },
});
