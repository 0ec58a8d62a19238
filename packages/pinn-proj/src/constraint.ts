import { describeValue } from '@noether/autodiff';
import { PinnProjError, invalid } from './errors';

/**
 * A target value of an integral: a constant, one value per slice (time level), or a float64 callback `c(t)`
 * evaluated at each slice's time (for non-conserved systems, e.g. `c1(t) = c0 e^{0.5 t}`).
 */
export type Target = number | ArrayLike<number> | ((t: number) => number);

/** Which integrals are constrained. `c1` targets `∫ u`, `c2` targets `∫ u²`. */
export type Constraint =
  | { readonly type: 'linear'; readonly c1: Target }
  | { readonly type: 'quadratic'; readonly c2: Target }
  | { readonly type: 'joint'; readonly c1: Target; readonly c2: Target };

/** The constraint kinds. */
export type ConstraintType = Constraint['type'];

/** What to do with infeasible targets (`c2 <= 0` for quadratic, `c2 < c1²/W` for joint). */
export type InfeasiblePolicy = 'throw' | 'clamp';

/** Per-slice outcome of a projection. */
export type SliceStatus = 'ok' | 'infeasible' | 'degenerate' | 'non-finite';

/**
 * Per-slice target constants in float64, computed once from the targets (data, not learned):
 * `mean = c1 / W`, `sqrtC2 = √c2`, `sqrtR = √(c2 - c1²/W)` (the joint radicand, clamped at 0), `c2Clamped`.
 */
export interface TargetConstants {
  readonly c1: Float64Array | null;
  readonly c2: Float64Array | null;
  /**
   * `c2` as the projections use it: infeasible targets clamped to the nearest feasible value (`max(c2, 0)`
   * for quadratic, `max(c2, c1²/W)` for joint); equal to `c2` where feasible.
   */
  readonly c2Clamped: Float64Array | null;
  readonly mean: Float64Array | null;
  readonly sqrtC2: Float64Array | null;
  readonly sqrtR: Float64Array | null;
  /** 1 where the targets are infeasible (only when the policy is `'clamp'`; `'throw'` throws instead). */
  readonly infeasible: Uint8Array;
}

const TYPES: readonly ConstraintType[] = ['linear', 'quadratic', 'joint'];

/** Validates a constraint object, naming `fn` and `arg` in errors. */
export function validateConstraint(constraint: Constraint, fn: string, arg = 'constraint'): void {
  if (constraint === null || typeof constraint !== 'object' || !TYPES.includes(constraint.type)) {
    invalid(
      [fn, `${arg}.type`],
      `one of ${TYPES.join(', ')}`,
      (constraint as { type?: unknown } | null)?.type,
    );
  }
  if (constraint.type !== 'quadratic' && (constraint as { c1?: unknown }).c1 === undefined) {
    invalid([fn, `${arg}.c1`], 'a number, an array or a function of t', undefined);
  }
  if (constraint.type !== 'linear' && (constraint as { c2?: unknown }).c2 === undefined) {
    invalid([fn, `${arg}.c2`], 'a number, an array or a function of t', undefined);
  }
}

/** Whether a target depends on the slice (an array or a callback). */
export function isConstantTarget(target: Target): target is number {
  return typeof target === 'number';
}

function evaluateTarget(
  target: Target,
  slices: number,
  ctx: { fn: string; arg: string; times: ArrayLike<number> | undefined },
): Float64Array {
  const { times } = ctx;
  const out = new Float64Array(slices);
  if (typeof target === 'number') {
    if (!Number.isFinite(target)) invalid([ctx.fn, ctx.arg], 'a finite number', target);
    out.fill(target);
  } else if (typeof target === 'function') {
    if (times === undefined)
      invalid([ctx.fn, 'options.times'], `one time per slice when ${ctx.arg} is a function of t`, times);
    for (let k = 0; k < slices; k++) {
      const v = target(times[k]);
      if (typeof v !== 'number' || !Number.isFinite(v))
        invalid([ctx.fn, `${ctx.arg}(${times[k]})`], 'a finite number', v);
      out[k] = v;
    }
  } else if (target !== null && typeof target === 'object' && typeof target.length === 'number') {
    if (target.length !== slices) {
      throw new PinnProjError(
        'SHAPE_MISMATCH',
        `${ctx.fn}(): argument '${ctx.arg}' must have one target per slice (${slices}), got ${describeValue(target)}`,
      );
    }
    for (let k = 0; k < slices; k++) {
      if (!Number.isFinite(target[k])) invalid([ctx.fn, `${ctx.arg}[${k}]`], 'a finite number', target[k]);
      out[k] = target[k];
    }
  } else {
    invalid([ctx.fn, ctx.arg], 'a number, an array or a function of t', target);
  }
  return out;
}

