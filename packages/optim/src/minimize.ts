import * as tf from '@tensorflow/tfjs';
import { createLbfgs } from './create-lbfgs';
import type { LbfgsOptions, LbfgsReason, LbfgsState, LbfgsStatus } from './create-lbfgs';
import { describeValue, type OnProgress, type ProgressInfo, type RunStatus } from '@noether/autodiff';
import { OptimError } from './errors';
import type { LossAndGrad } from './strong-wolfe';
import { float64Ops, tensorOps } from './vector-ops';

/** Progress report passed to `onProgress` after every L-BFGS iteration. */
export interface MinimizeProgress extends ProgressInfo {
  /** Completed iterations. */
  readonly step: number;
  /** The iteration budget (`maxIterations`). */
  readonly total: number;
  /** Loss after this iteration. */
  readonly loss: number;
  /** Loss evaluations so far. */
  readonly evaluations: number;
  /** Status after this iteration ('running' unless it just stopped). */
  readonly status: LbfgsStatus;
}

/** Options of {@link minimize} and {@link minimize64}: L-BFGS options plus loop control. */
export interface MinimizeOptions extends LbfgsOptions {
  /** Called after every iteration; return `false` to stop early (status `'stopped'`). */
  onProgress?: OnProgress<MinimizeProgress>;
  /**
   * Throw an {@link OptimError} (`NON_FINITE`, or `NOT_CONVERGED` for `'not-converged'` and
   * `'max-iterations'`) when L-BFGS ends in failure. Default false.
   */
  throwOnFailure?: boolean;
}

/** Outcome of a minimisation. */
export interface MinimizeResult {
  /** How it ended: `'ok'` (a tolerance met), `'stopped'` (`onProgress` returned false) or a failure. */
  status: RunStatus;
  /** Which tolerance or budget ended the run (undefined when stopped by `onProgress`). */
  reason: LbfgsReason | undefined;
  /** Detail of the status. */
  message: string;
  /** Final loss. */
  loss: number;
  /** Iterations run. */
  iterations: number;
  /** Loss evaluations (including line-search trials). */
  evaluations: number;
  /** Loss after each iteration (index 0 is the initial loss). */
  losses: number[];
}

function finishRun<V>(
  state: LbfgsState<V>,
  losses: number[],
  opts: { throwOnFailure: boolean; fn: string },
): MinimizeResult {
  const status: RunStatus = state.status === 'running' ? 'stopped' : state.status;
  const result: MinimizeResult = {
    status,
    reason: state.reason,
    message: status === 'stopped' ? 'onProgress returned false' : state.message,
    loss: state.loss,
    iterations: state.iteration,
    evaluations: state.evaluations,
    losses,
  };
  if (opts.throwOnFailure && status !== 'ok' && status !== 'stopped') {
    const code = status === 'non-finite' ? 'NON_FINITE' : 'NOT_CONVERGED';
    throw new OptimError(
      code,
      `${opts.fn}(): L-BFGS ended with '${status}' (${state.reason}): ${state.message}`,
    );
  }
  return result;
}

function run<V>(
  lbfgs: ReturnType<typeof createLbfgs<V>>,
  x0: V,
  options: MinimizeOptions & { fn: string; lossAndGrad: LossAndGrad<V> },
): { state: LbfgsState<V>; losses: number[] } {
  const { lossAndGrad } = options;
  let state = lbfgs.init(x0, lossAndGrad);
  const losses = [state.loss];
  const total = lbfgs.options.maxIterations;
  while (state.status === 'running') {
    state = lbfgs.step(state, lossAndGrad);
    losses.push(state.loss);
    const info = {
      step: state.iteration,
      total,
      loss: state.loss,
      evaluations: state.evaluations,
      status: state.status,
    };
    if (options.onProgress?.(info) === false && state.status === 'running') break;
  }
  return { state, losses };
}

/**
 * A flat view of a list of tfjs variables as one float32 vector, for driving {@link createLbfgs} with
 * {@link tensorOps} yourself (e.g. a training loop with checkpoints).
 *
 * - `read()`: new `[P]` tensor with the concatenated variable values (owned by the caller).
 * - `assign(x)`: writes `x` (borrowed) back into the variables.
 * - `lossAndGrad(x)`: assigns `x`, evaluates `lossFn` and its gradient w.r.t. the variables; returns the loss
 *   and a new flat gradient (owned by the caller). Variables whose gradient is null get zeros.
 *
 * @throws OptimError `INVALID_ARGUMENT` when `vars` is empty or holds a non-variable, or `lossFn` is not a function.
 * @example
 * const obj = variablesObjective(() => tf.sum(tf.square(w)), [w]);
 * const lbfgs = createLbfgs(tensorOps);
 * let s = lbfgs.init(obj.read(), obj.lossAndGrad);
 */
