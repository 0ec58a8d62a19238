import * as tf from '@tensorflow/tfjs';
import { reversePass } from './core-gradients';
import { AutodiffError, describeValue } from './errors';
import type { CheckStatus } from './status';
import { richardsonSlope } from './finite-differences';
import type { TensorFunction } from './grad';
import { createRng } from './rng';
import { assertFunction, assertTensor, checkOutput } from './validate';

/** Options of {@link checkGrads}. */
export interface CheckGradsOptions {
  /** Highest derivative order checked; every order 1..order is checked. 1 to 3, default 1. */
  order?: number;
  /** Finite-difference step along the unit direction. Default 1e-2 (Richardson-extrapolated, so O(fdStep^4)). */
  fdStep?: number;
  /** Pass threshold: `|autodiff - fd| <= tol * max(1, |fd|)` for every check. Default 1e-3 (float32). */
  tol?: number;
  /** Number of random unit directions per order. Default 3. */
  directions?: number;
  /** Seed of the directions and of the output weights. Default 0. */
  seed?: number;
}

/** One directional check. */
export interface GradCheck {
  order: number;
  direction: number;
  autodiff: number;
  finiteDifference: number;
  absError: number;
}

/** The outcome of {@link checkGrads}. */
export interface CheckGradsResult {
  /** Max over checks of `|autodiff - fd|`. */
  maxAbsError: number;
  /** Max over checks of `|autodiff - fd| / max(|fd|, 1e-12)`. */
  maxRelError: number;
  /** `'pass'` when every check is within `tol * max(1, |fd|)` and every value finite, else `'fail'`. */
  status: CheckStatus;
  /** Some derivative or finite difference was NaN or infinite (then `status` is `'fail'`). */
  nonFinite: boolean;
  checks: GradCheck[];
}

function validatePositive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `checkGrads(): argument '${name}' must be a finite positive number, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * Checks the derivatives of `f` at `x` up to `order` against finite differences.
 *
 * `f` is first reduced to a scalar `s(x) = <w, f(x)>` with seeded random weights `w` (w = 1 for a scalar f).
 * Along seeded random unit directions v, with `φ_0 = s` and `φ_k(x) = <∇φ_{k-1}(x), v>` computed by nested
 * autodiff, the check compares `φ_k(x)` with the Richardson-extrapolated central difference
 * `d/dt φ_{k-1}(x + t v)` at t = 0 (steps eps and eps/2, error O(eps^4)). Differencing the order-(k-1)
 * autodiff derivative, instead of differencing `f` k times, keeps float32 round-off at ~1e-7/eps for every
 * order; each order-(k-1) quantity is itself checked one level down, so the chain covers orders 1..order.
 *
 * @param f - any tensor function of x.
 * @param x - the point (borrowed).
 * @returns plain numbers (no tensors to dispose).
 * @throws {AutodiffError} `INVALID_ARGUMENT` for bad arguments (order outside 1..3, non-positive fdStep/tol).
 * @example
 * const { status, maxRelError } = checkGrads((x) => tf.sum(tf.tanh(x)), tf.tensor1d([0.3, -1]), { order: 3 });
 * @see Griewank & Walther (2008), ch. 1 (checking derivatives); Richardson (1927).
 */
export function checkGrads(
  f: TensorFunction,
  x: tf.Tensor,
  options: CheckGradsOptions = {},
): CheckGradsResult {
  assertFunction('checkGrads', 'f', f);
  assertTensor({ fn: 'checkGrads', name: 'x' }, x);
  const order = options.order ?? 1;
  if (!Number.isInteger(order) || order < 1 || order > 3) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `checkGrads(): argument 'options.order' must be 1, 2 or 3, got ${describeValue(order)}`,
    );
  }
  const eps = validatePositive('options.fdStep', options.fdStep ?? 1e-2);
  const tol = validatePositive('options.tol', options.tol ?? 1e-3);
  const directions = options.directions ?? 3;
  if (!Number.isInteger(directions) || directions < 1) {
    throw new AutodiffError(
      'INVALID_ARGUMENT',
      `checkGrads(): argument 'options.directions' must be a positive integer, got ${describeValue(directions)}`,
    );
  }
  const seed = options.seed ?? 0;

  const outputShape = tf.tidy(() => checkOutput('checkGrads', f(x)).shape);
  const outputSize = outputShape.reduce((a, b) => a * b, 1);
  const rng = createRng(seed);
  const normals = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal());
  const weights = Float32Array.from(outputSize === 1 ? [1] : normals(outputSize));
  const scalarize = (y: tf.Tensor) => tf.sum(tf.mul(y, tf.tensor(weights, y.shape)));

  const checks: GradCheck[] = [];
  for (let dir = 0; dir < directions; dir++) {
    const raw = normals(x.size);
    const norm = Math.hypot(...raw) || 1;
    const v = Float32Array.from(raw, (r) => r / norm);
    // phi(k, point): the k-th directional derivative of s along v, by nested reverse passes.
    const phi = (k: number, point: tf.Tensor): tf.Tensor => {
      if (k === 0) return scalarize(f(point));
      return tf.sum(tf.mul(reversePass(() => phi(k - 1, point), point).grad, tf.tensor(v, point.shape)));
    };
    const evalAt = (k: number, t: number): number =>
      tf.tidy(() => phi(k, t === 0 ? x : tf.add(x, tf.mul(tf.tensor(v, x.shape), t))).dataSync()[0]);
    for (let k = 1; k <= order; k++) {
      const autodiff = evalAt(k, 0);
      const finiteDifference = richardsonSlope((t) => evalAt(k - 1, t), eps);
      checks.push({
        order: k,
        direction: dir,
        autodiff,
        finiteDifference,
        absError: Math.abs(autodiff - finiteDifference),
      });
    }
  }
  const nonFinite = checks.some((c) => !Number.isFinite(c.autodiff) || !Number.isFinite(c.finiteDifference));
  const maxAbsError = Math.max(...checks.map((c) => c.absError));
  const maxRelError = Math.max(
    ...checks.map((c) => c.absError / Math.max(Math.abs(c.finiteDifference), 1e-12)),
  );
  const pass =
    !nonFinite && checks.every((c) => c.absError <= tol * Math.max(1, Math.abs(c.finiteDifference)));
  return {
    maxAbsError: nonFinite ? NaN : maxAbsError,
    maxRelError: nonFinite ? NaN : maxRelError,
    status: pass ? 'pass' : 'fail',
    nonFinite,
    checks,
  };
}
