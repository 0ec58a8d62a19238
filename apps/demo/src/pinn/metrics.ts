/**
 * Metrics of the PINN-Proj reproduction, in float64 on plain arrays (pure, no tensors).
 *
 * - relative L2 error of u over the reference grid: ||u - u_ref||_2 / ||u_ref||_2;
 * - conservation error: sum over the time levels of |I(t_k) - c(t_k)|, with I computed by the same quadrature
 *   (grid and weights) as the projection layer: I1 = sum_j w_j u_kj (linear), I2 = sum_j w_j u_kj^2 (quadratic).
 */

/** Which integrals a constraint enforces. */
export type ConstraintKind = 'linear' | 'quadratic' | 'joint';

/** ||pred - ref||_2 / ||ref||_2 over all entries. */
export function relativeL2(pred: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (pred.length !== ref.length) {
    throw new Error(`relativeL2(): arguments must have equal length, got ${pred.length} and ${ref.length}`);
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = pred[i] - ref[i];
    num += d * d;
    den += ref[i] * ref[i];
  }
  return Math.sqrt(num / den);
}

/** Per-level integrals of a `[levels, n]` row-major field with weights `w` (length n). */
export function levelIntegrals(
  u: ArrayLike<number>,
  w: ArrayLike<number>,
): { I1: Float64Array; I2: Float64Array } {
  const n = w.length;
  if (u.length % n !== 0) {
    throw new Error(`levelIntegrals(): argument 'u' must hold [levels, ${n}] values, got ${u.length}`);
  }
  const levels = u.length / n;
  const I1 = new Float64Array(levels);
  const I2 = new Float64Array(levels);
  for (let k = 0; k < levels; k++) {
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < n; j++) {
      const v = u[k * n + j];
      s1 += w[j] * v;
      s2 += w[j] * v * v;
    }
    I1[k] = s1;
    I2[k] = s2;
  }
  return { I1, I2 };
}

/** Conservation errors per level and summed, for the linear and quadratic integrals. */
export interface ConservationErrors {
  /** |I1(t_k) - c1(t_k)| per level. */
  linear: Float64Array;
  /** |I2(t_k) - c2(t_k)| per level. */
  quadratic: Float64Array;
  /** Sum over levels of `linear`. */
  linearSum: number;
  /** Sum over levels of `quadratic`. */
  quadraticSum: number;
}

/** Conservation errors of a `[levels, n]` field against per-level targets `c1`, `c2` (length levels). */
export function conservationErrors(
  u: ArrayLike<number>,
  w: ArrayLike<number>,
  targets: { c1: ArrayLike<number>; c2: ArrayLike<number> },
): ConservationErrors {
  const { I1, I2 } = levelIntegrals(u, w);
  if (targets.c1.length !== I1.length || targets.c2.length !== I1.length) {
    throw new Error(`conservationErrors(): targets must have one value per level (${I1.length})`);
  }
  const linear = I1.map((v, k) => Math.abs(v - targets.c1[k]));
  const quadratic = I2.map((v, k) => Math.abs(v - targets.c2[k]));
  const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  return { linear, quadratic, linearSum: sum(linear), quadraticSum: sum(quadratic) };
}

/** The conservation error of the integrals a constraint enforces (joint: linear + quadratic). */
export function constraintError(errors: ConservationErrors, kind: ConstraintKind): number {
  return kind === 'linear'
    ? errors.linearSum
    : kind === 'quadratic'
      ? errors.quadraticSum
      : errors.linearSum + errors.quadraticSum;
}

/** Per-level error series of the integrals a constraint enforces. */
export function constraintErrorSeries(errors: ConservationErrors, kind: ConstraintKind): Float64Array {
  return kind === 'linear'
    ? errors.linear
    : kind === 'quadratic'
      ? errors.quadratic
      : errors.linear.map((v, k) => v + errors.quadratic[k]);
}
