import * as tf from '@tensorflow/tfjs';
import { separable, type SeparableSystem } from './systems';

/** Kepler problem H = |p|^2/2 - 1/|q| (float64), with energies for diagnostics. @internal test fixture */
export const kepler: SeparableSystem<Float64Array> = separable({
  dTdp: (p, out = new Float64Array(2)) => {
    out[0] = p[0];
    out[1] = p[1];
    return out;
  },
  dVdq: (q, out = new Float64Array(2)) => {
    const r2 = q[0] * q[0] + q[1] * q[1];
    const r3 = r2 * Math.sqrt(r2);
    out[0] = q[0] / r3;
    out[1] = q[1] / r3;
    return out;
  },
  T: (p, s) => s.scale(s.add(s.mul(p[0], p[0]), s.mul(p[1], p[1])), 0.5),
  V: (q, s) => s.neg(s.pow(s.add(s.mul(q[0], q[0]), s.mul(q[1], q[1])), -0.5)),
});

/** Kepler initial state with eccentricity e at pericentre: q = (1-e, 0), p = (0, sqrt((1+e)/(1-e))). Period 2 pi. */
export const keplerX0 = (e: number): Float64Array =>
  Float64Array.of(1 - e, 0, 0, Math.sqrt((1 + e) / (1 - e)));

/** Harmonic oscillator H = (p^2 + q^2)/2 per coordinate (float64). */
export const oscillator: SeparableSystem<Float64Array> = separable({
  dTdp: (p, out = new Float64Array(p.length)) => (out.set(p), out),
  dVdq: (q, out = new Float64Array(q.length)) => (out.set(q), out),
  T: (p, s) => s.scale(s.mul(p[0], p[0]), 0.5),
  V: (q, s) => s.scale(s.mul(q[0], q[0]), 0.5),
});

/** Kepler for tensors `[batch, 4]`. */
export const keplerTensor: SeparableSystem<tf.Tensor> = separable<tf.Tensor>({
  dTdp: (p) => tf.clone(p),
  dVdq: (q) => tf.div(q, tf.pow(tf.sum(tf.square(q), -1, true), 1.5)),
  T: (p) => tf.mul(tf.sum(tf.square(p), -1), 0.5),
  V: (q) => tf.neg(tf.rsqrt(tf.sum(tf.square(q), -1))),
});

/**
 * Exact Kepler state at time t for the orbit of {@link keplerX0} (a = 1, period 2 pi): solves Kepler's
 * equation E - e sin E = t by Newton's method.
 */
export function keplerExact(t: number, e: number): Float64Array {
  let E = t + e * Math.sin(t);
  for (let i = 0; i < 50; i++) {
    const dE = (E - e * Math.sin(E) - t) / (1 - e * Math.cos(E));
    E -= dE;
    if (Math.abs(dE) < 1e-16) break;
  }
  const b = Math.sqrt(1 - e * e);
  const Edot = 1 / (1 - e * Math.cos(E));
  return Float64Array.of(Math.cos(E) - e, b * Math.sin(E), -Math.sin(E) * Edot, b * Math.cos(E) * Edot);
}

/** Exact oscillator state (q, p) at time t from (q0, p0). */
export const oscillatorExact = (t: number, q0: number, p0: number): Float64Array =>
  Float64Array.of(q0 * Math.cos(t) + p0 * Math.sin(t), -q0 * Math.sin(t) + p0 * Math.cos(t));

/** Largest |a_i - b_i|. */
export const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** Least-squares slope of log(err) against log(dt). */
export const fitOrder = (dts: readonly number[], errs: readonly number[]): number => {
  const x = dts.map(Math.log);
  const y = errs.map(Math.log);
  const mx = x.reduce((a, b) => a + b) / x.length;
  const my = y.reduce((a, b) => a + b) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
};
