import { describe, expect, it } from 'vitest';
import { DatasetsError } from '../errors';
import { solveAdvection1d, solveAdvection2d } from './advection';
import { solveBurgers1d } from './burgers';
import { observedOrder } from './convergence.test-util';
import { solveHeat1d, solveReactionDiffusion1d } from './heat';
import { solveKdv1d } from './kdv';
import { solveShallowWater1d } from './shallow-water';
import { solveAllenCahn1d, solveKdvSpectral } from './spectral';
import { solveWave1d } from './wave';

const bump = (x: number) => Math.exp(-8 * (x - 1) ** 2);
const absChange = (a: Float64Array) => Math.max(...Array.from(a, (v) => Math.abs(v - a[0]!)));
const relChange = (a: Float64Array) =>
  Math.max(...Array.from(a, (v) => Math.abs(v - a[0]!) / Math.abs(a[0]!)));

describe('grid solvers', () => {
  it('periodic advection reaches fourth order and matches the exact translate', () => {
    const times = [0, 0.5];
    const solve = (n: number) =>
      solveAdvection1d((x) => Math.sin(Math.PI * x), { points: n, velocity: 1, times, boundary: 'periodic' });
    expect(observedOrder(solve, 16)).toBeGreaterThan(3.7);
    const s = solve(128);
    const err = Math.max(
      ...Array.from(s.x, (x, i) => Math.abs(s.u[128 + i]! - Math.sin(Math.PI * (x - 0.5)))),
    );
    expect(err).toBeLessThan(1e-5);
  });

  it('zero-flux advection conserves the integral of u to round-off', () => {
    const s = solveAdvection1d(bump, { points: 128, velocity: 0.7, times: [0, 0.5, 1.5] });
    expect(relChange(s.conserved.mass!)).toBeLessThan(1e-12);
  });

  it('2D advection moves a periodic bump to its exact place and keeps the mass', () => {
    const s = solveAdvection2d((x, y) => Math.sin(Math.PI * x) * Math.cos(Math.PI * y) + 2, {
      points: [32, 32],
      velocity: [0.25, 0.5],
      times: [0, 1],
      boundary: 'periodic',
    });
    let err = 0;
    for (let i = 0; i < 32; i++)
      for (let j = 0; j < 32; j++) {
        const exact = Math.sin(Math.PI * (s.x[i]! - 0.25)) * Math.cos(Math.PI * (s.y![j]! - 0.5)) + 2;
        err = Math.max(err, Math.abs(s.u[1024 + i * 32 + j]! - exact));
      }
    expect(err).toBeLessThan(2e-4);
    expect(relChange(s.conserved.mass!)).toBeLessThan(1e-12);
  });

  it('the wave solver reaches fourth order with Neumann walls and keeps the mass', () => {
    const times = [0, 0.6];
    const solve = (n: number) =>
      solveWave1d((x) => Math.cos(Math.PI * x) + 0.5 * Math.cos(2 * Math.PI * x), {
        points: n,
        speed: 1,
        times,
      });
    expect(observedOrder(solve, 16)).toBeGreaterThan(3.6);
    const s = solve(64);
    expect(absChange(s.conserved.mass!)).toBeLessThan(1e-12);
    expect(relChange(s.conserved.energy!)).toBeLessThan(1e-3);
  });

  it('the heat solver reaches orders 2 and 4 and keeps the mass with adiabatic walls', () => {
    const times = [0, 0.05];
    for (const order of [2, 4] as const) {
      const solve = (n: number) =>
        solveHeat1d((x) => Math.cos(Math.PI * x) + bump(x), { points: n, diffusivity: 1, times, order });
      expect(observedOrder(solve, 12)).toBeGreaterThan(order - 0.3);
    }
    const s = solveHeat1d(bump, { points: 64, diffusivity: 0.3, times: [0, 0.1, 1] });
    expect(relChange(s.conserved.mass!)).toBeLessThan(1e-12);
  });

  it('reaction–diffusion mass grows exactly as e^{r t}', () => {
    const s = solveReactionDiffusion1d(bump, {
      points: 64,
      diffusivity: 0.1,
      rate: 0.5,
      times: [0, 0.5, 0.99],
    });
    expect(relChange(s.conserved.massScaled!)).toBeLessThan(1e-11);
    expect(s.conserved.mass![2]! / s.conserved.mass![0]!).toBeCloseTo(Math.exp(0.495), 10);
  });

  it('viscous Burgers reaches second order and conserves mass', () => {
    const times = [0, 0.3];
    const solve = (n: number) =>
      solveBurgers1d((x) => Math.sin(Math.PI * x) + 0.5, {
        points: n,
        viscosity: 0.05,
        times,
        boundary: 'periodic',
      });
    expect(observedOrder(solve, 16)).toBeGreaterThan(1.8);
    const z = solveBurgers1d(bump, { points: 64, viscosity: 0.02, times: [0, 0.5] });
    expect(relChange(z.conserved.mass!)).toBeLessThan(1e-12);
  });

  it('finite-difference KdV reaches second order and keeps mass and the integral of u^2 when periodic', () => {
    const times = [0, 0.2];
    const solve = (n: number) =>
      solveKdv1d((x) => Math.cos(Math.PI * x), { points: n, dispersion: 0.01, times, boundary: 'periodic' });
    expect(observedOrder(solve, 24)).toBeGreaterThan(1.8);
    const s = solve(64);
    expect(absChange(s.conserved.mass!)).toBeLessThan(1e-12);
    expect(relChange(s.conserved.l2!)).toBeLessThan(1e-7);
  });

  it('shallow water conserves mass and momentum to 1e-12 with periodic boundaries, also through shocks', () => {
    const s = solveShallowWater1d(
      { h: (x) => 1 + 0.5 * Math.exp(-50 * (x - 1) ** 2), velocity: (x) => 0.3 * Math.sin(Math.PI * x) },
      { points: 128, boundary: 'periodic', gravity: 1, times: [0, 0.5, 2] },
    );
    expect(relChange(s.conserved.mass!)).toBeLessThan(1e-12);
    const mom = s.conserved.momentum!;
    expect(Math.max(...Array.from(mom, (v) => Math.abs(v - mom[0]!)))).toBeLessThan(
      1e-12 * s.conserved.mass![0]!,
    );
  });

  it('shallow water reaches its nominal orders: 1 piecewise constant, about 2 with MUSCL', () => {
    const times = [0, 0.1];
    for (const [reconstruction, lo] of [
      ['none', 0.85],
      ['muscl', 1.6],
    ] as const) {
      const solve = (n: number) =>
        solveShallowWater1d(
          { h: (x) => 1 + 0.2 * Math.sin(Math.PI * x), velocity: () => 0.1 },
          { points: n, boundary: 'periodic', gravity: 1, times, reconstruction },
        );
      expect(observedOrder(solve, 20, true)).toBeGreaterThan(lo); // L1 norm of cell averages
    }
  });

  it('reflecting walls keep the shallow-water mass', () => {
    const s = solveShallowWater1d(
      { h: (x) => 1 + 0.3 * Math.exp(-40 * (x - 0.5) ** 2) },
      { points: 64, times: [0, 1, 3] },
    );
    expect(relChange(s.conserved.mass!)).toBeLessThan(1e-12);
  });
});

