import type { NdArray } from 'ndarray';
import { scalarKind } from './array-kind';
import { float64Energy } from './bind-system';
import { createStepper } from './create-stepper';
import { IntegratorError, checkNumber, describe } from './errors';
import { integrate } from './integrate';
import { resolveMethod, type Method, type MethodName } from './methods';
import { dualOps, realOps, type Dual, type ScalarOps } from './scalar-ops';
import type { System } from './systems';

/** Result of {@link energyError}. */
export interface EnergyErrorResult {
  /** `|H(x_k) - H(x_0)|` per saved state, divided by `|H(x_0)|` when `relative` (default). */
  series: Float64Array;
  /** Largest entry of `series` (the maximum energy drift). */
  maxDrift: number;
  /** H(x_0). */
  initial: number;
}

/**
 * Energy error along a float64 trajectory `[time, dim]` (e.g. `integrate(...).x`): the series
 * `|H(x_k) - H(x_0)| / |H(x_0)|` and its maximum. Uses the system's `T` and `V` (or `H`), or `options.energy`.
 *
 * @throws IntegratorError `INVALID_ARGUMENT` when the system has no energy and none is given, or the trajectory is not 2-D.
 * @example
 * ```ts
 * const { maxDrift } = energyError(kepler, integrate('leapfrog', kepler, { x0, dt: 0.01, steps: 1e5, saveEvery: 100 }).x);
 * ```
 */
