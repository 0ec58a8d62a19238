import { describe, expect, it } from 'vitest';
import { energyError, reversibilityError, symplecticityError } from './diagnostics';
import { integrate } from './integrate';
import { hamiltonian, separable } from './systems';
import { kepler, keplerX0 } from './test-problems';

const x0 = keplerX0(0.6);

describe('conservation diagnostics', () => {
  it('leapfrog is time-reversible to 1e-12 on Kepler (e = 0.6) over 1000 steps', () => {
    expect(reversibilityError('leapfrog', kepler, { x0, dt: 0.01, steps: 1000 })).toBeLessThan(1e-12);
    expect(reversibilityError('leapfrogKDK', kepler, { x0, dt: 0.01, steps: 1000 })).toBeLessThan(1e-12);
  });

  it('a non-symmetric method (symplectic Euler) and rk4 are not time-reversible', () => {
    expect(reversibilityError('symplecticEulerA', kepler, { x0, dt: 0.01, steps: 1000 })).toBeGreaterThan(
      1e-4,
    );
    expect(reversibilityError('rk4', kepler, { x0, dt: 0.01, steps: 1000 })).toBeGreaterThan(1e-8);
  });

  it.each([
    'symplecticEulerA',
    'leapfrog',
    'ruth3',
    'forestRuth',
    'mclachlan4',
    'blanesMoan4',
    'yoshida6',
    'kahanLi6',
    'mclachlan8',
    'kahanLi8',
  ] as const)('%s has a symplecticity error below 1e-10 on Kepler (e = 0.6)', (m) => {
    expect(symplecticityError(m, kepler, { x0, dt: 0.02, steps: 50 }).error).toBeLessThan(1e-10);
  });

  it.each(['implicitMidpoint', 'gaussLegendre4', 'gaussLegendre6'] as const)(
    '%s has a symplecticity error below 1e-10 on a non-separable Hamiltonian',
    (m) => {
      // H = p^2/2 (1 + q^2/4) - cos q: the implicit solve is differentiated through its iterations.
      const H = hamiltonian({
        H: (x, s) =>
          s.sub(
            s.mul(s.scale(s.mul(x[1], x[1]), 0.5), s.add(s.constant(1), s.scale(s.mul(x[0], x[0]), 0.25))),
            s.cos(x[0]),
          ),
      });
      expect(
        symplecticityError(m, H, { x0: Float64Array.of(1, 0.5), dt: 0.1, steps: 30 }).error,
      ).toBeLessThan(1e-10);
    },
  );

  it('rk4 and euler are measurably not symplectic', () => {
    expect(symplecticityError('rk4', kepler, { x0, dt: 0.02, steps: 50 }).error).toBeGreaterThan(1e-7);
    expect(symplecticityError('euler', kepler, { x0, dt: 0.02, steps: 50 }).error).toBeGreaterThan(1e-2);
  });

  it('the flow-map Jacobian from dual numbers matches central finite differences', () => {
    const { jacobian } = symplecticityError('forestRuth', kepler, { x0, dt: 0.02, steps: 20 });
    const eps = 1e-6;
    for (let j = 0; j < 4; j++) {
      const a = x0.slice();
      const b = x0.slice();
      a[j] += eps;
      b[j] -= eps;
      const fa = integrate('forestRuth', kepler, { x0: a, dt: 0.02, steps: 20 }).final;
      const fb = integrate('forestRuth', kepler, { x0: b, dt: 0.02, steps: 20 }).final;
      for (let i = 0; i < 4; i++) expect(jacobian[i * 4 + j]).toBeCloseTo((fa[i] - fb[i]) / (2 * eps), 6);
    }
  });

  it('needs differentiable energies for the symplecticity error', () => {
    const gradientsOnly = separable({ dTdp: kepler.dTdp, dVdq: kepler.dVdq });
    expect(() => symplecticityError('leapfrog', gradientsOnly, { x0, dt: 0.01, steps: 1 })).toThrow(
      /needs the energy 'T'/,
    );
  });

  it('energyError reports the relative energy error series and its maximum', () => {
    const r = integrate('leapfrog', kepler, { x0, dt: 0.01, steps: 2000, saveEvery: 10 });
    const e = energyError(kepler, r.x);
    expect(e.initial).toBeCloseTo(-0.5, 14);
    expect(e.series.length).toBe(201);
    expect(e.series[0]).toBe(0);
    expect(e.maxDrift).toBe(Math.max(...e.series));
    expect(e.maxDrift).toBeGreaterThan(1e-6);
    expect(e.maxDrift).toBeLessThan(1e-3);
    expect(() => energyError(separable({ dTdp: kepler.dTdp, dVdq: kepler.dVdq }), r.x)).toThrow(
      /has no energy/,
    );
  });
});
