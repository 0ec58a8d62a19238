import { targetConstants, validateConstraint } from './constraint';
import type { Constraint, InfeasiblePolicy, SliceStatus, Target } from './constraint';
import { describeValue } from '@noether/autodiff';
import { PinnProjError, invalid } from './errors';
import { affineCoefficients, neededMoments, numberArith } from './projection-formulas';
import { resolveWeights } from './quadrature';
import type { WeightSpec } from './quadrature';

/** Options shared by the projections (float64 and tensor). */
export interface ProjectOptions {
  /** Time of each slice; needed when a target is a callback `c(t)`. */
  times?: ArrayLike<number>;
  /** Floor of the denominators `I2` and `S`. Default `1e-12`. */
  denominatorFloor?: number;
  /** `'throw'` (default): infeasible targets throw `INFEASIBLE_TARGET`; `'clamp'`: clamp and report. */
  onInfeasible?: InfeasiblePolicy;
}

/** Result of a float64 projection. */
export interface Projection64 {
  /** Projected values `[slices, n]`, row-major. */
  values: Float64Array;
  /** Per-slice affine map `u~ = scale u + shift` (computed as `u + ((scale - 1) u + shift)`). */
  scale: Float64Array;
  shift: Float64Array;
  /** `'ok'` unless some slice is not: the first non-ok status among infeasible, non-finite, degenerate. */
  status: SliceStatus;
  /** Status of each slice: `'degenerate'` when the denominator hit `denominatorFloor`. */
  sliceStatus: SliceStatus[];
}

export function checkFloor(floor: number | undefined, fn: string): number {
  const value = floor ?? 1e-12;
  if (!Number.isFinite(value) || value <= 0)
    invalid([fn, 'options.denominatorFloor'], 'a finite positive number', value);
  return value;
}

function sum(w: Float64Array): number {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += w[j];
  return s;
}

/**
 * Float64 reference projection of `values` (`[slices, n]` row-major, `n = weights.length`) onto an integral
 * constraint. Same closed forms as the tensor version (one formula module). Reports status per slice
 * (`degenerate` when `I2` or `S` fell below `denominatorFloor`, `non-finite` for NaN/Inf input, `infeasible` with
 * `onInfeasible: 'clamp'`).
 *
 * @throws {PinnProjError} `SHAPE_MISMATCH` when `values.length` is not a multiple of `n`;
 *   `INFEASIBLE_TARGET` for infeasible targets (unless `onInfeasible: 'clamp'`); `INVALID_ARGUMENT` for bad weights.
 * @example
 * const w = quadrature('uniform', [0, 2], 256).weights;
 * const { values } = project64(u, w, { constraint: { type: 'joint', c1: 1, c2: 0.8 } });
 */
