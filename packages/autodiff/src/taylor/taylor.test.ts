import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AutodiffError,
  TAYLOR_RULES,
  directionalDerivatives,
  forwardLaplacian,
  grad,
  laplacian,
  taylor,
} from '../index';
import { disposeRecording, recordKernels } from './record-kernels';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** d^k/dt^k <w, f(x + t v)> at t = 0 for k = 1..K by K nested reverse passes (the reference). */
function nestedReverse(
  f: (x: tf.Tensor) => tf.Tensor,
  x: tf.Tensor,
  at: { v: tf.Tensor; w: tf.Tensor; order: number },
): number[] {
  return tf.tidy(() => {
    let g: (z: tf.Tensor) => tf.Tensor = (z) => tf.sum(tf.mul(f(z), at.w));
    const out: number[] = [];
    for (let k = 1; k <= at.order; k++) {
      const prev = g;
      g = (z) => tf.sum(tf.mul(grad(prev)(z), at.v));
      out.push(g(x).dataSync()[0]);
    }
    return out;
  });
}

interface RuleCase {
  kernel: string;
  f: (x: tf.Tensor) => tf.Tensor;
  /** Values of x (shape [2, 3]); default: a fixed mix of signs away from 0. */
  x?: number[];
}

const X_MIXED = [0.31, -0.72, 1.13, -0.45, 0.58, -1.21];
const X_POSITIVE = [0.61, 1.32, 0.83, 1.94, 0.47, 1.15];
const W = tf.tensor2d([0.3, -0.5, 0.8, 0.1, -0.2, 0.6, 0.7, 0.4, -0.9, 0.25, 0.15, -0.35], [3, 4]);
const s = (x: tf.Tensor) => tf.sin(x);

