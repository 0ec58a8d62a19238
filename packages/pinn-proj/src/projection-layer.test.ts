import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '@noether/test-utils';
import { integrals64 } from './project64';
import { ProjectionLayer } from './projection-layer';
import { quadrature } from './quadrature';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const q = quadrature('simpson', [0, 2], 17);
const weights = Array.from(q.weights);

function model(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [3],
        units: 17,
        activation: 'tanh',
        kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }),
      }),
      new ProjectionLayer({ constraintType: 'joint', c1: 0.7, c2: 1.1, weights, name: 'proj' }),
    ],
  });
}

describe('ProjectionLayer', () => {
  it('projects every row onto the constraint inside a tf.layers model', () => {
    const m = model();
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 1);
    const y = m.predict(x) as tf.Tensor;
    const { I1, I2 } = integrals64(y.dataSync(), q);
    for (let s = 0; s < 5; s++) {
      expect(Math.abs(I1[s] - 0.7) / 0.7).toBeLessThan(1e-6);
      expect(Math.abs(I2[s] - 1.1) / 1.1).toBeLessThan(1e-6);
    }
    tf.dispose([x, y]);
    m.dispose();
  });

  it('round-trips through model.save to a memory handler and tf.loadLayersModel', async () => {
    const m = model();
    let artifacts: tf.io.ModelArtifacts | undefined;
    await m.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(JSON.stringify(artifacts?.modelTopology)).toContain('NoetherProjection');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 2);
    const a = (m.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    const cfg = (loaded.getLayer('proj') as ProjectionLayer).getConfig();
    expect(cfg).toMatchObject({ constraintType: 'joint', c1: 0.7, c2: 1.1, weights });
    const again = ProjectionLayer.fromConfig(ProjectionLayer, cfg) as ProjectionLayer;
    expect(again.getConfig()).toEqual(cfg);
    x.dispose();
    m.dispose();
    loaded.dispose();
  });

  it('passes gradients that match finite differences of the loss', () => {
    const layer = new ProjectionLayer({ constraintType: 'quadratic', c2: 0.9, weights });
    const x0 = Float64Array.from({ length: 17 }, (_, j) => Math.sin(j + 1) + 0.2);
    const g = Float64Array.from({ length: 17 }, (_, j) => Math.cos(3 * j));
    const L = (x: tf.Tensor) =>
      tf.sum(tf.mul(layer.apply(x) as tf.Tensor, tf.tensor2d(Float32Array.from(g), [1, 17])));
    const grad = tf.tidy(() =>
      tf
        .grad(L)(tf.tensor2d(Float32Array.from(x0), [1, 17]))
        .dataSync(),
    );
    for (const j of [0, 5, 16]) {
      const h = 1e-2;
      const f = (d: number) =>
        tf.tidy(
          () =>
            L(tf.tensor2d(Float32Array.from(x0.map((v, k) => (k === j ? v + d : v))), [1, 17])).dataSync()[0],
        );
      const fd = (f(h) - f(-h)) / (2 * h);
      expect(Math.abs(grad[j] - fd)).toBeLessThan(2e-3 * (1 + Math.abs(fd)));
    }
  });

  it('leaks no tensors and rejects a wrong input width and infeasible targets', () => {
    const layer = new ProjectionLayer({ constraintType: 'linear', c1: 1, weights });
    const x = tf.ones([2, 17]);
    expectNoLeak(() => layer.apply(x));
    const bad = tf.ones([2, 16]);
    expect(() => layer.apply(bad)).toThrow(/ProjectionLayer.call\(\): input must have shape \[batch, 17\]/);
    expect(() => new ProjectionLayer({ constraintType: 'joint', c1: 2, c2: 0.1, weights })).toThrow(
      /infeasible/,
    );
    expect(() => new ProjectionLayer({ constraintType: 'linear', c1: 1, weights: [1, -2] })).toThrow(
      /weights\[1\]/,
    );
    tf.dispose([x, bad]);
  });
});