describe('spectral solvers (ETDRK4)', () => {
  const delta = 0.0025;
  const c = 1;
  const soliton = (x: number, t: number) => {
    // u = 3c sech^2(sqrt(c / delta) (x - x0 - c t) / 2), periodised over [0, 2] (tails below 1e-16)
    let s = 0;
    for (const shift of [-2, 0, 2])
      s += (3 * c) / Math.cosh((Math.sqrt(c / delta) * (x - 0.6 - c * t + shift)) / 2) ** 2;
    return s;
  };

  it('KdV keeps the integral of u^2 to 1e-8 over t in [0, 1] and tracks the exact soliton', () => {
    const s = solveKdvSpectral((x) => soliton(x, 0), {
      points: 256,
      dispersion: delta,
      times: [0, 0.25, 0.5, 0.75, 1],
    });
    expect(relChange(s.conserved.l2!)).toBeLessThan(1e-8);
    expect(relChange(s.conserved.mass!)).toBeLessThan(1e-12);
    const err = Math.max(...Array.from(s.x, (x, i) => Math.abs(s.u[4 * 256 + i]! - soliton(x, 1))));
    expect(err).toBeLessThan(1e-4);
  });

  it('KdV ETDRK4 is fourth order in time', () => {
    const errs = [2e-3, 1e-3].map((dtMax) => {
      const s = solveKdvSpectral((x) => soliton(x, 0), {
        points: 128,
        dispersion: delta,
        times: [0, 0.2],
        dtMax,
      });
      const ref = solveKdvSpectral((x) => soliton(x, 0), {
        points: 128,
        dispersion: delta,
        times: [0, 0.2],
        dtMax: 1e-4,
      });
      return Math.max(...Array.from(s.x, (_, i) => Math.abs(s.u[128 + i]! - ref.u[128 + i]!)));
    });
    expect(Math.log2(errs[0]! / errs[1]!)).toBeGreaterThan(3.6);
  });

  it('mass-conserving Allen–Cahn keeps the mass to round-off; the standard one does not; energy decreases', () => {
    const init = (x: number) => 0.3 + 0.5 * Math.sin(Math.PI * x) + 0.2 * Math.cos(3 * Math.PI * x);
    const times = [0, 0.5, 1, 2];
    const mc = solveAllenCahn1d(init, { points: 128, epsilon: 0.05, massConserving: true, times, dt: 0.01 });
    expect(relChange(mc.conserved.mass!)).toBeLessThan(1e-12);
    const st = solveAllenCahn1d(init, { points: 128, epsilon: 0.05, times, dt: 0.01 });
    expect(relChange(st.conserved.mass!)).toBeGreaterThan(1e-3);
    for (const s of [mc, st]) {
      const e = s.conserved.energy!;
      for (let k = 1; k < e.length; k++) expect(e[k]!).toBeLessThan(e[k - 1]!);
    }
  });

  it('Allen–Cahn ETDRK4 is fourth order in time', () => {
    const init = (x: number) => 0.5 * Math.sin(Math.PI * x);
    const run = (dt: number) => solveAllenCahn1d(init, { points: 64, epsilon: 0.1, times: [0, 1], dt });
    const ref = run(1e-3);
    const err = (s: ReturnType<typeof run>) =>
      Math.max(...Array.from(s.x, (_, i) => Math.abs(s.u[64 + i]! - ref.u[64 + i]!)));
    expect(Math.log2(err(run(0.1)) / err(run(0.05)))).toBeGreaterThan(3.6);
  });
});

describe('argument checks', () => {
  it('rejects bad options with errors that name the function and the argument', () => {
    expect(() => solveHeat1d(bump, { diffusivity: -1 })).toThrow(/solveHeat1d\(\): argument 'diffusivity'/);
    expect(() => solveKdvSpectral(bump, { dispersion: 0.01, points: 100 })).toThrow(/power of two/);
    expect(() => solveAdvection1d([1, 2, 3], { velocity: 1, points: 8 })).toThrow(DatasetsError);
    expect(() => solveWave1d(bump, { speed: 1, times: [0.5, 0.2] })).toThrow(/times/);
  });

  it('reports a blow-up as a status value or throws when asked', () => {
    const opts = { points: 32, diffusivity: 1, times: [0, 2], dtMax: 0.01 };
    expect(() => solveHeat1d(bump, { ...opts, throwOnFailure: true })).toThrow(/non-finite/);
    const s = solveHeat1d(bump, opts);
    expect(s.status).toBe('non-finite');
  });
});
