import { describe, expect, it } from 'vitest';
import { createStepper } from './create-stepper';
import { IntegratorError } from './errors';
import { integrate } from './integrate';
import { separable } from './systems';
import { kepler, keplerX0 } from './test-problems';

/** Reference: one `step` call at a time, a snapshot after each step, finiteness checked after each step. */
function stepByStep(
  method: 'forestRuth' | 'leapfrogKDK',
  system: typeof kepler,
  x0: Float64Array,
  n: number,
) {
  const stepper = createStepper(method, system);
  let state = stepper.init(x0);
  const states = [stepper.snapshot(state)];
  for (let k = 0; k < n; k++) {
    state = stepper.step(state, k * 0.01, 0.01).state;
    const x = stepper.snapshot(state);
    if (!x.every(Number.isFinite)) return { states, failedStep: k, evaluations: stepper.system.evaluations };
    states.push(x);
  }
  return { states, failedStep: undefined, evaluations: stepper.system.evaluations };
}

/** Free flight q(t) = q0 + t p0 whose force turns infinite once q[0] passes `wall`. */
const wallAt = (wall: number) =>
  separable({
    dTdp: (p) => p,
    dVdq: (q, out = new Float64Array(q.length)) => {
      out.fill(q[0] > wall ? Infinity : 0);
      return out;
    },
  });

describe('createStepper: float64 splitting fast path', () => {
  it.each(['forestRuth', 'leapfrogKDK'] as const)(
    '%s through integrate (whole chunks per call) is bit-identical to stepping one step at a time',
    (method) => {
      const n = 300;
      const ref = stepByStep(method, kepler, keplerX0(0.6), n);
      for (const saveEvery of [1, 7, n]) {
        const r = integrate(method, kepler, { x0: keplerX0(0.6), dt: 0.01, steps: n, saveEvery });
        for (let k = 0; k < r.x.shape[0]; k++) {
          const s = Math.min(k * saveEvery, n);
          for (let i = 0; i < 4; i++) expect(r.x.get(k, i)).toBe(ref.states[s][i]);
        }
        expect(Array.from(r.final)).toEqual(Array.from(ref.states[n]));
        expect(r.evaluations).toBe(ref.evaluations);
      }
    },
  );

  it.each(['forestRuth', 'leapfrogKDK'] as const)(
    '%s reports the exact step at which the state becomes non-finite, inside a long unchecked chunk',
    (method) => {
      const system = wallAt(1.2345);
      const x0 = Float64Array.of(0, 0, 1, 0.5); // q = (0, 0), p = (1, 0.5): q[0] = t passes 1.2345 near step 123
      const ref = stepByStep(method, system, x0, 1000);
      expect(ref.failedStep).toBeGreaterThan(100);
      expect(ref.failedStep).toBeLessThan(140);
      const r = integrate(method, system, {
        x0,
        dt: 0.01,
        steps: 1000,
        saveEvery: 50,
        throwOnFailure: false,
      });
      expect(r.status).toBe('non-finite');
      expect(r.failedStep).toBe(ref.failedStep);
      expect(r.message).toMatch(new RegExp(`non-finite at step ${ref.failedStep} `));
      expect(r.x.shape[0]).toBe(Math.floor(ref.failedStep! / 50) + 1); // saves up to the failure
      expect(r.final.some((v) => !Number.isFinite(v))).toBe(true);
      expect(r.evaluations).toBe(ref.evaluations);
      let thrown: unknown;
      try {
        integrate(method, system, { x0, dt: 0.01, steps: 1000, saveEvery: 1000, throwOnFailure: true });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(IntegratorError);
      expect((thrown as IntegratorError).step).toBe(ref.failedStep);
    },
  );

  it('calls onProgress after every step and ends on t1 when the last step is shorter', () => {
    const seen: number[] = [];
    const r = integrate('forestRuth', kepler, {
      x0: keplerX0(0.6),
      dt: 0.1,
      t1: 1.05,
      onProgress: ({ step, total, t }) => {
        seen.push(step, t);
        expect(total).toBe(11);
      },
    });
    expect(r.steps).toBe(11);
    expect(seen.filter((_, i) => i % 2 === 0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(seen[seen.length - 1]).toBe(1.05);
    expect(r.t[r.t.length - 1]).toBe(1.05);
  });

  it('stops with status stopped (never thrown) when onProgress returns false', () => {
    const full = integrate('forestRuth', kepler, { x0: keplerX0(0.6), dt: 0.1, steps: 20 });
    const r = integrate('forestRuth', kepler, {
      x0: keplerX0(0.6),
      dt: 0.1,
      steps: 20,
      throwOnFailure: true,
      onProgress: ({ step }) => step < 7,
    });
    expect(r.status).toBe('stopped');
    expect(r.steps).toBe(7);
    expect(r.failedStep).toBeUndefined();
    expect(Array.from(r.t)).toEqual(Array.from(full.t.subarray(0, 8)));
    expect(Array.from(r.final)).toEqual(Array.from({ length: 4 }, (_, i) => full.x.get(7, i)));
    const adaptive = integrate('dormandPrince54', kepler, {
      x0: keplerX0(0.6),
      t1: 10,
      onProgress: ({ step, total }) => {
        expect(total).toBeUndefined();
        return step < 3;
      },
    });
    expect(adaptive.status).toBe('stopped');
    expect(adaptive.steps).toBe(3);
  });
});
