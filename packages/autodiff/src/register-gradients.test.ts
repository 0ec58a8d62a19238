import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkGrads, replacedGradients } from './index';
import { gradientMode, useOrderSafeGradients, useTfjsGradients } from './register-gradients';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => useOrderSafeGradients());

const second = (f: (x: tf.Tensor) => tf.Tensor, x: number) => {
  const d1 = tf.grad(f);
  return tf.tidy(
    () =>
      tf
        .grad((t: tf.Tensor) => d1(t))(tf.scalar(x))
        .dataSync()[0],
  );
};

describe('the order-safe gradient registry', () => {
  it('is active as soon as the package is imported', () => {
    expect(gradientMode()).toBe('order-safe');
    expect(tf.getGradient('Tanh').inputsToSave).toEqual(['x']);
    expect(tf.getGradient('Tanh').outputsToSave).toBeUndefined();
  });

  it('lists every replaced kernel with a reason, and no replacement saves outputs', () => {
    const list = replacedGradients();
    const names = list.map((r) => r.kernelName);
    for (const k of [
      'Tanh',
      'Sigmoid',
      'Exp',
      'Elu',
      'Selu',
      'Softplus',
      'Softmax',
      'LogSoftmax',
      'Max',
      'Min',
    ]) {
      expect(names).toContain(k);
    }
    expect(list.find((r) => r.kernelName === 'Greater')?.tfjsHadOne).toBe(false);
    expect(list.every((r) => r.why.length > 10)).toBe(true);
    expect(names.every((n) => tf.getGradient(n).outputsToSave === undefined)).toBe(true);
  });

  it('swaps back to the tfjs gradients and forward again, restoring the originals exactly', () => {
    useTfjsGradients();
    expect(gradientMode()).toBe('tfjs');
    expect(tf.getGradient('Tanh').outputsToSave).toEqual([true]);
    expect(tf.getGradient('Greater')).toBeUndefined();
    expect(() => second(tf.tanh, 0.5)).toThrow(/Cannot compute gradient/);
    useOrderSafeGradients();
    useOrderSafeGradients();
    expect(second(tf.tanh, 0.5)).toBeCloseTo(-2 * Math.tanh(0.5) * (1 - Math.tanh(0.5) ** 2), 6);
  });

  it('lets masks built from comparisons through tf.where at order 1 and 2 (tfjs throws even at order 1)', () => {
    const f = (x: tf.Tensor) => tf.where(tf.greater(x, 0), tf.pow(x, 3), tf.neg(x));
    expect(tf.tidy(() => tf.grad(f)(tf.scalar(0.5)).dataSync()[0])).toBeCloseTo(0.75, 6);
    expect(second(f, 0.5)).toBeCloseTo(3, 5);
    expect(second(f, -0.5)).toBeCloseTo(0, 6);
  });

  it('makes a user customGrad op that saves its output differentiable again (tape-order fix)', () => {
    // exp with a gradient that uses the saved output, the pattern tfjs's own kernels used.
    const myExp = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      const y = tf.exp(x);
      save([y]);
      return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    expect(second((x) => myExp(x) as tf.Tensor, 0.7)).toBeCloseTo(Math.exp(0.7), 5);
  });

  it('differentiates a batch-broadcast matMul ([2, 3, 4] x [4, 2]) to order 2 on cpu and wasm', async () => {
    for (const backend of ['cpu', 'wasm']) {
      if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
      await tf.setBackend(backend);
      const b = tf.tensor2d([0.3, -0.2, 0.5, 0.1, -0.4, 0.7, 0.2, -0.6], [4, 2]);
      const a = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 3);
      const viaA = checkGrads((t) => tf.sum(tf.tanh(tf.matMul(t, b))), a, { order: 2 });
      const viaB = checkGrads((t) => tf.sum(tf.tanh(tf.matMul(a, t, false, false))), b, { order: 2 });
      const transposed = checkGrads((t) => tf.sum(tf.sin(tf.matMul(a, t, false, true))), tf.transpose(b), {
        order: 2,
      });
      expect(
        [viaA.status, viaB.status, transposed.status],
        JSON.stringify([viaA.maxAbsError, viaB.maxAbsError, transposed.maxAbsError]),
      ).toEqual(['pass', 'pass', 'pass']);
    }
    await tf.setBackend('cpu');
  });

  it('declares the registration files as side effects so bundlers keep them', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      sideEffects: string[];
    };
    expect(pkg.sideEffects).toEqual(
      expect.arrayContaining(['./dist/index.js', './src/register-gradients.ts']),
    );
  });
});
