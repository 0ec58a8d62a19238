import { describeValue, type RunStatus } from '@noether/autodiff';
import { checkNumber, OptimError } from './errors';
import { strongWolfe } from './strong-wolfe';
import type { LossAndGrad, StrongWolfeOptions } from './strong-wolfe';
import type { VectorOps } from './vector-ops';

/**
 * Whether L-BFGS runs or how it ended (the {@link RunStatus} vocabulary): `'ok'` (a tolerance met),
 * `'max-iterations'` (iteration or evaluation budget spent), `'not-converged'` (the line search failed),
 * `'non-finite'`. The detail is in {@link LbfgsReason}.
 */
export type LbfgsStatus =
  'running' | Extract<RunStatus, 'ok' | 'max-iterations' | 'not-converged' | 'non-finite'>;

/**
 * Why L-BFGS stopped.
 * - `grad-tol`: max|g| <= gradTol (status `'ok'`).
 * - `change-tol`: loss change, step size or directional derivative below changeTol (status `'ok'`: converged
 *   to the precision of the arithmetic).
 * - `max-iterations` / `max-evaluations`: budget spent (status `'max-iterations'`).
 * - `non-finite`: the loss or gradient at the current point is NaN/Infinity (status `'non-finite'`).
 * - `line-search-failed`: no step along a descent direction decreased the loss, typically the float32 floor
 *   (status `'not-converged'`).
 */
export type LbfgsReason =
  'grad-tol' | 'change-tol' | 'max-iterations' | 'max-evaluations' | 'non-finite' | 'line-search-failed';

const STATUS_OF: Readonly<Record<LbfgsReason, Exclude<LbfgsStatus, 'running'>>> = {
  'grad-tol': 'ok',
  'change-tol': 'ok',
  'max-iterations': 'max-iterations',
  'max-evaluations': 'max-iterations',
  'non-finite': 'non-finite',
  'line-search-failed': 'not-converged',
};

/** Options of {@link createLbfgs}; every field has a default. */
export interface LbfgsOptions {
  /** Number of (s, y) pairs kept. Default 10 (the PINN-Proj paper uses 50). */
  historySize?: number;
  /** Iteration cap. Default 1000. */
  maxIterations?: number;
  /** Loss-evaluation cap (including line-search trials). Default `ceil(1.25 * maxIterations) + 1`. */
  maxEvaluations?: number;
  /** Converged when max|g| <= this. Default 1e-7. */
  gradTol?: number;
  /** Converged when |f_k+1 - f_k|, max|x_k+1 - x_k| or |g.d| fall below this. Default 1e-9. */
  changeTol?: number;
  /** Scale of the trial step (1 is the natural quasi-Newton step). Default 1. */
  learningRate?: number;
  /** Strong-Wolfe constants. Defaults c1 = 1e-4, c2 = 0.9, 25 evaluations. */
  lineSearch?: StrongWolfeOptions;
}

/**
 * Explicit L-BFGS state. Treat it as immutable: {@link Lbfgs.step} consumes it and returns the next one
 * (the vectors of a consumed state are released; do not use them afterwards).
 */
export interface LbfgsState<V> {
  /** Current iterate (owned by the state). */
  readonly x: V;
  /** f(x). */
  readonly loss: number;
  /** grad f(x) (owned by the state). */
  readonly grad: V;
  /** Step differences s_i = x_i+1 - x_i, oldest first. */
  readonly s: readonly V[];
  /** Gradient differences y_i = g_i+1 - g_i, oldest first. */
  readonly y: readonly V[];
  /** 1 / (y_i . s_i). */
  readonly rho: readonly number[];
  /** Initial inverse-Hessian scale gamma = s.y / y.y of the newest pair (1 before the first pair). */
  readonly gamma: number;
  /** Completed iterations. */
  readonly iteration: number;
  /** Loss evaluations so far (including the initial one). */
  readonly evaluations: number;
  /** `'running'`, or how it ended. */
  readonly status: LbfgsStatus;
  /** Why it stopped (undefined while running). */
  readonly reason?: LbfgsReason;
  /** Human-readable detail of the status. */
  readonly message: string;
}

