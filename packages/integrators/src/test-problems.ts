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

/** Exact Kepler energy for the initial state of {@link keplerX0}: -1/2. */
export const keplerEnergy = -0.5;

/** Harmonic oscillator H = (p^2 + q^2)/2 per coordinate (float64). */
export const oscillator: SeparableSystem<Float64Array> = separable({
  dTdp: (p, out = new Float64Array(p.length)) => (out.set(p), out),
  dVdq: (q, out = new Float64Array(q.length)) => (out.set(q), out),
  T: (p, s) => s.scale(s.mul(p[0], p[0]), 0.5),
  V: (q, s) => s.scale(s.mul(q[0], q[0]), 0.5),
});

/** The same oscillator for tensors `[batch, 2n]`. */
export const oscillatorTensor: SeparableSystem<tf.Tensor> = separable<tf.Tensor>({
  dTdp: (p) => tf.clone(p),
  dVdq: (q) => tf.clone(q),
  T: (p) => tf.mul(tf.sum(tf.square(p), -1), 0.5),
  V: (q) => tf.mul(tf.sum(tf.square(q), -1), 0.5),
});

/** Kepler for tensors `[batch, 4]`. */
export const keplerTensor: SeparableSystem<tf.Tensor> = separable<tf.Tensor>({
  dTdp: (p) => tf.clone(p),
  dVdq: (q) => tf.div(q, tf.pow(tf.sum(tf.square(q), -1, true), 1.5)),
  T: (p) => tf.mul(tf.sum(tf.square(p), -1), 0.5),
  V: (q) => tf.neg(tf.rsqrt(tf.sum(tf.square(q), -1))),
});