/** One case per rule, each through sin(x) so the kernel's input carries every order. */
const CASES: RuleCase[] = [
  { kernel: 'Tanh', f: (x) => tf.tanh(tf.mul(s(x), 2)) },
  { kernel: 'Sigmoid', f: (x) => tf.sigmoid(tf.mul(s(x), 2)) },
  { kernel: 'Sin', f: (x) => tf.sin(tf.mul(x, 1.7)) },
  { kernel: 'Cos', f: (x) => tf.cos(tf.mul(s(x), 1.7)) },
  { kernel: 'Exp', f: (x) => tf.exp(s(x)) },
  { kernel: 'Log', f: (x) => tf.log(tf.add(s(x), 1.5)) },
  { kernel: 'Softplus', f: (x) => tf.softplus(tf.mul(s(x), 2)) },
  { kernel: 'Elu', f: (x) => tf.elu(tf.mul(s(x), 2)) },
  { kernel: 'Relu', f: (x) => tf.relu(s(x)) },
  { kernel: 'Square', f: (x) => tf.square(s(x)) },
  { kernel: 'Sqrt', f: (x) => tf.sqrt(tf.add(s(x), 1.5)) },
  { kernel: 'Rsqrt', f: (x) => tf.rsqrt(tf.add(s(x), 1.5)) },
  { kernel: 'Reciprocal', f: (x) => tf.reciprocal(tf.add(s(x), 1.5)) },
  { kernel: 'Neg', f: (x) => tf.neg(s(x)) },
  { kernel: 'Pow', f: (x) => tf.add(tf.pow(s(x), 3), tf.pow(tf.add(s(x), 1.5), 2.5)) },
  { kernel: 'Pow', f: (x) => tf.pow(tf.add(x, 0.5), tf.cos(x)), x: X_POSITIVE },
  { kernel: 'Pow', f: (x) => tf.pow(tf.add(s(x), 1.5), tf.tensor2d([[1, 2, 0.5]])) },
  { kernel: 'Multiply', f: (x) => tf.mul(s(x), tf.cos(x)) },
  // a jet-carrying input of lower rank than the output, broadcast
  { kernel: 'Multiply', f: (x) => tf.mul(tf.sin(tf.sum(x, 0)), tf.cos(x)) },
  { kernel: 'Multiply', f: (x) => tf.mul(tf.cos(x), tf.sin(tf.sum(x, 0))) },
  { kernel: 'Add', f: (x) => tf.add(tf.sin(tf.sum(x, 0)), tf.cos(x)) },
  { kernel: 'RealDiv', f: (x) => tf.div(tf.cos(x), tf.add(tf.square(tf.sum(x, 0)), 1)) },
  { kernel: 'Pow', f: (x) => tf.pow(tf.add(tf.cos(x), 1.5), tf.sin(tf.sum(x, 0))) },
  { kernel: 'RealDiv', f: (x) => tf.add(tf.div(s(x), tf.add(tf.square(x), 1)), tf.div(tf.cos(x), 3)) },
  { kernel: 'Add', f: (x) => tf.add(s(x), tf.tensor1d([0.1, 0.2, 0.3])) },
  { kernel: 'Sub', f: (x) => tf.sub(tf.tensor2d([[0.5], [0.25]]), tf.sub(s(x), tf.cos(x))) },
  { kernel: 'AddN', f: (x) => tf.addN([s(x), tf.cos(x), tf.square(x)]) },
  { kernel: 'BatchMatMul', f: (x) => tf.matMul(tf.matMul(s(x), tf.cos(x), false, true), tf.matMul(s(x), W)) },
  { kernel: 'BatchMatMul', f: (x) => tf.matMul(s(x), tf.cos(x), true, false) },
  // batch dimensions that broadcast (the coefficients add a leading axis on top)
  { kernel: 'BatchMatMul', f: (x) => tf.matMul(tf.reshape(s(x), [1, 2, 3]), tf.reshape(W, [1, 3, 4])) },
  {
    kernel: 'BatchMatMul',
    f: (x) => tf.matMul(tf.reshape(s(x), [2, 1, 3]), tf.reshape(tf.cos(x), [1, 3, 2])),
  },
  {
    kernel: 'BatchMatMul',
    f: (x) => tf.matMul(tf.reshape(s(x), [1, 2, 3]), tf.reshape(tf.cos(x), [2, 3, 1]), false, false),
  },
  {
    kernel: 'BatchMatMul',
    f: (x) => tf.matMul(tf.reshape(s(x), [1, 3, 2]), tf.reshape(tf.cos(x), [2, 1, 3]), true, true),
  },
  {
    kernel: '_FusedMatMul',
    f: (x) =>
      tf.fused.matMul({ a: s(x), b: W, bias: tf.tensor1d([0.1, -0.2, 0.3, 0]), activation: 'sigmoid' }),
  },
  { kernel: '_FusedMatMul', f: (x) => tf.fused.matMul({ a: s(x), b: W, activation: 'elu' }) },
  {
    kernel: '_FusedMatMul',
    f: (x) =>
      tf.fused.matMul({
        a: s(x),
        b: tf.cos(x),
        transposeA: true,
        bias: tf.sum(tf.cos(x), 0),
        activation: 'linear',
      }),
  },
  { kernel: 'Reshape', f: (x) => tf.reshape(s(x), [3, 2]) },
  { kernel: 'Transpose', f: (x) => tf.transpose(s(x)) },
  { kernel: 'Slice', f: (x) => tf.slice(s(x), [0, 1], [2, 2]) },
  { kernel: 'Concat', f: (x) => tf.concat([s(x), tf.ones([2, 1]), tf.cos(x)], 1) },
  { kernel: 'Pack', f: (x) => tf.stack([s(x), tf.ones([2, 3]), tf.cos(x)], -1) },
  { kernel: 'Unpack', f: (x) => tf.unstack(s(x), 1)[2] },
  { kernel: 'SplitV', f: (x) => tf.split(s(x), [1, 2], 1)[1] },
  { kernel: 'Sum', f: (x) => tf.sum(tf.mul(s(x), x), 1) },
  { kernel: 'Mean', f: (x) => tf.mean(tf.mul(s(x), x), 0, true) },
  { kernel: 'Tile', f: (x) => tf.tile(s(x), [2, 1]) },
  { kernel: 'GatherV2', f: (x) => tf.gather(s(x), tf.tensor1d([2, 0, 2], 'int32'), 1) },
  { kernel: 'Identity', f: (x) => tf.clone(s(x)) },
  { kernel: 'Cast', f: (x) => tf.cast(s(x), 'float32') },
];

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

