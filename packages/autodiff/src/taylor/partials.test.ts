import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutodiffError, grad, partials } from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// f(x0, x1) = sin(x0) e^{2 x1} + x0^3 x1, row by row, with its derivatives in float64 (the reference)
const ROWS = [
  [0.3, -0.4],
  [-1.1, 0.25],
  [0.8, 0.6],
];
const f = (z: tf.Tensor) => {
  const [x0, x1] = tf.unstack(z, 1);
  return tf.add(tf.mul(tf.sin(x0), tf.exp(tf.mul(x1, 2))), tf.mul(tf.pow(x0, 3), x1));
};
const exact = {
  x0x0x0: ([a, b]: number[]) => -Math.cos(a) * Math.exp(2 * b) + 6 * b,
  x1: ([a, b]: number[]) => 2 * Math.sin(a) * Math.exp(2 * b) + a ** 3,
  x1x1: ([a, b]: number[]) => 4 * Math.sin(a) * Math.exp(2 * b),
  x0x1: ([a, b]: number[]) => 2 * Math.cos(a) * Math.exp(2 * b) + 3 * a * a,
  laplacian: ([a, b]: number[]) => 3 * Math.sin(a) * Math.exp(2 * b) + 6 * a * b,
  // d^2/dt^2 f(x + t v), v = (1, -2): f_00 - 4 f_01 + 4 f_11
  along: ([a, b]: number[]) =>
    -Math.sin(a) * Math.exp(2 * b) +
    6 * a * b -
    4 * (2 * Math.cos(a) * Math.exp(2 * b) + 3 * a * a) +
    4 * (4 * Math.sin(a) * Math.exp(2 * b)),
};

function expectClose(t: tf.Tensor, want: number[], tol: number): void {
  const got = Array.from(t.dataSync());
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(tol * Math.max(1, Math.abs(want[i]))));
}

