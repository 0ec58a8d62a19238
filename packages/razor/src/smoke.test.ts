import { defined } from '@noether/test-utils';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { adamOptimizer, cosineSchedule, createTrainer, train, type Trainer } from '@noether/optim';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRazorModel, razorLoss, readableLaws, symmetryDiagnostics } from './index';
import { oscillatorTransitions, unitaryGenerators } from './test-fixtures';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('one-oscillator smoke run', () => {
  it('finds one conserved quantity, the energy q1² + p1², from 7 x 4 transitions (about 6 CPU-seconds)', async () => {
    const data = oscillatorTransitions(1, { count: 7, steps: 4, dt: 0.2, seed: 3 });
    const model = createRazorModel({
      dim: 2,
      hidden: [16, 16],
      alpha: 2,
      slots: 2,
      flowSamples: 8,
      flowSampling: 'cube',
      antithetic: true,
      substeps: 5,
      seed: 2,
      etaInitStd: 0.01,
    });
    let trainer: Trainer | null = null;
    const loss = razorLoss(model, data, { dt: 0.2, batchSize: 28, step: () => trainer?.step ?? 0 });
    const eta = new Set(model.symmetryVariables);
    const steps = 200;
    const before = tf.memory().numTensors;
    trainer = createTrainer({
      variables: [...model.variables],
      loss,
      optimizer: adamOptimizer({
        learningRate: 3e-3,
        groups: [{ match: (v) => eta.has(v), learningRate: 1e-1 }],
        schedule: cosineSchedule({ steps: 2 * steps, floor: 0.1 }),
      }),
    });
    const result = await train(trainer, { steps });
    expect(result.status).toBe('ok');
    const G = defined(model.generators());
    const flat = G.arraySync().map((g) => g.flat());
    G.dispose();
    const d = symmetryDiagnostics(flat, { trueGenerators: unitaryGenerators(1) });
    const [law] = readableLaws(d.directions.slice(0, 1), 2, { maxDenominator: 1 });
    console.log(
      `smoke: s = ${d.singularValues.map((s) => s.toFixed(3)).join(' ')}, parallelness ${d.parallelness[0].toFixed(4)}, law ${law.formula} (residual ${law.residual.toFixed(3)})`,
    );
    expect(d.parallelness[0]).toBeGreaterThan(0.98);
    expect(d.singularValues[0]).toBeGreaterThan(3 * d.singularValues[1]);
    expect(law.formula).toBe('q1² + p1²');
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    tf.dispose([data.x, data.y]);
  }, 300_000);
});
