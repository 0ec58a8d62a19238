import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutodiffError, checkGrads } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** sin(x) with a deliberately wrong derivative (1.1 cos x) in its gradient: checkGrads must flag it. */
const wrongSin = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.sin(x),
  gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.mul(tf.cos(x), 1.1)),
})) as unknown as Parameters<typeof tf.customGrad>[0]);

/** tanh via its definition but with an order-2-only error: the gradient is right, its derivative is not. */
const wrongSecond = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.tanh(x),
  // (1 - tanh^2) is right in value, but stop-gradient through tanh makes the second derivative zero.
  gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.sub(1, tf.square(tf.tanh(x.clone().bufferSync().toTensor())))),
})) as unknown as Parameters<typeof tf.customGrad>[0]);

describe('checkGrads', () => {
  const x = tf.tensor1d([0.3, -1.1, 0.8]);

  it('passes exact derivatives of a composite function at orders 1, 2 and 3 with float32-level errors', () => {
    const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.tanh(t), tf.exp(tf.mul(t, 0.5))));
    const result = checkGrads(f, x, { order: 3 });
    expect(result.status).toBe('pass');
    expect(result.nonFinite).toBe(false);
    expect(result.maxAbsError).toBeLessThan(1e-4);
    expect(result.checks.map((c) => c.order)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  it('handles vector-valued functions through seeded output weights', () => {
    const result = checkGrads((t) => tf.softmax(t), x, { order: 2, directions: 2, seed: 5 });
    expect(result.status).toBe('pass');
    expect(result.checks).toHaveLength(4);
  });

  it('flags a wrong first derivative', () => {
    const result = checkGrads((t) => tf.sum(wrongSin(t) as tf.Tensor), x);
    expect(result.status).toBe('fail');
    expect(result.maxRelError).toBeGreaterThan(0.05);
  });

  it('flags a second derivative that is wrong while the first is right', () => {
    const f = (t: tf.Tensor) => tf.sum(wrongSecond(t) as tf.Tensor);
    expect(checkGrads(f, x, { order: 1 }).status).toBe('pass');
    const second = checkGrads(f, x, { order: 2 });
    expect(second.status).toBe('fail');
    expect(second.checks.filter((c) => c.order === 2).every((c) => c.absError > 0.05)).toBe(true);
  });

  it('reports non-finite derivatives instead of passing them', () => {
    const result = checkGrads((t) => tf.sum(tf.sqrt(t)), tf.tensor1d([0, 1]));
    expect(result.status).toBe('fail');
    expect(result.nonFinite).toBe(true);
    expect(result.maxAbsError).toBeNaN();
  });

  it('rejects bad options, naming the function and the argument', () => {
    const f = (t: tf.Tensor) => tf.sum(t);
    expect(() => checkGrads(f, x, { order: 4 })).toThrow(
      /checkGrads\(\): argument 'options.order' must be 1, 2 or 3, got 4/,
    );
    expect(() => checkGrads(f, x, { fdStep: -1 })).toThrow(AutodiffError);
    expect(() => checkGrads(f, x, { tol: Number.NaN })).toThrow(
      /argument 'options.tol' must be a finite positive number, got NaN/,
    );
    expect(() => checkGrads(f, 'x' as never)).toThrow(/checkGrads\(\): argument 'x' must be a tf\.Tensor/);
  });
});
