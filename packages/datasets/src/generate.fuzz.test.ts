import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDataset, datasetCatalog } from './catalog';
import { DatasetsError } from './errors';

const runs = Number(process.env.FUZZ_RUNS ?? 120);
const seed = process.env.FUZZ_RUNS ? Date.now() : 20260101;

const num = fc.oneof(
  fc.double(),
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(0, 0.05, 1e6, 1e308, -1, Number.NaN, Infinity, 2 ** 53, 0.5),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

describe('fuzz: buildDataset validates its inputs', () => {
  it('returns finite data or throws DatasetsError for random names and options', () => {
    const names = datasetCatalog.filter((e) => e.kind === 'trajectories').map((e) => e.name);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...names),
          fc.constantFrom('__proto__', 'constructor', ''),
          fc.string({ maxLength: 6 }),
        ),
        fc.record({
          count: maybe(num),
          steps: maybe(num),
          dt: maybe(num),
          seed: maybe(num),
          noise: maybe(num),
          n: maybe(fc.integer({ min: -1, max: 4 })),
          split: maybe(fc.constantFrom('train', 'test', 'testWider', 'testMoved', '__proto__', 'toString')),
        }),
        (name, o) => {
          try {
            const d = buildDataset(name, { ...(o as object), maxWork: 2e4, maxMemoryBytes: 1e6 }) as {
              x?: Float64Array;
            };
            if (d.x) expect(d.x.every(Number.isFinite)).toBe(true);
          } catch (error) {
            if (!(error instanceof DatasetsError)) throw error;
          }
        },
      ),
      { numRuns: runs, seed },
    );
  });
});
