import { DatasetsError } from '../errors';
import { solveAdvection1d, solveAdvection2d } from './advection';
import { solveReactionDiffusion1d } from './heat';
import { solveBurgersSine } from './burgers-exact';
import { solveKdv1d } from './kdv';
import { solveKdvReference } from './kdv-reference';
import { cellCentres, defaultTimes, integrals, type PdeSolution } from './pde-solution';
import { solveWave1d } from './wave';

/** Names of the five PINN-Proj setups. */
export type PinnProjPresetName =
  | 'advection'
  | 'wave'
  | 'kdv'
  | 'reactionDiffusion'
  | 'advection2d'
  | 'burgers'
  | 'kdvPeriodic'
  | 'advectionPeriodic';

/** Description of one PINN-Proj setup (frozen data). */
export interface PinnProjPreset {
  readonly name: PinnProjPresetName;
  /** The PDE residual, in words. */
  readonly equation: string;
  /** u(x, 0) (1D: (x) => u; 2D: (x, y) => u). */
  readonly initial: (x: number, y?: number) => number;
  /** Spatial dimension. */
  readonly dim: 1 | 2;
  /**
   * Whether the box integrals of u AND u^2 are invariants of the reference (so constant targets are right);
   * false for the wave equation (u^2 drifts 3.4%), reaction–diffusion (growth), the whole-line KdV and whole-plane 2D advection windows (flux
   * through the box ends) and Burgers (viscous decay of u^2). Targets then follow the reference's c(t).
   */
  readonly conserved: boolean;
  /** The problem the reference solves, in words (domain, boundary or whole-space, solver). */
  readonly problem: string;
  /** Coefficients used. */
  readonly coefficients: Readonly<Record<string, number>>;
}

const gauss = (x: number) => Math.exp(-((x - 1) ** 2));

/**
 * The five setups of PINN-Proj (Baez et al. 2025), each on x in [0, 2] with 256 cell-centred points
 * x_i = (i + 1/2)/128 (so the uniform weight 1/128 is the exact midpoint rule), 100 time levels
 * t = 0, 0.01, ..., 0.99, zero-flux (Neumann) boundaries; 2D advection on [0, 2]^2 with 32 x 32 cells.
 * @see A. Baez et al., "Guaranteeing Conservation of Integrals with Projection in Physics-Informed Neural
 *   Networks", arXiv:2511.09048 (2025).
 */