/**
 * Evaluates the targets for `slices` slices (at `times`, when a target is a callback) and derives the
 * constants the closed-form projections need, in float64. Detects infeasible targets: `c2 <= 0`
 * (quadratic: the projection would collapse to `u~ = 0`) and `c2 < c1²/W` (joint: Cauchy–Schwarz).
 *
 * @param W - total weight `Σ w_j` (the measure of the domain).
 * @throws {PinnProjError} `INFEASIBLE_TARGET` when a target is infeasible and `policy` is `'throw'`;
 *   `INVALID_ARGUMENT` / `SHAPE_MISMATCH` for malformed targets.
 */
export function targetConstants(
  constraint: Constraint,
  W: number,
  options: { slices: number; times?: ArrayLike<number>; policy?: InfeasiblePolicy; fn?: string },
): TargetConstants {
  const fn = options.fn ?? 'targetConstants';
  validateConstraint(constraint, fn);
  const { slices, times } = options;
  const policy = options.policy ?? 'throw';
  if (policy !== 'throw' && policy !== 'clamp')
    invalid([fn, 'options.onInfeasible'], "'throw' or 'clamp'", policy);
  if (times !== undefined && times.length !== slices) {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'options.times' must have one time per slice (${slices}), got ${describeValue(times)}`,
    );
  }
  const c1 =
    constraint.type === 'quadratic' ? null : evaluateTarget(constraint.c1, slices, { fn, arg: 'c1', times });
  const c2 =
    constraint.type === 'linear' ? null : evaluateTarget(constraint.c2, slices, { fn, arg: 'c2', times });
  const infeasible = new Uint8Array(slices);
  let mean: Float64Array | null = null;
  let sqrtC2: Float64Array | null = null;
  let sqrtR: Float64Array | null = null;
  const c2Clamped = c2 ? Float64Array.from(c2) : null;
  if (c1) mean = c1.map((c) => c / W);
  if (constraint.type === 'quadratic' && c2) {
    sqrtC2 = new Float64Array(slices);
    for (let k = 0; k < slices; k++) {
      if (!(c2[k] > 0)) {
        if (policy === 'throw') {
          throw new PinnProjError(
            'INFEASIBLE_TARGET',
            `${fn}(): quadratic target c2 must be > 0, got c2 = ${c2[k]}${times ? ` at t = ${times[k]}` : ''} (slice ${k})`,
          );
        }
        infeasible[k] = 1;
      }
      sqrtC2[k] = Math.sqrt(Math.max(c2[k], 0));
      if (c2Clamped && !(c2[k] > 0)) c2Clamped[k] = 0;
    }
  }
  if (constraint.type === 'joint' && c1 && c2) {
    sqrtR = new Float64Array(slices);
    for (let k = 0; k < slices; k++) {
      const r = c2[k] - (c1[k] * c1[k]) / W;
      if (r < 0) {
        if (policy === 'throw') {
          throw new PinnProjError(
            'INFEASIBLE_TARGET',
            `${fn}(): joint targets are infeasible: c2 must be >= c1^2/W (Cauchy-Schwarz), got c2 = ${c2[k]} < ${(c1[k] * c1[k]) / W}${
              times ? ` at t = ${times[k]}` : ''
            } (slice ${k})`,
          );
        }
        infeasible[k] = 1;
      }
      sqrtR[k] = Math.sqrt(Math.max(r, 0));
      if (c2Clamped && r < 0) c2Clamped[k] = (c1[k] * c1[k]) / W;
    }
  }
  return { c1, c2, c2Clamped, mean, sqrtC2, sqrtR, infeasible };
}
