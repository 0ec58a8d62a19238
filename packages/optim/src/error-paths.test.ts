import * as tf from '@tensorflow/tfjs';
import { grad } from '@noether/autodiff';
import { beforeAll, describe, expect, it } from 'vitest';
import { OptimError } from './errors';
import { minimize, minimize64 } from './minimize';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('error paths leave no tensors and raise the package error', () => {
  it('grad with a non-scalar f throws and frees what tfjs saved for the backward pass', () => {
    const x = tf.tensor1d([1, 2]);
    const before = tf.memory().numTensors;
    expect(() => grad((z) => tf.mul(tf.sin(z), 2))(x)).toThrow(/must return a scalar tensor/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('minimize with a non-scalar loss throws OptimError INVALID_ARGUMENT and leaks nothing', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const before = tf.memory().numTensors;
    let caught: unknown;
    try {
      minimize(() => tf.mul(w, 2) as tf.Scalar, [w]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OptimError);
    expect((caught as OptimError).code).toBe('INVALID_ARGUMENT');
    expect((caught as OptimError).message).toMatch(/'lossFn' must return a scalar tensor, got .*shape \[2\]/);
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it('minimize with a loss that throws part-way leaks nothing and keeps the error', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const before = tf.memory().numTensors;
    let calls = 0;
    const loss = () => {
      if (++calls > 3) throw new Error('boom');
      return tf.sum(tf.square(tf.sin(w))) as tf.Scalar;
    };
    expect(() => minimize(loss, [w], { maxIterations: 50 })).toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it('minimize64 refuses a gradient of the wrong length', () => {
    const f = (x: Float64Array) => ({ loss: x[0] ** 2, grad: Float64Array.of(2 * x[0], 0) });
    expect(() => minimize64(f, Float64Array.of(1))).toThrow(
      /minimize64\(\): argument 'lossAndGrad' must return \{ loss: number, grad: Float64Array of length 1 \}/,
    );
  });
});
