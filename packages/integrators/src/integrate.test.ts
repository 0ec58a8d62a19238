import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { energyError } from './diagnostics';
import { IntegratorError } from './errors';
import { integrate } from './integrate';
import { methods, type Method } from './methods';
import { firstOrder, hamiltonian, separable } from './systems';
import {
  fitOrder,
  kepler,
  keplerExact,
  keplerX0,
  maxAbsDiff,
  oscillator,
  oscillatorExact,
} from './test-problems';

const T = 2;
/** Smallest step count of the dt sweep per nominal order (asymptotic regime, above rounding). */
const baseSteps = {
  osc: { 1: 400, 2: 100, 3: 40, 4: 20, 5: 10, 6: 8, 8: 6 } as Record<number, number>,
  kepler: { 1: 40000, 2: 1000, 3: 800, 4: 100, 5: 100, 6: 40, 8: 15 } as Record<number, number>,
};

function empiricalOrder(m: Method, problem: 'osc' | 'kepler'): number {
  const b = baseSteps[problem][m.order];
  const dts: number[] = [];
  const errs: number[] = [];
  for (const N of [b, 1.5 * b, 2 * b, 3 * b, 4 * b].map(Math.round)) {
    const x0 = problem === 'osc' ? Float64Array.of(1, 0.5) : keplerX0(0.6);
    const exact = problem === 'osc' ? oscillatorExact(T, 1, 0.5) : keplerExact(T, 0.6);
    const r = integrate(m, problem === 'osc' ? oscillator : kepler, {
      x0,
      dt: T / N,
      steps: N,
      saveEvery: N,
      adaptive: false,
    });
    dts.push(T / N);
    errs.push(maxAbsDiff(r.final, exact));
  }
  return fitOrder(dts, errs);
}

