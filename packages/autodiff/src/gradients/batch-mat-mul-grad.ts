import * as tf from '@tensorflow/tfjs';
import { unbroadcast } from './grad-util';
import { defineGradient } from './gradient-spec';

/** Swaps the last two axes. */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[perm.length - 2] = perm.length - 1;
  perm[perm.length - 1] = perm.length - 2;
  return tf.transpose(x, perm);
}

/**
 * `op(a) op(b)` with op = transpose when asked. On wasm the transposes are materialised first: its
 * BatchMatMul kernel is ~10x slower with `transposeA/B` flags than on contiguous operands (measured: a
 * 512x200 by 200x200 product takes 3.5 ms plain and 39 ms with `transposeB`), while the copy costs ~1 ms.
 * Elsewhere (cpu) the flags are free and the copy is not, so they are passed through.
 */
function product(a: tf.Tensor, b: tf.Tensor, transpose: readonly [boolean, boolean]): tf.Tensor {
  const [ta, tb] = transpose;
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b, ta, tb);
  return tf.matMul(ta ? swapLast(a) : a, tb ? swapLast(b) : b);
}

/**
 * d(op(a) op(b)): the four transpose cases, summed back over broadcast batch dimensions.
 * For C = A B: dA = dC B^T, dB = A^T dC.
 */
export const batchMatMulGrad = defineGradient({
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  why: 'correct at every order in tfjs 4.22, but it multiplies with transpose flags, ~10x slower on wasm than materialised transposes; also ignores batch broadcasting',
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved;
    const g = dy as tf.Tensor;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    let da: () => tf.Tensor;
    let db: () => tf.Tensor;
    if (!transposeA && !transposeB) {
      da = () => product(g, b, [false, true]);
      db = () => product(a, g, [true, false]);
    } else if (!transposeA && transposeB) {
      da = () => product(g, b, [false, false]);
      db = () => product(g, a, [true, false]);
    } else if (transposeA && !transposeB) {
      da = () => product(b, g, [false, true]);
      db = () => product(a, g, [false, false]);
    } else {
      da = () => product(b, g, [true, true]);
      db = () => product(g, a, [true, true]);
    }
    return { a: () => unbroadcast(da(), a.shape), b: () => unbroadcast(db(), b.shape) };
  },
});
