import * as tf from '@tensorflow/tfjs';

/**
 * The vector arithmetic L-BFGS needs, over one array kind `V`. The algorithm in {@link createLbfgs} is written
 * once against this interface; {@link float64Ops} (plain `Float64Array`, reference accuracy) and
 * {@link tensorOps} (flat float32 `tf.Tensor1D`, the model path) implement it.
 *
 * Ownership: arguments are borrowed; every returned `V` is new and owned by the caller, who releases it with
 * `dispose` (a no-op for `Float64Array`).
 */
export interface VectorOps<V> {
  /** Name shown in messages, e.g. `'float64'`. */
  readonly kind: string;
  /** Machine epsilon of the arithmetic (2^-52 for float64, 2^-23 for float32). */
  readonly epsilon: number;
  /** Number of entries of `a`. */
  size(a: V): number;
  /** Inner product `a . b`. */
  dot(a: V, b: V): number;
  /** New vector `alpha * x + y`. */
  axpy(alpha: number, x: V, y: V): V;
  /** New vector `alpha * x`. */
  scale(alpha: number, x: V): V;
  /** New vector `a - b`. */
  sub(a: V, b: V): V;
  /** Largest absolute entry, `max_i |a_i|` (NaN when any entry is NaN). */
  normInf(a: V): number;
  /** Sum of absolute entries, `sum_i |a_i|`. */
  norm1(a: V): number;
  /** New copy of `a`. */
  clone(a: V): V;
  /** Releases `a` (tensor memory); a no-op for plain arrays. */
  dispose(a: V): void;
}

/**
 * {@link VectorOps} on `Float64Array`: the reference implementation used for float64 optimisation and tests.
 *
 * @example
 * const lbfgs = createLbfgs(float64Ops, { historySize: 10 });
 */
export const float64Ops: VectorOps<Float64Array> = Object.freeze({
  kind: 'float64',
  epsilon: 2 ** -52,
  size: (a: Float64Array) => a.length,
  dot(a: Float64Array, b: Float64Array) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  },
  axpy(alpha: number, x: Float64Array, y: Float64Array) {
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = alpha * x[i] + y[i];
    return out;
  },
  scale(alpha: number, x: Float64Array) {
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = alpha * x[i];
    return out;
  },
  sub(a: Float64Array, b: Float64Array) {
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
    return out;
  },
  normInf(a: Float64Array) {
    let m = 0;
    for (let i = 0; i < a.length; i++) {
      const v = Math.abs(a[i]);
      if (Number.isNaN(v)) return NaN;
      if (v > m) m = v;
    }
    return m;
  },
  norm1(a: Float64Array) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
    return s;
  },
  clone: (a: Float64Array) => a.slice(),
  dispose: () => {},
});

/**
 * {@link VectorOps} on flat float32 `tf.Tensor1D` (any backend). Scalars (`dot`, norms) are read back with
 * `dataSync`; vectors stay on the backend.
 *
 * @example
 * const lbfgs = createLbfgs(tensorOps, { historySize: 50 });
 */
export const tensorOps: VectorOps<tf.Tensor1D> = Object.freeze({
  kind: 'float32 tensor',
  epsilon: 2 ** -23,
  size: (a: tf.Tensor1D) => a.size,
  dot: (a: tf.Tensor1D, b: tf.Tensor1D) => readScalar(() => tf.dot(a, b)),
  axpy: (alpha: number, x: tf.Tensor1D, y: tf.Tensor1D) =>
    tf.tidy(() => tf.add(tf.mul(x, alpha), y) as tf.Tensor1D),
  scale: (alpha: number, x: tf.Tensor1D) => tf.tidy(() => tf.mul(x, alpha) as tf.Tensor1D),
  sub: (a: tf.Tensor1D, b: tf.Tensor1D) => tf.sub(a, b) as tf.Tensor1D,
  normInf: (a: tf.Tensor1D) => readScalar(() => tf.max(tf.abs(a))),
  norm1: (a: tf.Tensor1D) => readScalar(() => tf.sum(tf.abs(a))),
  clone: (a: tf.Tensor1D) => tf.clone(a),
  dispose: (a: tf.Tensor1D) => a.dispose(),
});

function readScalar(f: () => tf.Tensor): number {
  const t = tf.tidy(f);
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}