export const pinnProjPresets: Readonly<Record<PinnProjPresetName, PinnProjPreset>> = Object.freeze({
  advection: Object.freeze({
    name: 'advection',
    equation: 'u_t + 0.25 u_x = 0',
    initial: (x: number) => Math.exp(-(((x - 1) / 0.1) ** 2)),
    dim: 1,
    conserved: true,
    problem: 'zero-flux walls (the pulse stays 0.75 away from them); 4th-order FD, RK4, refine 3',
    coefficients: Object.freeze({ velocity: 0.25 }),
  }),
  wave: Object.freeze({
    name: 'wave',
    equation: 'u_tt - 0.25^2 u_xx = 0, u_t(x, 0) = 0',
    initial: gauss,
    dim: 1,
    // the integral of u is kept (to 2e-15), that of u^2 is not an invariant of the wave equation (-3.4%)
    conserved: false,
    problem: 'zero-flux (Neumann u_x = 0) walls; FD, RK4',
    coefficients: Object.freeze({ speed: 0.25 }),
  }),
  kdv: Object.freeze({
    name: 'kdv',
    equation: 'u_t + u u_x + 0.0025 u_xxx = 0',
    initial: gauss,
    dim: 1,
    conserved: false,
    problem:
      'whole line, restricted to the box (boundary data from it); Fourier pseudo-spectral ETDRK4 on a periodic domain 16 box lengths wide',
    coefficients: Object.freeze({ dispersion: 0.0025 }),
  }),
  reactionDiffusion: Object.freeze({
    name: 'reactionDiffusion',
    equation: 'u_t - 0.1 u_xx - 0.5 u = 0',
    initial: (x: number) => Math.exp(-((x - 1) ** 2) / 0.25),
    dim: 1,
    conserved: false,
    problem: 'zero-flux (Neumann) walls; FD, RK4',
    coefficients: Object.freeze({ diffusivity: 0.1, rate: 0.5 }),
  }),
  advection2d: Object.freeze({
    name: 'advection2d',
    equation: 'u_t + 0.25 (u_x + u_y) = 0',
    initial: (x: number, y = 0) => Math.exp(-((x - 1) ** 2 + (y - 1) ** 2)),
    dim: 2,
    conserved: false,
    problem:
      'whole plane, restricted to the box (inflow data from it): the exact translate u0(x - a t, y - a t)',
    coefficients: Object.freeze({ velocity: 0.25 }),
  }),
  burgers: Object.freeze({
    name: 'burgers',
    equation: 'u_t + u u_x - (0.01 / pi) u_xx = 0',
    initial: (x: number) => Math.sin(Math.PI * x),
    dim: 1,
    conserved: false,
    problem: 'periodic on [0, 2] (equivalently u(0) = u(2) = 0); exact Cole–Hopf solution by quadrature',
    coefficients: Object.freeze({ viscosity: 0.01 / Math.PI }),
  }),
  kdvPeriodic: Object.freeze({
    name: 'kdvPeriodic',
    equation: 'u_t + u u_x + 0.0025 u_xxx = 0, periodic',
    initial: (x: number) => Math.cos(Math.PI * x),
    dim: 1,
    conserved: true,
    problem: 'periodic on [0, 2]; Fourier pseudo-spectral (512 nodes) ETDRK4',
    coefficients: Object.freeze({ dispersion: 0.0025 }),
  }),
  advectionPeriodic: Object.freeze({
    name: 'advectionPeriodic',
    equation: 'u_t + 0.1 u_x = 0, periodic',
    initial: (x: number) => Math.sin(2 * Math.PI * x),
    dim: 1,
    conserved: true,
    problem: 'periodic on [0, 2]; the exact translate u0(x - 0.1 t)',
    coefficients: Object.freeze({ velocity: 0.1 }),
  }),
});

/** Options of {@link solvePinnProjPreset}. */
export interface PinnProjPresetOptions {
  /** Points per dimension of the output grid; default 256 (1D) or 32 (2D). */
  points?: number;
  /** Output times; default 0, 0.01, ..., 0.99. */
  times?: ArrayLike<number>;
  /**
   * Solve on a grid `refine` times finer (odd, so the fine cell centres include the output centres) and
   * sample it; default 1 (1D and 2D advection: 3).
   */
  refine?: number;
  /**
   * Boundary treatment (see `Boundary`); default `zero-flux` (integral of u conserved exactly) for 1D
   * advection, wave and reaction–diffusion (where it equals Neumann u_x = 0); `neumann` (even-mirror ghosts,
   * end-face fluxes from the ghosts: open outflow) for KdV and 2D advection, whose profiles reach the
   * boundary: blocking the outflow makes KdV blow up near t = 0.3 and piles 2D advection up to u = 10.9 at
   * the far corner. With `neumann` the integral of u over the box is NOT constant (KdV: 1.4937 -> 1.3188,
   * 2D advection: 2.2317 -> 2.1608 at t = 0.99), as for the exact whole-space solution restricted to the box.
   */
  boundary?: 'zero-flux' | 'neumann';
  /**
   * `exact`: the whole-space solution u0(x - a t) (2D: u0(x - a t, y - a t)) sampled on the box, with no
   * boundary condition at all (its integral over the box is not constant); the default for `advection2d`
   * and `advectionPeriodic` (whose period is the box). `fd`: the finite-difference reference with
   * `boundary`; the default for the others, and for `kdv` the former Neumann finite-difference reference,
   * which solves no stated problem (14% from the whole-line solution; kept for comparison). `spectral`:
   * KdV presets, the pseudo-spectral reference (`kdv`: whole line restricted to the box; the default).
   */
  solver?: 'fd' | 'exact' | 'spectral';
}

