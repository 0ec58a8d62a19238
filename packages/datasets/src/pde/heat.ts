import { checkNumber, DatasetsError } from '../errors';
import { cellCentres, resolveGrid, sampleInitial, type GridOptions, type PdeSolution } from './pde-solution';
import { runGrid } from './run-grid';
import { fillGhosts, gradientAtFaces } from './stencils';

/** Options of {@link solveHeat1d} and {@link solveReactionDiffusion1d}. */
export interface Heat1dOptions extends GridOptions {
  /** Diffusivity nu in u_t = nu u_xx (+ r u). */
  diffusivity: number;
  /** Linear reaction rate r; default 0. */
  rate?: number;
  /** Order of the Laplacian, 2 (three-point) or 4 (five-point); default 4. */
  order?: 2 | 4;
}

/**
 * Heat equation u_t = nu u_xx (+ r u) in 1D, float64 reference.
 *
 * Scheme: conservative Laplacian on cell centres in flux form (order 2: (u_i - u_{i-1})/dx face gradients;
 * order 4: the five-point Laplacian), RK4 in time with dt below 0.9 of the RK4 stability limit.
 * `zero-flux` (adiabatic, Neumann u_x = 0): even-mirror ghosts make the boundary flux exactly zero, so the
 * integral of u changes only by the reaction, d/dt integral u = r integral u (conserved for r = 0).
 * Nominal order 2 or 4 in space, 4 in time.
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options; `NON_FINITE` if the state blows up.
 * @example solveHeat1d((x) => Math.cos(Math.PI * x), { diffusivity: 0.1 });
 */
export function solveHeat1d(
  initial: ((x: number) => number) | ArrayLike<number>,
  options: Heat1dOptions,
): PdeSolution {
  return diffusion('solveHeat1d', initial, options);
}

/**
 * Reaction–diffusion u_t = nu u_xx + r u (linear reaction, the PINN-Proj case), the scheme of
 * {@link solveHeat1d}. With zero-flux boundaries the mass grows exactly as m(0) e^{r t}; the extra monitor
 * `massScaled` = e^{-r t} integral u is conserved.
 * @example solveReactionDiffusion1d((x) => Math.exp(-((x - 1) ** 2) / 0.25), { diffusivity: 0.1, rate: 0.5 });
 */
export function solveReactionDiffusion1d(
  initial: ((x: number) => number) | ArrayLike<number>,
  options: Heat1dOptions,
): PdeSolution {
  return diffusion('solveReactionDiffusion1d', initial, options);
}

function diffusion(
  fn: string,
  initial: ((x: number) => number) | ArrayLike<number>,
  options: Heat1dOptions,
): PdeSolution {
  const grid = resolveGrid(fn, options);
  const nu = checkNumber({ fn, name: 'diffusivity' }, options.diffusivity, { positive: true });
  const r = checkNumber({ fn, name: 'rate' }, options.rate ?? 0);
  const order = options.order ?? 4;
  if (order !== 2 && order !== 4)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'order' must be 2 or 4, got ${String(order)}`,
    );
  const { points: n, dx, boundary } = grid;
  const x = cellCentres(grid.domain, n);
  const pad = new Float64Array(n + 4);
  const grad = new Float64Array(n + 1);
  const lambdaMax = (nu * (order === 2 ? 4 : 16 / 3)) / (dx * dx) + Math.abs(r);
  const sol = runGrid({
    fn,
    name: r === 0 ? 'heat1d' : 'reactionDiffusion1d',
    scheme: `u_t = nu u_xx + r u: order-${order} conservative Laplacian, RK4, ${boundary} boundaries`,
    x,
    weights: new Float64Array(n).fill(dx),
    times: grid.times,
    state0: sampleInitial(fn, initial, x),
    rhs(_t, u, out) {
      pad.set(u, 2);
      fillGhosts(pad, 2, boundary);
      gradientAtFaces(pad, n, { dx, order, out: grad });
      for (let i = 0; i < n; i++) out[i] = (nu * (grad[i + 1]! - grad[i]!)) / dx + r * u[i]!;
    },
    dtMax: options.dtMax ?? (0.9 * 2.78) / lambdaMax,
    throwOnFailure: grid.throwOnFailure,
  });
  const massScaled = Float64Array.from(sol.conserved.mass!, (m, k) => m * Math.exp(-r * sol.t[k]!));
  return { ...sol, conserved: { ...sol.conserved, massScaled } };
}
