import * as tf from '@tensorflow/tfjs';
import { targetConstants, validateConstraint } from './constraint';
import type { Constraint, Target, TargetConstants } from './constraint';
import {
  compensatedRowSum,
  doubleFloatColumn,
  doubleFloatDifference,
  twoProduct,
  twoSum,
} from './compensated-sum';
import type { DoubleFloat } from './compensated-sum';
import { describeValue } from '@noether/autodiff';
import { PinnProjError } from './errors';
import { checkFloor } from './project64';
import type { ProjectOptions } from './project64';
import { affineCoefficients, neededMoments, numberArith } from './projection-formulas';
import type { Affine, Arith } from './projection-formulas';
import { resolveWeights } from './quadrature';
import type { WeightSpec } from './quadrature';

/** {@link Arith} on broadcasting float32 tensors. */
const tensorArith: Arith<tf.Tensor> = Object.freeze({
  add: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
  sub: (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b),
  mul: (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b),
  div: (a: tf.Tensor, b: tf.Tensor) => tf.div(a, b),
  sqrt: (a: tf.Tensor) => tf.sqrt(a),
  scaleBy: (a: tf.Tensor, s: number) => tf.mul(a, s),
  atLeast: (a: tf.Tensor, eps: number) => tf.maximum(a, eps),
  ifZero: (test: tf.Tensor, value: number, a: tf.Tensor) =>
    tf.where(tf.equal(test, 0), tf.fill(a.shape, value), a),
});

/** Everything the tensor projection needs about the grid, precomputed once. */
export interface ResolvedWeights {
  /** float64 weights. */
  w: Float64Array;
  /** Σ w in float64. */
  W: number;
}

/** Resolves a weight spec for n nodes into float64 weights and their float64 total. */
export function resolveGridWeights(weights: WeightSpec, n: number, fn: string): ResolvedWeights {
  const w = resolveWeights(weights, n, fn);
  let W = 0;
  for (const v of w) W += v;
  return { w, W };
}

function column(values: Float64Array | null): tf.Tensor2D | undefined {
  return values ? tf.tensor2d(Float32Array.from(values), [values.length, 1]) : undefined;
}

/**
 * The per-slice affine map of the projection of grid values `U` (`[slices, n]`, float32) as a correction,
 * `u~ = u + (scaleM1 * u + shift)` (`[slices, 1]` tensors, `null` for 0). Differentiable in `U`. The building
 * block of every tensor projection (`project`, `withProjection`, `ProjectionLayer`); exported for custom
 * training loops that evaluate the grid themselves.
 *
 * Precision. Values: `I1 = Σ w u` and `I2 = Σ w u²` are summed error-free into float32 pairs
 * (`compensatedRowSum`; `u²` by an error-free product), read back (one synchronous read of `[slices, 4]`
 * values) and the coefficients are evaluated in FLOAT64 by the same formulas (`affineCoefficients` on
 * numbers, `S = I2 - I1²/W`), returned as float32 `hi` (the tensors) and `lo` parts (`scaleM1Lo`, `shiftLo`).
 * The compensated sums are not differentiated: the gradients are those of the same formulas evaluated in
 * float32 on plain sums (`matMul`), which is all they need (relative accuracy ~1e-7).
 * `applyAffine` with the low parts then rounds `u~` correctly, so the constraint residual per slice is the
 * rounding of the outputs alone (random for the scalings; for a shift, the same fraction of an ulp for every
 * value of a binade). Gradients flow to every order (the float64 value is substituted with an identity
 * gradient). Needs a backend with cheap synchronous reads (cpu, wasm); `precise: false` skips the read and
 * evaluates the formulas in float32 on the compensated integrals with double-float targets and differences
 * (accurate when the constraint is nearly satisfied; a float32 rounding of each coefficient otherwise; no
 * low parts).
 *
 * @param U - `[slices, n]` float32 grid values, borrowed.
 * @param grid - float64 weights and `W = Σ w` (see `resolveGridWeights`).
 * @param terms - constraint type, float64 target constants (`targetConstants`), the denominator floor, and
 *   `precise` (default true).
 * @returns the map; its tensors are owned by the caller (use inside `tf.tidy`).
 * @example
 * const a = tensorAffine(U, resolveGridWeights(w, n, 'mine'), { type: 'joint', targets, eps: 1e-12 });
 * const uTilde = applyAffine(U, a);
 */
