import * as tf from '@tensorflow/tfjs';
import { AutodiffError, describeValue } from '../errors';
import { type TensorFunction, grad } from '../grad';
import { reverseLaplacian } from '../laplacian';
import { assertFunction, assertShape, assertTensor, checkOutput, checkRowScalarOutput } from '../validate';
import { forwardLaplacianOf } from './forward-laplacian';
import { type DirectionRequest, derivativesAlong } from './taylor';

/**
 * One derivative asked of {@link partials}:
 *
 * - `{ partial: [i, j, ...] }`: the partial derivative ∂/∂x_i ∂/∂x_j ... (indices of x's columns when batched,
 *   of x's flattened entries otherwise); `[0, 0, 0]` is ∂³f/∂x_0³, `[0, 1]` the mixed ∂²f/∂x_0∂x_1, `[]` f.
 * - `{ laplacian: true }`: Δf = Σ_i ∂²f/∂x_i².
 * - `{ direction, order }`: d^k/dt^k f(x + t v) at t = 0 for k = `order` (v of x's shape).
 */
export type PartialRequest =
  | { readonly partial: readonly number[] }
  | { readonly laplacian: true }
  | { readonly direction: tf.Tensor; readonly order: number };

/** Options of {@link partials}. */
export interface PartialsOptions {
  /**
   * `true`: x is `[batch, d]` and f maps it to one scalar per row (`[batch]` or `[batch, 1]`), row b depending
   * only on x row b; every derivative is per row. `false` (default): f(x) is a scalar.
   */
  batched?: boolean;
  /**
   * `'auto'` (default): the cheapest mode per request: Taylor mode (one jet pass for every pure and
   * directional derivative, all orders at once), the forward Laplacian for `laplacian`, nested reverse for
   * mixed partials, and nested reverse for everything when f runs a kernel without a Taylor rule. `'taylor'`:
   * jets only (a mixed partial is an error; so is a kernel without a rule). `'reverse'`: nested reverse passes
   * only.
   */
  mode?: 'auto' | 'taylor' | 'reverse';
}

/** f(x) and one derivative per request, each `[batch]` (batched) or a scalar. */
export interface PartialsResult {
  value: tf.Tensor;
  derivatives: tf.Tensor[];
}

const MAX_ORDER = 8;

type Plan =
  | { kind: 'pure'; axis: number; order: number }
  | { kind: 'mixed'; axes: number[] }
  | { kind: 'laplacian' }
  | { kind: 'direction'; direction: tf.Tensor; order: number }
  | { kind: 'value' };

function invalid(name: string, expected: string, got: unknown): never {
  throw new AutodiffError(
    'INVALID_ARGUMENT',
    `partials(): argument '${name}' must be ${expected}, got ${describeValue(got)}`,
  );
}

function planOf(request: PartialRequest, i: number, at: { x: tf.Tensor; width: number }): Plan {
  const name = `requests[${i}]`;
  if (request === null || typeof request !== 'object') {
    invalid(name, '{ partial }, { laplacian: true } or { direction, order }', request);
  }
  if ('partial' in request) {
    const axes = request.partial;
    if (
      !Array.isArray(axes) ||
      axes.length > MAX_ORDER ||
      axes.some((a) => !Number.isInteger(a) || a < 0 || a >= at.width)
    ) {
      invalid(
        `${name}.partial`,
        `an array of at most ${MAX_ORDER} integer indices from 0 to ${at.width - 1}`,
        axes,
      );
    }
    if (axes.length === 0) return { kind: 'value' };
    if (axes.every((a) => a === axes[0])) return { kind: 'pure', axis: axes[0], order: axes.length };
    return { kind: 'mixed', axes: [...axes].sort((a, b) => a - b) };
  }
  if ('laplacian' in request) {
    if (request.laplacian !== true) invalid(`${name}.laplacian`, 'true', request.laplacian);
    return { kind: 'laplacian' };
  }
  if ('direction' in request) {
    assertTensor({ fn: 'partials', name: `${name}.direction` }, request.direction);
    assertShape({ fn: 'partials', name: `${name}.direction` }, request.direction, at.x.shape);
    const { order } = request;
    if (typeof order !== 'number' || !Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
      invalid(`${name}.order`, `an integer from 1 to ${MAX_ORDER}`, order);
    }
    return { kind: 'direction', direction: request.direction, order };
  }
  return invalid(name, '{ partial }, { laplacian: true } or { direction, order }', request);
}

/** The unit direction along entry `axis` of x (every row, when batched). */
function unitDirection(x: tf.Tensor, axis: number, batched: boolean): tf.Tensor {
  const [rows, d] = batched ? (x.shape as [number, number]) : [1, x.size];
  const values = new Float32Array(rows * d);
  for (let b = 0; b < rows; b++) values[b * d + axis] = 1;
  return tf.tensor(values, x.shape, 'float32'); // written once, no OneHot/Tile/Cast kernels
}

