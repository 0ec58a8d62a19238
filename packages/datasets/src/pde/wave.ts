import { checkNumber } from '../errors';
import { cellCentres, resolveGrid, sampleInitial, type GridOptions, type PdeSolution } from './pde-solution';
import { runGrid } from './run-grid';
import { fillGhosts, gradientAtFaces } from './stencils';

/** Options of {@link solveWave1d}. */
export interface Wave1dOptions extends GridOptions {
  /** Wave speed c in u_tt = c^2 u_xx. */
  speed: number;
  /** Initial velocity u_t(x, 0); default 0. */
  initialVelocity?: ((x: number) => number) | ArrayLike<number>;
  /** Courant number c dt / dx of the default step; default 0.5. */
  cfl?: number;
}

/**
 * Wave equation u_tt = c^2 u_xx in 1D as the first-order system u_t = v, v_t = c^2 u_xx, float64.
 *
 * Scheme: fourth-order conservative five-point Laplacian on cell centres (face gradients
 * (-u_{i+1} + 15u_i - 15u_{i-1} + u_{i-2})/(12 dx)), RK4 in time. `zero-flux` = Neumann u_x = 0 by even
 * mirror ghosts (exactly zero boundary flux, so the integral of v stays zero and the integral of u is
 * conserved); or `periodic`. Nominal order 4. `fields.v` holds u_t. Monitors: `mass` (integral of u),
 * `l2` (integral of u^2, not an invariant), `energy` = integral of (v^2 + c^2 u_x^2)/2 (u_x at faces).
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options; `NON_FINITE` if the state blows up.
 * @example solveWave1d((x) => Math.exp(-((x - 1) ** 2)), { speed: 0.25 });
 */
export function solveWave1d(
  initial: ((x: number) => number) | ArrayLike<number>,
  options: Wave1dOptions,
): PdeSolution {
  const fn = 'solveWave1d';
  const grid = resolveGrid(fn, options);
  const c = checkNumber({ fn, name: 'speed' }, options.speed, { positive: true });
  const cfl = checkNumber({ fn, name: 'cfl' }, options.cfl ?? 0.5, { positive: true });
  const { points: n, dx, boundary } = grid;
  const x = cellCentres(grid.domain, n);
  const state0 = new Float64Array(2 * n);
  state0.set(sampleInitial(fn, initial, x));
  if (options.initialVelocity !== undefined) state0.set(sampleInitial(fn, options.initialVelocity, x), n);
  const pad = new Float64Array(n + 4);
  const grad = new Float64Array(n + 1);
  const energy = (s: Float64Array) => {
    pad.set(s.subarray(0, n), 2);
    fillGhosts(pad, 2, boundary);
    gradientAtFaces(pad, n, { dx, order: 2, out: grad });
    let e = 0;
    for (let i = 0; i < n; i++) e += 0.5 * dx * (s[n + i]! ** 2 + c * c * grad[i + 1]! ** 2);
    return e;
  };
  return runGrid({
    fn,
    name: 'wave1d',
    scheme: `wave 1D: first-order system, 4th-order conservative Laplacian, RK4, ${boundary} boundaries`,
    x,
    weights: new Float64Array(n).fill(dx),
    times: grid.times,
    state0,
    extra: ['v'],
    rhs(_t, s, out) {
      for (let i = 0; i < n; i++) out[i] = s[n + i]!;
      pad.set(s.subarray(0, n), 2);
      fillGhosts(pad, 2, boundary);
      gradientAtFaces(pad, n, { dx, order: 4, out: grad });
      for (let i = 0; i < n; i++) out[n + i] = (c * c * (grad[i + 1]! - grad[i]!)) / dx;
    },
    dtMax: options.dtMax ?? (cfl * dx) / c,
    throwOnFailure: grid.throwOnFailure,
    monitors: { energy },
  });
}
