import { withProjection } from '@noether/pinn-proj';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCaseNames, getCase, gridNodes, referenceOf } from './cases';
import { createMlp } from './setup';
import { constraintOf } from './train';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
});

/** u~, u~_t and u~_tt at a few points of a seeded network projected in exact mode with Taylor jets of `order`. */
function timeDerivatives(order: 1 | 2): Float32Array[] {
  const c = getCase('kdv-periodic');
  const ref = referenceOf(c);
  const net = createMlp(2, { seed: 3, hidden: 2, width: 8 });
  const u = withProjection(net.apply, {
    grid: gridNodes(ref),
    weights: ref.weights,
    dim: 1,
    constraint: constraintOf(c, 'linear'),
    timeDerivative: 'exact',
    exactOrder: order,
  });
  const xt = tf.tensor2d([0.3, 0.1, 1.1, 0.1, 1.7, 0.5, 0.9, 0.5], [4, 2]);
  const dt = (f: (z: tf.Tensor2D) => tf.Tensor2D) => (z: tf.Tensor2D) =>
    tf.slice(
      tf.grad((y: tf.Tensor) => tf.sum(f(y as tf.Tensor2D)))(z),
      [0, 1],
      [z.shape[0], 1],
    ) as tf.Tensor2D;
  const out = [u, dt(u), dt(dt(u))].map((f) => {
    const v = tf.tidy(() => f(xt));
    const a = v.dataSync() as Float32Array;
    v.dispose();
    return a;
  });
  tf.dispose([xt, ...net.vars]);
  return out;
}

describe('the exact time-derivative mode of the reproduction', () => {
  it('only the wave equation is second order in t (its residual has u_tt)', () => {
    for (const name of allCaseNames) expect(getCase(name).timeOrder).toBe(name === 'wave' ? 2 : 1);
  });

  it('gives u~ and u~_t bit for bit with jets of order 1 (as trained) and of order 2; only u~_tt differs', () => {
    const [u1, ut1, utt1] = timeDerivatives(1);
    const [u2, ut2, utt2] = timeDerivatives(2);
    expect(u1).toEqual(u2);
    expect(ut1).toEqual(ut2);
    expect(utt1).not.toEqual(utt2);
  });
});
