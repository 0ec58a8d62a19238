import { checkNumber } from '../errors';
import { createSpectralSpace, etdrk4Outputs, waveNumbers } from './etdrk4';
import {
  cellCentres,
  integrals,
  resolveGrid,
  sampleInitial,
  type GridOptions,
  type PdeSolution,
} from './pde-solution';

/** Options of {@link solveKdvSpectral}. */
export interface KdvSpectralOptions extends Omit<GridOptions, 'boundary'> {
  /** Dispersion delta in u_t + u u_x + delta u_xxx = 0. */
  dispersion: number;
  /** Zero the modes |m| > n/3 of the nonlinear term and of u(x, 0) (Orszag's 2/3 rule); default true. */
  dealias?: boolean;
  /** Courant number max|u| dt / dx of the default step; default 0.2. */
  cfl?: number;
}

function dealiasMask(n: number, on: boolean): Float64Array {
  const mask = new Float64Array(n).fill(1);
  if (on) for (let m = 0; m < n; m++) if (Math.abs(m < n / 2 ? m : m - n) > n / 3) mask[m] = 0;
  return mask;
}

function packSolution(spec: {
  name: string;
  scheme: string;
  x: Float64Array;
  times: Float64Array;
  dx: number;
  u: Float64Array;
  steps: number;
  status: PdeSolution['status'];
  extra: Record<string, Float64Array>;
}): PdeSolution {
  const n = spec.x.length;
  const weights = new Float64Array(n).fill(spec.dx);
  const nt = spec.times.length;
  const mass = new Float64Array(nt);
  const l2 = new Float64Array(nt);
  for (let k = 0; k < nt; k++) [mass[k], l2[k]] = integrals(spec.u, k, weights);
  return {
    name: spec.name,
    scheme: spec.scheme,
    x: spec.x,
    t: spec.times,
    u: spec.u,
    shape: [nt, n],
    weights,
    conserved: { mass, l2, ...spec.extra },
    fields: {},
    steps: spec.steps,
    status: spec.status,
  };
}

/**
 * Periodic KdV u_t + u u_x + delta u_xxx = 0 by the Fourier pseudo-spectral method with ETDRK4 time
 * stepping (the Kassam–Trefethen scheme), float64.
 *
 * In Fourier space v_hat' = L v_hat + N(v_hat) with L = i delta k^3 (exact, treated by the exponential) and
 * N = -(i k / 2) FFT(u^2), dealiased by the 2/3 rule. With dealiasing, mass and the integral of u^2 are
 * invariants of the semi-discrete system, so they drift only by the O(h^4) time error. Nominal order 4 in
 * time, spectral in space. `points` must be a power of two (fft.js).
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options; `NON_FINITE` if the state blows up.
 * @example solveKdvSpectral((x) => Math.cos(Math.PI * x), { dispersion: 0.022 ** 2, points: 256, times: [0, 1] });
 * @see A.-K. Kassam, L. N. Trefethen, SIAM J. Sci. Comput. 26 (2005) 1214–1233; N. J. Zabusky,
 *   M. D. Kruskal, Phys. Rev. Lett. 15 (1965).
 */
export function solveKdvSpectral(
  initial: ((x: number) => number) | ArrayLike<number>,
  options: KdvSpectralOptions,
): PdeSolution {
  const fn = 'solveKdvSpectral';
  const grid = resolveGrid(fn, { ...options, boundary: 'periodic' });
  const delta = checkNumber({ fn, name: 'dispersion' }, options.dispersion, { min: 0 });
  const cfl = checkNumber({ fn, name: 'cfl' }, options.cfl ?? 0.2, { positive: true });
  const { points: n, dx } = grid;
  const space = createSpectralSpace(fn, n);
  const x = cellCentres(grid.domain, n);
  const k = waveNumbers(n, grid.domain[1] - grid.domain[0]);
  const mask = dealiasMask(n, options.dealias ?? true);
  const L = new Float64Array(2 * n);
  for (let m = 0; m < n; m++) L[2 * m + 1] = delta * k[m]! ** 3;
  const u0 = sampleInitial(fn, initial, x);
  const hat = new Float64Array(2 * n);
  space.forward(u0, hat);
  for (let m = 0; m < n; m++) {
    hat[2 * m]! *= mask[m]!;
    hat[2 * m + 1]! *= mask[m]!;
  }
  space.inverse(hat, u0);
  const umax = u0.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const sq = new Float64Array(n);
  const sqHat = new Float64Array(2 * n);
  const nt = grid.times.length;
  const u = new Float64Array(nt * n).fill(NaN);
  const { steps, status } = etdrk4Outputs({
    fn,
    space,
    L,
    nonlinear(_vHat, v, out) {
      for (let i = 0; i < n; i++) sq[i] = v[i]! * v[i]!;
      space.forward(sq, sqHat);
      for (let m = 0; m < n; m++) {
        // -(i k / 2) (a + i b) = (k b / 2) - i (k a / 2)
        const s = 0.5 * k[m]! * mask[m]! * (m === n / 2 ? 0 : 1);
        out[2 * m] = s * sqHat[2 * m + 1]!;
        out[2 * m + 1] = -s * sqHat[2 * m]!;
      }
    },
    u0,
    times: grid.times,
    dtMax: options.dtMax ?? (umax > 0 ? (cfl * dx) / umax : 0.01),
    throwOnFailure: grid.throwOnFailure,
    onOutput: (kk, v) => u.set(v, kk * n),
  });
  return packSolution({
    name: 'kdvSpectral',
    scheme: 'KdV: Fourier pseudo-spectral (2/3 dealiasing), ETDRK4 (Kassam–Trefethen), periodic',
    x,
    times: grid.times,
    dx,
    u,
    steps,
    status,
    extra: {},
  });
}