export function energyError(
  system: System<Float64Array>,
  trajectory: NdArray<Float64Array>,
  options: { relative?: boolean; energy?: (x: Float64Array) => number } = {},
): EnergyErrorResult {
  const fn = 'energyError';
  const H = options.energy ?? float64Energy(system);
  if (!H) {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `${fn}(): the system has no energy (give T and V, or H) and no 'energy' option`,
    );
  }
  if (!trajectory || trajectory.shape?.length !== 2) {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'trajectory' must be an ndarray [time, dim], got ${describe(trajectory?.shape)}`,
    );
  }
  const [nt, dim] = trajectory.shape;
  const row = new Float64Array(dim);
  const at = (k: number) => {
    for (let i = 0; i < dim; i++) row[i] = trajectory.get(k, i);
    return H(row);
  };
  const h0 = at(0);
  const denom = (options.relative ?? true) ? Math.abs(h0) || 1 : 1;
  const series = new Float64Array(nt);
  let maxDrift = 0;
  for (let k = 0; k < nt; k++) {
    const e = Math.abs(at(k) - h0) / denom;
    series[k] = e;
    if (!(e <= maxDrift)) maxDrift = e;
  }
  return { series, maxDrift, initial: h0 };
}

/** Options of {@link reversibilityError} and {@link symplecticityError}. */
export interface FlowDiagnosticOptions {
  /** Initial state (q, p), borrowed. */
  x0: Float64Array;
  dt: number;
  steps: number;
  /** Implicit methods: fixed-point tolerance / iteration cap. */
  tol?: number;
  maxIterations?: number;
}

/**
 * Time-reversibility error of a method on a float64 system: integrate `steps` steps, flip the momenta
 * (`p -> -p`), integrate `steps` more, flip again, and return `max |x_end - x_0|`. Zero up to rounding for
 * symmetric methods on reversible systems (T even in p); O(dt^order) otherwise.
 *
 * @throws IntegratorError as {@link integrate}.
 * @example
 * ```ts
 * reversibilityError('leapfrog', kepler, { x0, dt: 0.01, steps: 1000 }); // ~1e-13
 * ```
 * @see Hairer, Lubich, Wanner, Geometric Numerical Integration (2006), §V.1.
 */
export function reversibilityError(
  method: Method | MethodName,
  system: System<Float64Array>,
  options: FlowDiagnosticOptions,
): number {
  checkNumber(['reversibilityError', 'steps'], options?.steps, { positive: true, integer: true });
  const x0 = options.x0;
  const n = x0.length / 2;
  const common = {
    dt: options.dt,
    steps: options.steps,
    saveEvery: options.steps,
    tol: options.tol,
    maxIterations: options.maxIterations,
    throwOnFailure: true,
  };
  const there = integrate(method, system, { ...common, x0 }).final;
  for (let i = n; i < 2 * n; i++) there[i] = -there[i];
  const back = integrate(method, system, { ...common, x0: there }).final;
  for (let i = n; i < 2 * n; i++) back[i] = -back[i];
  let err = 0;
  for (let i = 0; i < x0.length; i++) err = Math.max(err, Math.abs(back[i] - x0[i]));
  return err;
}

/** Result of {@link symplecticityError}. */
export interface SymplecticityResult {
  /** `max |M^T J M - J|` (entrywise). */
  error: number;
  /** The flow-map Jacobian M = d x_N / d x_0, row-major `[dim, dim]`. */
  jacobian: Float64Array;
}

/**
 * Symplecticity error of the float64 numerical flow map after `steps` steps: `max |M^T J M - J|` with
 * `M = dx_N/dx_0` computed exactly by forward-mode dual numbers through every step (and through the
 * fixed-point iterations of implicit methods), `J = [[0, I], [-I, 0]]`. Needs the system's energies
 * (`T` and `V`, or `H`) written with `ScalarOps`; gradients alone cannot be differentiated.
 *
 * @throws IntegratorError `UNSUPPORTED` when the system has no differentiable energy.
 * @example
 * ```ts
 * symplecticityError('forestRuth', kepler, { x0, dt: 0.01, steps: 100 }).error; // ~1e-14
 * ```
 * @see Hairer, Lubich, Wanner, Geometric Numerical Integration (2006), §VI.2.
 */
export function symplecticityError(
  method: Method | MethodName,
  system: System<Float64Array>,
  options: FlowDiagnosticOptions,
): SymplecticityResult {
  const fn = 'symplecticityError';
  const m = resolveMethod(fn, method);
  const dt = checkNumber([fn, 'dt'], options?.dt, { nonZero: true });
  const steps = checkNumber([fn, 'steps'], options.steps, { positive: true, integer: true });
  const x0 = options.x0;
  if (!(x0 instanceof Float64Array)) {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'x0' must be a Float64Array, got ${describe(x0)}`,
    );
  }
  const d = x0.length;
  if (d === 0 || d % 2 !== 0)
    throw new IntegratorError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'x0' must hold (q, p) with an even length, got ${d}`,
    );
  const D = dualOps(realOps, d);
  const K = scalarKind(D as ScalarOps<Dual<number>>);
  const stepper = createStepper(m, system as System<never>, {
    kind: K as never,
    ops: D as ScalarOps<unknown>,
    tol: options.tol,
    maxIterations: options.maxIterations,
  });
  let state = stepper.init(Array.from(x0, (v, i) => D.variable(v, i)) as never);
  for (let k = 0; k < steps; k++) {
    const o = stepper.step(state, k * dt, dt);
    if (o.status !== 'ok')
      throw new IntegratorError(
        'NOT_CONVERGED',
        `${fn}(): the implicit solve did not converge at step ${k}`,
        { step: k },
      );
    state = o.state;
  }
  const x = stepper.snapshot(state) as unknown as Dual<number>[];
  const M = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) M[i * d + j] = x[i].d[j];
  if (!M.every(Number.isFinite))
    throw new IntegratorError('NON_FINITE', `${fn}(): the flow-map Jacobian is not finite`);
  const n = d / 2;
  // (J M)[i][j] = M[i+n][j] for i < n, -M[i-n][j] for i >= n
  const JM = (i: number, j: number) => (i < n ? M[(i + n) * d + j] : -M[(i - n) * d + j]);
  const J = (i: number, j: number) => (j === i + n ? 1 : i === j + n ? -1 : 0);
  let error = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += M[k * d + i] * JM(k, j);
      error = Math.max(error, Math.abs(s - J(i, j)));
    }
  }
  return { error, jacobian: M };
}
