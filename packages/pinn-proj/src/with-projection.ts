import * as tf from '@tensorflow/tfjs';
import { isConstantTarget, targetConstants, validateConstraint } from './constraint';
import type { Constraint, InfeasiblePolicy } from './constraint';
import { describeValue } from '@noether/autodiff';
import { PinnProjError, invalid } from './errors';
import { applyAffine, resolveGridWeights, tensorAffine } from './project';
import { checkFloor } from './project64';
import type { Affine } from './projection-formulas';
import type { Quadrature, WeightSpec } from './quadrature';

/**
 * A pointwise network `u(x, t)`: a function of `xt` (`[N, d + 1]`, spatial coordinates first, time in the
 * last column) returning `[N, 1]` (or `[N]`), or anything with `apply` such as a `tf.LayersModel` or a
 * `tf.layers.Layer`.
 */
export type NetLike =
  | ((xt: tf.Tensor2D) => tf.Tensor)
  | {
      apply(
        inputs: tf.Tensor,
        kwargs?: Record<string, unknown>,
      ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[];
    };

/** Distinct time levels of a batch of query points: `times[index[i]]` is point i's time. */
export interface TimeLevels {
  /** Distinct times, ascending (the exact float32 values of the t column). */
  readonly times: Float64Array;
  /** Level of each query point, length N. */
  readonly index: Int32Array;
}

/** How time derivatives of `u~` treat the t-dependence of the correction. */
export type TimeDerivativeMode = 'detached' | 'exact';

/** Options for {@link withProjection}. */
export interface WithProjectionOptions {
  /**
   * The spatial quadrature grid: a {@link Quadrature} (nodes and weights), or node coordinates (`[n]` for
   * 1D, `[n][d]` or row-major `[n * d]` with `dim` for d-D) together with `weights`.
   */
  grid: Quadrature | ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;
  /** Quadrature weights; required unless `grid` is a Quadrature. */
  weights?: WeightSpec;
  /** Spatial dimension when `grid` is a flat row-major array of d-D nodes. Default 1. */
  dim?: number;
  /** The constraint and its targets (constants, per-level arrays are not allowed here, or callbacks c(t)). */
  constraint: Constraint;
  /**
   * `'detached'` (default, the 2025 reference code): time derivatives of `u~` see the correction as a
   * constant in t, `u~_t = scale(t) u_t`; weights still get exact gradients through the grid evaluations.
   * `'exact'` (the 2024 code): time derivatives include the t-dependence of the correction, exact up to
   * order `exactOrder` in t (a Taylor jet per time level), at several times the cost. Constant targets only.
   */
  timeDerivative?: TimeDerivativeMode;
  /** Highest t-derivative of `u~` that is exact in `'exact'` mode: 1, 2 (default) or 3. */
  exactOrder?: 1 | 2 | 3;
  /** Floor of the denominators `I2` and `S`. Default 1e-12. */
  denominatorFloor?: number;
  /** Infeasible targets: `'throw'` (default) or `'clamp'`. */
  onInfeasible?: InfeasiblePolicy;
}

/** A projected network `u~`, returned by {@link withProjection}. */
export interface ProjectedNet {
  /**
   * `u~` at query points `xt` (`[N, d + 1]`, borrowed) → `[N, 1]` (owned). The grid integrals are computed
   * once per distinct time; pass `levels` (from a shared-time-level sampler) to skip reading the t column.
   */
  (xt: tf.Tensor2D, options?: { levels?: TimeLevels }): tf.Tensor2D;
  /** Projected values on the quadrature grid at `times` → `[K, n]` (owned), for metrics and plots. */
  gridValues(times: ArrayLike<number>): tf.Tensor2D;
  /**
   * Detached mode only: computes the per-level correction ONCE for the given levels and returns
   * `xt → u~` that reuses it, so the nested `tf.grad` calls of a residual (u, u_x, u_xx, u_xxx, ...) do
   * not re-evaluate the grid each time. Gradients w.r.t. the weights still flow through the correction
   * when `prepare` is called inside the loss function (inside `tf.variableGrads` / `optimizer.minimize`).
   * The correction tensors belong to the current `tf.tidy` scope. The returned function is called on the
   * prepared points (`levels.index.length` rows), or on any other point set whose times are among
   * `levels.times` with that set's own `index` (one level per row): collocation, data and initial-condition
   * points then share one grid evaluation.
   *
   * @throws {PinnProjError} `UNSUPPORTED` in `'exact'` mode.
   */
  prepare(levels: TimeLevels): (xt: tf.Tensor2D, index?: Int32Array) => tf.Tensor2D;
  /** The resolved grid (float64 nodes `[n, dim]` row-major, weights, W = Σ w). */
  readonly grid: {
    readonly nodes: Float64Array;
    readonly weights: Float64Array;
    readonly dim: number;
    readonly n: number;
    readonly W: number;
  };
  /** The constraint enforced. */
  readonly constraint: Constraint;
  /** The time-derivative mode. */
  readonly timeDerivative: TimeDerivativeMode;
}

/** Calls a {@link NetLike} and checks it returns `[N, 1]`. */
export function callNet(net: NetLike, x: tf.Tensor2D, fn = 'withProjection'): tf.Tensor2D {
  const out = typeof net === 'function' ? net(x) : net.apply(x);
  if (!(out instanceof tf.Tensor)) {
    throw new PinnProjError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'net' must return one tensor, got ${describeValue(out)}`,
    );
  }
  const N = x.shape[0];
  if (out.size !== N || (out.rank === 2 && out.shape[1] !== 1) || out.rank > 2) {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'net' must map [N, ${x.shape[1]}] to [N, 1], got ${describeValue(out)}`,
    );
  }
  return (out.rank === 2 ? out : tf.reshape(out, [N, 1])) as tf.Tensor2D;
}

