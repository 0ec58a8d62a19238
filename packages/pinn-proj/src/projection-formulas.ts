/**
 * The closed-form projections, written once over an arithmetic interface so that the same formulas run on
 * float64 numbers (references, metrics) and on float32 tensors (training). Each projection is the
 * w-weighted nearest point on the constraint set and is an affine map per slice, `u~ = scale * u + shift`:
 *
 * - linear:    `u~ = u + (c1 - I1) / W`                      (scale 1)
 * - quadratic: `u~ = u √(c2 / I2)`                           (shift 0)
 * - joint:     `u~ = c1/W + (u - m) √((c2 - c1²/W) / S)`, `m = I1/W`, `S = Σ w (u - m)²`
 *
 * Guards: denominators are floored at `eps` (`max(I2, eps)`, `max(S, eps)`); the joint radicand is computed
 * from the (float64) targets and clamped at 0; the square root is split (`√r / √S`) so a zero radicand
 * has a finite gradient.
 *
 * @see Baez et al., "Guaranteeing Conservation of Integrals with Projection in Physics-Informed Neural
 *   Networks", arXiv 2511.09048 (2025).
 */
import type { ConstraintType } from './constraint';

/** Element-wise arithmetic over an array kind `T` (numbers or broadcasting tensors). */
export interface Arith<T> {
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  sqrt(a: T): T;
  /** `max(a, eps)`. */
  atLeast(a: T, eps: number): T;
}

/** Per-slice moments of the values: `mean = I1 / W`, `I2 = Σ w u²`, `S = Σ w (u - mean)²`. */
export interface Moments<T> {
  mean?: T;
  I2?: T;
  S?: T;
}

/** Per-slice target constants (see `targetConstants`). */
export interface TargetTerms<T> {
  mean?: T;
  sqrtC2?: T;
  sqrtR?: T;
}

/** `u~ = scale * u + shift`; `null` means scale 1 / shift 0. */
export interface Affine<T> {
  scale: T | null;
  shift: T | null;
}

/** Which moments each projection needs. */
export function neededMoments(type: ConstraintType): { mean: boolean; I2: boolean; S: boolean } {
  return { mean: type !== 'quadratic', I2: type === 'quadratic', S: type === 'joint' };
}

/** The per-slice affine map of the projection, from moments and target terms. */
export function affineCoefficients<T>(
  ops: Arith<T>,
  type: ConstraintType,
  terms: { moments: Moments<T>; targets: TargetTerms<T>; eps: number },
): Affine<T> {
  const { moments: m, targets: k, eps } = terms;
  switch (type) {
    case 'linear':
      return { scale: null, shift: ops.sub(k.mean as T, m.mean as T) };
    case 'quadratic':
      return { scale: ops.div(k.sqrtC2 as T, ops.sqrt(ops.atLeast(m.I2 as T, eps))), shift: null };
    case 'joint': {
      const scale = ops.div(k.sqrtR as T, ops.sqrt(ops.atLeast(m.S as T, eps)));
      return { scale, shift: ops.sub(k.mean as T, ops.mul(scale, m.mean as T)) };
    }
  }
}

/** {@link Arith} on plain float64 numbers. */
export const numberArith: Arith<number> = Object.freeze({
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
  sqrt: Math.sqrt,
  atLeast: (a: number, eps: number) => (a > eps ? a : eps),
});
