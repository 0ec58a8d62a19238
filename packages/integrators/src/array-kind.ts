import * as tf from '@tensorflow/tfjs';
import type { ScalarOps } from './scalar-ops';

/**
 * The array operations one integrator algorithm needs, implemented once per array kind, so every method is
 * written once and runs on `Float64Array` (one state `[dim]`), on `tf.Tensor` (batched `[batch, dim]`,
 * float32, differentiable) and on arrays of generic scalars (dual numbers, for flow-map Jacobians).
 *
 * Ownership rule (linear use): an argument documented as *consumed* must not be used by the caller
 * afterwards (the float64 kind overwrites it in place; the tensor kind leaves it to the enclosing `tidy`).
 * Every other argument is borrowed and every result is new unless stated.
 */
export interface ArrayKind<A> {
  readonly name: 'float64' | 'tensor' | 'scalar';
  /** `y + a x`; consumes `y`. */
  axpy(a: number, x: A, y: A): A;
  /** `x + sum_i c_i ys_i` as a new array (x and ys borrowed). */
  combine(x: A, cs: readonly number[], ys: readonly A[]): A;
  /** `sum_i c_i ys_i` as a new array (ys borrowed, at least one). */
  lincomb(cs: readonly number[], ys: readonly A[]): A;
  /** A new array equal to `x`. */
  copy(x: A): A;
  /** `-x`, new. */
  neg(x: A): A;
  /** Concatenates `[q, p]` along the last axis; consumes both. */
  concat(q: A, p: A): A;
  /** Splits the last axis at `n` into new arrays `[q, p]`; `x` is borrowed. */
  split(x: A, n: number): [A, A];
  /** Length of the last axis. */
  dim(x: A): number;
  /** True when every entry is finite (synchronous read for tensors). */
  allFinite(x: A): boolean;
  /** Largest `|x - y|` (max over the batch). */
  maxAbsDiff(x: A, y: A): number;
  /** Largest `|x|`. */
  maxAbs(x: A): number;
  /**
   * Hairer's scaled error norm: the RMS over components of `err / (atol + rtol max(|y0|, |y1|))`
   * (for a batch: the largest row RMS).
   */
  errorNorm(err: A, refs: readonly [A, A], tol: { rtol: number; atol: number }): number;
  /** A scratch array of length `dim` that the float64 system functions may write into (`out`), else undefined. */
  workspace(dim: number): A | undefined;
  /** Runs `f`, releasing temporaries it made that are not in its result. */
  tidy<T>(f: () => T): T;
  /** Releases arrays (tensors); no-op for other kinds. */
  dispose(xs: A | readonly A[]): void;
}

/** The `Float64Array` kind: one state `[dim]`, updates in place, reference accuracy. */
export const float64Kind: ArrayKind<Float64Array> = Object.freeze({
  name: 'float64' as const,
  axpy(a: number, x: Float64Array, y: Float64Array) {
    for (let i = 0; i < y.length; i++) y[i] += a * x[i];
    return y;
  },
  combine(x: Float64Array, cs: readonly number[], ys: readonly Float64Array[]) {
    const out = x.slice();
    for (let j = 0; j < ys.length; j++) {
      const c = cs[j];
      if (c === 0) continue;
      const y = ys[j];
      for (let i = 0; i < out.length; i++) out[i] += c * y[i];
    }
    return out;
  },
  lincomb(cs: readonly number[], ys: readonly Float64Array[]) {
    const out = new Float64Array(ys[0].length);
    for (let j = 0; j < ys.length; j++) {
      const c = cs[j];
      if (c === 0) continue;
      const y = ys[j];
      for (let i = 0; i < out.length; i++) out[i] += c * y[i];
    }
    return out;
  },
  copy: (x: Float64Array) => x.slice(),
  neg(x: Float64Array) {
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = -x[i];
    return out;
  },
  concat(q: Float64Array, p: Float64Array) {
    const out = new Float64Array(q.length + p.length);
    out.set(q);
    out.set(p, q.length);
    return out;
  },
  // Copies, not subarray views: a view of a small on-heap typed array forces V8 to materialise its buffer (slow).
  split: (x: Float64Array, n: number): [Float64Array, Float64Array] => [x.slice(0, n), x.slice(n)],
  dim: (x: Float64Array) => x.length,
  allFinite(x: Float64Array) {
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
    return true;
  },
  maxAbsDiff(x: Float64Array, y: Float64Array) {
    let m = 0;
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i] - y[i]);
      if (!(d <= m)) m = d; // NaN propagates
    }
    return m;
  },
  maxAbs(x: Float64Array) {
    let m = 0;
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i]);
      if (!(d <= m)) m = d;
    }
    return m;
  },
  errorNorm(
    err: Float64Array,
    [y0, y1]: readonly [Float64Array, Float64Array],
    tol: { rtol: number; atol: number },
  ) {
    let s = 0;
    for (let i = 0; i < err.length; i++) {
      const sc = tol.atol + tol.rtol * Math.max(Math.abs(y0[i]), Math.abs(y1[i]));
      s += (err[i] / sc) ** 2;
    }
    return Math.sqrt(s / err.length);
  },
  workspace: (dim: number) => new Float64Array(dim),
  tidy: <T>(f: () => T) => f(),
  dispose: () => {},
});