function kernelsOf(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): string[] {
  return tf.tidy(() => {
    const { kernels } = recordKernels(() => f(x));
    disposeRecording(kernels);
    return kernels.map((k) => k.kernelName);
  });
}

describe('Taylor rules', () => {
  it('every rule has a case that runs its kernel', () => {
    const x = tf.tensor2d(X_MIXED, [2, 3]);
    const covered = new Set(CASES.filter((c) => kernelsOf(c.f, x).includes(c.kernel)).map((c) => c.kernel));
    x.dispose();
    expect([...covered].sort()).toEqual(TAYLOR_RULES.map((r) => r.kernelName).sort());
  });

  it.each(CASES.map((c, i) => [`${c.kernel} (case ${i})`, c] as const))(
    '%s: jets to order 4 equal nested reverse passes to float32 round-off',
    (_name, c) => {
      const x = tf.tensor2d(c.x ?? X_MIXED, [2, 3]);
      const v = tf.tensor2d([0.7, -0.4, 0.9, 0.3, 1.1, -0.6], [2, 3]);
      const before = tf.memory().numTensors;
      const { value, derivatives } = taylor(c.f, x, { direction: v, order: 4 });
      const w = tf.tidy(() => tf.add(tf.mul(tf.range(0, value.size).reshape(value.shape), 0.37), 0.5).sin());
      const ours = derivatives.map((d) => tf.tidy(() => tf.sum(tf.mul(d, w)).dataSync()[0]));
      const reference = nestedReverse(c.f, x, { v, w, order: 4 });
      const scale = Math.max(1, ...reference.map(Math.abs));
      ours.forEach((o, k) => expect(Math.abs(o - reference[k])).toBeLessThan(5e-5 * scale * (k + 1)));
      const valueError = tf.tidy(() => tf.max(tf.abs(tf.sub(value, c.f(x)))).dataSync()[0]);
      expect(valueError).toBeLessThan(1e-6);
      tf.dispose([value, ...derivatives, w]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, v]);
    },
  );
});

