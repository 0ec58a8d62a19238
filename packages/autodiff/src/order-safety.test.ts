import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '@noether/test-utils';
import { useOrderSafeGradients, useTfjsGradients } from './register-gradients';
import { verifyOrderSafety } from './verify-order-safety';

const d2MixedAt = (x: number) => {
  const f = (t: tf.Tensor) => tf.tanh(tf.mul(tf.square(t), tf.sin(t)));
  const d1 = tf.grad(f);
  const d2 = tf.grad((t: tf.Tensor) => d1(t));
  return tf.tidy(() => d2(tf.scalar(x)).dataSync()[0]);
};

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`order safety on the ${backend} backend`, () => {
    beforeAll(async () => {
      if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
      await tf.setBackend(backend);
    });
    afterEach(() => useOrderSafeGradients());

    it('matches analytic or float64 Richardson derivatives for every catalogued op at orders 1, 2 and 3', () => {
      const rows = verifyOrderSafety();
      const failures = rows
        .filter((r) => r.status === 'fail')
        .map((r) => `${r.op} order ${r.order}: ${r.maxError} ${r.error ?? ''}`);
      expect(failures).toEqual([]);
      expect(rows.length).toBeGreaterThanOrEqual(30 * 3);
    });

    it('gets d2/dx2 tanh(x^2 sin x) at x = 1.2 right through plain tf.grad (exact value -2.635594)', () => {
      expect(d2MixedAt(1.2)).toBeCloseTo(-2.635594, 4);
    });

    it('detects the broken tfjs gradients when they are swapped back in (the check can fail)', () => {
      useTfjsGradients();
      expect(d2MixedAt(1.2)).toBeCloseTo(0.5411, 3);
      const rows = verifyOrderSafety({
        ops: ['tanh', 'exp', 'elu', 'max (reduction)', 'logSoftmax'],
        orders: [2],
      });
      expect(rows.every((r) => r.status === 'fail')).toBe(true);
      useOrderSafeGradients();
      expect(verifyOrderSafety({ ops: ['tanh'], orders: [2] })[0].status).toBe('pass');
    });

    it('leaks no tensors while verifying', () => {
      verifyOrderSafety({ ops: ['tanh', 'softmax'] });
      expectNoLeak(() =>
        verifyOrderSafety({ ops: ['tanh', 'softmax', 'max (reduction)', 'where (select)'] }),
      );
    });
  });
}