/** L-BFGS as an explicit `{ init, step }` pair over one array kind. */
export interface Lbfgs<V> {
  /** The resolved options (frozen). */
  readonly options: Readonly<Required<Omit<LbfgsOptions, 'lineSearch'>>> & {
    readonly lineSearch: StrongWolfeOptions;
  };
  /** Evaluates f at `x0` (borrowed, copied) and returns the first state. */
  init(x0: V, lossAndGrad: LossAndGrad<V>): LbfgsState<V>;
  /** One iteration: two-loop direction, strong-Wolfe step, history update, stopping tests. Consumes `state`. */
  step(state: LbfgsState<V>, lossAndGrad: LossAndGrad<V>): LbfgsState<V>;
  /** Releases the vectors held by `state`. */
  dispose(state: LbfgsState<V>): void;
}

/**
 * Creates limited-memory BFGS with a strong-Wolfe line search, written once over {@link VectorOps} so the same
 * algorithm runs on `Float64Array` ({@link float64Ops}) and on flat float32 tensors ({@link tensorOps}).
 *
 * Direction: `d = -H_k g` by the two-loop recursion with `H_0 = gamma I`, `gamma = s.y / y.y` (Nocedal & Wright
 * Alg. 7.4). Step: strong Wolfe (Alg. 3.5/3.6, cubic interpolation); the first step is `min(1, 1/|g|_1)`.
 * Pairs with `y.s <= 1e-10` are skipped, keeping H positive definite. A non-descent direction resets the history.
 *
 * @throws OptimError `INVALID_ARGUMENT` for bad options.
 * @example
 * const lbfgs = createLbfgs(float64Ops, { historySize: 10, gradTol: 1e-10 });
 * let s = lbfgs.init(new Float64Array([-1.2, 1]), rosenbrock);
 * while (s.status === 'running') s = lbfgs.step(s, rosenbrock);
 * @see Nocedal & Wright, Numerical Optimization, 2nd ed. (2006), Algorithms 3.5, 3.6, 7.4, 7.5.
 * @see Liu & Nocedal, On the limited memory BFGS method for large scale optimization, Math. Prog. 45 (1989).
 */
