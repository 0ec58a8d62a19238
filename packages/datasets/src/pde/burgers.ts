import { checkNumber } from '../errors';
import { cellCentres, resolveGrid, sampleInitial, type GridOptions, type PdeSolution } from './pde-solution';
import { runGrid } from './run-grid';
import { fillGhosts } from './stencils';

/** Options of {@link solveBurgers1d}. */
export interface Burgers1dOptions extends GridOptions {
  /** Viscosity nu in u_t + (u^2/2)_x = nu u_xx. */
  viscosity: number;
  /** Courant number max|u| dt / dx of the default step; default 0.4. */
  cfl?: number;
}

/**
 * Viscous Burgers u_t + (u^2/2)_x = nu u_xx in 1D, float64 reference.
 *
 * Scheme: conservative second-order finite volume/difference with the energy-conserving (skew-symmetric)
 * convective face flux (u_{i-1}^2 + u_{i-1} u_i + u_i^2)/6 and the viscous face flux -nu (u_i - u_{i-1})/dx,
 * RK4 in time (dt from the convective and diffusive RK4 limits). Boundaries `periodic` or `zero-flux`
 * (both end-face fluxes zero: the integral of u is conserved to round-off). Nominal order 2. Needs the
 * viscous scale resolved (cell Reynolds number max|u| dx / nu of order 1 or below) to stay oscillation-free.
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options; `NON_FINITE` if the state blows up.
 * @example solveBurgers1d((x) => Math.sin(Math.PI * x), { viscosity: 0.01 / Math.PI, boundary: 'periodic' });
 */
export function solveBurgers1d(
  initial: ((x: number) => number) | ArrayLike<number>,
  options: Burgers1dOptions,
): PdeSolution {
  const fn = 'solveBurgers1d';
  const grid = resolveGrid(fn, options);
  const nu = checkNumber({ fn, name: 'viscosity' }, options.viscosity, { min: 0 });
  const cfl = checkNumber({ fn, name: 'cfl' }, options.cfl ?? 0.4, { positive: true });
  const { points: n, dx, boundary } = grid;
  const x = cellCentres(grid.domain, n);
  const u0 = sampleInitial(fn, initial, x);
  const umax = u0.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const pad = new Float64Array(n + 2);
  const flux = new Float64Array(n + 1);
  const dtConv = umax > 0 ? (cfl * dx) / umax : Infinity;
  const dtVisc = nu > 0 ? (0.9 * 2.78 * dx * dx) / (4 * nu) : Infinity;
  return runGrid({
    fn,
    name: 'burgers1d',
    scheme: `viscous Burgers: 2nd-order conservative skew-symmetric FD, RK4, ${boundary} boundaries`,
    x,
    weights: new Float64Array(n).fill(dx),
    times: grid.times,
    state0: u0,
    rhs(_t, u, out) {
      pad.set(u, 1);
      fillGhosts(pad, 1, boundary);
      for (let f = 0; f <= n; f++) {
        const a = pad[f]!;
        const b = pad[f + 1]!;
        flux[f] = (a * a + a * b + b * b) / 6 - (nu * (b - a)) / dx;
      }
      if (boundary === 'zero-flux') {
        flux[0] = 0;
        flux[n] = 0;
      }
      for (let i = 0; i < n; i++) out[i] = -(flux[i + 1]! - flux[i]!) / dx;
    },
    dtMax: options.dtMax ?? Math.min(dtConv, dtVisc, 1),
    throwOnFailure: grid.throwOnFailure,
  });
}