export function tensorAffine(
  U: tf.Tensor2D,
  grid: ResolvedWeights,
  terms: { type: Constraint['type']; targets: TargetConstants; eps: number; precise?: boolean },
): Affine<tf.Tensor> {
  const need = neededMoments(terms.type);
  const k = terms.targets;
  const wRow = tf.tensor2d(Float32Array.from(grid.w), [1, grid.w.length]);
  const sum1 = need.I1 ? compensatedRowSum(tf.mul(U, wRow)) : undefined;
  let sum2: DoubleFloat | undefined;
  if (need.I2) {
    const sq = twoProduct(U, U);
    const s2 = compensatedRowSum(tf.mul(sq.p, wRow));
    sum2 = { hi: s2.hi, lo: tf.add(s2.lo, tf.sum(tf.mul(sq.err, wRow), 1, true)) as tf.Tensor2D };
  }
  const targets = { c1: column(k.c1), sqrtC2: column(k.sqrtC2), sqrtR: column(k.sqrtR) };
  const float32Map = (moments: { I1?: tf.Tensor; I2?: tf.Tensor; d1?: tf.Tensor; d2?: tf.Tensor }) => {
    const { I1 } = moments;
    const S =
      need.S && I1 ? tf.matMul(tf.square(tf.sub(U, tf.div(I1, grid.W))), wRow, false, true) : undefined;
    return affineCoefficients(tensorArith, terms.type, {
      moments: { ...moments, S },
      targets,
      W: grid.W,
      eps: terms.eps,
    });
  };
  if (terms.precise === false) {
    // float32 throughout: compensated integrals, double-float targets and differences
    return float32Map({
      I1: sum1 && tf.add(sum1.hi, sum1.lo),
      I2: sum2 && tf.add(sum2.hi, sum2.lo),
      d1: sum1 && k.c1 ? doubleFloatDifference(doubleFloatColumn(k.c1), sum1) : undefined,
      d2: sum2 && k.c2Clamped ? doubleFloatDifference(doubleFloatColumn(k.c2Clamped), sum2) : undefined,
    });
  }
  // The gradient path: the same formulas on plain float32 integrals (their values are replaced below; the
  // compensated sums only provide values and are not differentiated).
  const wCol = tf.reshape(wRow, [grid.w.length, 1]) as tf.Tensor2D;
  const I1p = need.I1 ? tf.matMul(U, wCol) : undefined;
  const I2p = need.I2 ? tf.matMul(tf.square(U), wCol) : undefined;
  const a32 = float32Map({
    I1: I1p,
    I2: I2p,
    d1: I1p && k.c1 ? tf.sub(column(k.c1) as tf.Tensor, I1p) : undefined,
    d2: I2p && k.c2Clamped ? tf.sub(column(k.c2Clamped) as tf.Tensor, I2p) : undefined,
  });
  // float64 coefficients from the compensated integrals (same formulas, on numbers)
  const slices = U.shape[0];
  const zero = tf.zeros([slices, 1]);
  const parts = tf.concat([sum1?.hi ?? zero, sum1?.lo ?? zero, sum2?.hi ?? zero, sum2?.lo ?? zero], 1);
  const m = parts.dataSync();
  const hi = { scaleM1: new Float32Array(slices), shift: new Float32Array(slices) };
  const lo = { scaleM1: new Float32Array(slices), shift: new Float32Array(slices) };
  for (let s = 0; s < slices; s++) {
    const i1 = m[4 * s] + m[4 * s + 1];
    const i2 = m[4 * s + 2] + m[4 * s + 3];
    const c1 = k.c1?.[s];
    const a = affineCoefficients(numberArith, terms.type, {
      moments: {
        I1: i1,
        I2: i2,
        S: i2 - (i1 * i1) / grid.W,
        d1: c1 === undefined ? undefined : c1 - i1,
        d2: k.c2Clamped ? k.c2Clamped[s] - i2 : undefined,
      },
      targets: { c1, sqrtC2: k.sqrtC2?.[s], sqrtR: k.sqrtR?.[s] },
      W: grid.W,
      eps: terms.eps,
    });
    hi.scaleM1[s] = a.scaleM1 ?? 0;
    lo.scaleM1[s] = (a.scaleM1 ?? 0) - hi.scaleM1[s];
    hi.shift[s] = a.shift ?? 0;
    lo.shift[s] = (a.shift ?? 0) - hi.shift[s];
  }
  return {
    scaleM1: a32.scaleM1 && withValue(a32.scaleM1, hi.scaleM1),
    shift: a32.shift && withValue(a32.shift, hi.shift),
    scaleM1Lo: a32.scaleM1 && tf.tensor2d(lo.scaleM1, [slices, 1]),
    shiftLo: a32.shift && tf.tensor2d(lo.shift, [slices, 1]),
  };
}

