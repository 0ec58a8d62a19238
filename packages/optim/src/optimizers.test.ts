import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryCheckpointStore } from './checkpoint';
import { adamOptimizer, cosineSchedule } from './optimizers';
import { createTrainer, train } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A linear loss c . w: constant gradient, so every Adam step moves each entry by exactly -rate sign(c). */
let made = 0;
function linear(seed: number) {
  made += 1;
  const w = tf.variable(tf.randomNormal([3], 0, 1, 'float32', seed), true, `w_${made}`);
  const eta = tf.variable(tf.randomNormal([2], 0, 1, 'float32', seed + 1), true, `eta_${made}`);
  const cw = tf.tensor1d([1, -2, 0.5]);
  const ce = tf.tensor1d([-1, 3]);
  const loss = () => ({
    a: tf.sum(tf.mul(cw, w)) as tf.Scalar,
    b: tf.sum(tf.mul(ce, eta)) as tf.Scalar,
  });
  return { vars: [w, eta], loss, dispose: () => tf.dispose([w, eta, cw, ce]) };
}

const grouped = (steps: number) =>
  adamOptimizer({
    learningRate: 1e-3,
    groups: [{ match: (v) => v.name.startsWith('eta'), learningRate: 1e-2 }],
    schedule: cosineSchedule({ steps, floor: 0.1 }),
  });

describe('adamOptimizer groups and schedules', () => {
  it('cosineSchedule decays from 1 to the floor along a half cosine', () => {
    const s = cosineSchedule({ steps: 100, floor: 0.2 });
    expect(s(0)).toBe(1);
    expect(s(50)).toBeCloseTo(0.6, 12);
    expect(s(100)).toBeCloseTo(0.2, 12);
    expect(s(1000)).toBeCloseTo(0.2, 12);
    expect(s(25)).toBeCloseTo(0.2 + (0.8 * (1 + Math.cos(Math.PI / 4))) / 2, 12);
  });

  it('moves each group by its own learning rate times the schedule factor', async () => {
    const p = linear(1);
    const trainer = createTrainer({ variables: p.vars, loss: p.loss, optimizer: grouped(4) });
    const sched = cosineSchedule({ steps: 4, floor: 0.1 });
    let w = Array.from(p.vars[0].dataSync());
    let e = Array.from(p.vars[1].dataSync());
    for (let k = 0; k < 4; k++) {
      trainer.runStep();
      const w1 = Array.from(p.vars[0].dataSync());
      const e1 = Array.from(p.vars[1].dataSync());
      // constant gradient: m_hat / sqrt(v_hat) = sign(g) exactly (up to epsilon 1e-8)
      w1.forEach((v, i) => expect(Math.abs(v - w[i])).toBeCloseTo(1e-3 * sched(k), 6));
      e1.forEach((v, i) => expect(Math.abs(v - e[i])).toBeCloseTo(1e-2 * sched(k), 5));
      expect(Math.sign(w1[1] - w[1])).toBe(1);
      [w, e] = [w1, e1];
    }
    trainer.dispose();
    p.dispose();
  });

  it('gives a group its own schedule (a warm-up that freezes it)', () => {
    const p = linear(4);
    const opt = adamOptimizer({
      learningRate: 1e-3,
      groups: [
        { match: (v) => v.name.startsWith('eta'), learningRate: 1e-2, schedule: (k) => (k < 2 ? 0 : 1) },
      ],
    });
    const trainer = createTrainer({ variables: p.vars, loss: p.loss, optimizer: opt });
    const e0 = Array.from(p.vars[1].dataSync());
    trainer.runStep();
    trainer.runStep();
    expect(Array.from(p.vars[1].dataSync())).toEqual(e0);
    trainer.runStep();
    Array.from(p.vars[1].dataSync()).forEach((v, i) => expect(Math.abs(v - e0[i])).toBeGreaterThan(5e-3));
    trainer.dispose();
    p.dispose();
  });

  it('applies decoupled weight decay to a group after its Adam update', () => {
    const p = linear(5);
    const opt = adamOptimizer({
      learningRate: 1e-3,
      groups: [{ match: (v) => v.name.startsWith('eta'), learningRate: 1e-2, weightDecay: 0.5 }],
    });
    const trainer = createTrainer({ variables: p.vars, loss: p.loss, optimizer: opt });
    const e0 = Array.from(p.vars[1].dataSync());
    trainer.runStep();
    // constant gradient (-1, 3): Adam moves by -0.01 sign(g), then v <- v (1 - 0.01 * 0.5)
    const expected = e0.map((v, i) => (v - 0.01 * Math.sign([-1, 3][i])) * (1 - 0.005));
    Array.from(p.vars[1].dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(() =>
      adamOptimizer({ groups: [{ match: () => true, learningRate: 1, weightDecay: -1 }] }),
    ).toThrow(/weightDecay' must be a finite number >= 0, got -1/);
    trainer.dispose();
    p.dispose();
  });

  it('resumes groups, moments and the schedule step from a checkpoint exactly', async () => {
    const a = linear(2);
    const ta = createTrainer({ variables: a.vars, loss: a.loss, optimizer: grouped(6) });
    await train(ta, { steps: 6 });
    const straight = a.vars.map((v) => Array.from(v.dataSync()));
    const store = memoryCheckpointStore();
    const b = linear(2);
    const tb = createTrainer({ variables: b.vars, loss: b.loss, optimizer: grouped(6) });
    await train(tb, { steps: 6, checkpoint: { store, every: 1 }, onProgress: (r) => r.step < 3 });
    const c = linear(2);
    c.vars.forEach((v) => v.assign(tf.zerosLike(v)));
    const tc = createTrainer({ variables: c.vars, loss: c.loss, optimizer: grouped(6) });
    const r = await train(tc, { steps: 6, checkpoint: { store } });
    expect(r.resumedFrom).toBe(3);
    c.vars.forEach((v, i) =>
      Array.from(v.dataSync()).forEach((x, j) => expect(Math.abs(x - straight[i][j])).toBeLessThan(1e-6)),
    );
    for (const t of [ta, tb, tc]) t.dispose();
    for (const p of [a, b, c]) p.dispose();
  });

  it('leaks no tensors across grouped steps', () => {
    const p = linear(3);
    const trainer = createTrainer({ variables: p.vars, loss: p.loss, optimizer: grouped(10) });
    trainer.runStep();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) trainer.runStep();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    p.dispose();
  });

  it('rejects bad groups and schedules', () => {
    expect(() => cosineSchedule({ steps: 0 })).toThrow(
      /argument 'options.steps' must be an integer >= 1, got 0/,
    );
    expect(() => cosineSchedule({ steps: 10, floor: 2 })).toThrow(/options.floor/);
    expect(() => adamOptimizer({ groups: [{ match: () => true, learningRate: NaN }] })).toThrow(
      /options.groups\[0\].learningRate' must be a finite positive number, got NaN/,
    );
    expect(() => adamOptimizer({ schedule: 3 as unknown as () => number })).toThrow(/options.schedule/);
  });
});
