import { checkNumber } from '../errors';
import { cellCentres, resolveGrid, sampleInitial, type GridOptions, type PdeSolution } from './pde-solution';
import { runGrid } from './run-grid';
import { fillGhosts } from './stencils';

/** Options of {@link solveKdv1d}. */
export interface Kdv1dOptions extends GridOptions {
  /** Dispersion delta in u_t + u u_x + delta u_xxx = 0. */
  dispersion: number;
}

/**
 * Korteweg–de Vries u_t + u u_x + delta u_xxx = 0 in 1D by conservative finite differences (for
 * non-periodic, zero-flux problems; for periodic ones prefer {@link solveKdvSpectral}).
 *
 * Scheme: face flux F = (u_{i-1}^2 + u_{i-1} u_i + u_i^2)/6 + delta (u_{i+1} - u_i - u_{i-1} + u_{i-2})/(2 dx^2),
 * i.e. the skew-symmetric second-order convective term (conserves sum u^2 semi-discretely when periodic) and
 * the second-order central u_xxx; RK4 in time with dt below the RK4 imaginary-axis limit
 * (|lambda| <= 2.6 delta / dx^3 + 2 max|u| / dx). Boundaries: `periodic`; `neumann` (even-mirror ghosts, u_x = u_xxx = 0, the end-face
 * fluxes u^2/2 + delta u_xx computed from them: stable, mass leaves with the flow); or `zero-flux` (also zero
 * flux through both end faces: mass conserved to round-off, but the blocked convective flux piles up at
 * an outflow wall; for the PINN-Proj KdV data this blows up near t = 0.3). Nominal order 2.
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options; `NON_FINITE` if the state blows up.
 * @example solveKdv1d((x) => Math.exp(-((x - 1) ** 2)), { dispersion: 0.0025 });
 */
export function solveKdv1d(
  initial: ((x: number) => number) | ArrayLike<number>,
  options: Kdv1dOptions,
): PdeSolution {
  const fn = 'solveKdv1d';
  const grid = resolveGrid(fn, options);
  const delta = checkNumber({ fn, name: 'dispersion' }, options.dispersion, { min: 0 });
  const { points: n, dx, boundary } = grid;
  const x = cellCentres(grid.domain, n);
  const u0 = sampleInitial(fn, initial, x);
  const umax = u0.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const pad = new Float64Array(n + 4);
  const flux = new Float64Array(n + 1);
  const lambda = (2.6 * delta) / dx ** 3 + (2 * umax) / dx;
  return runGrid({
    fn,
    name: 'kdv1d',
    scheme: `KdV: 2nd-order conservative FD (skew-symmetric convection, central u_xxx), RK4, ${boundary} boundaries`,
    x,
    weights: new Float64Array(n).fill(dx),
    times: grid.times,
    state0: u0,
    rhs(_t, u, out) {
      pad.set(u, 2);
      fillGhosts(pad, 2, boundary);
      for (let f = 0; f <= n; f++) {
        const c = f + 2;
        const a = pad[c - 1]!;
        const b = pad[c]!;
        flux[f] = (a * a + a * b + b * b) / 6 + (delta * (pad[c + 1]! - b - a + pad[c - 2]!)) / (2 * dx * dx);
      }
      if (boundary === 'zero-flux') {
        flux[0] = 0;
        flux[n] = 0;
      }
      for (let i = 0; i < n; i++) out[i] = -(flux[i + 1]! - flux[i]!) / dx;
    },
    dtMax: options.dtMax ?? (lambda > 0 ? 2.0 / lambda : 1),
    throwOnFailure: grid.throwOnFailure,
  });
}