/**
 * Groups time values into distinct levels (exact equality), e.g. the t column of a batch of query points.
 *
 * @example
 * const levels = timeLevelsOf(xt.slice([0, 1], [-1, 1]).dataSync()); // { times, index }
 */
export function timeLevelsOf(t: ArrayLike<number>): TimeLevels {
  const distinct = Float64Array.from(new Set(Array.from(t))).sort();
  const lookup = new Map<number, number>();
  distinct.forEach((v, k) => lookup.set(v, k));
  const index = new Int32Array(t.length);
  for (let i = 0; i < t.length; i++) index[i] = lookup.get(t[i]) as number;
  return { times: distinct, index };
}

function resolveGrid(options: WithProjectionOptions, fn: string): ProjectedNet['grid'] {
  const g = options.grid;
  let nodes: Float64Array;
  let dim: number;
  let weights: WeightSpec | undefined = options.weights;
  if (g && typeof g === 'object' && 'nodes' in g && 'weights' in g) {
    nodes = Float64Array.from((g as Quadrature).nodes);
    dim = (g as Quadrature).dim;
    weights ??= (g as Quadrature).weights;
  } else if (
    g &&
    typeof (g as ArrayLike<unknown>).length === 'number' &&
    (g as ArrayLike<unknown>).length > 0
  ) {
    const first = (g as ArrayLike<unknown>)[0];
    if (typeof first === 'number') {
      dim = options.dim ?? 1;
      nodes = Float64Array.from(g as ArrayLike<number>);
    } else {
      const rows = g as ReadonlyArray<ArrayLike<number>>;
      dim = rows[0].length;
      nodes = new Float64Array(rows.length * dim);
      rows.forEach((r, j) => {
        if (r.length !== dim) invalid([fn, `options.grid[${j}]`], `a node with ${dim} coordinates`, r);
        for (let d = 0; d < dim; d++) nodes[j * dim + d] = r[d];
      });
    }
  } else {
    return invalid([fn, 'options.grid'], 'a Quadrature or a non-empty array of nodes', g);
  }
  if (!Number.isInteger(dim) || dim < 1 || nodes.length % dim !== 0)
    invalid([fn, 'options.dim'], 'a positive integer dividing the node array', dim);
  if (nodes.some((v) => !Number.isFinite(v)))
    invalid([fn, 'options.grid'], 'finite node coordinates', 'a non-finite coordinate');
  const n = nodes.length / dim;
  if (weights === undefined)
    invalid([fn, 'options.weights'], 'quadrature weights (required when grid is a node array)', weights);
  const count =
    'length' in weights && typeof weights.length === 'number'
      ? weights.length
      : 'n' in weights
        ? (weights as Quadrature).n
        : n;
  if (count !== n) {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'options.weights' must have one weight per grid node (${n}), got ${count} weights`,
    );
  }
  const { w, W } = resolveGridWeights(weights, n, fn);
  return Object.freeze({ nodes, weights: w, dim, n, W });
}

/** Grid inputs `[K * n, dim + 1]` for K levels, with the time column supplied as a tensor `[K * n, 1]`. */
function gridInputs(grid: ProjectedNet['grid'], K: number, tColumn: tf.Tensor): tf.Tensor2D {
  const X = tf.tensor2d(Float32Array.from(grid.nodes), [grid.n, grid.dim]);
  return tf.concat([tf.tile(X, [K, 1]), tColumn], 1) as tf.Tensor2D;
}

function repeatEach(times: ArrayLike<number>, n: number): Float32Array {
  const out = new Float32Array(times.length * n);
  for (let k = 0; k < times.length; k++) out.fill(times[k], k * n, (k + 1) * n);
  return out;
}

/** Taylor coefficients g^(j)(τ) / j! of a per-level function g: [K,1] → [K,1], j = 0..order. */
function jet(g: (tau: tf.Tensor2D) => tf.Tensor, tau: tf.Tensor2D, order: number): tf.Tensor[] {
  const derivs: Array<(x: tf.Tensor2D) => tf.Tensor> = [g];
  for (let j = 1; j <= order; j++) {
    const prev = derivs[j - 1];
    derivs.push((x) => tf.grad((y: tf.Tensor) => tf.sum(prev(y as tf.Tensor2D)))(x));
  }
  let factorial = 1;
  return derivs.map((d, j) => {
    if (j > 0) factorial *= j;
    return tf.div(d(tau), factorial);
  });
}

/**
 * Rows of a per-level column `[K, 1]` for each point, as a matMul with the one-hot level matrix `[N, K]`
 * (differentiable on every backend; `tf.gather`'s gradient needs UnsortedSegmentSum, which wasm lacks).
 */
function perPoint(levelValues: tf.Tensor, oneHot: tf.Tensor2D): tf.Tensor {
  return tf.matMul(oneHot, levelValues as tf.Tensor2D);
}

/** The `[N, K]` one-hot matrix of the points' levels (float32). */
function levelMatrix(index: Int32Array, K: number): tf.Tensor2D {
  if (K === 1) return tf.ones([index.length, 1]);
  return tf.cast(tf.oneHot(tf.tensor1d(index, 'int32'), K), 'float32') as tf.Tensor2D;
}

/** Σ_j c_j[level(i)] δ_i^j. */
function evaluateJet(coeffs: tf.Tensor[], oneHot: tf.Tensor2D, delta: tf.Tensor): tf.Tensor {
  let acc = perPoint(coeffs[coeffs.length - 1], oneHot);
  for (let j = coeffs.length - 2; j >= 0; j--) acc = tf.add(tf.mul(acc, delta), perPoint(coeffs[j], oneHot));
  return acc;
}

/**
 * Wraps a pointwise network `u(x, t)` into the projected network `u~(x, t)` of PINN-Proj: at each time t the
 * network is evaluated on the spatial quadrature grid, the closed-form projection's affine map
 * `u~ = scale(t) u + shift(t)` is computed from the grid integrals, and applied to `u(x, t)` at the query
 * points. Used for both training (PDE residual and data loss on `u~`) and inference.
 *
 * Departure from the reference code: the grid integrals are computed ONCE PER DISTINCT TIME in the batch
 * (points are grouped by their t value), not once per query point; with collocation points on shared time
 * levels (see `sampleOnTimeLevels`) this is ~N/K times fewer grid evaluations, with identical values and
 * gradients.
 *
 * @param net - a function `xt [N, d+1] → [N, 1]` or a `tf.LayersModel` (called through `apply`). Borrowed.
 * @param options - grid, weights, constraint and time-derivative mode; see {@link WithProjectionOptions}.
 * @returns the projected network; outputs are owned by the caller; inputs are borrowed.
 * @throws {PinnProjError} at construction for bad grids, weights, targets (`INFEASIBLE_TARGET` for constant
 *   infeasible targets) or options; at call time for wrong input shapes or callback targets infeasible at
 *   some t; `UNSUPPORTED` for callback targets in `'exact'` mode.
 * @example
 * const q = quadrature('uniform', [0, 2], { n: 256, nodes: 'left' });
 * const uTilde = withProjection(model, { grid: q, constraint: { type: 'linear', c1: Math.sqrt(Math.PI) } });
 * const u = uTilde(xt); // [N, 1]
 * @see Baez et al., arXiv 2511.09048 (2025); arXiv 2410.17445 (2024).
 */
export function withProjection(net: NetLike, options: WithProjectionOptions): ProjectedNet {
  const fn = 'withProjection';
  if (
    typeof net !== 'function' &&
    (net === null || typeof net !== 'object' || typeof (net as { apply?: unknown }).apply !== 'function')
  ) {
    invalid([fn, 'net'], 'a function of xt or an object with apply (e.g. a tf.LayersModel)', net);
  }
  validateConstraint(options?.constraint, fn, 'options.constraint');
  const grid = resolveGrid(options, fn);
  const eps = checkFloor(options.denominatorFloor, fn);
  const mode = options.timeDerivative ?? 'detached';
  if (mode !== 'detached' && mode !== 'exact')
    invalid([fn, 'options.timeDerivative'], "'detached' or 'exact'", mode);
  const order = options.exactOrder ?? 2;
  if (![1, 2, 3].includes(order)) invalid([fn, 'options.exactOrder'], '1, 2 or 3', order);
  const c = options.constraint;
  const targets = [c.type !== 'quadratic' ? c.c1 : 0, c.type !== 'linear' ? c.c2 : 0];
  if (targets.some((t) => typeof t !== 'number' && typeof t !== 'function')) {
    invalid(
      [fn, 'options.constraint targets'],
      'numbers or functions of t (per-level arrays are only accepted by the pure projections)',
      targets.find((t) => typeof t !== 'number' && typeof t !== 'function'),
    );
  }
  const constant = targets.every((t) => isConstantTarget(t as number));
  if (mode === 'exact' && !constant) {
    throw new PinnProjError(
      'UNSUPPORTED',
      `${fn}(): timeDerivative 'exact' requires constant targets (the t-derivative of a callback c(t) is unknown), got a function of t; use 'detached'`,
    );
  }
  const policy = options.onInfeasible;
  // Validate constant targets up front (throws INFEASIBLE_TARGET now rather than at the first call).
  if (constant) targetConstants(c, grid.W, { slices: 1, policy, fn });

  const affineAt = (U: tf.Tensor2D, times: Float64Array) =>
    tensorAffine(
      U,
      { w: grid.weights, W: grid.W },
      {
        type: c.type,
        targets: targetConstants(c, grid.W, { slices: times.length, times, policy, fn }),
        eps,
      },
    );

  const projected = ((xt: tf.Tensor2D, callOptions: { levels?: TimeLevels } = {}): tf.Tensor2D => {
    if (!(xt instanceof tf.Tensor) || xt.rank !== 2 || xt.shape[1] !== grid.dim + 1) {
      throw new PinnProjError(
        'SHAPE_MISMATCH',
        `${fn}(): query points 'xt' must be a tensor of shape [N, ${grid.dim + 1}] (time last), got ${describeValue(xt)}`,
      );
    }
    const N = xt.shape[0];
    let levels = callOptions.levels;
    if (levels !== undefined && levels.index.length !== N) {
      throw new PinnProjError(
        'SHAPE_MISMATCH',
        `${fn}(): option 'levels.index' must have one entry per query point (${N}), got ${levels.index.length}`,
      );
    }
    return tf.tidy(() => {
      const tCol = tf.slice(xt, [0, grid.dim], [N, 1]);
      if (levels === undefined || mode === 'exact') {
        const tValues = tCol.dataSync();
        levels ??= timeLevelsOf(tValues);
      }
      const { times, index } = levels;
      const K = times.length;
      const oneHot = levelMatrix(index, K);
      const u = callNet(net, xt, fn);
      if (mode === 'detached') {
        const G = gridInputs(grid, K, tf.tensor2d(repeatEach(times, grid.n), [K * grid.n, 1]));
        const U = tf.reshape(callNet(net, G, fn), [K, grid.n]) as tf.Tensor2D;
        const a = affineAt(U, times);
        const gathered: Affine<tf.Tensor> = {
          scaleM1: a.scaleM1 && perPoint(a.scaleM1, oneHot),
          shift: a.shift && perPoint(a.shift, oneHot),
        };
        return applyAffine(u, gathered) as tf.Tensor2D;
      }
      // exact: per-level Taylor jets of scale(t) and shift(t), evaluated at δ_i = t_i - t_level (value 0,
      // derivative 1 w.r.t. t_i), so every point gets the exact t-derivatives of its own correction.
      const tau = tf.tensor2d(Float32Array.from(times), [K, 1]);
      const coefficients = (tt: tf.Tensor2D) => {
        const G = gridInputs(grid, K, tf.reshape(tf.tile(tt, [1, grid.n]), [K * grid.n, 1]));
        return affineAt(tf.reshape(callNet(net, G, fn), [K, grid.n]) as tf.Tensor2D, times);
      };
      const delta = tf.sub(tCol, tf.tensor2d(tCol.dataSync(), [N, 1]));
      const scaleM1 =
        c.type === 'linear'
          ? null
          : evaluateJet(
              jet((tt) => coefficients(tt).scaleM1 as tf.Tensor, tau, order),
              oneHot,
              delta,
            );
      const shift =
        c.type === 'quadratic'
          ? null
          : evaluateJet(
              jet((tt) => coefficients(tt).shift as tf.Tensor, tau, order),
              oneHot,
              delta,
            );
      return applyAffine(u, { scaleM1, shift }) as tf.Tensor2D;
    });
  }) as ProjectedNet;

  const gridValues = (times: ArrayLike<number>): tf.Tensor2D => {
    if (
      !times ||
      typeof times.length !== 'number' ||
      times.length === 0 ||
      Array.from(times).some((t) => !Number.isFinite(t))
    ) {
      invalid(['gridValues', 'times'], 'a non-empty array of finite times', times);
    }
    return tf.tidy(() => {
      const K = times.length;
      const t32 = Float64Array.from(Float32Array.from(times));
      const G = gridInputs(grid, K, tf.tensor2d(repeatEach(t32, grid.n), [K * grid.n, 1]));
      const U = tf.reshape(callNet(net, G, fn), [K, grid.n]) as tf.Tensor2D;
      return applyAffine(U, affineAt(U, t32)) as tf.Tensor2D;
    });
  };
  const prepare = (levels: TimeLevels): ((xt: tf.Tensor2D, index?: Int32Array) => tf.Tensor2D) => {
    if (mode !== 'detached') {
      throw new PinnProjError(
        'UNSUPPORTED',
        `prepare(): only for timeDerivative 'detached' (the exact mode differentiates the correction in t)`,
      );
    }
    if (!levels || !(levels.times instanceof Float64Array) || !(levels.index instanceof Int32Array)) {
      invalid(
        ['prepare', 'levels'],
        '{ times: Float64Array, index: Int32Array } (see timeLevelsOf, sampleOnTimeLevels)',
        levels,
      );
    }
    const { times, index } = levels;
    const K = times.length;
    // Per-level correction [K, 1] (one grid evaluation), and its rows for the prepared points.
    const correction = tf.tidy(() => {
      const G = gridInputs(grid, K, tf.tensor2d(repeatEach(times, grid.n), [K * grid.n, 1]));
      const U = tf.reshape(callNet(net, G, fn), [K, grid.n]) as tf.Tensor2D;
      const a = affineAt(U, times);
      const oneHot = levelMatrix(index, K);
      return {
        scaleM1: a.scaleM1 ?? undefined,
        shift: a.shift ?? undefined,
        pointScaleM1: a.scaleM1 ? perPoint(a.scaleM1, oneHot) : undefined,
        pointShift: a.shift ? perPoint(a.shift, oneHot) : undefined,
      };
    });
    const prepared: Affine<tf.Tensor> = {
      scaleM1: correction.pointScaleM1 ?? null,
      shift: correction.pointShift ?? null,
    };
    return (xt: tf.Tensor2D, pointIndex?: Int32Array) => {
      const N = (pointIndex ?? index).length;
      if (!(xt instanceof tf.Tensor) || xt.rank !== 2 || xt.shape[0] !== N || xt.shape[1] !== grid.dim + 1) {
        throw new PinnProjError(
          'SHAPE_MISMATCH',
          `prepare(): query points must have shape [${N}, ${grid.dim + 1}] (one row per level index), got ${describeValue(xt)}`,
        );
      }
      if (pointIndex === undefined)
        return tf.tidy(() => applyAffine(callNet(net, xt, fn), prepared) as tf.Tensor2D);
      if (!(pointIndex instanceof Int32Array) || pointIndex.some((k) => k < 0 || k >= K))
        invalid(['prepare', 'index'], `an Int32Array of levels in [0, ${K})`, pointIndex);
      return tf.tidy(() => {
        const oneHot = levelMatrix(pointIndex, K);
        const affine: Affine<tf.Tensor> = {
          scaleM1: correction.scaleM1 ? perPoint(correction.scaleM1, oneHot) : null,
          shift: correction.shift ? perPoint(correction.shift, oneHot) : null,
        };
        return applyAffine(callNet(net, xt, fn), affine) as tf.Tensor2D;
      });
    };
  };
  return Object.freeze(
    Object.assign(projected, { gridValues, prepare, grid, constraint: c, timeDerivative: mode }),
  );
}

/**
 * The reference code's formulation, for comparison and benchmarks: for EVERY query point the network is
 * re-evaluated on the whole grid at that point's t (`N * n` extra evaluations), processed in chunks of
 * `chunkSize` points. Same values as {@link withProjection}; in `'exact'` mode the grid's t is attached to
 * the query point's t (exact t-derivatives of every order).
 *
 * @returns `[N, 1]`, owned by the caller.
 * @example
 * const ref = projectPerPoint(net, xt, { grid: q, constraint: { type: 'joint', c1, c2 } });
 */
export function projectPerPoint(
  net: NetLike,
  xt: tf.Tensor2D,
  options: WithProjectionOptions & { chunkSize?: number },
): tf.Tensor2D {
  const fn = 'projectPerPoint';
  validateConstraint(options?.constraint, fn, 'options.constraint');
  const grid = resolveGrid(options, fn);
  const eps = checkFloor(options.denominatorFloor, fn);
  const mode = options.timeDerivative ?? 'detached';
  const chunk = options.chunkSize ?? 64;
  if (!(xt instanceof tf.Tensor) || xt.rank !== 2 || xt.shape[1] !== grid.dim + 1) {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'xt' must be a tensor of shape [N, ${grid.dim + 1}], got ${describeValue(xt)}`,
    );
  }
  const N = xt.shape[0];
  return tf.tidy(() => {
    const tCol = tf.slice(xt, [0, grid.dim], [N, 1]);
    const tValues = Float64Array.from(tCol.dataSync());
    const u = callNet(net, xt, fn);
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < N; start += chunk) {
      const m = Math.min(chunk, N - start);
      const tChunk = tf.slice(tCol, [start, 0], [m, 1]);
      const tGrid =
        mode === 'exact'
          ? tf.reshape(tf.tile(tChunk, [1, grid.n]), [m * grid.n, 1])
          : tf.tensor2d(repeatEach(tValues.subarray(start, start + m), grid.n), [m * grid.n, 1]);
      const G = gridInputs(grid, m, tGrid);
      const U = tf.reshape(callNet(net, G, fn), [m, grid.n]) as tf.Tensor2D;
      const targets = targetConstants(options.constraint, grid.W, {
        slices: m,
        times: tValues.subarray(start, start + m),
        policy: options.onInfeasible,
        fn,
      });
      const a = tensorAffine(
        U,
        { w: grid.weights, W: grid.W },
        { type: options.constraint.type, targets, eps },
      );
      parts.push(applyAffine(tf.slice(u, [start, 0], [m, 1]), a));
    }
    return tf.concat(parts, 0) as tf.Tensor2D;
  });
}
