import * as tf from '@tensorflow/tfjs';
import { checkGrads } from '@noether/autodiff';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFno1d, createFno2d } from './create-fno';
import { conv1dSame, createUnet1d } from './create-unet1d';
import { OperatorsError } from './errors';
import { relativeL2, relativeL264 } from './relative-l2';
import { detach, pushforwardLoss, rollout, teacherForcingLoss } from './rollout';
import { loadOperator, operatorFiles, saveOperator } from './save-operator';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function field(shape: number[], seed: number): tf.Tensor {
  let s = seed >>> 0;
  const size = shape.reduce((a, c) => a * c, 1);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 32 - 0.5;
  }
  return tf.tensor(v, shape);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('createFno1d / createFno2d', () => {
  it('map [batch, ...space, cin] to [batch, ...space, cout] and are deterministic in the seed', () => {
    const a = createFno1d({
      inChannels: 2,
      outChannels: 3,
      modes: 6,
      width: 8,
      layers: 2,
      projectionWidth: 16,
      seed: 3,
    });
    const b = createFno1d({
      inChannels: 2,
      outChannels: 3,
      modes: 6,
      width: 8,
      layers: 2,
      projectionWidth: 16,
      seed: 3,
    });
    const x = field([2, 32, 2], 1);
    const ya = a.apply(x);
    const yb = b.apply(x);
    expect(ya.shape).toEqual([2, 32, 3]);
    expect(maxAbsDiff(ya, yb)).toBe(0);
    const f2 = createFno2d({ inChannels: 1, modes: [3, 3], width: 6, layers: 2, projectionWidth: 8 });
    const x2 = field([2, 12, 8, 1], 2);
    const y2 = f2.apply(x2);
    expect(y2.shape).toEqual([2, 12, 8, 1]);
    tf.dispose([x, ya, yb, x2, y2]);
    [a, b, f2].forEach((m) => m.dispose());
  });

  it('commute with circular shifts when the grid is not appended (spectral and pointwise parts are shift-equivariant)', () => {
    const fno = createFno1d({ inChannels: 1, modes: 5, width: 8, layers: 3, appendGrid: false, seed: 1 });
    const x = field([1, 32, 1], 4);
    const shifted = tf.concat([tf.slice(x, [0, 7, 0], [-1, -1, -1]), tf.slice(x, [0, 0, 0], [-1, 7, -1])], 1);
    const y = fno.apply(x);
    const yShiftedFirst = fno.apply(shifted);
    const yThenShift = tf.concat(
      [tf.slice(y, [0, 7, 0], [-1, -1, -1]), tf.slice(y, [0, 0, 0], [-1, 7, -1])],
      1,
    );
    expect(maxAbsDiff(yShiftedFirst, yThenShift)).toBeLessThan(1e-5);
    tf.dispose([x, shifted, y, yShiftedFirst, yThenShift]);
    fno.dispose();
  });

  it('has exact gradients of the loss with respect to the input and a weight (finite differences)', () => {
    const fno = createFno1d({ inChannels: 1, modes: 4, width: 6, layers: 2, projectionWidth: 8, seed: 2 });
    const x = field([2, 16, 1], 5);
    const y = field([2, 16, 1], 6);
    expect(checkGrads((v) => relativeL2(fno.apply(v), y), x, { tol: 3e-3 }).status).toBe('pass');
    // d/dε L(w + ε d) by Richardson-extrapolated central differences vs <∇_w L, d> from tf.variableGrads
    const w = fno.variables[2]; // first spectral weight (real part)
    const w0 = w.clone();
    const d = field(w.shape, 11);
    const L = (eps: number) => {
      w.assign(tf.add(w0, tf.mul(d, eps)));
      return tf.tidy(() => relativeL2(fno.apply(x), y).dataSync()[0]);
    };
    const D = (e: number) => (L(e) - L(-e)) / (2 * e);
    const fd = (4 * D(0.01) - D(0.02)) / 3;
    w.assign(w0);
    const { value, grads } = tf.variableGrads(() => relativeL2(fno.apply(x), y), [w]);
    const ad = tf.sum(tf.mul(grads[w.name], d)).dataSync()[0];
    expect(Math.abs(ad - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    tf.dispose([value, d, ...Object.values(grads)]);
    tf.dispose([x, y, w0]);
    fno.dispose();
  });

  it('leaks no tensors after the first call and frees everything on dispose', () => {
    const before0 = tf.memory().numTensors;
    const fno = createFno2d({ inChannels: 1, modes: [2, 2], width: 4, layers: 1, projectionWidth: 4 });
    const x = field([1, 8, 8, 1], 7);
    fno.apply(x).dispose();
    const before = tf.memory().numTensors;
    fno.apply(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    fno.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before0);
  });

  it('validate options and inputs with named arguments', () => {
    expect(() => createFno1d({ inChannels: 0 })).toThrow(
      "createFno1d(): argument 'options.inChannels' must be an integer >= 1, got 0",
    );
    expect(() => createFno1d({ inChannels: 1, outChannels: 2, residual: true })).toThrow(OperatorsError);
    const fno = createFno1d({ inChannels: 1, modes: 4, width: 4, layers: 1 });
    const bad = tf.zeros([1, 16, 2]);
    expect(() => fno.apply(bad)).toThrow(/SHAPE_MISMATCH|must be a tensor/);
    bad.dispose();
    fno.dispose();
  });
});

describe('createUnet1d', () => {
  it('its matMul convolution equals tf.conv1d with same padding', () => {
    const x = field([2, 16, 3], 21);
    const w = field([5, 3, 4], 22);
    const b = field([4], 23);
    const ours = conv1dSame(x, { w, b }, 'zero');
    const ref = tf.add(tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 1, 'same'), b);
    expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-6);
    tf.dispose([x, w, b, ours, ref]);
  });

  it('maps shapes, and with periodic padding commutes with shifts by multiples of 2^levels', () => {
    const unet = createUnet1d({
      inChannels: 2,
      outChannels: 1,
      width: 4,
      levels: 2,
      padding: 'periodic',
      seed: 1,
    });
    const x = field([2, 32, 2], 8);
    const y = unet.apply(x);
    expect(y.shape).toEqual([2, 32, 1]);
    const s = 8;
    const roll = (t: tf.Tensor) =>
      tf.concat([tf.slice(t, [0, s, 0], [-1, -1, -1]), tf.slice(t, [0, 0, 0], [-1, s, -1])], 1);
    const a = unet.apply(roll(x));
    const b = roll(y);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    expect(
      checkGrads((v) => tf.sum(tf.square(unet.apply(v))), tf.slice(x, [0, 0, 0], [1, -1, -1]), { tol: 3e-3 })
        .status,
    ).toBe('pass');
    tf.dispose([x, y, a, b]);
    unet.dispose();
  });
});