describe('partials', () => {
  it('gives pure, mixed, Laplacian and directional derivatives exactly in every mode (analytic reference)', () => {
    const x = tf.tensor2d(ROWS);
    const v = tf.tile(tf.tensor2d([[1, -2]]), [3, 1]);
    const requests = [
      { partial: [0, 0, 0] },
      { partial: [1] },
      { partial: [1, 1] },
      { partial: [1, 0] },
      { laplacian: true as const },
      { direction: v, order: 2 },
      { partial: [] },
    ];
    const want = [
      ROWS.map(exact.x0x0x0),
      ROWS.map(exact.x1),
      ROWS.map(exact.x1x1),
      ROWS.map(exact.x0x1),
      ROWS.map(exact.laplacian),
      ROWS.map(exact.along),
      ROWS.map(([a, b]) => Math.sin(a) * Math.exp(2 * b) + a ** 3 * b),
    ];
    for (const mode of ['auto', 'reverse'] as const) {
      const before = tf.memory().numTensors;
      const { value, derivatives } = partials(f, x, { requests, batched: true, mode });
      derivatives.forEach((d, i) => {
        expect(d.shape).toEqual([3]);
        expectClose(d, want[i], 2e-5);
      });
      expectClose(value, want[6], 1e-6);
      tf.dispose([value, ...derivatives]);
      expect(tf.memory().numTensors).toBe(before);
    }
    const taylorOnly = partials(f, x, {
      requests: [requests[0], requests[4], requests[5]],
      batched: true,
      mode: 'taylor',
    });
    expectClose(taylorOnly.derivatives[0], want[0], 2e-5);
    expectClose(taylorOnly.derivatives[1], want[4], 2e-5);
    expectClose(taylorOnly.derivatives[2], want[5], 2e-5);
  });

  it('matches nested reverse for a tanh network, weight gradients of a KdV-type residual included', () => {
    const vars = [
      tf.variable(tf.randomNormal([2, 12], 0, 0.7, 'float32', 1)),
      tf.variable(tf.randomNormal([12], 0, 0.1, 'float32', 2)),
      tf.variable(tf.randomNormal([12, 12], 0, 0.3, 'float32', 3)),
      tf.variable(tf.randomNormal([12], 0, 0.1, 'float32', 4)),
      tf.variable(tf.randomNormal([12, 1], 0, 0.3, 'float32', 5)),
    ];
    const u = (z: tf.Tensor) =>
      tf.matMul(
        tf.tanh(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(z, vars[0]), vars[1])), vars[2]), vars[3])),
        vars[4],
      );
    const xt = tf.randomUniform([40, 2], -1, 1, 'float32', 6);
    const requests = [{ partial: [1] }, { partial: [0] }, { partial: [0, 0, 0] }];
    const loss = (mode: 'auto' | 'reverse') => () => {
      const { value, derivatives } = partials(u, xt, { requests, batched: true, mode });
      const [ut, ux, uxxx] = derivatives;
      return tf.mean(tf.square(tf.add(tf.add(ut, tf.mul(value, ux)), tf.mul(0.0025, uxxx)))) as tf.Scalar;
    };
    const a = tf.variableGrads(loss('auto'), vars);
    const b = tf.variableGrads(loss('reverse'), vars);
    expect(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0])).toBeLessThan(
      1e-5 * b.value.dataSync()[0],
    );
    for (const w of vars) {
      const scale = tf.max(tf.abs(b.grads[w.name])).dataSync()[0];
      const diff = tf.max(tf.abs(tf.sub(a.grads[w.name], b.grads[w.name]))).dataSync()[0];
      expect(diff).toBeLessThan(1e-4 * Math.max(scale, 1e-3));
    }
    // u_xxx against three explicit nested gradients (independent of partials' reverse path)
    const uxxx = partials(u, xt, { requests: [{ partial: [0, 0, 0] }], batched: true }).derivatives[0];
    const d1 = (z: tf.Tensor) => tf.slice(grad((w) => tf.sum(u(w)))(z), [0, 0], [-1, 1]);
    const d2 = (z: tf.Tensor) => tf.slice(grad((w) => tf.sum(d1(w)))(z), [0, 0], [-1, 1]);
    const d3 = tf.reshape(tf.slice(grad((w) => tf.sum(d2(w)))(xt), [0, 0], [-1, 1]), [-1]);
    expect(tf.max(tf.abs(tf.sub(uxxx, d3))).dataSync()[0]).toBeLessThan(
      1e-4 * tf.max(tf.abs(d3)).dataSync()[0],
    );
  });

  it('works unbatched (f scalar, indices into the flattened x)', () => {
    const x = tf.tensor2d([[0.4], [-0.7]]);
    const g = (z: tf.Tensor) => f(tf.reshape(z, [1, 2])).reshape([]);
    const { value, derivatives } = partials(g, x, [
      { partial: [0, 0, 0] },
      { partial: [0, 1] },
      { laplacian: true },
    ]);
    expect(value.shape).toEqual([]);
    expectClose(derivatives[0], [exact.x0x0x0([0.4, -0.7])], 2e-5);
    expectClose(derivatives[1], [exact.x0x1([0.4, -0.7])], 2e-5);
    expectClose(derivatives[2], [exact.laplacian([0.4, -0.7])], 2e-5);
  });

  it('falls back to reverse mode for a kernel without a Taylor rule, and mode taylor names it', () => {
    const x = tf.tensor2d(ROWS);
    const h = (z: tf.Tensor) => tf.sum(tf.atan(z), 1);
    const { derivatives } = partials(h, x, {
      requests: [{ partial: [0, 0] }, { laplacian: true }],
      batched: true,
    });
    const d2 = (a: number) => (-2 * a) / (1 + a * a) ** 2;
    expectClose(
      derivatives[0],
      ROWS.map(([a]) => d2(a)),
      1e-5,
    );
    expectClose(
      derivatives[1],
      ROWS.map(([a, b]) => d2(a) + d2(b)),
      1e-5,
    );
    let error: unknown;
    try {
      partials(h, x, { requests: [{ partial: [0, 0] }], batched: true, mode: 'taylor' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AutodiffError);
    expect((error as AutodiffError).code).toBe('UNSUPPORTED');
    expect((error as Error).message).toMatch(/'Atan'/);
  });

  it('rejects bad requests, mixed partials in taylor mode and non-scalar functions', () => {
    const x = tf.tensor2d(ROWS);
    expect(() => partials(f, x, { requests: [], batched: true })).toThrow(
      /argument 'requests' must be a non-empty array/,
    );
    expect(() => partials(f, x, { requests: [{ partial: [2] }], batched: true })).toThrow(
      /argument 'requests\[0\].partial' must be an array of at most 8 integer indices from 0 to 1/,
    );
    expect(() => partials(f, x, { requests: [{ partial: [0, 1] }], batched: true, mode: 'taylor' })).toThrow(
      /no mixed partials/,
    );
    expect(() =>
      partials(f, x, { requests: [{ direction: tf.ones([3]), order: 1 }], batched: true }),
    ).toThrow(AutodiffError);
    expect(() =>
      partials((z) => z, x, { requests: [{ partial: [0] }], batched: true, mode: 'reverse' }),
    ).toThrow(/one scalar per row/);
    expect(() =>
      partials(f, x, { requests: [{ partial: [0] }], batched: true, mode: 'fast' as 'auto' }),
    ).toThrow(/argument 'options.mode' must be 'auto', 'taylor' or 'reverse'/);
  });
});