describe('integrate (float64)', () => {
  it.each(Object.entries(methods))(
    '%s shows its nominal order on the harmonic oscillator and on Kepler (e = 0.6)',
    (_n, m) => {
      expect(Math.abs(empiricalOrder(m, 'osc') - m.order)).toBeLessThan(0.3);
      expect(Math.abs(empiricalOrder(m, 'kepler') - m.order)).toBeLessThan(0.3);
    },
  );

  it('leapfrog keeps the Kepler (e = 0.6) energy error bounded over 1e6 steps while rk4 drifts', () => {
    const window = (series: Float64Array) => {
      const w = Math.floor(series.length / 10);
      return [Math.max(...series.subarray(1, w)), Math.max(...series.subarray(series.length - w))];
    };
    const lf = integrate('leapfrog', kepler, {
      x0: keplerX0(0.6),
      dt: 0.01,
      steps: 1_000_000,
      saveEvery: 100,
    });
    const [lfFirst, lfLast] = window(energyError(kepler, lf.x).series);
    expect(lfLast).toBeLessThan(1.05 * lfFirst); // no secular growth over ~1600 orbits
    expect(lfLast).toBeLessThan(2e-4);
    const rk = integrate('rk4', kepler, { x0: keplerX0(0.6), dt: 0.01, steps: 100_000, saveEvery: 100 });
    const [rkFirst, rkLast] = window(energyError(kepler, rk.x).series);
    expect(rkLast).toBeGreaterThan(5 * rkFirst); // linear drift
  });

  it('higher-order symplectic methods keep the Kepler energy error bounded over 1e5 steps', () => {
    for (const name of ['forestRuth', 'blanesMoan4', 'yoshida6', 'kahanLi8'] as const) {
      const r = integrate(name, kepler, { x0: keplerX0(0.6), dt: 0.01, steps: 100_000, saveEvery: 100 });
      const s = energyError(kepler, r.x).series;
      const w = s.length / 10;
      expect(Math.max(...s.subarray(s.length - w))).toBeLessThan(1.1 * Math.max(...s.subarray(1, w)) + 1e-13);
    }
  });

  it('dormandPrince54 meets its tolerance on Kepler (e = 0.6) over one orbit and dense output hits saveAt times', () => {
    for (const rtol of [1e-6, 1e-8, 1e-10]) {
      const saveAt = [0, 0.5, 1.7, Math.PI, 5, 2 * Math.PI];
      const r = integrate('dormandPrince54', kepler, {
        x0: keplerX0(0.6),
        t1: 2 * Math.PI,
        rtol,
        atol: rtol,
        saveAt,
      });
      expect(r.status).toBe('ok');
      expect(Array.from(r.t)).toEqual(saveAt);
      const errs = saveAt.map((t, k) =>
        maxAbsDiff(
          [0, 1, 2, 3].map((i) => r.x.get(k, i)),
          keplerExact(t, 0.6),
        ),
      );
      // Local error control: the global error tracks rtol, within a small factor over the first half-orbit
      // and within the growth of the phase error through the pericentre passage at the end.
      expect(Math.max(...errs.slice(0, 4))).toBeLessThan(30 * rtol);
      expect(Math.max(...errs)).toBeLessThan(1000 * rtol);
      expect(Math.max(...errs)).toBeGreaterThan(rtol / 100); // the tolerance is actually used
      expect(r.rejected).toBeLessThan(r.steps);
    }
  });

  it('lands exactly on t1 with a shortened last step and integrates backwards with a negative dt', () => {
    const r = integrate('rk4', oscillator, { x0: Float64Array.of(1, 0), dt: 0.3, t1: 1 });
    expect(r.t.length).toBe(5);
    [0, 0.3, 0.6, 0.9, 1].forEach((t, k) => expect(r.t[k]).toBeCloseTo(t, 14));
    expect(r.t[4]).toBe(1);
    expect(maxAbsDiff(r.final, oscillatorExact(1, 1, 0))).toBeLessThan(1e-3);
    const back = integrate('rk4', oscillator, { x0: oscillatorExact(1, 1, 0), dt: -0.01, t0: 1, t1: 0 });
    expect(maxAbsDiff(back.final, [1, 0])).toBeLessThan(1e-9);
  });

  it('integrates a batch given as an ndarray [batch, dim] into [batch, time, dim]', () => {
    const x0 = ndarray(Float64Array.of(1, 0, 0, 1, 2, 2), [3, 2]);
    const r = integrate('forestRuth', oscillator, { x0, dt: 0.1, steps: 10, saveEvery: 5 });
    expect(r.x.shape).toEqual([3, 3, 2]);
    const ex = oscillatorExact(1, 2, 2);
    expect(Math.abs(r.x.get(2, 2, 0) - ex[0])).toBeLessThan(1e-4);
    expect(Math.abs(r.x.get(2, 2, 0) - r.x.get(0, 2, 0) * 2)).toBeGreaterThan(0.1); // rows differ
    expect(r.final.length).toBe(6);
  });

  it('integrates a hamiltonian() system with the gradient from dual numbers exactly like one with its gradient', () => {
    const H = hamiltonian({ H: (x, s) => s.sub(s.scale(s.mul(x[1], x[1]), 0.5), s.cos(x[0])) });
    const Hd = hamiltonian({
      H: (x, s) => s.sub(s.scale(s.mul(x[1], x[1]), 0.5), s.cos(x[0])),
      dH: (x) => Float64Array.of(Math.sin(x[0]), x[1]),
    });
    const a = integrate('gaussLegendre4', H, { x0: Float64Array.of(2, 0), dt: 0.05, steps: 200 });
    const b = integrate('gaussLegendre4', Hd, { x0: Float64Array.of(2, 0), dt: 0.05, steps: 200 });
    expect(maxAbsDiff(a.final, b.final)).toBeLessThan(1e-13);
    expect(energyError(H, a.x).maxDrift).toBeLessThan(1e-4);
  });

  it('accepts a plain-number energy when the gradient is given, and explains when it is not', () => {
    const withGrad = hamiltonian({
      H: (x: Float64Array) => 0.5 * (x[0] * x[0] + x[1] * x[1]),
      dH: (x) => x.slice(),
    });
    const r = integrate('gaussLegendre4', withGrad, { x0: Float64Array.of(1, 0), dt: 0.1, steps: 10 });
    expect(energyError(withGrad, r.x).maxDrift).toBeLessThan(1e-12);
    const noGrad = hamiltonian({ H: (x: Float64Array) => 0.5 * (x[0] * x[0] + x[1] * x[1]) });
    expect(() =>
      integrate('gaussLegendre4', noGrad, { x0: Float64Array.of(1, 0), dt: 0.1, steps: 10 }),
    ).toThrow(/must be written with ScalarOps/);
  });

  it('integrates a firstOrder() system (exponential decay) with rk4 to its order', () => {
    const decay = firstOrder({ f: (x) => Float64Array.of(-x[0]) });
    const r = integrate('rk4', decay, { x0: Float64Array.of(1), dt: 0.1, t1: 1 });
    expect(Math.abs(r.final[0] - Math.exp(-1))).toBeLessThan(1e-6);
  });

  it('differentiates separable energies by dual numbers when the gradients are omitted', () => {
    const energyOnly = separable({ T: kepler.T, V: kepler.V });
    const a = integrate('yoshida6', energyOnly, { x0: keplerX0(0.6), dt: 0.01, steps: 300 });
    const b = integrate('yoshida6', kepler, { x0: keplerX0(0.6), dt: 0.01, steps: 300 });
    expect(maxAbsDiff(a.final, b.final)).toBeLessThan(1e-13);
  });
});

