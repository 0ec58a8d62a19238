import { DatasetsError, checkNumber } from '../errors';
import { cellCentres, resolveGrid, sampleInitial, type GridOptions, type PdeSolution } from './pde-solution';
import { runGrid } from './run-grid';
import { advectionFluxes, fillGhosts } from './stencils';

/** Options of {@link solveAdvection1d}. */
export interface Advection1dOptions extends GridOptions {
  /** Advection speed a in u_t + a u_x = 0. */
  velocity: number;
  /** Courant number a dt / dx of the default step; default 0.5. */
  cfl?: number;
}

/**
 * Linear advection u_t + a u_x = 0 in 1D, float64 reference.
 *
 * Scheme: conservative fourth-order central finite differences on cell centres (face flux
 * a(-u_{i-2} + 7u_{i-1} + 7u_i - u_{i+1})/12), classical RK4 in time (default Courant number 0.5).
 * Boundaries: `periodic`, or `zero-flux` (even-mirror ghost cells and zero flux through the two end faces,
 * so the integral of u is conserved to round-off; the outflow is blocked, so use it only while the profile
 * stays away from the ends). Nominal order 4 in space and time.
 * @param initial u(x, 0) as a function of x, or an array of nx values at the cell centres.
 * @returns `{ x, t, u }` with u `[nt, nx]`, `conserved.mass` and `conserved.l2` over time.
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options; `NON_FINITE` if the state blows up.
 * @example const sol = solveAdvection1d((x) => Math.exp(-(((x - 1) / 0.1) ** 2)), { velocity: 0.25 });
 * @see B. Gustafsson, H.-O. Kreiss, J. Oliger, "Time-Dependent Problems and Difference Methods" (2013).
 */
export function solveAdvection1d(
  initial: ((x: number) => number) | ArrayLike<number>,
  options: Advection1dOptions,
): PdeSolution {
  const fn = 'solveAdvection1d';
  const grid = resolveGrid(fn, options);
  const a = checkNumber({ fn, name: 'velocity' }, options.velocity);
  const cfl = checkNumber({ fn, name: 'cfl' }, options.cfl ?? 0.5, { positive: true });
  const { points: n, dx, boundary } = grid;
  const x = cellCentres(grid.domain, n);
  const pad = new Float64Array(n + 4);
  const flux = new Float64Array(n + 1);
  return runGrid({
    fn,
    name: 'advection1d',
    scheme: `advection 1D: 4th-order central conservative FD, RK4, ${boundary} boundaries`,
    x,
    weights: new Float64Array(n).fill(dx),
    times: grid.times,
    state0: sampleInitial(fn, initial, x),
    rhs(_t, u, out) {
      pad.set(u, 2);
      fillGhosts(pad, 2, boundary);
      advectionFluxes(pad, n, { a, boundary, out: flux });
      for (let i = 0; i < n; i++) out[i] = -(flux[i + 1]! - flux[i]!) / dx;
    },
    dtMax: options.dtMax ?? (a === 0 ? Infinity : (cfl * dx) / Math.abs(a)),
    throwOnFailure: grid.throwOnFailure,
  });
}

/** Options of {@link solveAdvection2d}. */
export interface Advection2dOptions extends Omit<GridOptions, 'points'> {
  /** Velocity (ax, ay) in u_t + ax u_x + ay u_y = 0. */
  velocity: readonly [number, number];
  /** Cells per dimension [nx, ny]; default [32, 32]. The domain is `domain` in both x and y. */
  points?: readonly [number, number];
  /** Courant number (|ax|/dx + |ay|/dy) dt of the default step; default 0.5. */
  cfl?: number;
}

/**
 * Linear advection u_t + ax u_x + ay u_y = 0 on a square, float64 reference: the 1D scheme of
 * {@link solveAdvection1d} in each direction (dimension by dimension fluxes, RK4). u has layout
 * `[nt, nx, ny]`; weights are dx dy.
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options; `NON_FINITE` if the state blows up.
 * @example solveAdvection2d((x, y) => Math.exp(-((x - 1) ** 2 + (y - 1) ** 2)), { velocity: [0.25, 0.25] });
 */
export function solveAdvection2d(
  initial: ((x: number, y: number) => number) | ArrayLike<number>,
  options: Advection2dOptions,
): PdeSolution {
  const fn = 'solveAdvection2d';
  const [nx, ny] = options.points ?? [32, 32];
  const gx = resolveGrid(fn, { ...options, points: nx });
  const gy = resolveGrid(fn, { ...options, points: ny });
  const [ax, ay] = options.velocity;
  checkNumber({ fn, name: 'velocity[0]' }, ax);
  checkNumber({ fn, name: 'velocity[1]' }, ay);
  const cfl = checkNumber({ fn, name: 'cfl' }, options.cfl ?? 0.5, { positive: true });
  const x = cellCentres(gx.domain, nx);
  const y = cellCentres(gy.domain, ny);
  const boundary = gx.boundary;
  let u0: Float64Array;
  if (typeof initial === 'function') {
    u0 = new Float64Array(nx * ny);
    for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) u0[i * ny + j] = initial(x[i]!, y[j]!);
  } else {
    if (initial.length !== nx * ny)
      throw new DatasetsError(
        'INVALID_ARGUMENT',
        `${fn}(): argument 'initial' must have length ${nx * ny}, got ${initial.length}`,
      );
    u0 = Float64Array.from(initial);
  }
  const padX = new Float64Array(nx + 4);
  const padY = new Float64Array(ny + 4);
  const flux = new Float64Array(Math.max(nx, ny) + 1);
  const speed = Math.abs(ax) / gx.dx + Math.abs(ay) / gy.dx;
  return runGrid({
    fn,
    name: 'advection2d',
    scheme: `advection 2D: 4th-order central conservative FD per direction, RK4, ${boundary} boundaries`,
    x,
    y,
    weights: new Float64Array(nx * ny).fill(gx.dx * gy.dx),
    times: gx.times,
    state0: u0,
    rhs(_t, u, out) {
      out.fill(0);
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) padX[2 + i] = u[i * ny + j]!;
        fillGhosts(padX, 2, boundary);
        advectionFluxes(padX, nx, { a: ax, boundary, out: flux });
        for (let i = 0; i < nx; i++) out[i * ny + j]! -= (flux[i + 1]! - flux[i]!) / gx.dx;
      }
      for (let i = 0; i < nx; i++) {
        padY.set(u.subarray(i * ny, (i + 1) * ny), 2);
        fillGhosts(padY, 2, boundary);
        advectionFluxes(padY, ny, { a: ay, boundary, out: flux });
        for (let j = 0; j < ny; j++) out[i * ny + j]! -= (flux[j + 1]! - flux[j]!) / gy.dx;
      }
    },
    dtMax: options.dtMax ?? (speed === 0 ? Infinity : cfl / speed),
    throwOnFailure: gx.throwOnFailure,
  });
}
