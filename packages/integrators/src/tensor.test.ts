import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '@noether/test-utils';
import { createStepper } from './create-stepper';
import { integrate } from './integrate';
import { hamiltonian } from './systems';
import { kepler, keplerTensor, keplerX0 } from './test-problems';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const rows = [keplerX0(0.6), keplerX0(0.3)];
const x0t = () => tf.tensor2d(rows.map((r) => Array.from(r)));

describe('integrate (tensor path, float32 batched)', () => {
  it.each([
    'leapfrog',
    'leapfrogKDK',
    'forestRuth',
    'yoshida6',
    'rk4',
    'gaussLegendre4',
    'dormandPrince54',
  ] as const)('%s matches the float64 path within float32 tolerance', (m) => {
    const x0 = x0t();
    const opts = m === 'dormandPrince54' ? { t1: 1, adaptive: false, dt: 0.01 } : { dt: 0.01, t1: 1 };
    const r = integrate(m, keplerTensor, { x0, ...opts, saveEvery: 20 });
    expect(r.x.shape).toEqual([2, 6, 4]);
    const xt = r.x.arraySync() as number[][][];
    rows.forEach((row, b) => {
      const ref = integrate(m, kepler, { x0: row, ...opts, saveEvery: 20 });
      for (let k = 0; k < 6; k++)
        for (let i = 0; i < 4; i++) expect(Math.abs(xt[b][k][i] - ref.x.get(k, i))).toBeLessThan(2e-5);
    });
    tf.dispose([x0, r.x, r.final]);
  });

  it('adaptive dormandPrince54 runs a shared step sequence for the batch and meets its tolerance', () => {
    const x0 = x0t();
    const r = integrate('dormandPrince54', keplerTensor, {
      x0,
      t1: 1,
      rtol: 1e-5,
      atol: 1e-5,
      saveAt: [0, 0.5, 1],
    });
    const ref = integrate('dormandPrince54', kepler, {
      x0: rows[0],
      t1: 1,
      rtol: 1e-10,
      atol: 1e-12,
      saveAt: [0, 0.5, 1],
    });
    const xt = r.x.arraySync() as number[][][];
    for (let k = 0; k < 3; k++)
      for (let i = 0; i < 4; i++) expect(Math.abs(xt[0][k][i] - ref.x.get(k, i))).toBeLessThan(3e-4);
    tf.dispose([x0, r.x, r.final]);
  });

  it('adaptive dormandPrince54 on tensors survives rejected steps (FSAL stage kept) without leaking', () => {
    const x0 = x0t();
    const before = tf.memory().numTensors;
    const r = integrate('dormandPrince54', keplerTensor, { x0, t1: 7, dt: 1, rtol: 1e-5, atol: 1e-5 });
    expect(r.rejected).toBeGreaterThan(0);
    const ref = integrate('dormandPrince54', kepler, { x0: rows[0], t1: 7, rtol: 1e-10, atol: 1e-12 });
    const f = r.final.arraySync() as number[][];
    for (let i = 0; i < 4; i++) expect(Math.abs(f[0][i] - ref.final[i])).toBeLessThan(5e-3);
    tf.dispose([r.x, r.final]);
    expect(tf.memory().numTensors).toBe(before);
    x0.dispose();
  });

  it('the gradient of a leapfrog rollout with respect to the initial state matches float64 finite differences', () => {
    const x0 = x0t();
    const g = tf.grad((x: tf.Tensor) => {
      const r = integrate('leapfrog', keplerTensor, { x0: x, dt: 0.01, steps: 50, saveEvery: 50 });
      r.x.dispose();
      return tf.sum(tf.mul(r.final, tf.tensor1d([1, -0.5, 0.25, 2])));
    })(x0);
    const gs = g.arraySync() as number[][];
    const w = [1, -0.5, 0.25, 2];
    const J = (x: Float64Array) => {
      const f = integrate('leapfrog', kepler, { x0: x, dt: 0.01, steps: 50 }).final;
      return f.reduce((s, v, i) => s + w[i] * v, 0);
    };
    const eps = 1e-6;
    rows.forEach((row, b) => {
      for (let j = 0; j < 4; j++) {
        const a = row.slice();
        const c = row.slice();
        a[j] += eps;
        c[j] -= eps;
        const fd = (J(a) - J(c)) / (2 * eps);
        expect(Math.abs(gs[b][j] - fd)).toBeLessThan(1e-3 * Math.max(1, Math.abs(fd)));
      }
    });
    tf.dispose([x0, g]);
  });

  it('differentiates a tensor Hamiltonian with autodiff when dH is omitted', () => {
    const H = hamiltonian<tf.Tensor>({
      H: (x) => {
        const [q, p] = tf.split(x, 2, -1);
        return tf.sum(tf.sub(tf.mul(tf.square(p), 0.5), tf.cos(q)), -1);
      },
    });
    const Hf = hamiltonian({ H: (x, s) => s.sub(s.scale(s.mul(x[1], x[1]), 0.5), s.cos(x[0])) });
    const x0 = tf.tensor2d([[1, 0]]);
    const r = integrate('gaussLegendre4', H, { x0, dt: 0.1, steps: 20 });
    const ref = integrate('gaussLegendre4', Hf, { x0: Float64Array.of(1, 0), dt: 0.1, steps: 20 });
    const f = r.final.arraySync() as number[][];
    expect(Math.abs(f[0][0] - ref.final[0])).toBeLessThan(1e-5);
    expect(Math.abs(f[0][1] - ref.final[1])).toBeLessThan(1e-5);
    tf.dispose([x0, r.x, r.final]);
  });

  it('trains through a rollout: the gradient with respect to the parameters of a learned H (autodiff dH) matches finite differences', () => {
    // H_theta(q, p) = p^2/2 + theta0 (1 - cos q) + theta1 tanh(q)^2 / 2; loss = q(T) + p(T)/2 after 20 rk4 steps.
    const x0 = tf.tensor2d([[0.8, 0.1]]);
    const lossOf = (theta: tf.Tensor) => {
      const [a, b] = tf.split(theta, 2);
      const H = hamiltonian<tf.Tensor>({
        H: (x) => {
          const [q, p] = tf.split(x, 2, -1);
          const pot = tf.add(tf.mul(a, tf.sub(1, tf.cos(q))), tf.mul(b, tf.mul(tf.square(tf.tanh(q)), 0.5)));
          return tf.sum(tf.add(tf.mul(tf.square(p), 0.5), pot), -1);
        },
      });
      const r = integrate('rk4', H, { x0, dt: 0.05, steps: 20, saveEvery: 20 });
      r.x.dispose();
      return tf.sum(tf.mul(r.final, tf.tensor2d([[1, 0.5]])));
    };
    const theta = tf.tensor1d([1.3, 0.7]);
    const g = tf.grad(lossOf)(theta).arraySync() as number[];
    const f64 = (a: number, b: number) => {
      const H = hamiltonian({
        H: (x, s) =>
          s.add(
            s.scale(s.mul(x[1], x[1]), 0.5),
            s.add(
              s.scale(s.sub(s.constant(1), s.cos(x[0])), a),
              s.scale(
                s.mul(
                  s.sub(s.constant(1), s.div(s.constant(2), s.add(s.exp(s.scale(x[0], 2)), s.constant(1)))),
                  s.sub(s.constant(1), s.div(s.constant(2), s.add(s.exp(s.scale(x[0], 2)), s.constant(1)))),
                ),
                b / 2,
              ),
            ),
          ),
      });
      const f = integrate('rk4', H, { x0: Float64Array.of(0.8, 0.1), dt: 0.05, steps: 20 }).final;
      return f[0] + 0.5 * f[1];
    };
    const eps = 1e-6;
    const fd = [
      (f64(1.3 + eps, 0.7) - f64(1.3 - eps, 0.7)) / (2 * eps),
      (f64(1.3, 0.7 + eps) - f64(1.3, 0.7 - eps)) / (2 * eps),
    ];
    expect(Math.abs(g[0] - fd[0])).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd[0])));
    expect(Math.abs(g[1] - fd[1])).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd[1])));
    expect(Math.abs(fd[0])).toBeGreaterThan(1e-3);
    tf.dispose([x0, theta]);
  });

  it('accepts a 1-D tensor state and returns a [time, dim] trajectory', () => {
    const x0 = tf.tensor1d([0.4, 0, 0, 2]);
    const r = integrate('leapfrog', keplerTensor, { x0, dt: 0.01, steps: 10, saveEvery: 5 });
    expect(r.x.shape).toEqual([3, 4]);
    expect(r.final.shape).toEqual([4]);
    tf.dispose([x0, r.x, r.final]);
  });

  it('rejects tensors of the wrong shape with clear errors', () => {
    const bad = tf.zeros([2, 3]);
    expect(() => integrate('leapfrog', keplerTensor, { x0: bad, dt: 0.1, steps: 1 })).toThrow(
      /even, non-zero length/,
    );
    const bad3 = tf.zeros([1, 2, 4]);
    expect(() => integrate('leapfrog', keplerTensor, { x0: bad3, dt: 0.1, steps: 1 })).toThrow(
      /\[batch, dim\] or \[dim\]/,
    );
    tf.dispose([bad, bad3]);
  });

  it('reports a non-finite tensor state with a status and disposes everything when it throws', () => {
    const x0 = tf.tensor2d([[0, 0, 0, 0]]); // collision: 0/0 in the force
    const before = tf.memory().numTensors;
    const r = integrate('leapfrog', keplerTensor, { x0, dt: 0.1, steps: 5, throwOnFailure: false });
    expect(r.status).toBe('non-finite');
    tf.dispose([r.x, r.final]);
    expect(() =>
      integrate('leapfrog', keplerTensor, { x0, dt: 0.1, steps: 5, throwOnFailure: true }),
    ).toThrow(/non-finite/);
    expect(tf.memory().numTensors).toBe(before);
    x0.dispose();
  });

  it('leaks no tensors: integrate for every method family, createStepper steps, and gradients', () => {
    const x0 = x0t();
    for (const m of ['leapfrog', 'leapfrogKDK', 'rk4', 'gaussLegendre4', 'dormandPrince54'] as const) {
      expectNoLeak(() => {
        const r = integrate(m, keplerTensor, { x0, dt: 0.05, t1: 0.5, saveEvery: 2 });
        return [r.x, r.final];
      }, m);
    }
    expectNoLeak(() => {
      const stepper = createStepper('forestRuth', keplerTensor, { kind: 'tensor' });
      let s = stepper.init(x0);
      for (let i = 0; i < 5; i++) {
        const prev = s;
        s = tf.tidy(
          () => stepper.step(prev, 0, 0.01).state as unknown as tf.TensorContainer,
        ) as unknown as typeof s;
        tf.dispose(stepper.arrays(prev));
      }
      return stepper.arrays(s);
    }, 'createStepper steps');
    expectNoLeak(
      () =>
        tf.grad((x: tf.Tensor) => {
          const r = integrate('rk4', keplerTensor, { x0: x, dt: 0.05, steps: 4 });
          r.x.dispose();
          return tf.sum(r.final);
        })(x0),
      'gradient through integrate',
    );
    x0.dispose();
  });
});
