import * as tf from '@tensorflow/tfjs';
import { AutodiffError, directionalDerivatives, grad } from '@noether/autodiff';
import { describeValue } from '@noether/autodiff';
import { PinnProjError, invalid } from './errors';

/** Options for {@link partials} (with `names`, in place of the plain name list). */
export interface PartialsOptions {
  /**
   * Axis letters, one per input column, in order. Default `'xt'` for 2 columns, `'xyt'` for 3, `'xyzt'` for 4.
   */
  axes?: string;
  /**
   * How the derivatives are computed. `'taylor'`: one forward pass of Taylor series (jets) along each axis
   * that is asked for, to the highest order asked along it (`@noether/autodiff` `directionalDerivatives`);
   * only pure derivatives (`'x'`, `'xxx'`, `'t'`), not mixed ones (`'xt'`). `'reverse'`: nested reverse
   * passes, one per order. `'auto'` (default): Taylor mode when every name is a pure derivative and the
   * network's kernels all have Taylor rules, otherwise reverse; always reverse on the `tensorflow` backend
   * (tfjs-node), where nested reverse is fast and jets through its fused matMul gave NaN weight gradients in
   * testing.
   */
  mode?: 'auto' | 'taylor' | 'reverse';
}

/** `{ axis, order }` per axis letter when every name is a pure derivative (`'xxx'`), else null. */
function pureOrders(names: readonly string[], axes: string): Map<number, number> | null {
  const orders = new Map<number, number>();
  for (const name of names) {
    if (name === 'u') continue;
    if ([...name].some((ch) => ch !== name[0])) return null;
    const axis = axes.indexOf(name[0]);
    orders.set(axis, Math.max(orders.get(axis) ?? 0, name.length));
  }
  return orders;
}

/** Pure partials by Taylor mode: one jet per axis, all orders from one forward pass. */
function taylorPartials(
  u: (xt: tf.Tensor2D) => tf.Tensor,
  xt: tf.Tensor2D,
  request: { names: readonly string[]; axes: string; orders: Map<number, number> },
): Record<string, tf.Tensor2D> {
  const { names, axes, orders } = request;
  const [N, D] = xt.shape;
  return tf.tidy(() => {
    const entries = [...orders.entries()];
    const { value, derivatives } = directionalDerivatives(
      (z) => u(z as tf.Tensor2D),
      xt,
      entries.map(([axis, order]) => ({
        direction: tf.tidy(() => tf.tile(tf.oneHot([axis], D).asType('float32'), [N, 1])),
        order,
      })),
    );
    const column = (t: tf.Tensor) => (t.rank === 2 ? t : tf.reshape(t, [-1, 1])) as tf.Tensor2D;
    const out: Record<string, tf.Tensor2D> = { u: column(value) };
    for (const name of names) {
      if (name === 'u') continue;
      const r = entries.findIndex(([axis]) => axis === axes.indexOf(name[0]));
      out[name] = column(derivatives[r][name.length - 1]);
    }
    return out;
  });
}

/**
 * Per-point partial derivatives of a pointwise network `u(xt)` with respect to its inputs. Pure derivatives
 * (`'x'`, `'xxx'`, `'t'`) come from Taylor mode by default: one forward pass of truncated Taylor series per
 * axis carries every order at once (see `options.mode`). Otherwise, by row-independent batched reverse mode (`∂/∂xt Σ_i u(xt_i)` gives every point's gradient at once, since row i of u depends
 * only on row i of xt). A derivative is named by its axis letters: `'t'`, `'tt'`, `'x'`, `'xx'`, `'xxx'`,
 * `'y'`, `'xt'` (= ∂²u/∂x∂t), ... Shared prefixes are computed once: `'x'`, `'xx'`, `'xxx'` cost one reverse
 * pass per order. Built on `@noether/autodiff` (exact higher-order gradients through tanh).
 *
 * @param u - network `[N, D] → [N, 1]` (e.g. a projected net from `withProjection`).
 * @param xt - points `[N, D]`, borrowed.
 * @param spec - derivative names (`'u'`, the value, is always included), or `{ names, axes }`.
 * @returns `{ u, [name]: [N, 1] }`, all owned by the caller.
 * @throws {PinnProjError} `INVALID_ARGUMENT` for unknown axis letters or bad inputs.
 * @example
 * const d = partials(uTilde, xt, ['t', 'x', 'xxx']);
 * const residual = d.t.add(d.u.mul(d.x)).add(d.xxx.mul(0.0025)); // KdV
 */
