import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntegratorError } from './errors';
import { integrate } from './integrate';
import { methods } from './methods';
import { kepler, oscillator } from './test-problems';

const runs = Number(process.env.FUZZ_RUNS ?? 200);
const seed = process.env.FUZZ_RUNS ? Date.now() : 20260101;

const num = fc.oneof(
  fc.double({ noDefaultInfinity: false, noNaN: false }),
  fc.integer({ min: -5, max: 50 }),
  fc.constantFrom(0, 1e-3, 0.1, 1e10, -0.1, Number.NaN, Infinity, 2 ** 53),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

describe('fuzz: integrate validates its inputs', () => {
  it('returns a result or throws IntegratorError for random methods, systems and options', () => {
    const method = fc.oneof(fc.constantFrom(...Object.keys(methods)), fc.string({ maxLength: 8 }));
    const x0 = fc.oneof(
      fc.float64Array({ maxLength: 5 }),
      fc.constantFrom(Float64Array.of(1, 0), Float64Array.of(0.4, 0, 0, 2)),
      fc.constantFrom(null, undefined, 3, 'x', [1, 0]),
    );
    fc.assert(
      fc.property(
        method,
        fc.constantFrom(oscillator, kepler),
        fc.record({
          x0,
          dt: maybe(num),
          steps: maybe(num),
          t1: maybe(num),
          saveEvery: maybe(num),
          rtol: maybe(num),
          saveAt: maybe(fc.array(num, { maxLength: 4 })),
        }),
        (m, system, o) => {
          try {
            const r = integrate(m as keyof typeof methods, system, {
              ...(o as Parameters<typeof integrate>[2]),
              maxWork: 1e5,
              maxMemoryBytes: 1e6,
              throwOnFailure: false,
            });
            expect(['ok', 'stopped', 'non-finite', 'not-converged', 'max-iterations']).toContain(r.status);
          } catch (error) {
            if (!(error instanceof IntegratorError)) throw error;
          }
        },
      ),
      { numRuns: runs, seed },
    );
  });
});