/** A row-wise (batched) or scalar (unbatched) output, flattened to `[rows]`. */
function rowsOf(y: unknown, at: { batched: boolean; rows: number }): tf.Tensor1D {
  if (at.batched) return checkRowScalarOutput('partials', y, at.rows);
  const t = checkOutput('partials', y);
  if (t.rank !== 0) {
    throw new AutodiffError(
      'NOT_SCALAR',
      `partials(): argument 'f' must return a scalar tensor, got ${describeValue(t)}`,
    );
  }
  return tf.reshape(t, [1]);
}

/**
 * Nested reverse mode: partials by repeated gradients of Σ_rows (shared prefixes computed once: `[0]`,
 * `[0, 0]`, `[0, 0, 0]` cost one pass per order), directional derivatives by repeated `<∇, v>`.
 */
function reverseDerivatives(
  f: TensorFunction,
  at: { x: tf.Tensor; batched: boolean },
  plans: readonly Plan[],
): (tf.Tensor | null)[] {
  const { x, batched } = at;
  const rows = batched ? x.shape[0] : 1;
  const shape = { batched, rows };
  const column = (g: tf.Tensor, axis: number): tf.Tensor =>
    batched ? tf.reshape(tf.slice(g, [0, axis], [-1, 1]), [rows]) : tf.reshape(g, [-1]).slice(axis, 1);
  const fns = new Map<string, TensorFunction>([['', (z) => rowsOf(f(z), shape)]]);
  const fnOf = (axes: readonly number[]): TensorFunction => {
    const key = axes.join(',');
    const known = fns.get(key);
    if (known !== undefined) return known;
    const parent = fnOf(axes.slice(0, -1));
    const axis = axes[axes.length - 1];
    const g: TensorFunction = (z) => column(grad((w) => tf.sum(parent(w)))(z), axis);
    fns.set(key, g);
    return g;
  };
  const gradients = new Map<string, tf.Tensor>();
  const partial = (axes: readonly number[]): tf.Tensor => {
    const prefix = axes.slice(0, -1);
    const key = prefix.join(',');
    let g = gradients.get(key);
    if (g === undefined) {
      const parent = fnOf(prefix);
      g = grad((w) => tf.sum(parent(w)))(x);
      gradients.set(key, g);
    }
    return column(g, axes[axes.length - 1]);
  };
  const along = (v: tf.Tensor, order: number): tf.Tensor => {
    let g: TensorFunction = fns.get('') as TensorFunction;
    for (let k = 0; k < order; k++) {
      const prev = g;
      g = (z) => {
        const product = tf.mul(grad((w) => tf.sum(prev(w)))(z), v);
        return batched ? tf.sum(product, 1) : tf.reshape(tf.sum(product), [1]);
      };
    }
    return g(x);
  };
  return plans.map((plan) => {
    switch (plan.kind) {
      case 'pure':
        return partial(new Array<number>(plan.order).fill(plan.axis));
      case 'mixed':
        return partial(plan.axes);
      case 'direction':
        return along(plan.direction, plan.order);
      case 'laplacian':
        return tf.reshape(reverseLaplacian('partials', f, { x, batched }), [rows]);
      case 'value':
        return null;
    }
  });
}

/** Pure and directional derivatives from ONE Taylor pass (every order along every direction at once). */
function taylorDerivatives(
  f: TensorFunction,
  at: { x: tf.Tensor; batched: boolean },
  plans: readonly Plan[],
): { value: tf.Tensor | null; results: (tf.Tensor | null)[] } {
  const { x, batched } = at;
  const directions: DirectionRequest[] = [];
  const slotOfAxis = new Map<number, number>();
  const slotOf = plans.map((plan): number => {
    if (plan.kind === 'direction') {
      directions.push({ direction: plan.direction, order: plan.order });
      return directions.length - 1;
    }
    if (plan.kind !== 'pure') return -1;
    const known = slotOfAxis.get(plan.axis);
    if (known !== undefined) return known;
    const order = Math.max(...plans.map((p) => (p.kind === 'pure' && p.axis === plan.axis ? p.order : 0)));
    directions.push({ direction: unitDirection(x, plan.axis, batched), order });
    slotOfAxis.set(plan.axis, directions.length - 1);
    return directions.length - 1;
  });
  const results: (tf.Tensor | null)[] = plans.map(() => null);
  let value: tf.Tensor | null = null;
  if (directions.length > 0) {
    const out = derivativesAlong('partials', f, { x, requests: directions });
    value = out.value;
    plans.forEach((plan, i) => {
      if (plan.kind === 'direction' || plan.kind === 'pure') {
        results[i] = out.derivatives[slotOf[i]][plan.order - 1];
      }
    });
  }
  plans.forEach((plan, i) => {
    if (plan.kind !== 'laplacian') return;
    const lap = forwardLaplacianOf('partials', f, { x, batched });
    value ??= lap.value;
    results[i] = lap.laplacian;
  });
  return { value, results };
}

