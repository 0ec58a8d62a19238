import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeakAsync } from '@noether/test-utils';
import { memoryCheckpointStore, decodeFloat32, encodeFloat32 } from './checkpoint';
import { fileCheckpointStore } from './file-checkpoint-store';
import { adamOptimizer, lbfgsOptimizer } from './optimizers';
import type { TrainingOptimizer } from './optimizers';
import { createTrainer, train } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dir = mkdtempSync(join(tmpdir(), 'pinn-proj-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small least-squares problem: fit w (3x1) and b so that x w + b ≈ y, plus an L2 term. */
function problem(seed: number) {
  const x = tf.tensor2d([0.1, 0.5, -0.3, 0.9, -0.2, 0.4, 0.3, 0.3, 0.8, -0.7, 0.1, 0.2], [4, 3]);
  const y = tf.tensor2d([0.5, -0.1, 0.7, 0.2], [4, 1]);
  const w = tf.variable(tf.randomNormal([3, 1], 0, 1, 'float32', seed));
  const b = tf.variable(tf.zeros([1]));
  const loss = () => ({
    data: tf.mean(tf.square(tf.sub(tf.tanh(tf.add(tf.matMul(x, w), b)), y))) as tf.Scalar,
    l2: tf.mul(0.01, tf.sum(tf.square(w))) as tf.Scalar,
  });
  return { vars: [w, b], loss, dispose: () => tf.dispose([x, y, w, b]) };
}

const makers: Array<[string, () => TrainingOptimizer]> = [
  ['adam', () => adamOptimizer({ learningRate: 0.05 })],
  ['lbfgs', () => lbfgsOptimizer({ historySize: 5, gradTol: 1e-12, changeTol: 0 })],
];

describe('training loop', () => {
  it('encodes float32 arrays losslessly', () => {
    const v = Float32Array.from([0, -1.5, Math.PI, 1e-30, 3.4e38, -0]);
    expect(Array.from(decodeFloat32(encodeFloat32(v)))).toEqual(Array.from(v));
    expect(Array.from(decodeFloat32(encodeFloat32([1, 2])))).toEqual([1, 2]);
  });

  for (const [name, make] of makers) {
    it(`logs every loss term per step and lowers the loss with ${name}`, async () => {
      const p = problem(1);
      const trainer = createTrainer({ variables: p.vars, loss: p.loss, optimizer: make() });
      const seen: number[] = [];
      const result = await train(trainer, { steps: 8, onProgress: (r) => void seen.push(r.step) });
      expect(result.status).toBe('ok');
      expect(seen).toEqual(Array.from({ length: result.steps }, (_, i) => i + 1));
      const h = trainer.history;
      for (const r of h)
        expect(Math.abs(r.terms.data + r.terms.l2 - r.loss)).toBeLessThan(1e-6 * (1 + r.loss));
      expect(h[h.length - 1].loss).toBeLessThan(0.5 * h[0].loss);
      trainer.dispose();
      p.dispose();
    });

    it(`resumes from a checkpoint to exactly the uninterrupted run with ${name}`, async () => {
      const ref = problem(2);
      const a = createTrainer({ variables: ref.vars, loss: ref.loss, optimizer: make() });
      await train(a, { steps: 6 });
      const straight = ref.vars.map((v) => Array.from(v.dataSync()));

      const store = memoryCheckpointStore();
      const p1 = problem(2);
      const b = createTrainer({ variables: p1.vars, loss: p1.loss, optimizer: make() });
      const first = await train(b, {
        steps: 6,
        checkpoint: { store, every: 2 },
        onProgress: (r) => r.step < 3,
      });
      expect(first).toMatchObject({ status: 'stopped', steps: 3 });
      // a fresh process: new variables (different init), resume from the store
      const p2 = problem(99);
      const c = createTrainer({ variables: p2.vars, loss: p2.loss, optimizer: make() });
      const result = await train(c, { steps: 6, checkpoint: { store, every: 2 } });
      expect(result.resumedFrom).toBe(3);
      expect(c.history.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
      // Every step's loss evaluations survive the resume (a resumed run counts all of them).
      expect(c.history.map((r) => r.evaluations)).toEqual(a.history.map((r) => r.evaluations));
      expect(c.history.every((r) => (r.evaluations ?? 0) >= 1)).toBe(true);
      const resumed = p2.vars.map((v) => Array.from(v.dataSync()));
      resumed.forEach((values, i) =>
        values.forEach((v, j) => expect(Math.abs(v - straight[i][j])).toBeLessThan(1e-6)),
      );
      for (const t of [a, b, c]) t.dispose();
      for (const p of [ref, p1, p2]) p.dispose();
    });
  }

  it('saves checkpoints to a file atomically and loads them back', async () => {
    const path = join(dir, 'sub', 'run.json');
    const store = fileCheckpointStore(path);
    expect(await store.load()).toBeNull();
    const p = problem(3);
    const trainer = createTrainer({ variables: p.vars, loss: p.loss, optimizer: adamOptimizer() });
    await train(trainer, { steps: 3, checkpoint: { store, every: 1 } });
    const saved = await store.load();
    expect(saved?.step).toBe(3);
    expect(saved?.history).toHaveLength(3);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['run.json']);
    trainer.dispose();
    p.dispose();
  });

  it('stops with status non-finite on a NaN loss, and throws when asked', async () => {
    const w = tf.variable(tf.scalar(1));
    const loss = () => ({ bad: tf.log(tf.sub(w, 2)) as tf.Scalar });
    const trainer = createTrainer({ variables: [w], loss, optimizer: adamOptimizer() });
    expect((await train(trainer, { steps: 5 })).status).toBe('non-finite');
    const again = createTrainer({ variables: [w], loss, optimizer: adamOptimizer() });
    await expect(train(again, { steps: 5, throwOnFailure: true })).rejects.toThrow(
      /train\(\): the loss became NaN at step 1/,
    );
    trainer.dispose();
    again.dispose();
    w.dispose();
  });

  it('leaks no tensors across steps', async () => {
    const p = problem(4);
    for (const make of [makers[0][1], () => lbfgsOptimizer({ historySize: 1, gradTol: 0, changeTol: 0 })]) {
      const trainer = createTrainer({ variables: p.vars, loss: p.loss, optimizer: make() });
      await train(trainer, { steps: 2 });
      await expectNoLeakAsync(() => train(trainer, { steps: 5 }));
      trainer.dispose();
    }
    p.dispose();
  });
});