export function partials(
  u: (xt: tf.Tensor2D) => tf.Tensor,
  xt: tf.Tensor2D,
  spec: readonly string[] | (PartialsOptions & { names: readonly string[] }),
): Record<string, tf.Tensor2D> {
  const fn = 'partials';
  const names = Array.isArray(spec) ? spec : (spec as { names: readonly string[] })?.names;
  const options: PartialsOptions = Array.isArray(spec) ? {} : ((spec ?? {}) as PartialsOptions);
  if (typeof u !== 'function') invalid([fn, 'u'], 'a function of xt', u);
  if (!(xt instanceof tf.Tensor) || xt.rank !== 2) {
    throw new PinnProjError(
      'SHAPE_MISMATCH',
      `${fn}(): argument 'xt' must be a tensor of shape [N, D], got ${describeValue(xt)}`,
    );
  }
  const D = xt.shape[1];
  const axes = options.axes ?? (D === 2 ? 'xt' : D === 3 ? 'xyt' : D === 4 ? 'xyzt' : undefined);
  if (axes === undefined || axes.length !== D || new Set(axes).size !== D) {
    invalid([fn, 'options.axes'], `${D} distinct axis letters, one per column of xt`, axes);
  }
  if (!Array.isArray(names)) invalid([fn, 'names'], 'an array of derivative names', names);
  const mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'taylor' && mode !== 'reverse') {
    invalid([fn, 'options.mode'], "'auto', 'taylor' or 'reverse'", mode);
  }
  for (const name of names) {
    if (typeof name !== 'string' || (name !== 'u' && [...name].some((ch) => !axes.includes(ch)))) {
      invalid([fn, 'names'], `derivative names made of the axis letters '${axes}'`, name);
    }
  }
  const useTaylor = mode === 'taylor' || (mode === 'auto' && tf.getBackend() !== 'tensorflow');
  const orders = useTaylor ? pureOrders(names, axes) : null;
  if (mode === 'taylor' && orders === null) {
    invalid([fn, 'names'], "pure derivatives ('x', 'xxx', 't') in mode 'taylor'", names);
  }
  if (orders !== null && orders.size > 0) {
    try {
      return taylorPartials(u, xt, { names, axes, orders });
    } catch (error) {
      if (mode === 'taylor' || !(error instanceof AutodiffError) || error.code !== 'UNSUPPORTED') throw error;
    }
  }
  return tf.tidy(() => {
    // f(prefix) is the function xt -> ∂^prefix u; g(prefix) the full gradient of f(prefix), all columns.
    const fns = new Map<string, (x: tf.Tensor2D) => tf.Tensor>([['', (x) => u(x)]]);
    const fnOf = (prefix: string): ((x: tf.Tensor2D) => tf.Tensor) => {
      const known = fns.get(prefix);
      if (known) return known;
      const parent = fnOf(prefix.slice(0, -1));
      const axis = axes.indexOf(prefix[prefix.length - 1]);
      const f = (x: tf.Tensor2D) =>
        tf.slice(grad((z) => tf.sum(parent(z as tf.Tensor2D)))(x), [0, axis], [-1, 1]);
      fns.set(prefix, f);
      return f;
    };
    const gradients = new Map<string, tf.Tensor>();
    const out: Record<string, tf.Tensor2D> = {};
    const uValue = u(xt);
    out.u = (uValue.rank === 2 ? uValue : tf.reshape(uValue, [-1, 1])) as tf.Tensor2D;
    for (const name of names) {
      if (name === 'u' || out[name]) continue;
      const prefix = name.slice(0, -1);
      let g = gradients.get(prefix);
      if (!g) {
        const parent = fnOf(prefix);
        g = grad((z) => tf.sum(parent(z as tf.Tensor2D)))(xt);
        gradients.set(prefix, g);
      }
      out[name] = tf.slice(g, [0, axes.indexOf(name[name.length - 1])], [-1, 1]) as tf.Tensor2D;
    }
    return out;
  });
}