export function variablesObjective(
  lossFn: () => tf.Scalar,
  vars: readonly tf.Variable[],
): {
  size: number;
  read(): tf.Tensor1D;
  assign(x: tf.Tensor1D): void;
  lossAndGrad: LossAndGrad<tf.Tensor1D>;
} {
  const fn = 'variablesObjective';
  if (typeof lossFn !== 'function') {
    throw new OptimError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'lossFn' must be a function returning a scalar tensor, got ${describeValue(lossFn)}`,
    );
  }
  if (!Array.isArray(vars) || vars.length === 0 || vars.some((v) => !(v instanceof tf.Variable))) {
    throw new OptimError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'vars' must be a non-empty array of tf.Variable, got ${describeValue(vars)}`,
    );
  }
  const sizes = vars.map((v) => v.size);
  const size = sizes.reduce((a, b) => a + b, 0);
  const read = () => tf.tidy(() => tf.concat(vars.map((v) => tf.reshape(v, [-1]))) as tf.Tensor1D);
  const assign = (x: tf.Tensor1D) => {
    if (x.size !== size) {
      throw new OptimError(
        'INVALID_ARGUMENT',
        `${fn}().assign(): argument 'x' must have ${size} entries, got ${describeValue(x)}`,
      );
    }
    tf.tidy(() => {
      const parts = tf.split(x, sizes);
      vars.forEach((v, i) => v.assign(tf.reshape(parts[i], v.shape)));
    });
  };
  const lossAndGrad = (x: tf.Tensor1D) => {
    assign(x);
    const { value, grads } = tf.variableGrads(lossFn, vars as tf.Variable[]);
    const flat = tf.tidy(() =>
      tf.concat(vars.map((v) => (grads[v.name] ? tf.reshape(grads[v.name], [-1]) : tf.zeros([v.size])))),
    ) as tf.Tensor1D;
    const loss = value.dataSync()[0];
    value.dispose();
    tf.dispose(grads);
    return { loss, grad: flat };
  };
  return { size, read, assign, lossAndGrad };
}

/**
 * Minimises `lossFn()` over tfjs variables with L-BFGS (strong-Wolfe line search) in float32. On return the
 * variables hold the final iterate. Failure (NaN, line-search failure) is reported in `status`; set
 * `throwOnFailure` to throw instead.
 *
 * Memory: no tensors are left behind besides the variables' new values.
 *
 * @throws OptimError `INVALID_ARGUMENT` on bad arguments; `NON_FINITE`/`NOT_CONVERGED` when `throwOnFailure`.
 * @example
 * const w = tf.variable(tf.zeros([3]));
 * const target = tf.tensor1d([1, 2, 3]);
 * const r = minimize(() => tf.sum(tf.square(tf.sub(w, target))), [w], { maxIterations: 50 });
 * // r.status === 'ok', r.reason === 'grad-tol', w ≈ [1, 2, 3]
 * @see Nocedal & Wright, Numerical Optimization (2006), Algorithm 7.5.
 */
export function minimize(
  lossFn: () => tf.Scalar,
  vars: readonly tf.Variable[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const objective = variablesObjective(lossFn, vars);
  const lbfgs = createLbfgs(tensorOps, options);
  const x0 = objective.read();
  let out: ReturnType<typeof run<tf.Tensor1D>>;
  try {
    out = run(lbfgs, x0, { ...options, fn: 'minimize', lossAndGrad: objective.lossAndGrad });
  } finally {
    x0.dispose();
  }
  objective.assign(out.state.x);
  lbfgs.dispose(out.state);
  return finishRun(out.state, out.losses, {
    throwOnFailure: options.throwOnFailure ?? false,
    fn: 'minimize',
  });
}

/**
 * Minimises a float64 function with the same L-BFGS as {@link minimize} (reference accuracy, no tensors).
 *
 * @param lossAndGrad - returns f(x) and a new gradient `Float64Array`; `x` is borrowed.
 * @param x0 - starting point (not modified).
 * @returns the {@link MinimizeResult} plus the minimiser `x`.
 * @throws OptimError as {@link minimize}.
 * @example
 * const { x } = minimize64((x) => ({ loss: (x[0] - 3) ** 2, grad: new Float64Array([2 * (x[0] - 3)]) }), new Float64Array([0]));
 */
export function minimize64(
  lossAndGrad: LossAndGrad<Float64Array>,
  x0: Float64Array,
  options: MinimizeOptions = {},
): MinimizeResult & { x: Float64Array } {
  if (!(x0 instanceof Float64Array) || x0.length === 0) {
    throw new OptimError(
      'INVALID_ARGUMENT',
      `minimize64(): argument 'x0' must be a non-empty Float64Array, got ${describeValue(x0)}`,
    );
  }
  const lbfgs = createLbfgs(float64Ops, options);
  const out = run(lbfgs, x0, { ...options, fn: 'minimize64', lossAndGrad });
  const result = finishRun(out.state, out.losses, {
    throwOnFailure: options.throwOnFailure ?? false,
    fn: 'minimize64',
  });
  return { ...result, x: out.state.x };
}
