import * as tf from '@tensorflow/tfjs';
import { type PartialRequest, describeValue, partials as autodiffPartials } from '@noether/autodiff';
import { PinnProjError, invalid } from './errors';

/** Options for {@link partials} (with `names`, in place of the plain name list). */
export interface PartialsOptions {
  /**
   * Axis letters, one per input column, in order. Default `'xt'` for 2 columns, `'xyt'` for 3, `'xyzt'` for 4.
   */
  axes?: string;
  /**
   * How the derivatives are computed (`@noether/autodiff` `partials`). `'auto'` (default): per name, the
   * cheapest mode: every pure derivative (`'x'`, `'xxx'`, `'t'`) from ONE forward pass of truncated Taylor
   * series (jets) along the axes asked for, to the highest order asked along each; mixed ones (`'xt'`) by
   * nested reverse; everything by nested reverse when the network runs a kernel without a Taylor rule.
   * `'taylor'`: jets only (pure derivatives only). `'reverse'`: nested reverse passes, one per order.
   */
  mode?: 'auto' | 'taylor' | 'reverse';
}

/**
 * Per-point partial derivatives of a pointwise network `u(xt)` with respect to its inputs, by
 * `@noether/autodiff`'s `partials` (row i of u depends only on row i of xt): by default every pure derivative
 * (`'x'`, `'xxx'`, `'t'`) comes from ONE forward pass of truncated Taylor series carrying every order along
 * every axis asked for, mixed ones (`'xt'` = ∂²u/∂x∂t) from batched nested reverse passes (shared prefixes once);
 * see `options.mode`. A derivative is named by its axis letters: `'t'`, `'tt'`, `'x'`, `'xx'`, `'xxx'`, `'y'`,
 * `'xt'`, ... Differentiable again: weight gradients of a residual loss are exact.
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
  if (mode === 'taylor' && names.some((name) => name !== 'u' && [...name].some((ch) => ch !== name[0]))) {
    invalid([fn, 'names'], "pure derivatives ('x', 'xxx', 't') in mode 'taylor'", names);
  }
  const wanted = [...new Set(names.filter((name) => name !== 'u'))];
  const requests: PartialRequest[] = wanted.map((name) => ({
    partial: [...name].map((ch) => axes.indexOf(ch)),
  }));
  return tf.tidy(() => {
    const column = (t: tf.Tensor) => tf.reshape(t, [-1, 1]) as tf.Tensor2D;
    if (requests.length === 0) {
      const value = u(xt);
      return { u: (value.rank === 2 ? value : column(value)) as tf.Tensor2D };
    }
    const { value, derivatives } = autodiffPartials((z) => u(z as tf.Tensor2D), xt, {
      requests,
      batched: true,
      mode,
    });
    const out: Record<string, tf.Tensor2D> = { u: column(value) };
    wanted.forEach((name, i) => (out[name] = column(derivatives[i])));
    return out;
  });
}
