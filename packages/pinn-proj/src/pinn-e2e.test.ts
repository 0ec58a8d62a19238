import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adamOptimizer, createTrainer, train } from '@noether/optim';
import { partials } from './partials';
import { evaluateOnGrid, penaltyLoss } from './penalty';
import { conservationError64, integrals64 } from './project64';
import { quadrature } from './quadrature';
import { sampleOnTimeLevels, timeGrid } from './samplers';
import { withProjection } from './with-projection';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tanh MLP as a tf.LayersModel (higher-order gradients through tanh come from @noether/autodiff). */
function model(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotNormal({ seed });
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 10, activation: 'tanh', kernelInitializer: init(1) }),
      tf.layers.dense({ units: 10, activation: 'tanh', kernelInitializer: init(2) }),
      tf.layers.dense({ units: 1, kernelInitializer: init(3) }),
    ],
  });
}

describe('PINN-Proj end to end (advection, small)', () => {
  it('trains a projected tanh PINN with exact conservation while the penalty baseline drifts', async () => {
    const grid = quadrature('uniform', [0, 2], { n: 64, nodes: 'left' });
    const ic = (x: number) => Math.exp(-(((x - 1) / 0.3) ** 2));
    const c1 = integrals64(Float64Array.from(grid.nodes, ic), grid).I1[0];
    const constraint = { type: 'linear' as const, c1 };
    const times = timeGrid(0, 0.9, 10);
    const sample = sampleOnTimeLevels({ times, pointsPerLevel: 20, spatial: [[0, 2]], seed: 11 });
    const xt = tf.tensor2d(sample.xt, [sample.count, 2]);
    const x0 = tf.tensor2d(
      Array.from({ length: 40 }, (_, i) => [(2 * i) / 39, 0]).flat(),
      [40, 2],
    ) as tf.Tensor2D;
    const u0 = tf.tensor2d(
      Float32Array.from({ length: 40 }, (_, i) => ic((2 * i) / 39)),
      [40, 1],
    );

    const errors: Record<string, number> = {};
    for (const variant of ['proj', 'penalty'] as const) {
      const m = model();
      const uTilde = withProjection(m, { grid, constraint });
      const u =
        variant === 'proj'
          ? (z: tf.Tensor2D) => uTilde(z, { levels: sample.levels })
          : (z: tf.Tensor2D) => m.apply(z) as tf.Tensor2D;
      const loss = () => {
        const d = partials(u, xt, ['t', 'x']);
        const terms: Record<string, tf.Scalar> = {
          pde: tf.mean(tf.square(tf.add(d.t, tf.mul(0.25, d.x)))) as tf.Scalar,
          data: tf.mean(
            tf.square(tf.sub(variant === 'proj' ? uTilde(x0) : (m.apply(x0) as tf.Tensor), u0)),
          ) as tf.Scalar,
        };
        if (variant === 'penalty')
          terms.penalty = penaltyLoss(m, { grid, constraint, times: [0], lambda: 10 });
        return terms;
      };
      const trainer = createTrainer({
        variables: m.trainableWeights.map((w) => w.read() as tf.Variable),
        loss,
        optimizer: adamOptimizer({ learningRate: 0.01 }),
      });
      const result = await train(trainer, { steps: 15 });
      expect(result.status).toBe('ok');
      expect(result.reason).toBeUndefined(); // all steps run (not ended early by a tolerance)
      const h = trainer.history;
      expect(h[h.length - 1].loss).toBeLessThan(h[0].loss);
      const U = variant === 'proj' ? uTilde.gridValues(times) : evaluateOnGrid(m, grid, times);
      errors[variant] = conservationError64(U.dataSync(), grid, { constraint }).total;
      U.dispose();
      trainer.dispose();
      m.dispose();
    }
    // float32 floor for 10 levels, and far below the penalty baseline after the same training
    expect(errors.proj).toBeLessThan(1e-5);
    expect(errors.penalty).toBeGreaterThan(100 * errors.proj);
    tf.dispose([xt, x0, u0]);
  });
});