describe('saveOperator / loadOperator', () => {
  it('round-trip FNO and U-Net exactly through memory and through a directory in tfjs layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'noether-op-'));
    try {
      for (const make of [
        () => createFno1d({ inChannels: 1, modes: 4, width: 4, layers: 2, projectionWidth: 4, seed: 9 }),
        () => createFno2d({ inChannels: 1, modes: [2, 2], width: 4, layers: 1, projectionWidth: 4, seed: 9 }),
        () => createUnet1d({ inChannels: 1, width: 4, levels: 1, seed: 9 }),
      ]) {
        const op = make();
        const x = op.config.kind === 'fno2d' ? field([1, 8, 8, 1], 1) : field([1, 16, 1], 1);
        const y = op.apply(x);
        let saved: tf.io.ModelArtifacts | undefined;
        await saveOperator(
          op,
          tf.io.withSaveHandler(async (a) => {
            saved = a;
            return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
          }),
        );
        const fromMemory = await loadOperator(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
        await saveOperator(op, operatorFiles(join(dir, op.config.kind)));
        const fromFiles = await loadOperator(operatorFiles(join(dir, op.config.kind)));
        const y1 = fromMemory.apply(x);
        const y2 = fromFiles.apply(x);
        expect(maxAbsDiff(y, y1)).toBe(0);
        expect(maxAbsDiff(y, y2)).toBe(0);
        expect(fromFiles.config).toEqual(op.config);
        tf.dispose([x, y, y1, y2]);
        [op, fromMemory, fromFiles].forEach((m) => m.dispose());
      }
      await expect(loadOperator(operatorFiles(join(dir, 'missing')))).rejects.toMatchObject({ code: 'IO' });
      await expect(loadOperator(tf.io.fromMemory({ modelTopology: { format: 'x' } }))).rejects.toMatchObject({
        code: 'FORMAT',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rollouts and losses', () => {
  it('rollout equals the manual loop and leaks nothing', () => {
    const step = (u: tf.Tensor) => tf.add(tf.mul(u, 0.5), 1);
    const u0 = tf.tensor3d([[[2], [4]]]);
    const before = tf.memory().numTensors;
    const traj = rollout(step, u0, { steps: 3 });
    expect(traj.shape).toEqual([3, 1, 2, 1]);
    // u1 = 2, 3; u2 = 2, 2.5; u3 = 2, 2.25
    expect(Array.from(traj.dataSync())).toEqual([2, 3, 2, 2.5, 2, 2.25]);
    traj.dispose();
    expect(tf.memory().numTensors).toBe(before);
    u0.dispose();
  });

  it('relativeL2 matches the float64 definition', () => {
    const p = field([3, 10, 2], 1);
    const t = field([3, 10, 2], 2);
    const ours = relativeL2(p, t);
    const ref = relativeL264(p.dataSync(), t.dataSync(), 20).reduce((a, b) => a + b, 0) / 3;
    expect(Math.abs(ours.dataSync()[0] - ref) / ref).toBeLessThan(1e-6);
    tf.dispose([p, t, ours]);
  });

  it('pushforwardLoss with unroll 1 is teacher forcing, and with unroll 2 sends gradient through the last step only', () => {
    const a = tf.variable(tf.scalar(0.9)) as tf.Variable<tf.Rank.R0>;
    const step = (u: tf.Tensor) => tf.mul(u, a);
    const x = tf.tensor3d([[[1], [2]]]);
    const y = tf.tensor3d([[[0.5], [1.5]]]);
    const l1 = pushforwardLoss(step, x, { targets: y, unroll: 1 });
    const l0 = teacherForcingLoss(step, x, y);
    expect(l1.dataSync()[0]).toBeCloseTo(l0.dataSync()[0], 7);
    const g = tf.grad((v: tf.Tensor) => {
      return pushforwardLoss((u) => tf.mul(u, v), x, { targets: y, unroll: 2 });
    })(a);
    // reference: d/da relL2(a * stop(a x), y) with the inner a frozen at 0.9
    const inner = tf.mul(x, 0.9);
    const gRef = tf.grad((v: tf.Tensor) => relativeL2(tf.mul(inner, v), y))(a);
    expect(g.dataSync()[0]).toBeCloseTo(gRef.dataSync()[0], 5);
    const d = tf.grad((v: tf.Tensor) => tf.sum(detach(tf.mul(v, 3))))(tf.scalar(1));
    expect(d.dataSync()[0]).toBe(0);
    tf.dispose([a, x, y, l1, l0, g, inner, gRef, d]);
  });
});
