import * as tf from '@tensorflow/tfjs';
import { fastPaths } from '../fast-paths';
import { isRecording } from './grad-util';
import { defineGradient } from './gradient-spec';

/**
 * sech^2 x = 1 - tanh(x)^2. On wasm as 4 u (1 - u) with u = sigmoid(-2|x|) <= 1/2: exact algebra
 * (sech^2 x = 4 sigmoid(2x) sigmoid(-2x), and sigmoid(2|x|) = 1 - u), no cancellation since 1 - u >= 1/2
 * rounds once, and one Sigmoid kernel, vectorised on wasm, instead of Tanh. On other backends tanh is cheap
 * and the shorter `1 - tanh(x)^2` (fewer kernels) is used; `t` is that tanh when the caller has it.
 */
function sech2(x: tf.Tensor, t?: tf.Tensor): tf.Tensor {
  if (t !== undefined || tf.getBackend() !== 'wasm') return tf.sub(1, tf.square(t ?? tf.tanh(x)));
  if (fastPaths.oneSigmoid) {
    const u = tf.sigmoid(tf.mul(tf.abs(x), -2));
    return tf.mul(tf.mul(u, tf.sub(1, u)), 4);
  }
  const twoX = tf.mul(x, 2);
  return tf.mul(tf.mul(tf.sigmoid(twoX), tf.sigmoid(tf.neg(twoX))), 4);
}

/**
 * sech^2(x) and -2 tanh(x) (the factor of its derivative). On wasm both from u = sigmoid(-2|x|): the Tanh
 * kernel there is a ~20-kernel composite (~5x a Sigmoid), and tanh|x| = 1 - 2u, so -2 tanh(x) =
 * sign(x) (4u - 2), with sign(x) as step(x, -1) (wasm's Sign kernel is a scalar loop, ~30x a Step; at x = 0
 * the factor 4u - 2 is exactly 0, so the -1 there does not matter).
 */
function slopeParts(x: tf.Tensor): { s: tf.Tensor; v: tf.Tensor } {
  if (tf.getBackend() === 'wasm' && fastPaths.oneSigmoid) {
    const u = tf.sigmoid(tf.mul(tf.abs(x), -2));
    return { s: tf.mul(tf.mul(u, tf.sub(1, u)), 4), v: tf.mul(tf.step(x, -1), tf.sub(tf.mul(u, 4), 2)) };
  }
  const t = tf.tanh(x);
  return { s: sech2(x, t), v: tf.mul(t, -2) };
}

/**
 * `dy sech^2(x)` as ONE tape node, with its own closed-form gradient (d/d dy = sech^2 x, d/dx = -2 tanh(x)
 * sech^2(x) dy), built from order-safe ops, so it is differentiable again to any order. One node saves 2-4
 * tensors where the ~7 ops of the formula would save ~12, and its gradient takes 3-13 kernels instead of the
 * ~25 that differentiating the formula op by op costs. When the node is recorded, sech^2 x and -2 tanh x are
 * saved too: a gradient computed with the tape off (the last reverse pass, e.g. the weight gradient of an HNN
 * loss) reuses them; one that is itself recorded recomputes them from x, so higher orders stay exact.
 */
/**
 * sech^2 of a Tanh node's saved input, as saved by the fused node its first gradient created: the node's
 * gradient runs first in the next reverse pass (it was recorded later) and leaves its saved sech^2 here, so
 * the Tanh node's own gradient in that pass is one multiply (the same values: the same kernels on the same
 * input). Weak keys: nothing outlives the tape.
 */
const savedSlopes = new WeakMap<tf.Tensor, { s?: tf.Tensor }>();

const tanhSlopeTimes = tf.customGrad((...args: unknown[]) => {
  const [x, dy, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  let value: tf.Tensor;
  const holder: { s?: tf.Tensor } = {};
  if (fastPaths.reuseSlopes && isRecording(true)) {
    const { s, v } = slopeParts(x);
    save([x, dy, s, v]);
    savedSlopes.set(x, holder);
    value = tf.mul(dy, s);
  } else {
    save([x, dy]);
    value = tf.mul(dy, sech2(x));
  }
  return {
    value,
    gradFunc: (ddg: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sdy, savedS, savedV] = saved;
      const reuse = savedS !== undefined && savedV !== undefined && !isRecording();
      const { s, v } = reuse ? { s: savedS, v: savedV } : slopeParts(sx);
      if (reuse) holder.s = savedS;
      const gDy = tf.mul(ddg, s);
      return [tf.mul(tf.mul(gDy, sdy), v), gDy];
    },
  };
});

/** `dy sech^2(x)`: one multiply when this pass may reuse a saved sech^2 x (see {@link savedSlopes}). */
function tanhGradient(x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  if (!fastPaths.fusedActivationGrads) return tf.mul(dy, sech2(x));
  const s = fastPaths.reuseSlopes && !isRecording() ? savedSlopes.get(x)?.s : undefined;
  if (s !== undefined && !s.isDisposed) return tf.mul(dy, s);
  return tanhSlopeTimes(x, dy);
}

/** d tanh(x) = (1 - tanh(x)^2) dx, recomputed from the saved input. */
export const tanhGrad = defineGradient({
  kernelName: 'Tanh',
  inputsToSave: ['x'],
  why: 'tfjs saves the output y; the saved copy is not connected to x on the tape, so order >= 2 throws or drops terms',
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const g = dy as tf.Tensor;
    return { x: () => tanhGradient(x, g) };
  },
});