/**
 * Several derivatives of a scalar (or row-wise scalar) function at once, each by the cheapest mode (see
 * `options.mode`): one Taylor-mode pass carries every pure derivative (`∂³f/∂x_0³`) and directional derivative
 * of every order, the forward Laplacian gives `Δf`, nested reverse gives mixed partials and everything when f
 * runs a kernel without a Taylor rule. Differentiable again: weight gradients of a loss built from the
 * results (a PINN residual) are exact through `tf.variableGrads`.
 *
 * @param f - scalar function (unbatched) or row-wise scalar function (`batched: true`).
 * @param x - the point(s), borrowed.
 * @param spec - the derivatives wanted (see {@link PartialRequest}), or `{ requests, batched, mode }` (see
 *   {@link PartialsOptions}; default unbatched, mode `'auto'`).
 * @returns `{ value: f(x), derivatives }`, `derivatives[i]` for `requests[i]`, each `[batch]` (batched) or a
 *   scalar; owned by the caller.
 * @throws {AutodiffError} `INVALID_ARGUMENT` for bad arguments (or a mixed partial in mode `'taylor'`);
 *   `SHAPE_MISMATCH` for a direction not of x's shape; `NOT_SCALAR` when f is not (row-)scalar; `UNSUPPORTED`
 *   in mode `'taylor'` naming a kernel without a Taylor rule.
 * @example
 * // KdV: u_t, u_x and u_xxx of a network u(x, t) at N points (columns x, t), from one Taylor pass
 * const { value, derivatives } = partials((xt) => model.apply(xt) as tf.Tensor, xt, {
 *   requests: [{ partial: [1] }, { partial: [0] }, { partial: [0, 0, 0] }],
 *   batched: true,
 * });
 * @see Griewank & Walther (2008), ch. 13; Li et al. (2023), "Forward Laplacian".
 */
export function partials(
  f: TensorFunction,
  x: tf.Tensor,
  spec: readonly PartialRequest[] | (PartialsOptions & { requests: readonly PartialRequest[] }),
): PartialsResult {
  assertFunction('partials', 'f', f);
  if (spec === null || typeof spec !== 'object') {
    invalid('spec', 'an array of requests or { requests, batched, mode }', spec);
  }
  const requests: unknown = Array.isArray(spec) ? spec : (spec as { requests: unknown }).requests;
  const options: PartialsOptions = Array.isArray(spec) ? {} : (spec as PartialsOptions);
  const batched = options.batched ?? false;
  if (typeof batched !== 'boolean') invalid('options.batched', 'a boolean', batched);
  const mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'taylor' && mode !== 'reverse') {
    invalid('options.mode', "'auto', 'taylor' or 'reverse'", mode);
  }
  assertTensor({ fn: 'partials', name: 'x' }, x, batched ? 2 : undefined);
  if (!Array.isArray(requests) || requests.length === 0) {
    invalid(
      'requests',
      'a non-empty array of { partial }, { laplacian: true } or { direction, order }',
      requests,
    );
  }
  const width = batched ? (x.shape[1] as number) : x.size;
  const plans = (requests as PartialRequest[]).map((r, i) => planOf(r, i, { x, width }));
  if (mode === 'taylor' && plans.some((p) => p.kind === 'mixed')) {
    invalid(
      'requests',
      "pure, directional or Laplacian requests in mode 'taylor' (no mixed partials)",
      requests,
    );
  }
  const at = { x, batched };
  return tf.tidy(() => {
    let value: tf.Tensor | null = null;
    let results: (tf.Tensor | null)[] = plans.map(() => null);
    const useTaylor = mode !== 'reverse';
    let reverse: readonly Plan[] = plans;
    if (useTaylor) {
      try {
        const out = taylorDerivatives(f, at, plans);
        value = out.value;
        results = out.results;
        reverse = plans.map((p) => (p.kind === 'mixed' ? p : { kind: 'value' }));
      } catch (error) {
        if (mode === 'taylor' || !(error instanceof AutodiffError) || error.code !== 'UNSUPPORTED')
          throw error;
      }
    }
    if (reverse.some((p) => p.kind !== 'value')) {
      reverseDerivatives(f, at, reverse).forEach((t, i) => {
        if (t !== null) results[i] = t;
      });
    }
    const rows = batched ? x.shape[0] : 1;
    // f must be (row-)scalar in every mode; every result is [batch] (batched) or a scalar
    const flat = rowsOf(value ?? f(x), { batched, rows });
    const target = batched ? [rows] : [];
    return {
      value: tf.reshape(flat, target),
      derivatives: results.map((t) => tf.reshape(t ?? flat, target)),
    };
  });
}
