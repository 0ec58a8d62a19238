import { DatasetsError } from '../errors';

/**
 * Boundary treatment of a 1D/2D grid solver.
 * - `periodic`: wrap-around.
 * - `zero-flux`: even-mirror ghost cells (u_x = 0) AND zero total flux through the two end faces, so the
 *   integral of u is conserved to round-off (walls; for hyperbolic problems the outflow is blocked).
 * - `neumann`: even-mirror ghost cells (u_x = 0, and u_xxx = 0 for KdV) with the end-face fluxes computed
 *   from them, so material may leave or enter (open boundary for advection/KdV; identical to `zero-flux`
 *   for diffusion and waves, whose end-face flux vanishes by symmetry).
 */
export type Boundary = 'periodic' | 'zero-flux' | 'neumann';

/**
 * Result of every PDE reference solver (float64).
 *
 * Layout: `u` is row-major with time slowest: `[nt, nx]` in 1D, `[nt, nx, ny]` in 2D (index
 * `(k * nx + i) * ny + j` for time k, x-index i, y-index j). `x` (and `y`) hold cell centres
 * `x_i = x0 + (i + 1/2) dx`; `weights` are the quadrature weights of one spatial slice (length nx, or
 * nx * ny), so `sum_i weights[i] * u[k, i]` is the midpoint-rule integral of u at time `t[k]`.
 * `conserved` holds integrals over time (each of length nt), e.g. `mass` = integral of u and `l2` =
 * integral of u^2. Extra solution components (velocity, momentum, ...) are in `fields`, same layout as `u`.
 */
export interface PdeSolution {
  /** Solver or preset name. */
  readonly name: string;
  /** The scheme, in words (space discretisation, time stepping, boundary treatment). */
  readonly scheme: string;
  /** Cell-centre x coordinates, length nx. */
  readonly x: Float64Array;
  /** Cell-centre y coordinates (2D only), length ny. */
  readonly y?: Float64Array;
  /** Output times, length nt. */
  readonly t: Float64Array;
  /** Solution values, `[nt, nx]` or `[nt, nx, ny]` row-major. */
  readonly u: Float64Array;
  /** Shape of `u`. */
  readonly shape: readonly number[];
  /** Quadrature weights of one time slice (cell volumes). */
  readonly weights: Float64Array;
  /** Conserved (or monitored) integrals at each output time. */
  readonly conserved: Readonly<Record<string, Float64Array>>;
  /** Other solution components with the layout of `u`. */
  readonly fields: Readonly<Record<string, Float64Array>>;
  /** Number of time steps taken. */
  readonly steps: number;
  /** `ok`, or `non-finite` if the state blew up (the remaining output rows are NaN). */
  readonly status: 'ok' | 'non-finite';
}

/** Options shared by the 1D/2D grid solvers. */
export interface GridOptions {
  /** Domain [x0, x1]; default [0, 2]. */
  domain?: readonly [number, number];
  /** Number of cells (grid points); default 256. */
  points?: number;
  /** Output times (increasing, first >= 0); default 100 levels 0, 0.01, ..., 0.99. */
  times?: ArrayLike<number>;
  /** Boundary treatment; default `zero-flux`. */
  boundary?: Boundary;
  /** Largest time step; default chosen from a stability estimate of the scheme. */
  dtMax?: number;
  /** Throw a `NON_FINITE` DatasetsError instead of returning status `non-finite`; default false. */
  throwOnFailure?: boolean;
}

/** Cell centres x_i = x0 + (i + 1/2) (x1 - x0) / n. */
export function cellCentres(domain: readonly [number, number], n: number): Float64Array {
  const dx = (domain[1] - domain[0]) / n;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = domain[0] + (i + 0.5) * dx;
  return x;
}

/** The default PINN-Proj time levels 0, 0.01, ..., 0.99. */
export function defaultTimes(): Float64Array {
  const t = new Float64Array(100);
  for (let k = 0; k < 100; k++) t[k] = k / 100;
  return t;
}

/** Validates the shared grid options and returns them with defaults. */
export function resolveGrid(fn: string, options: GridOptions) {
  const domain = options.domain ?? [0, 2];
  const points = options.points ?? 256;
  const times = Float64Array.from(options.times ?? defaultTimes());
  const boundary = options.boundary ?? 'zero-flux';
  if (!(Number.isFinite(domain[0]) && Number.isFinite(domain[1]) && domain[1] > domain[0]))
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'domain' must be [x0, x1] with x0 < x1, got [${domain.join(', ')}]`,
    );
  if (!Number.isInteger(points) || points < 4)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'points' must be an integer >= 4, got ${points}`,
    );
  if (
    times.length === 0 ||
    !(times[0]! >= 0) ||
    times.some((v, i) => !Number.isFinite(v) || (i > 0 && v <= times[i - 1]!))
  )
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'times' must be a non-empty increasing list of finite times >= 0`,
    );
  if (boundary !== 'periodic' && boundary !== 'zero-flux' && boundary !== 'neumann')
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'boundary' must be 'periodic', 'zero-flux' or 'neumann', got ${String(boundary)}`,
    );
  if (options.dtMax !== undefined && !(options.dtMax > 0))
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'dtMax' must be a finite positive number, got ${options.dtMax}`,
    );
  return {
    domain,
    points,
    times,
    boundary,
    dx: (domain[1] - domain[0]) / points,
    throwOnFailure: options.throwOnFailure ?? false,
  };
}

/** Samples an initial condition given as a function or an array of length n. */
export function sampleInitial(
  fn: string,
  init: ((x: number) => number) | ArrayLike<number>,
  x: Float64Array,
): Float64Array {
  if (typeof init === 'function') return Float64Array.from(x, (v) => init(v));
  if (init.length !== x.length)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'initial' must have length ${x.length}, got ${init.length}`,
    );
  return Float64Array.from(init);
}

/** Reports a blow-up: throws when asked, else returns the status. */
export function failure(fn: string, t: number, throwOnFailure: boolean): 'non-finite' {
  if (throwOnFailure)
    throw new DatasetsError(
      'NON_FINITE',
      `${fn}(): the solution became non-finite at t = ${t}; reduce dtMax or refine the grid`,
    );
  return 'non-finite';
}

/** Weighted sums sum w_i u_i and sum w_i u_i^2 of slice `k` of a `[nt, m]` array. */
export function integrals(u: Float64Array, k: number, w: Float64Array): [number, number] {
  const m = w.length;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < m; i++) {
    const v = u[k * m + i]!;
    s1 += w[i]! * v;
    s2 += w[i]! * v * v;
  }
  return [s1, s2];
}