describe('integrate: bad inputs give clear errors', () => {
  const x0 = keplerX0(0.6);
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(IntegratorError);
      return [(e as IntegratorError).code, (e as Error).message];
    }
    throw new Error('no error thrown');
  };

  it('rejects dt = 0, NaN, Infinity and a missing dt', () => {
    for (const dt of [0, NaN, Infinity, undefined]) {
      const [c, msg] = code(() => integrate('leapfrog', kepler, { x0, dt, steps: 10 }));
      expect(c).toBe('INVALID_ARGUMENT');
      expect(msg).toMatch(/integrate\(\): argument 'dt' must be a finite non-zero number, got/);
    }
  });

  it('rejects t1 < t0 without a negative dt, and a positive t1 - t0 with a negative dt', () => {
    expect(code(() => integrate('rk4', kepler, { x0, dt: 0.1, t0: 1, t1: 0 }))[1]).toMatch(
      /needs a negative dt/,
    );
    expect(code(() => integrate('rk4', kepler, { x0, dt: -0.1, t1: 1 }))[0]).toBe('INVALID_ARGUMENT');
  });

  it('rejects an unknown method naming the valid ones', () => {
    const [c, msg] = code(() => integrate('rk5' as never, kepler, { x0, dt: 0.1, steps: 1 }));
    expect(c).toBe('UNKNOWN_METHOD');
    expect(msg).toMatch(/got 'rk5'/);
    expect(msg).toMatch(/leapfrog/);
  });

  it('rejects mismatched shapes: odd state length, a gradient of the wrong length, a 3-D ndarray', () => {
    expect(
      code(() => integrate('leapfrog', kepler, { x0: Float64Array.of(1, 2, 3), dt: 0.1, steps: 1 }))[0],
    ).toBe('SHAPE_MISMATCH');
    const wrong = separable({ dTdp: (p) => p, dVdq: () => Float64Array.of(1) });
    const [c, msg] = code(() => integrate('rk4', wrong, { x0, dt: 0.1, steps: 1 }));
    expect(c).toBe('SHAPE_MISMATCH');
    expect(msg).toMatch(/derivative has shape \[3\] but x0 has shape \[4\]/);
    expect(
      code(() =>
        integrate('rk4', kepler, { x0: ndarray(new Float64Array(8), [1, 2, 4]) as never, dt: 0.1, steps: 1 }),
      )[0],
    ).toBe('SHAPE_MISMATCH');
  });

  it('rejects a splitting method on a non-separable system and x0 of the wrong type', () => {
    const H = hamiltonian({ H: (x, s) => s.mul(x[0], x[1]) });
    expect(code(() => integrate('leapfrog', H, { x0: Float64Array.of(1, 1), dt: 0.1, steps: 1 }))[0]).toBe(
      'UNSUPPORTED',
    );
    expect(
      code(() => integrate('leapfrog', kepler, { x0: [1, 0, 0, 1] as never, dt: 0.1, steps: 1 }))[0],
    ).toBe('INVALID_ARGUMENT');
  });
});

describe('integrate: numerical failure is a value', () => {
  const blowUp = firstOrder({ f: (x) => Float64Array.of(x[0] * x[0]) }); // x' = x^2 from 1 blows up at t = 1

  it('stops at the first non-finite state with status and step index when throwOnFailure is false', () => {
    const r = integrate('euler', blowUp, {
      x0: Float64Array.of(1),
      dt: 0.25,
      steps: 100,
      throwOnFailure: false,
    });
    expect(r.status).toBe('non-finite');
    expect(r.failedStep).toBeGreaterThan(3);
    expect(r.failedStep).toBeLessThan(20);
    expect(r.x.shape[0]).toBe(r.failedStep! + 1); // the states before the failure are kept
    expect(Number.isFinite(r.x.get(r.x.shape[0] - 1, 0))).toBe(true);
  });

  it('throws NON_FINITE with the step index when throwOnFailure is true', () => {
    try {
      integrate('euler', blowUp, { x0: Float64Array.of(1), dt: 0.25, steps: 100, throwOnFailure: true });
      throw new Error('no error thrown');
    } catch (e) {
      expect((e as IntegratorError).code).toBe('NON_FINITE');
      expect((e as IntegratorError).step).toBeGreaterThan(3);
      expect((e as Error).message).toMatch(/non-finite at step \d+/);
    }
  });

  it('reports a failed implicit solve as not-converged', () => {
    const r = integrate('gaussLegendre6', kepler, {
      x0: keplerX0(0.6),
      dt: 0.5,
      steps: 10,
      maxIterations: 3,
      throwOnFailure: false,
    });
    expect(r.status).toBe('not-converged');
    expect(r.failedStep).toBe(0);
    expect(() =>
      integrate('gaussLegendre6', kepler, {
        x0: keplerX0(0.6),
        dt: 0.5,
        steps: 10,
        maxIterations: 3,
        throwOnFailure: true,
      }),
    ).toThrow(/did not converge at step 0/);
  });

  it('reports max-iterations when the adaptive step cap is hit', () => {
    const r = integrate('dormandPrince54', kepler, {
      x0: keplerX0(0.6),
      t1: 100,
      rtol: 1e-12,
      maxSteps: 50,
      throwOnFailure: false,
    });
    expect(r.status).toBe('max-iterations');
  });
});