/** `x` with its value replaced by `value` (same shape) and the identity gradient (to every order). */
function withValue(x: tf.Tensor, value: Float32Array): tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor;
    return { value: tf.tensor(value, t.shape), gradFunc: (dy: tf.Tensor) => tf.mul(dy, 1) };
  });
  return op(x);
}

/**
 * Applies `u~ = u + (scaleM1 * u + shift)` (either may be null); `u` `[N, 1]` or `[slices, n]`. With the low
 * parts of a precise map (`tensorAffine`), `u + (scaleM1 + scaleM1Lo) u + (shift + shiftLo)` is evaluated
 * with error-free products and sums and rounded once (correctly rounded up to ties), so every value carries
 * at most half an ulp; without them (or after dropping them, as the point evaluations in training do), in
 * three float32 operations.
 */
export function applyAffine(u: tf.Tensor, a: Affine<tf.Tensor>): tf.Tensor {
  if (a.scaleM1Lo || a.shiftLo) return applyAffinePrecise(u, a);
  const correction =
    a.scaleM1 && a.shift ? tf.add(tf.mul(u, a.scaleM1), a.shift) : a.scaleM1 ? tf.mul(u, a.scaleM1) : a.shift;
  return correction ? tf.add(u, correction) : u;
}

function applyAffinePrecise(u: tf.Tensor, a: Affine<tf.Tensor>): tf.Tensor {
  let acc = u;
  const small: tf.Tensor[] = [];
  if (a.scaleM1) {
    const prod = twoProduct(a.scaleM1, u);
    const sum = twoSum(acc, prod.p);
    acc = sum.s;
    small.push(prod.err, sum.err);
    if (a.scaleM1Lo) small.push(tf.mul(a.scaleM1Lo, u));
  }
  if (a.shift) {
    const sum = twoSum(acc, a.shift);
    acc = sum.s;
    small.push(sum.err);
    if (a.shiftLo) small.push(a.shiftLo);
  }
  const rest = small.reduce((x, y) => tf.add(x, y));
  return tf.add(acc, rest);
}

function checkValues(values: tf.Tensor, n: number | undefined, fn: string): void {
  if (!(values instanceof tf.Tensor) || values.rank !== 2 || values.dtype !== 'float32') {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'values' must be a float32 tensor of shape [slices, n], got ${describeValue(values)}`,
    );
  }
  if (n !== undefined && values.shape[1] !== n) {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'weights' must have one weight per grid value (values have n = ${values.shape[1]}), got ${n} weights`,
    );
  }
}

function weightCount(weights: WeightSpec, fallback: number): number {
  if (weights && typeof weights === 'object') {
    if ('length' in weights && typeof weights.length === 'number') return weights.length;
    if ('n' in weights && typeof weights.n === 'number') return weights.n;
  }
  return fallback;
}

