import { describe, expect, it } from 'vitest';
import { IntegratorError } from './errors';
import { integrate } from './integrate';
import { oscillator } from './test-problems';

const x0 = Float64Array.of(1, 0);

const errorOf = (f: () => unknown): IntegratorError => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(IntegratorError);
    return error as IntegratorError;
  }
  throw new Error('expected an IntegratorError');
};

describe('integrate: up-front cost limits', () => {
  it('refuses steps: 1e10 before allocating (the process used to abort), naming the limit', () => {
    const start = performance.now();
    const e = errorOf(() => integrate('leapfrog', oscillator, { x0, dt: 0.01, steps: 1e10 }));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toBe(
      'integrate(): saving 10000000002 states of [2] needs about 1.60e+11 bytes, more than maxMemoryBytes = 1073741824; save less often (saveEvery, saveAt) or raise maxMemoryBytes',
    );
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('refuses work beyond maxWork even when little is saved, and runs when the limit is raised', () => {
    const e = errorOf(() => integrate('leapfrog', oscillator, { x0, dt: 1e-6, t1: 1e5, saveEvery: 1e9 }));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toMatch(
      /100000000000 steps of \[2\] are 2\.00e\+11 state updates, more than maxWork = 1\.00e\+9/,
    );
    const r = integrate('leapfrog', oscillator, { x0, dt: 0.1, steps: 10, maxWork: 20 });
    expect(r.steps).toBe(10);
    expect(() => integrate('leapfrog', oscillator, { x0, dt: 0.1, steps: 11, maxWork: 20 })).toThrow(
      /maxWork = 2\.00e\+1/,
    );
  });

  it('counts the batch and the tensor stack in the memory estimate', () => {
    const e = errorOf(() =>
      integrate('leapfrog', oscillator, { x0, dt: 0.1, steps: 100, maxMemoryBytes: 100 * 2 * 8 }),
    );
    expect(e.message).toMatch(/saving 102 states of \[2\] needs about 1\.63e\+3 bytes/);
    expect(
      integrate('leapfrog', oscillator, { x0, dt: 0.1, steps: 100, maxMemoryBytes: 102 * 2 * 8 }).steps,
    ).toBe(100);
  });
});
