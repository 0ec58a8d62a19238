import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { parameterLoss } from './spectrum';
import { createMlp } from './setup';
import { defaultSettings } from './train';
import type { RunSettings, Variant } from './train';

// The protocol runs of README-pinn-fidelity.md train on tensorflow (@tensorflow/tfjs-node, `pnpm
// setup:tfjs-node`); this checks that its training objective and gradient agree with wasm's to float32
// round-off. Skipped where tfjs-node is not installed.
const tfjsNode = '@tensorflow/tfjs-node';
const hasTensorflow = await import(/* @vite-ignore */ tfjsNode).then(
  () => true,
  () => false,
);
await import('@tensorflow/tfjs-backend-wasm');

/** Loss and gradient of a run's objective at its initial (seeded Xavier) parameters, on `backend`. */
async function lossAndGradient(backend: string, s: RunSettings) {
  await tf.setBackend(backend);
  await tf.ready();
  const net = createMlp(2, { seed: s.seed });
  const theta = tf.tidy(() => tf.concat(net.vars.map((v) => tf.reshape(v, [-1])))) as tf.Tensor1D;
  tf.dispose(net.vars);
  const pl = parameterLoss(s);
  const { value, grad } = tf.valueAndGrad(pl.loss as (x: tf.Tensor) => tf.Scalar)(theta);
  const out = { loss: value.dataSync()[0], grad: Float64Array.from(grad.dataSync()) };
  tf.dispose([value, grad, theta]);
  pl.dispose();
  return out;
}

describe.skipIf(!hasTensorflow)('tensorflow and wasm backends on the PINN-Proj objectives', () => {
  it.each(['pinn', 'penalty', 'proj'] as Variant[])(
    'kdv %s: the same loss and gradient to float32 round-off',
    async (variant) => {
      const s: RunSettings = {
        ...defaultSettings,
        case: 'kdv',
        constraint: variant === 'pinn' ? 'linear' : 'joint',
        variant,
        points: 400,
        levels: 20,
        iterations: 1,
      };
      const a = await lossAndGradient('tensorflow', s);
      const b = await lossAndGradient('wasm', s);
      let num = 0;
      let den = 0;
      for (let i = 0; i < a.grad.length; i++) {
        num += (a.grad[i] - b.grad[i]) ** 2;
        den += b.grad[i] ** 2;
      }
      expect(Math.abs(a.loss - b.loss) / Math.abs(b.loss)).toBeLessThan(1e-5);
      expect(Math.sqrt(num / den)).toBeLessThan(1e-4);
      expect(den).toBeGreaterThan(0);
      await tf.setBackend('wasm');
    },
  );
});