/** The `tf.Tensor` kind: batched float32 `[batch, dim]` (or `[dim]`), differentiable through every op. */
export const tensorKind: ArrayKind<tf.Tensor> = Object.freeze({
  name: 'tensor' as const,
  axpy: (a: number, x: tf.Tensor, y: tf.Tensor) => tf.add(y, tf.mul(x, a)),
  combine(x: tf.Tensor, cs: readonly number[], ys: readonly tf.Tensor[]) {
    let out = x;
    for (let j = 0; j < ys.length; j++) if (cs[j] !== 0) out = tf.add(out, tf.mul(ys[j], cs[j]));
    return out === x ? tf.clone(x) : out;
  },
  lincomb: (cs: readonly number[], ys: readonly tf.Tensor[]) => tf.addN(ys.map((y, j) => tf.mul(y, cs[j]))),
  copy: (x: tf.Tensor) => tf.clone(x),
  neg: (x: tf.Tensor) => tf.neg(x),
  concat: (q: tf.Tensor, p: tf.Tensor) => tf.concat([q, p], -1),
  split(x: tf.Tensor, n: number): [tf.Tensor, tf.Tensor] {
    const d = x.shape[x.rank - 1];
    const [q, p] = tf.split(x, [n, d - n], -1);
    return [q, p];
  },
  dim: (x: tf.Tensor) => x.shape[x.rank - 1],
  allFinite: (x: tf.Tensor) => tf.tidy(() => tf.all(tf.isFinite(x)).dataSync()[0] === 1),
  maxAbsDiff: (x: tf.Tensor, y: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]),
  maxAbs: (x: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(x)).dataSync()[0]),
  errorNorm(err: tf.Tensor, [y0, y1]: readonly [tf.Tensor, tf.Tensor], tol: { rtol: number; atol: number }) {
    return tf.tidy(() => {
      const sc = tf.add(tf.mul(tf.maximum(tf.abs(y0), tf.abs(y1)), tol.rtol), tol.atol);
      const ms = tf.mean(tf.square(tf.div(err, sc)), -1);
      return Math.sqrt(tf.max(ms).dataSync()[0]);
    });
  },
  workspace: () => undefined,
  tidy: <T>(f: () => T) => tf.tidy(f as () => tf.TensorContainer) as T,
  dispose(xs: tf.Tensor | readonly tf.Tensor[]) {
    tf.dispose(xs as tf.Tensor[]);
  },
});

/**
 * The kind of plain arrays of generic scalars `N` (e.g. dual numbers), used to differentiate the float64
 * flow map exactly (symplecticity diagnostics). Slow; not for production runs.
 */
export function scalarKind<N>(s: ScalarOps<N>): ArrayKind<N[]> {
  const abs = (x: N) => Math.abs(s.value(x));
  return Object.freeze({
    name: 'scalar' as const,
    axpy: (a: number, x: N[], y: N[]) => y.map((yi, i) => s.add(yi, s.scale(x[i], a))),
    combine: (x: N[], cs: readonly number[], ys: readonly N[][]) =>
      x.map((xi, i) => {
        let acc = xi;
        for (let j = 0; j < ys.length; j++) if (cs[j] !== 0) acc = s.add(acc, s.scale(ys[j][i], cs[j]));
        return acc;
      }),
    lincomb: (cs: readonly number[], ys: readonly N[][]) =>
      ys[0].map((_, i) => {
        let acc = s.constant(0);
        for (let j = 0; j < ys.length; j++) if (cs[j] !== 0) acc = s.add(acc, s.scale(ys[j][i], cs[j]));
        return acc;
      }),
    copy: (x: N[]) => x.slice(),
    neg: (x: N[]) => x.map((v) => s.neg(v)),
    concat: (q: N[], p: N[]) => q.concat(p),
    split: (x: N[], n: number): [N[], N[]] => [x.slice(0, n), x.slice(n)],
    dim: (x: N[]) => x.length,
    allFinite: (x: N[]) => x.every((v) => Number.isFinite(s.value(v))),
    maxAbsDiff: (x: N[], y: N[]) =>
      x.reduce((m, v, i) => Math.max(m, Math.abs(s.value(v) - s.value(y[i]))), 0),
    maxAbs: (x: N[]) => x.reduce((m, v) => Math.max(m, abs(v)), 0),
    errorNorm(err: N[], [y0, y1]: readonly [N[], N[]], tol: { rtol: number; atol: number }) {
      let acc = 0;
      for (let i = 0; i < err.length; i++) {
        acc += (s.value(err[i]) / (tol.atol + tol.rtol * Math.max(abs(y0[i]), abs(y1[i])))) ** 2;
      }
      return Math.sqrt(acc / err.length);
    },
    workspace: () => undefined,
    tidy: <T>(f: () => T) => f(),
    dispose: () => {},
  });
}