/** Options of {@link solveAllenCahn1d}. */
export interface AllenCahnOptions extends Omit<GridOptions, 'boundary'> {
  /** Interface width epsilon in u_t = eps^2 u_xx + u - u^3. */
  epsilon: number;
  /** Subtract the spatial mean of u - u^3 (nonlocal Lagrange multiplier): conserves mass; default false. */
  massConserving?: boolean;
  /** Time step; default 1e-3 (ETDRK4 is stable for the stiff diffusion at any step). */
  dt?: number;
}

/**
 * Periodic Allen–Cahn u_t = eps^2 u_xx + u - u^3, standard or mass-conserving
 * (u_t = eps^2 u_xx + f(u) - mean(f(u)), Rubinstein–Sternberg), Fourier pseudo-spectral with ETDRK4
 * (L = -eps^2 k^2, N = FFT(f(u)), whose mean mode is zeroed in the mass-conserving variant so the integral
 * of u is kept to round-off). Monitors: `mass`, `l2`, `energy` = integral of eps^2 u_x^2 / 2 + (u^2 - 1)^2 / 4
 * (non-increasing). Nominal order 4 in time, spectral in space; `points` a power of two.
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options; `NON_FINITE` if the state blows up.
 * @example solveAllenCahn1d((x) => 0.1 * Math.sin(Math.PI * x), { epsilon: 0.05, massConserving: true });
 * @see J. Rubinstein, P. Sternberg, "Nonlocal reaction-diffusion equations and nucleation", IMA J. Appl.
 *   Math. 48 (1992); Kassam & Trefethen (2005).
 */
export function solveAllenCahn1d(
  initial: ((x: number) => number) | ArrayLike<number>,
  options: AllenCahnOptions,
): PdeSolution {
  const fn = 'solveAllenCahn1d';
  const grid = resolveGrid(fn, { ...options, boundary: 'periodic' });
  const eps = checkNumber({ fn, name: 'epsilon' }, options.epsilon, { positive: true });
  const dt = checkNumber({ fn, name: 'dt' }, options.dt ?? options.dtMax ?? 1e-3, { positive: true });
  const conserving = options.massConserving ?? false;
  const { points: n, dx } = grid;
  const space = createSpectralSpace(fn, n);
  const x = cellCentres(grid.domain, n);
  const k = waveNumbers(n, grid.domain[1] - grid.domain[0]);
  const L = new Float64Array(2 * n);
  for (let m = 0; m < n; m++) L[2 * m] = -eps * eps * k[m]! ** 2;
  const f = new Float64Array(n);
  const nt = grid.times.length;
  const u = new Float64Array(nt * n).fill(NaN);
  const energy = new Float64Array(nt);
  const hat = new Float64Array(2 * n);
  const ux = new Float64Array(n);
  const { steps, status } = etdrk4Outputs({
    fn,
    space,
    L,
    nonlinear(_vHat, v, out) {
      for (let i = 0; i < n; i++) f[i] = v[i]! - v[i]! ** 3;
      space.forward(f, out);
      if (conserving) {
        out[0] = 0;
        out[1] = 0;
      }
    },
    u0: sampleInitial(fn, initial, x),
    times: grid.times,
    dtMax: dt,
    throwOnFailure: grid.throwOnFailure,
    onOutput(kk, v) {
      u.set(v, kk * n);
      space.forward(v, hat);
      for (let m = 0; m < n; m++) {
        const s = m === n / 2 ? 0 : k[m]!;
        const re = hat[2 * m]!;
        hat[2 * m] = -s * hat[2 * m + 1]!;
        hat[2 * m + 1] = s * re;
      }
      space.inverse(hat, ux);
      let e = 0;
      for (let i = 0; i < n; i++) e += dx * ((eps * eps * ux[i]! ** 2) / 2 + (v[i]! ** 2 - 1) ** 2 / 4);
      energy[kk] = e;
    },
  });
  return packSolution({
    name: conserving ? 'allenCahnMassConserving' : 'allenCahn',
    scheme: `Allen–Cahn${conserving ? ' (mass-conserving)' : ''}: Fourier pseudo-spectral, ETDRK4, periodic`,
    x,
    times: grid.times,
    dx,
    u,
    steps,
    status,
    extra: { energy },
  });
}