export function createLbfgs<V>(ops: VectorOps<V>, options: LbfgsOptions = {}): Lbfgs<V> {
  const fn = 'createLbfgs';
  if (ops === null || typeof ops !== 'object' || typeof ops.dot !== 'function') {
    throw new OptimError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'ops' must be a VectorOps object, got ${describeValue(ops)}`,
    );
  }
  const historySize = options.historySize ?? 10;
  const maxIterations = options.maxIterations ?? 1000;
  const maxEvaluations = options.maxEvaluations ?? Math.ceil(1.25 * maxIterations) + 1;
  const gradTol = options.gradTol ?? 1e-7;
  const changeTol = options.changeTol ?? 1e-9;
  const learningRate = options.learningRate ?? 1;
  checkNumber({ fn, name: 'options.historySize' }, historySize, { min: 1, inclusive: true, integer: true });
  checkNumber({ fn, name: 'options.maxIterations' }, maxIterations, {
    min: 0,
    inclusive: true,
    integer: true,
  });
  checkNumber({ fn, name: 'options.maxEvaluations' }, maxEvaluations, {
    min: 1,
    inclusive: true,
    integer: true,
  });
  checkNumber({ fn, name: 'options.gradTol' }, gradTol, { min: 0, inclusive: true });
  checkNumber({ fn, name: 'options.changeTol' }, changeTol, { min: 0, inclusive: true });
  checkNumber({ fn, name: 'options.learningRate' }, learningRate, { min: 0 });
  const ls = options.lineSearch ?? {};
  const c1 = ls.c1 ?? 1e-4;
  const c2 = ls.c2 ?? 0.9;
  if (!(c1 > 0 && c1 < c2 && c2 < 1)) {
    throw new OptimError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'options.lineSearch' must satisfy 0 < c1 < c2 < 1, got c1 = ${describeValue(c1)}, c2 = ${describeValue(c2)}`,
    );
  }
  checkNumber({ fn, name: 'options.lineSearch.maxEvaluations' }, ls.maxEvaluations ?? 25, {
    min: 1,
    inclusive: true,
    integer: true,
  });
  const lineSearch = Object.freeze({
    c1,
    c2,
    maxEvaluations: ls.maxEvaluations ?? 25,
    tolerance: ls.tolerance ?? changeTol,
  });
  const resolved = Object.freeze({
    historySize,
    maxIterations,
    maxEvaluations,
    gradTol,
    changeTol,
    learningRate,
    lineSearch,
  });

  const release = (state: LbfgsState<V>, keep: ReadonlySet<V>) => {
    for (const v of [state.x, state.grad, ...state.s, ...state.y]) if (!keep.has(v)) ops.dispose(v);
  };

  /** d = -H g by the two-loop recursion. */
  const direction = (state: LbfgsState<V>): V => {
    const m = state.s.length;
    if (m === 0) return ops.scale(-1, state.grad);
    const alpha = new Array<number>(m);
    let q = ops.clone(state.grad);
    for (let i = m - 1; i >= 0; i--) {
      alpha[i] = state.rho[i] * ops.dot(state.s[i], q);
      const next = ops.axpy(-alpha[i], state.y[i], q);
      ops.dispose(q);
      q = next;
    }
    let r = ops.scale(state.gamma, q);
    ops.dispose(q);
    for (let i = 0; i < m; i++) {
      const beta = state.rho[i] * ops.dot(state.y[i], r);
      const next = ops.axpy(alpha[i] - beta, state.s[i], r);
      ops.dispose(r);
      r = next;
    }
    const d = ops.scale(-1, r);
    ops.dispose(r);
    return d;
  };

  const stopped = (state: LbfgsState<V>, reason: LbfgsReason, message: string): LbfgsState<V> => ({
    ...state,
    status: STATUS_OF[reason],
    reason,
    message,
  });

  return Object.freeze({
    options: resolved,
    init(x0: V, lossAndGrad: LossAndGrad<V>): LbfgsState<V> {
      if (typeof lossAndGrad !== 'function') {
        throw new OptimError(
          'INVALID_ARGUMENT',
          `lbfgs.init(): argument 'lossAndGrad' must be a function, got ${describeValue(lossAndGrad)}`,
        );
      }
      const x = ops.clone(x0);
      const { loss, grad } = lossAndGrad(x);
      const gMax = ops.normInf(grad);
      const base: LbfgsState<V> = {
        x,
        loss,
        grad,
        s: [],
        y: [],
        rho: [],
        gamma: 1,
        iteration: 0,
        evaluations: 1,
        status: 'running',
        message: '',
      };
      if (!Number.isFinite(loss) || !Number.isFinite(gMax)) {
        return stopped(
          base,
          'non-finite',
          `initial loss ${loss} or gradient (max |g| = ${gMax}) is not finite`,
        );
      }
      if (gMax <= gradTol) return stopped(base, 'grad-tol', `max|g| = ${gMax} <= ${gradTol} at the start`);
      if (maxIterations === 0) return stopped(base, 'max-iterations', 'maxIterations is 0');
      return base;
    },
    step(state: LbfgsState<V>, lossAndGrad: LossAndGrad<V>): LbfgsState<V> {
      if (state.status !== 'running') return state;
      let current = state;
      let d = direction(current);
      let gtd = ops.dot(current.grad, d);
      if (!(gtd < 0) && current.s.length > 0) {
        // Not a descent direction (round-off in H): forget the history and use steepest descent.
        ops.dispose(d);
        for (const v of [...current.s, ...current.y]) ops.dispose(v);
        current = { ...current, s: [], y: [], rho: [], gamma: 1 };
        d = ops.scale(-1, current.grad);
        gtd = ops.dot(current.grad, d);
      }
      if (!Number.isFinite(gtd)) {
        ops.dispose(d);
        return stopped(current, 'non-finite', `directional derivative g.d = ${gtd} is not finite`);
      }
      if (Math.abs(gtd) <= changeTol) {
        ops.dispose(d);
        return stopped(current, 'change-tol', `|g.d| = ${Math.abs(gtd)} <= ${changeTol}`);
      }
      const t0 =
        current.iteration === 0 && current.s.length === 0
          ? Math.min(1, 1 / ops.norm1(current.grad)) * learningRate
          : learningRate;
      const found = strongWolfe(ops, lossAndGrad, {
        ...lineSearch,
        maxEvaluations: Math.max(
          1,
          Math.min(lineSearch.maxEvaluations, maxEvaluations - current.evaluations),
        ),
        x: current.x,
        d,
        f0: current.loss,
        gtd0: gtd,
        t0,
      });
      const evaluations = current.evaluations + found.evaluations;
      if (found.grad === undefined) {
        ops.dispose(d);
        const reason: LbfgsReason =
          evaluations >= maxEvaluations
            ? 'max-evaluations'
            : found.sawNonFinite
              ? 'non-finite'
              : 'line-search-failed';
        const why = found.sawNonFinite
          ? 'every trial point was non-finite or no better'
          : 'no trial step decreased the loss';
        return stopped(
          { ...current, evaluations },
          reason,
          `line search: ${why} (${found.evaluations} evaluations)`,
        );
      }
      const sNew = ops.scale(found.t, d);
      ops.dispose(d);
      const xNew = ops.axpy(1, sNew, current.x);
      const yNew = ops.sub(found.grad, current.grad);
      const ys = ops.dot(yNew, sNew);
      let s = current.s;
      let y = current.y;
      let rho = current.rho;
      let gamma = current.gamma;
      const dropped: V[] = [];
      if (ys > 1e-10) {
        s = [...s, sNew];
        y = [...y, yNew];
        rho = [...rho, 1 / ys];
        gamma = ys / ops.dot(yNew, yNew);
        if (s.length > historySize) {
          dropped.push(s[0], y[0]);
          s = s.slice(1);
          y = y.slice(1);
          rho = rho.slice(1);
        }
      } else {
        dropped.push(sNew, yNew);
      }
      const stepMax = ops.normInf(sNew);
      const gMax = ops.normInf(found.grad);
      const lossChange = Math.abs(found.loss - current.loss);
      ops.dispose(current.x);
      ops.dispose(current.grad);
      for (const v of dropped) ops.dispose(v);
      const next: LbfgsState<V> = {
        x: xNew,
        loss: found.loss,
        grad: found.grad,
        s,
        y,
        rho,
        gamma,
        iteration: current.iteration + 1,
        evaluations,
        status: 'running',
        message: '',
      };
      if (!Number.isFinite(gMax))
        return stopped(next, 'non-finite', `gradient is not finite (max|g| = ${gMax})`);
      if (gMax <= gradTol) return stopped(next, 'grad-tol', `max|g| = ${gMax} <= ${gradTol}`);
      if (stepMax <= changeTol) return stopped(next, 'change-tol', `max|dx| = ${stepMax} <= ${changeTol}`);
      if (lossChange < changeTol) return stopped(next, 'change-tol', `|df| = ${lossChange} < ${changeTol}`);
      if (next.iteration >= maxIterations)
        return stopped(next, 'max-iterations', `reached ${maxIterations} iterations`);
      if (evaluations >= maxEvaluations)
        return stopped(next, 'max-evaluations', `reached ${evaluations} evaluations`);
      return next;
    },
    dispose(state: LbfgsState<V>): void {
      release(state, new Set());
    },
  });
}