export function project64(
  values: ArrayLike<number>,
  weights: WeightSpec,
  options: ProjectOptions & { constraint: Constraint },
): Projection64 {
  const fn = 'project64';
  validateConstraint(options?.constraint, fn, 'options.constraint');
  const n = 'length' in weights ? weights.length : 'n' in weights ? weights.n : undefined;
  if (n === undefined) invalid([fn, 'weights'], 'a weight vector or a Quadrature (n unknown)', weights);
  const w = resolveWeights(weights, n, fn);
  if (!values || typeof values.length !== 'number' || values.length % n !== 0 || values.length === 0) {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'values' must hold [slices, ${n}] values (row-major), got ${describeValue(values)}`,
    );
  }
  const eps = checkFloor(options.denominatorFloor, fn);
  const slices = values.length / n;
  const W = sum(w);
  const type = options.constraint.type;
  const k = targetConstants(options.constraint, W, {
    slices,
    times: options.times,
    policy: options.onInfeasible,
    fn,
  });
  const need = neededMoments(type);
  const out = new Float64Array(values.length);
  const scale = new Float64Array(slices);
  const shift = new Float64Array(slices);
  const sliceStatus: SliceStatus[] = [];
  for (let s = 0; s < slices; s++) {
    const o = s * n;
    let I1 = 0;
    let I2 = 0;
    let finite = true;
    for (let j = 0; j < n; j++) {
      const u = values[o + j];
      if (!Number.isFinite(u)) finite = false;
      I1 += w[j] * u;
      I2 += w[j] * u * u;
    }
    const mean = I1 / W;
    let S = 0;
    if (need.S) {
      for (let j = 0; j < n; j++) {
        const d = values[o + j] - mean;
        S += w[j] * d * d;
      }
    }
    const c1 = k.c1?.[s];
    const a = affineCoefficients(numberArith, type, {
      moments: {
        I1,
        I2,
        S,
        d1: c1 === undefined ? undefined : c1 - I1,
        d2: k.c2Clamped ? k.c2Clamped[s] - I2 : undefined,
      },
      targets: { c1, sqrtC2: k.sqrtC2?.[s], sqrtR: k.sqrtR?.[s] },
      W,
      eps,
    });
    const scaleM1 = a.scaleM1 ?? 0;
    scale[s] = 1 + scaleM1;
    shift[s] = a.shift ?? 0;
    for (let j = 0; j < n; j++) out[o + j] = values[o + j] + (scaleM1 * values[o + j] + shift[s]);
    sliceStatus.push(
      k.infeasible[s]
        ? 'infeasible'
        : !finite || !Number.isFinite(scale[s]) || !Number.isFinite(shift[s])
          ? 'non-finite'
          : (type === 'quadratic' && I2 <= eps) || (need.S && S <= eps)
            ? 'degenerate'
            : 'ok',
    );
  }
  const order: SliceStatus[] = ['infeasible', 'non-finite', 'degenerate'];
  const status = order.find((st) => sliceStatus.includes(st)) ?? 'ok';
  return { values: out, scale, shift, status, sliceStatus };
}

/** {@link project64} onto `∫ u = c1`. */
export function projectLinear64(
  values: ArrayLike<number>,
  weights: WeightSpec,
  options: ProjectOptions & { c1: Target },
): Projection64 {
  return project64(values, weights, { ...options, constraint: { type: 'linear', c1: options?.c1 } });
}

/** {@link project64} onto `∫ u² = c2`. */
export function projectQuadratic64(
  values: ArrayLike<number>,
  weights: WeightSpec,
  options: ProjectOptions & { c2: Target },
): Projection64 {
  return project64(values, weights, { ...options, constraint: { type: 'quadratic', c2: options?.c2 } });
}

/** {@link project64} onto `∫ u = c1` and `∫ u² = c2` jointly. */
export function projectJoint64(
  values: ArrayLike<number>,
  weights: WeightSpec,
  options: ProjectOptions & { c1: Target; c2: Target },
): Projection64 {
  return project64(values, weights, {
    ...options,
    constraint: { type: 'joint', c1: options?.c1, c2: options?.c2 },
  });
}

/**
 * Per-slice integrals `I1 = Σ w u`, `I2 = Σ w u²` in float64 of values `[slices, n]` (any array kind, e.g.
 * `await tensor.data()`).
 *
 * @throws {PinnProjError} `SHAPE_MISMATCH` / `INVALID_ARGUMENT` for bad shapes or weights.
 */
export function integrals64(
  values: ArrayLike<number>,
  weights: WeightSpec,
): { I1: Float64Array; I2: Float64Array } {
  const fn = 'integrals64';
  const n = 'length' in weights ? weights.length : 'n' in weights ? weights.n : undefined;
  if (n === undefined) invalid([fn, 'weights'], 'a weight vector or a Quadrature', weights);
  const w = resolveWeights(weights, n, fn);
  if (!values || values.length % n !== 0) {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'values' must hold [slices, ${n}] values, got ${describeValue(values)}`,
    );
  }
  const slices = values.length / n;
  const I1 = new Float64Array(slices);
  const I2 = new Float64Array(slices);
  for (let s = 0; s < slices; s++) {
    for (let j = 0; j < n; j++) {
      const u = values[s * n + j];
      I1[s] += w[j] * u;
      I2[s] += w[j] * u * u;
    }
  }
  return { I1, I2 };
}

/**
 * The paper's conservation metric in float64: `Σ_k |Î(t_k) - c(t_k)|` over the slices (time levels), for
 * each constrained integral (`I1` for linear, `I2` for quadratic, both for joint), plus the per-slice errors.
 *
 * @example
 * const { total } = conservationError64(await uGrid.data(), w, { constraint: { type: 'linear', c1: 0.886 } });
 */
export function conservationError64(
  values: ArrayLike<number>,
  weights: WeightSpec,
  options: { constraint: Constraint; times?: ArrayLike<number> },
): { total: number; linear: Float64Array | null; quadratic: Float64Array | null } {
  const fn = 'conservationError64';
  const constraint = options?.constraint;
  validateConstraint(constraint, fn, 'options.constraint');
  const { I1, I2 } = integrals64(values, weights);
  const slices = I1.length;
  const W = 1; // unused: only the raw targets are needed
  const k = targetConstants(constraint, W, { slices, times: options.times, policy: 'clamp', fn });
  const lin = k.c1 ? I1.map((v, s) => Math.abs(v - (k.c1 as Float64Array)[s])) : null;
  const quad = k.c2 ? I2.map((v, s) => Math.abs(v - (k.c2 as Float64Array)[s])) : null;
  let total = 0;
  for (const arr of [lin, quad]) if (arr) for (const v of arr) total += v;
  return { total, linear: lin, quadratic: quad };
}
