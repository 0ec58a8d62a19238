import * as tf from '@tensorflow/tfjs';
import { composeBilinear, composeUnary, isConstant, times } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { fallingPowers } from './power-series';

/**
 * y = a^b. A constant exponent p: derivatives p (p-1) ... (p-n+1) a^(p-n), with the ones that vanish for an
 * integer p (n > p >= 0) exactly zero, so x^2 and x^3 stay exact at 0. A varying exponent: y = exp(b log a)
 * through the log, product and exp jets.
 */
export const powTaylor = defineTaylorRule({
  kernelName: 'Pow',
  propagate: ({ inputs, outputs, layout }) => {
    const { a, b } = inputs;
    const y0 = outputs[0];
    const K = layout.order;
    if (isConstant(b)) {
      if (b.primal.size === 1) {
        const p = b.primal.dataSync()[0];
        const derivatives: (tf.Tensor | null)[] = [];
        let c = 1;
        for (let n = 1; n <= K; n++) {
          c *= p - (n - 1);
          derivatives.push(c === 0 ? null : tf.mul(tf.pow(a.primal, p - n), c));
        }
        return [composeUnary(layout, a, { primal: y0, derivatives })];
      }
      const derivatives: tf.Tensor[] = [];
      let c: tf.Tensor = tf.onesLike(b.primal);
      for (let n = 1; n <= K; n++) {
        c = tf.mul(c, tf.sub(b.primal, n - 1));
        derivatives.push(tf.mul(tf.pow(a.primal, tf.sub(b.primal, n)), c));
      }
      return [composeUnary(layout, a, { primal: y0, derivatives })];
    }
    const r0 = tf.reciprocal(a.primal);
    const logA = composeUnary(layout, a, {
      primal: tf.log(a.primal),
      derivatives: [r0, ...fallingPowers({ scale: r0, r: r0 }, -1, K - 1)],
    });
    const z0 = tf.mul(b.primal, logA.primal);
    const z = composeBilinear(layout, { a: b, b: logA, primal: z0 }, (p, q, lead) =>
      times(p, q, { rank: z0.rank, lead }),
    );
    return [composeUnary(layout, z, { primal: y0, derivatives: new Array<tf.Tensor>(K).fill(y0) })];
  },
});