/**
 * Float64 reference solution of one PINN-Proj setup on its output grid, with `conserved.mass` (integral of
 * u) and `conserved.l2` (integral of u^2) evaluated with the output grid's weights (1/128 in 1D): exactly
 * the quadrature the projection layer and the conservation metric use.
 * @throws DatasetsError `INVALID_ARGUMENT` for an unknown name or an even/non-integer `refine`.
 * @example const ref = solvePinnProjPreset('kdv'); ref.u.length === 100 * 256;
 */
export function solvePinnProjPreset(
  name: PinnProjPresetName,
  options: PinnProjPresetOptions = {},
): PdeSolution {
  const fn = 'solvePinnProjPreset';
  const preset = pinnProjPresets[name];
  if (!preset)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'name' must be one of ${Object.keys(pinnProjPresets).join(', ')}, got ${String(name)}`,
    );
  const refine = options.refine ?? (name === 'advection' || name === 'advection2d' ? 3 : 1);
  if (!Number.isInteger(refine) || refine < 1 || refine % 2 === 0)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'refine' must be an odd integer >= 1, got ${refine}`,
    );
  const n = options.points ?? (preset.dim === 1 ? 256 : 32);
  const times = options.times ?? defaultTimes();
  const boundary = options.boundary ?? (name === 'kdv' || name === 'advection2d' ? 'neumann' : 'zero-flux');
  if (boundary !== 'zero-flux' && boundary !== 'neumann')
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'boundary' must be 'zero-flux' or 'neumann', got ${String(boundary)}`,
    );
  const base = { domain: [0, 2] as const, times, boundary };
  const c = preset.coefficients;
  const solver =
    options.solver ??
    (name === 'advection2d' || name === 'advectionPeriodic'
      ? 'exact'
      : name === 'kdv' || name === 'kdvPeriodic'
        ? 'spectral'
        : name === 'burgers'
          ? 'exact'
          : 'fd');
  if (solver === 'exact' && name !== 'burgers') {
    if (name !== 'advection' && name !== 'advection2d' && name !== 'advectionPeriodic')
      throw new DatasetsError(
        'INVALID_ARGUMENT',
        `${fn}(): solver 'exact' exists only for the advection presets and burgers, got '${name}'`,
      );
    return exactAdvection(preset, { n, times: Float64Array.from(times), a: c.velocity });
  }
  if (name === 'burgers' || name === 'kdvPeriodic' || name === 'advectionPeriodic' || solver === 'spectral') {
    if (
      (name === 'burgers' && solver !== 'exact') ||
      (name !== 'burgers' && solver !== 'spectral') ||
      (solver === 'spectral' && name !== 'kdv' && name !== 'kdvPeriodic')
    )
      throw new DatasetsError(
        'INVALID_ARGUMENT',
        `${fn}(): solver '${String(solver)}' is not available for '${name}'`,
      );
    const sol =
      name === 'burgers'
        ? solveBurgersSine({ viscosity: c.viscosity, points: n, times })
        : solveKdvReference(preset.initial, {
            dispersion: c.dispersion,
            problem: name === 'kdv' ? 'whole-line' : 'periodic',
            points: n,
            times,
          });
    return { ...sol, name: `pinnProj/${name}` };
  }
  let fine: PdeSolution;
  switch (name) {
    case 'advection':
      fine = solveAdvection1d(preset.initial, { ...base, points: n * refine, velocity: c.velocity });
      break;
    case 'wave':
      fine = solveWave1d(preset.initial, { ...base, points: n * refine, speed: c.speed });
      break;
    case 'kdv':
      fine = solveKdv1d(preset.initial, { ...base, points: n * refine, dispersion: c.dispersion });
      break;
    case 'reactionDiffusion':
      fine = solveReactionDiffusion1d(preset.initial, {
        ...base,
        points: n * refine,
        diffusivity: c.diffusivity,
        rate: c.rate,
      });
      break;
    default:
      fine = solveAdvection2d(preset.initial, {
        ...base,
        points: [n * refine, n * refine],
        velocity: [c.velocity, c.velocity],
      });
      break;
  }
  const sol = refine === 1 ? fine : coarsen(fine, refine, preset.dim);
  return { ...sol, name: `pinnProj/${name}`, scheme: `${sol.scheme}; refine ${refine}` };
}

function coarsen(fine: PdeSolution, r: number, dim: 1 | 2): PdeSolution {
  const nt = fine.t.length;
  const pick = (a: Float64Array) =>
    Float64Array.from({ length: a.length / r }, (_, i) => a[i * r + (r - 1) / 2]);
  const x = pick(fine.x);
  const y = fine.y ? pick(fine.y) : undefined;
  const nx = x.length;
  const ny = y ? y.length : 1;
  const fnx = fine.x.length;
  const fny = fine.y ? fine.y.length : 1;
  const m = nx * ny;
  const sample = (a: Float64Array) => {
    const out = new Float64Array(nt * m);
    for (let k = 0; k < nt; k++)
      for (let i = 0; i < nx; i++)
        for (let j = 0; j < ny; j++) {
          const fi = i * r + (r - 1) / 2;
          const fj = dim === 2 ? j * r + (r - 1) / 2 : 0;
          out[(k * nx + i) * ny + j] = a[(k * fnx + fi) * fny + fj];
        }
    return out;
  };
  const u = sample(fine.u);
  const fields = Object.fromEntries(Object.entries(fine.fields).map(([key, a]) => [key, sample(a)]));
  const weights = new Float64Array(m).fill(fine.weights[0] * (dim === 2 ? r * r : r));
  const mass = new Float64Array(nt);
  const l2 = new Float64Array(nt);
  for (let k = 0; k < nt; k++) [mass[k], l2[k]] = integrals(u, k, weights);
  return {
    ...fine,
    x,
    ...(y ? { y } : {}),
    u,
    fields,
    weights,
    shape: dim === 2 ? [nt, nx, ny] : [nt, nx],
    conserved: { ...fine.conserved, mass, l2, fineMass: fine.conserved.mass, fineL2: fine.conserved.l2 },
  };
}

function exactAdvection(
  preset: PinnProjPreset,
  o: { n: number; times: Float64Array; a: number },
): PdeSolution {
  const x = cellCentres([0, 2], o.n);
  const nt = o.times.length;
  const twoD = preset.dim === 2;
  const m = twoD ? o.n * o.n : o.n;
  const u = new Float64Array(nt * m);
  for (let k = 0; k < nt; k++) {
    const s = o.a * o.times[k];
    for (let i = 0; i < o.n; i++) {
      if (!twoD) u[k * m + i] = preset.initial(x[i] - s);
      else for (let j = 0; j < o.n; j++) u[k * m + i * o.n + j] = preset.initial(x[i] - s, x[j] - s);
    }
  }
  const dx = 2 / o.n;
  const weights = new Float64Array(m).fill(twoD ? dx * dx : dx);
  const mass = new Float64Array(nt);
  const l2 = new Float64Array(nt);
  for (let k = 0; k < nt; k++) [mass[k], l2[k]] = integrals(u, k, weights);
  return {
    name: `pinnProj/${preset.name}`,
    scheme: 'exact whole-space translate of the initial condition (no boundary condition)',
    x,
    ...(twoD ? { y: x } : {}),
    t: o.times,
    u,
    shape: twoD ? [nt, o.n, o.n] : [nt, o.n],
    weights,
    conserved: { mass, l2 },
    fields: {},
    steps: 0,
    status: 'ok',
  };
}