describe('taylor', () => {
  it('gives the derivatives of sin along a direction exactly (analytic reference)', () => {
    const x = tf.tensor1d([0.3, 1.2]);
    const v = tf.tensor1d([1, -2]);
    const { derivatives } = taylor((z) => tf.sin(z), x, { direction: v, order: 4 });
    const got = derivatives.map((d) => Array.from(d.dataSync()));
    const expected = [
      [Math.cos(0.3), -2 * Math.cos(1.2)],
      [-Math.sin(0.3), -4 * Math.sin(1.2)],
      [-Math.cos(0.3), 8 * Math.cos(1.2)],
      [Math.sin(0.3), 16 * Math.sin(1.2)],
    ];
    got.forEach((row, k) => row.forEach((g, i) => expect(g).toBeCloseTo(expected[k][i], 5)));
    tf.dispose([x, v, ...derivatives]);
  });

  it('keeps x^3 exact at x = 0 (vanishing derivatives are exact zeros, not 0 * inf)', () => {
    const x = tf.tensor1d([0]);
    const { derivatives } = taylor((z) => tf.pow(z, 3), x, { direction: tf.tensor1d([1]), order: 4 });
    expect(derivatives.map((d) => d.dataSync()[0])).toEqual([0, 0, 6, 0]);
  });

  it('runs a LayersModel (fused Dense kernels) and matches nested reverse', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 6,
          inputShape: [3],
          activation: 'tanh',
          kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }),
        }),
        tf.layers.dense({
          units: 5,
          activation: 'sigmoid',
          kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }),
        }),
        tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }),
      ],
    });
    const f = (z: tf.Tensor) => model.apply(z) as tf.Tensor;
    const x = tf.tensor2d(X_MIXED, [2, 3]);
    const v = tf.tensor2d([0.7, -0.4, 0.9, 0.3, 1.1, -0.6], [2, 3]);
    const w = tf.tensor2d([[1], [-0.5]]);
    const { derivatives } = taylor(f, x, { direction: v, order: 3 });
    const reference = nestedReverse(f, x, { v, w, order: 3 });
    derivatives.forEach((d, k) => expect(tf.sum(tf.mul(d, w)).dataSync()[0]).toBeCloseTo(reference[k], 4));
    model.dispose();
  });

  it('names a kernel without a Taylor rule in an UNSUPPORTED error and leaks nothing', () => {
    const x = tf.tensor1d([0.5]);
    const v = tf.tensor1d([1]);
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      taylor((z) => tf.atan(tf.sin(z)), x, { direction: v, order: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AutodiffError);
    expect((error as AutodiffError).code).toBe('UNSUPPORTED');
    expect((error as Error).message).toMatch(/kernel 'Atan' has no Taylor rule/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a custom-gradient op whose forward makes its output from data (no silent zero derivative)', () => {
    const fromData = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const t = args[0] as tf.Tensor;
      return { value: tf.tensor(t.dataSync(), t.shape), gradFunc: (dy: tf.Tensor) => dy };
    });
    const x = tf.tensor1d([0.5, 1]);
    const v = tf.onesLike(x);
    expect(() => taylor((z) => tf.sin(fromData(z)), x, { direction: v, order: 2 })).toThrow(
      /kernel 'customGrad\(.*\)' has no Taylor rule/,
    );
    const ok = taylor((z) => tf.mul(tf.sin(z), fromData(tf.ones([2]))), x, {
      direction: v,
      order: 1,
    });
    expect(ok.derivatives[0].dataSync()[1]).toBeCloseTo(Math.cos(1), 6);
  });

  it('accepts kernels without rules off the path from x (constants)', () => {
    const x = tf.tensor1d([0.5, 1]);
    const { derivatives } = taylor((z) => tf.mul(tf.sin(z), tf.atan(tf.tensor1d([1, 2]))), x, {
      direction: tf.onesLike(x),
      order: 1,
    });
    const d = derivatives[0].dataSync();
    expect(d[0]).toBeCloseTo(Math.cos(0.5) * Math.atan(1), 6);
    expect(d[1]).toBeCloseTo(Math.cos(1) * Math.atan(2), 6);
  });

  it('rejects a bad order or a direction of the wrong shape', () => {
    const x = tf.tensor1d([0.5, 1]);
    expect(() => taylor((z) => z, x, { direction: tf.ones([3]), order: 2 })).toThrow(
      /taylor\(\): argument 'options.direction' must have shape \[2\]/,
    );
    expect(() => taylor((z) => z, x, { direction: tf.ones([2]), order: 0 })).toThrow(
      /taylor\(\): argument 'options.order' must be an integer from 1 to 8, got 0/,
    );
  });
});

describe('directionalDerivatives', () => {
  it('gives each direction its own order from one pass, equal to separate taylor calls', () => {
    const f = (z: tf.Tensor) => tf.tanh(tf.matMul(tf.sin(z), W));
    const x = tf.tensor2d(X_MIXED, [2, 3]);
    const e0 = tf.tensor2d([1, 0, 0, 1, 0, 0], [2, 3]);
    const e2 = tf.tensor2d([0, 0, 1, 0, 0, 1], [2, 3]);
    const both = directionalDerivatives(f, x, [
      { direction: e2, order: 1 },
      { direction: e0, order: 3 },
    ]);
    expect(both.derivatives.map((d) => d.length)).toEqual([1, 3]);
    const a = taylor(f, x, { direction: e0, order: 3 });
    const b = taylor(f, x, { direction: e2, order: 1 });
    for (let k = 0; k < 3; k++) {
      expect(tf.max(tf.abs(tf.sub(both.derivatives[1][k], a.derivatives[k]))).dataSync()[0]).toBeLessThan(
        1e-6,
      );
    }
    expect(tf.max(tf.abs(tf.sub(both.derivatives[0][0], b.derivatives[0]))).dataSync()[0]).toBeLessThan(1e-6);
  });
});