/**
 * Projects float32 values `[slices, n]` (each row: u at the n grid nodes of one slice, e.g. one time level)
 * onto an integral constraint with quadrature weights, as a differentiable tensor op.
 *
 * Math (per slice, `W = Σ w`, `I1 = Σ w u`, `I2 = Σ w u²`, `m = I1/W`, `S = Σ w (u - m)²`):
 * linear `u + (c1 - I1)/W`; quadratic `u √(c2/I2)`; joint `c1/W + (u - m) √((c2 - c1²/W)/S)`.
 *
 * @param values - `[slices, n]` float32, borrowed.
 * @param weights - weight vector of length n, a `Quadrature`, or `{ rule, domain }`.
 * @param options - `constraint` plus {@link ProjectOptions}.
 * @returns the projected values `[slices, n]`, owned by the caller.
 * @throws {PinnProjError} `SHAPE_MISMATCH` (values/weights/targets lengths), `INVALID_ARGUMENT` (negative or
 *   non-finite weights, bad eps), `INFEASIBLE_TARGET` (unless `onInfeasible: 'clamp'`).
 * @example
 * const u = tf.randomNormal([4, 256]) as tf.Tensor2D;
 * const p = project(u, { rule: 'uniform', domain: [0, 2] }, { constraint: { type: 'linear', c1: 1 } });
 * @see Baez et al., arXiv 2511.09048 (2025), Sec. 3.
 */
export function project(
  values: tf.Tensor2D,
  weights: WeightSpec,
  options: ProjectOptions & { constraint: Constraint },
): tf.Tensor2D {
  const fn = 'project';
  validateConstraint(options?.constraint, fn, 'options.constraint');
  checkValues(values, undefined, fn);
  const [slices, n] = values.shape;
  checkValues(values, weightCount(weights, n), fn);
  const grid = resolveGridWeights(weights, n, fn);
  const eps = checkFloor(options.denominatorFloor, fn);
  const targets = targetConstants(options.constraint, grid.W, {
    slices,
    times: options.times,
    policy: options.onInfeasible,
    fn,
  });
  return tf.tidy(
    () =>
      applyAffine(
        values,
        tensorAffine(values, grid, { type: options.constraint.type, targets, eps }),
      ) as tf.Tensor2D,
  );
}

/**
 * Shift each slice so that `Σ w u~ = c1`: `u~ = u + (c1 - I1)/W`. See {@link project}.
 * @example
 * const p = projectLinear(u, quadrature('uniform', [0, 2], 256), { c1: Math.sqrt(Math.PI) });
 */
export function projectLinear(
  values: tf.Tensor2D,
  weights: WeightSpec,
  options: ProjectOptions & { c1: Target },
): tf.Tensor2D {
  return project(values, weights, { ...options, constraint: { type: 'linear', c1: options?.c1 } });
}

/**
 * Rescale each slice so that `Σ w u~² = c2`: `u~ = u √(c2/I2)`. See {@link project}.
 * @example
 * const p = projectQuadratic(u, weights, { c2: 1.25 });
 */
export function projectQuadratic(
  values: tf.Tensor2D,
  weights: WeightSpec,
  options: ProjectOptions & { c2: Target },
): tf.Tensor2D {
  return project(values, weights, { ...options, constraint: { type: 'quadratic', c2: options?.c2 } });
}

/**
 * Enforce `Σ w u~ = c1` and `Σ w u~² = c2` jointly: `u~ = c1/W + (u - m) √((c2 - c1²/W)/S)`. See {@link project}.
 * @example
 * const p = projectJoint(u, weights, { c1: 1, c2: 0.9, times, onInfeasible: 'throw' });
 */
export function projectJoint(
  values: tf.Tensor2D,
  weights: WeightSpec,
  options: ProjectOptions & { c1: Target; c2: Target },
): tf.Tensor2D {
  return project(values, weights, {
    ...options,
    constraint: { type: 'joint', c1: options?.c1, c2: options?.c2 },
  });
}
