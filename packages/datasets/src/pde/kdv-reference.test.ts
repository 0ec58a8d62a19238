import { describe, expect, it } from 'vitest';
import { solveAdvection2d } from './advection';
import { solveBurgers1d } from './burgers';
import { solveBurgersSine } from './burgers-exact';
import { kdvSoliton, solveKdvReference } from './kdv-reference';
import { pinnProjPresets, solvePinnProjPreset } from './presets';

const gauss = (x: number) => Math.exp(-((x - 1) ** 2));
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return e;
};
const relL2 = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
};

describe('KdV references of stated problems', () => {
  it('the whole-line solver reproduces the exact KdV soliton on the box to 1e-7', () => {
    const opt = { speed: 0.5, dispersion: 0.0025, x0: 0.5 };
    const s = solveKdvReference((x) => kdvSoliton(x, 0, opt), { dispersion: 0.0025, problem: 'whole-line' });
    let e = 0;
    for (let k = 0; k < s.t.length; k++)
      for (let j = 0; j < 256; j++)
        e = Math.max(e, Math.abs(s.u[k * 256 + j] - kdvSoliton(s.x[j], s.t[k], opt)));
    expect(e).toBeLessThan(1e-7); // measured 4.3e-9
  });

  it('the whole-line Gaussian solution is converged in domain width, Fourier spacing and time step', () => {
    const times = [0, 0.5, 0.99];
    const base = { dispersion: 0.0025, problem: 'whole-line', times } as const;
    const a = solveKdvReference(gauss, base);
    expect(maxDiff(a.u, solveKdvReference(gauss, { ...base, width: 64 }).u)).toBeLessThan(1e-12);
    expect(maxDiff(a.u, solveKdvReference(gauss, { ...base, refine: 2 }).u)).toBeLessThan(1e-9);
    expect(maxDiff(a.u, solveKdvReference(gauss, { ...base, dtMax: 0.0008 }).u)).toBeLessThan(1e-9);
    // mass of the whole line is invariant; the box's is not (material leaves through x = 2)
    expect(Math.abs(a.conserved.wideMass[2] - Math.sqrt(Math.PI))).toBeLessThan(1e-12);
    expect(a.conserved.mass[2] / a.conserved.mass[0]).toBeLessThan(0.88);
  });

  it('the kdv preset is the whole-line solution: u(2, 0.99) = 1.08, and the old Neumann FD preset is 14% away', () => {
    const ref = solvePinnProjPreset('kdv');
    expect(ref.u[99 * 256 + 255]).toBeCloseTo(1.082, 3);
    expect(pinnProjPresets.kdv.conserved).toBe(false);
    const old = solvePinnProjPreset('kdv', { solver: 'fd' });
    expect(relL2(old.u, ref.u)).toBeGreaterThan(0.14);
    expect(old.u[99 * 256 + 255]).toBeLessThan(0.4);
  });

  it('the periodic KdV reference converges under refinement and keeps the integrals of u and u^2', () => {
    const times = [0, 0.5, 0.99];
    const init = pinnProjPresets.kdvPeriodic.initial;
    const a = solveKdvReference(init, { dispersion: 0.0025, problem: 'periodic', times });
    const b = solveKdvReference(init, {
      dispersion: 0.0025,
      problem: 'periodic',
      times,
      refine: 4,
      dtMax: 4e-4,
    });
    expect(relL2(a.u, b.u)).toBeLessThan(1e-7); // measured 4.8e-9
    expect(Math.abs(a.conserved.mass[2])).toBeLessThan(1e-12);
    expect(Math.abs(a.conserved.l2[2] - a.conserved.l2[0])).toBeLessThan(1e-8);
  });
});

describe('Burgers and 2D advection references', () => {
  it('the Cole–Hopf Burgers solution is converged in its quadrature and matches an independent FD solve', () => {
    const times = [0, 0.3, 0.99];
    const a = solveBurgersSine({ times });
    expect(maxDiff(a.u, solveBurgersSine({ times, density: 100 }).u)).toBeLessThan(1e-10);
    const fd = (r: number) =>
      solveBurgers1d((x) => Math.sin(Math.PI * x), {
        viscosity: 0.01 / Math.PI,
        boundary: 'periodic',
        points: 256 * r,
        times,
      });
    const err = (r: number) => {
      const f = fd(r);
      return maxDiff(
        Float64Array.from({ length: 256 }, (_, j) => f.u[2 * 256 * r + j * r + (r - 1) / 2]),
        a.u.subarray(2 * 256),
      );
    };
    const e3 = err(3);
    const e9 = err(9);
    expect(e9).toBeLessThan(5e-4); // measured 2.9e-4
    expect(e3 / e9).toBeGreaterThan(7); // second order: 9
    expect(Math.abs(a.conserved.mass[2])).toBeLessThan(1e-12);
  });

  it('the 2D advection preset is the whole-plane translate: an FD solve on a wide periodic domain converges to it', () => {
    const ex = solvePinnProjPreset('advection2d');
    expect(pinnProjPresets.advection2d.conserved).toBe(false);
    const init = pinnProjPresets.advection2d.initial;
    const err = (r: number) => {
      const n = 32 * r * 6;
      const s = solveAdvection2d(init, {
        domain: [-5, 7],
        points: [n, n],
        velocity: [0.25, 0.25],
        boundary: 'periodic',
        times: [0, 0.99],
      });
      let e = 0;
      const off = 5 * 16 * r + (r - 1) / 2; // fine index of box cell 0
      for (let i = 0; i < 32; i++)
        for (let j = 0; j < 32; j++)
          e = Math.max(e, Math.abs(s.u[(n + off + i * r) * n + off + j * r] - ex.u[(99 * 32 + i) * 32 + j]));
      return e;
    };
    const e1 = err(1);
    const e3 = err(3);
    expect(e1).toBeLessThan(2e-5); // measured 6.9e-6 on [-7, 9]
    expect(e1 / e3).toBeGreaterThan(27); // 4th-order scheme: 81
    // the former Neumann FD preset solves another problem (inflow u_x = 0): 3% away
    expect(relL2(solvePinnProjPreset('advection2d', { solver: 'fd' }).u, ex.u)).toBeGreaterThan(0.02);
  });
});
