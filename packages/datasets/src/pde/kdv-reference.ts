import { DatasetsError, checkNumber } from '../errors';
import { cellCentres, defaultTimes, integrals, type PdeSolution } from './pde-solution';
import { solveKdvSpectral } from './spectral';

/** Options of {@link solveKdvReference}. */
export interface KdvReferenceOptions {
  /** Dispersion delta in u_t + u u_x + delta u_xxx = 0. */
  dispersion: number;
  /**
   * `whole-line`: the solution of the initial-value problem on the whole real line, restricted to the box
   * (computed on a wide periodic domain of length `width` centred on the box, where the solution is
   * negligible at its ends). `periodic`: the box itself is the period.
   */
  problem: 'whole-line' | 'periodic';
  /** The box (output domain) [x0, x1]; default [0, 2]. */
  domain?: readonly [number, number];
  /** Output cells in the box (cell centres x0 + (j + 1/2) dx); default 256. */
  points?: number;
  /** Output times; default 0, 0.01, ..., 0.99. */
  times?: ArrayLike<number>;
  /** Fourier nodes per output cell (a power of two); default 1 (2 for `periodic`). */
  refine?: number;
  /** Length of the wide periodic domain of `whole-line` (its node count must be a power of two); default 16 box lengths. */
  width?: number;
  /** Largest time step of ETDRK4; default Courant number 0.2 on the Fourier grid. */
  dtMax?: number;
}

/**
 * Float64 reference of KdV u_t + u u_x + delta u_xxx = 0 on a box, as the solution of a STATED problem:
 * - `whole-line`: u(x, 0) given on the real line, u -> 0 at infinity; the box is a window into it, so
 *   the box integrals of u and u^2 are NOT constant (material and radiation cross the box ends) and any
 *   boundary data a PINN needs come from this solution. Computed by Fourier pseudo-spectral ETDRK4 on a
 *   periodic domain `width` long centred on the box (the wrap-around is negligible while the solution
 *   and its dispersive radiation stay inside it: check by doubling `width`).
 * - `periodic`: the box is one period; the integrals of u and u^2 over the box are invariants (kept to the
 *   O(dt^4) time error by the dealiased scheme).
 * The Fourier nodes include the output cell centres (node j * refine is output cell j), so no
 * interpolation is involved. `conserved.mass` / `conserved.l2` are box integrals with the output weights.
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options (node counts must be powers of two);
 *   `NON_FINITE` if the state blows up.
 * @example solveKdvReference((x) => Math.exp(-((x - 1) ** 2)), { dispersion: 0.0025, problem: 'whole-line' });
 * @see A.-K. Kassam, L. N. Trefethen, SIAM J. Sci. Comput. 26 (2005) (ETDRK4).
 */
export function solveKdvReference(initial: (x: number) => number, options: KdvReferenceOptions): PdeSolution {
  const fn = 'solveKdvReference';
  if (typeof initial !== 'function')
    throw new DatasetsError('INVALID_ARGUMENT', `${fn}(): argument 'initial' must be a function of x`);
  const delta = checkNumber({ fn, name: 'dispersion' }, options.dispersion, { min: 0 });
  const problem = options.problem;
  if (problem !== 'whole-line' && problem !== 'periodic')
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'problem' must be 'whole-line' or 'periodic', got ${String(problem)}`,
    );
  const domain = options.domain ?? [0, 2];
  if (!(Number.isFinite(domain[0]) && Number.isFinite(domain[1]) && domain[1] > domain[0]))
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'domain' must be [x0, x1] with x0 < x1, got [${domain.join(', ')}]`,
    );
  const n = checkNumber({ fn, name: 'points' }, options.points ?? 256, { integer: true, min: 4 });
  const r = checkNumber({ fn, name: 'refine' }, options.refine ?? (problem === 'periodic' ? 2 : 1), {
    integer: true,
    min: 1,
  });
  if ((r & (r - 1)) !== 0)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'refine' must be a power of two, got ${r}`,
    );
  const boxLength = domain[1] - domain[0];
  const dx = boxLength / n;
  const dxf = dx / r;
  const times = Float64Array.from(options.times ?? defaultTimes());
  let nodes: number;
  let offset: number; // index of output cell 0 on the Fourier grid
  if (problem === 'periodic') {
    nodes = n * r;
    offset = 0;
  } else {
    const width = checkNumber({ fn, name: 'width' }, options.width ?? 16 * boxLength, { positive: true });
    nodes = Math.round(width / dxf);
    if (Math.abs(nodes * dxf - width) > 1e-9 * width || nodes < n * r)
      throw new DatasetsError(
        'INVALID_ARGUMENT',
        `${fn}(): argument 'width' must be a multiple of the Fourier spacing ${dxf} and at least the box length, got ${width}`,
      );
    offset = Math.floor((nodes - n * r) / 2);
  }
  // Fourier nodes x_i = x0 + dx/2 + (i - offset) dxf, i.e. the cell centres of the domain below.
  const start = domain[0] + dx / 2 - offset * dxf - dxf / 2;
  const wide = solveKdvSpectral(initial, {
    dispersion: delta,
    domain: [start, start + nodes * dxf],
    points: nodes,
    times,
    ...(options.dtMax !== undefined ? { dtMax: options.dtMax } : {}),
  });
  const x = cellCentres(domain, n);
  const nt = times.length;
  const u = new Float64Array(nt * n);
  for (let k = 0; k < nt; k++) for (let j = 0; j < n; j++) u[k * n + j] = wide.u[k * nodes + offset + j * r];
  const weights = new Float64Array(n).fill(dx);
  const mass = new Float64Array(nt);
  const l2 = new Float64Array(nt);
  for (let k = 0; k < nt; k++) [mass[k], l2[k]] = integrals(u, k, weights);
  return {
    name: `kdvReference/${problem}`,
    scheme:
      problem === 'periodic'
        ? `KdV, periodic on the box: Fourier pseudo-spectral (2/3 dealiasing, ${nodes} nodes), ETDRK4`
        : `KdV on the whole line restricted to the box: Fourier pseudo-spectral (2/3 dealiasing) on a periodic domain of length ${nodes * dxf} (${nodes} nodes), ETDRK4`,
    x,
    t: times,
    u,
    shape: [nt, n],
    weights,
    conserved: { mass, l2, wideMass: wide.conserved.mass, wideL2: wide.conserved.l2 },
    fields: {},
    steps: wide.steps,
    status: wide.status,
  };
}

/**
 * The KdV soliton u = 3c sech^2(sqrt(c / delta) (x - x0 - c t) / 2), an exact solution of
 * u_t + u u_x + delta u_xxx = 0 on the whole line (speed c > 0, amplitude 3c).
 * @example kdvSoliton(0.5, 0.2, { speed: 0.5, dispersion: 0.0025, x0: 0.5 });
 */
export function kdvSoliton(
  x: number,
  t: number,
  options: { speed: number; dispersion: number; x0: number },
): number {
  const { speed: c, dispersion: delta, x0 } = options;
  const s = 1 / Math.cosh((Math.sqrt(c / delta) * (x - x0 - c * t)) / 2);
  return 3 * c * s * s;
}