describe('forwardLaplacian', () => {
  const vars = [
    tf.variable(tf.randomNormal([3, 16], 0, 0.6, 'float32', 1)),
    tf.variable(tf.randomNormal([16], 0, 0.1, 'float32', 2)),
    tf.variable(tf.randomNormal([16, 16], 0, 0.25, 'float32', 3)),
    tf.variable(tf.randomNormal([16], 0, 0.1, 'float32', 4)),
    tf.variable(tf.randomNormal([16, 1], 0, 0.25, 'float32', 5)),
  ];
  const mlp = (z: tf.Tensor) =>
    tf.reshape(
      tf.matMul(
        tf.tanh(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(z, vars[0]), vars[1])), vars[2]), vars[3])),
        vars[4],
      ),
      [-1],
    );

  it('equals the nested-reverse Laplacian and gradient, batched and unbatched', () => {
    const x = tf.randomNormal([32, 3], 0, 1, 'float32', 7);
    const before = tf.memory().numTensors;
    const ours = forwardLaplacian(mlp, x, { batched: true });
    const lap = laplacian(mlp, { batched: true })(x);
    const g = grad((z) => tf.sum(mlp(z)))(x);
    expect(maxAbsDiff(ours.laplacian, lap)).toBeLessThan(2e-5);
    expect(maxAbsDiff(ours.gradient, g)).toBeLessThan(1e-6);
    expect(ours.value.shape).toEqual([32]);
    tf.dispose([ours.value, ours.gradient, ours.laplacian, lap, g]);
    expect(tf.memory().numTensors).toBe(before);
    const x1 = tf.tensor1d([0.2, -0.3, 0.9]);
    const scalar = (z: tf.Tensor) => tf.sum(mlp(tf.reshape(z, [1, 3])));
    const one = forwardLaplacian(scalar, x1);
    expect(one.laplacian.dataSync()[0]).toBeCloseTo(laplacian(scalar)(x1).dataSync()[0], 5);
    expect(one.gradient.shape).toEqual([3]);
  });

  it('gives weight gradients of a Laplacian loss equal to those through nested reverse', () => {
    const x = tf.randomNormal([64, 3], 0, 1, 'float32', 8);
    const viaTaylor = tf.variableGrads(
      () => tf.mean(tf.square(forwardLaplacian(mlp, x, { batched: true }).laplacian)),
      vars,
    );
    const viaReverse = tf.variableGrads(() => tf.mean(tf.square(laplacian(mlp, { batched: true })(x))), vars);
    expect(viaTaylor.value.dataSync()[0]).toBeCloseTo(viaReverse.value.dataSync()[0], 5);
    for (const v of vars) {
      const a = viaTaylor.grads[v.name];
      const b = viaReverse.grads[v.name];
      const scale = tf.max(tf.abs(b)).dataSync()[0];
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-4 * Math.max(scale, 1));
    }
  });

  it('gives exact weight gradients through fused Dense layers at 64 rows (NaN on tensorflow before the fix)', () => {
    // tf.fused.matMul multiplies [1, m, k] operands, so a jet coefficient is [S, 1, m, k]: a batched matMul
    // whose batch dimensions broadcast, which TensorFlow 2.20's oneDNN kernel got wrong.
    const fused = (z: tf.Tensor) => {
      const h1 = tf.tanh(tf.fused.matMul({ a: z, b: vars[0], bias: vars[1] }));
      const h2 = tf.tanh(tf.fused.matMul({ a: h1, b: vars[2], bias: vars[3] }));
      return tf.reshape(tf.fused.matMul({ a: h2, b: vars[4] }), [-1]);
    };
    const x = tf.randomNormal([64, 3], 0, 1, 'float32', 9);
    const viaTaylor = tf.variableGrads(
      () => tf.mean(tf.square(forwardLaplacian(fused, x, { batched: true }).laplacian)),
      vars,
    );
    const viaReverse = tf.variableGrads(() => tf.mean(tf.square(laplacian(mlp, { batched: true })(x))), vars);
    expect(viaTaylor.value.dataSync()[0]).toBeCloseTo(viaReverse.value.dataSync()[0], 5);
    for (const v of vars) {
      const a = viaTaylor.grads[v.name];
      const b = viaReverse.grads[v.name];
      const scale = tf.max(tf.abs(b)).dataSync()[0];
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-4 * Math.max(scale, 1));
    }
    tf.dispose([x, viaTaylor.value, viaReverse.value, ...Object.values(viaTaylor.grads)]);
    tf.dispose(Object.values(viaReverse.grads));
  });

  it('rejects a function that is not row-scalar', () => {
    expect(() => forwardLaplacian((z) => z, tf.ones([4, 3]), { batched: true })).toThrow(
      /forwardLaplacian\(\): argument 'f' must return one scalar per row/,
    );
  });
});
