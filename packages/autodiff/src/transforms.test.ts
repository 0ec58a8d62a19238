import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '@noether/test-utils';
import {
  AutodiffError,
  checkGrads,
  divergence,
  grad,
  hessian,
  hvp,
  jacobian,
  jvp,
  laplacian,
  valueAndGrad,
  vjp,
} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const P = [0.4, -0.7, 1.1];
const [x0, x1, x2] = P;
const sech2 = (t: number) => 1 - Math.tanh(t) ** 2;
/** f(x) = x0^2 x1 + sin(x1 x2) + tanh(x0), with closed-form gradient and Hessian. */
const f = (x: tf.Tensor) => {
  const [a, b, c] = tf.unstack(x);
  return tf.add(tf.add(tf.mul(tf.square(a), b), tf.sin(tf.mul(b, c))), tf.tanh(a));
};
const gradF = [2 * x0 * x1 + sech2(x0), x0 * x0 + x2 * Math.cos(x1 * x2), x1 * Math.cos(x1 * x2)];
const cross = Math.cos(x1 * x2) - x1 * x2 * Math.sin(x1 * x2);
const hessF = [
  [2 * x1 - 2 * Math.tanh(x0) * sech2(x0), 2 * x0, 0],
  [2 * x0, -x2 * x2 * Math.sin(x1 * x2), cross],
  [0, cross, -x1 * x1 * Math.sin(x1 * x2)],
];
/** F(x) = [x0 x1, sin(x1 x2), x0^3 + tanh(x2)], a vector field with closed-form Jacobian. */
const F = (x: tf.Tensor) => {
  const [a, b, c] = tf.unstack(x);
  return tf.stack([tf.mul(a, b), tf.sin(tf.mul(b, c)), tf.add(tf.pow(a, 3), tf.tanh(c))]);
};
const jacF = [
  [x1, x0, 0],
  [0, x2 * Math.cos(x1 * x2), x1 * Math.cos(x1 * x2)],
  [3 * x0 * x0, 0, sech2(x2)],
];
const v = [0.3, -1.2, 0.5];
const matVec = (m: number[][], u: number[]) => m.map((row) => row.reduce((s, r, j) => s + r * u[j], 0));

const close = (actual: tf.Tensor, expected: number | number[] | number[][] | number[][][], digits = 5) => {
  const flat = [expected].flat(3) as number[];
  const got = Array.from(actual.dataSync());
  expect(got.length).toBe(flat.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(flat[i], digits));
};

/** A small row-wise tanh MLP [batch, d] -> [batch, out], seeded. */
const mlp = (d: number, out: number, seed: number) => {
  const W1 = tf.randomNormal([d, 8], 0, 0.8, 'float32', seed);
  const W2 = tf.randomNormal([8, out], 0, 0.8, 'float32', seed + 1);
  const b1 = tf.randomNormal([8], 0, 0.3, 'float32', seed + 2);
  return (x: tf.Tensor) => tf.matMul(tf.tanh(tf.add(tf.matMul(x as tf.Tensor2D, W1), b1)), W2);
};

describe('functional transforms', () => {
  const x = tf.tensor1d(P);

  it('grad and valueAndGrad return the closed-form gradient', () => {
    close(grad(f)(x), gradF);
    const { value, grad: g } = valueAndGrad(f)(x);
    close(value, x0 * x0 * x1 + Math.sin(x1 * x2) + Math.tanh(x0));
    close(g, gradF);
  });

  it('vjp and jvp return J^T dy and J v for the closed-form Jacobian', () => {
    const dy = [1, -2, 0.5];
    const jT = jacF[0].map((_, j) => jacF.map((row) => row[j]));
    close(vjp(F, x, tf.tensor1d(dy)).vjp, matVec(jT, dy));
    const { value, jvp: t } = jvp(F, x, tf.tensor1d(v));
    close(t, matVec(jacF, v));
    close(value, [x0 * x1, Math.sin(x1 * x2), x0 ** 3 + Math.tanh(x2)]);
  });

  it('jacobian, hessian, hvp, laplacian and divergence match closed forms', () => {
    close(jacobian(F)(x), jacF);
    close(hessian(f)(x), hessF);
    close(hvp(f, x, tf.tensor1d(v)).hvp, matVec(hessF, v));
    close(laplacian(f)(x), hessF[0][0] + hessF[1][1] + hessF[2][2]);
    close(divergence(F)(x), jacF[0][0] + jacF[1][1] + jacF[2][2]);
  });

  it('returns zero (not an error) for derivatives of constants: the Hessian of a linear function', () => {
    close(hessian((t) => tf.sum(tf.mul(t, 3)))(x), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    close(grad(() => tf.scalar(2))(x), [0, 0, 0]);
  });

  it('nests: grad of a grad equals the Hessian row sums', () => {
    const g2 = grad((t) => tf.sum(grad(f)(t)))(x);
    close(
      g2,
      hessF.map((_, j) => hessF.reduce((s, row) => s + row[j], 0)),
    );
  });
});

describe('batched fast paths', () => {
  const xb = tf.randomNormal([5, 3], 0, 1, 'float32', 11) as tf.Tensor2D;
  const rowPoint = (i: number) => tf.reshape(tf.slice(xb, [i, 0], [1, 3]), [3]);
  const H = mlp(3, 1, 3);
  const scalarPerRow = (x: tf.Tensor) => tf.reshape(H(x), [-1]);
  const perPoint = (t: tf.Tensor) => tf.sum(H(tf.reshape(t, [1, 3])));

  it('batched hessian equals the unbatched hessian at every point', () => {
    const batched = hessian(scalarPerRow, { batched: true })(xb);
    expect(batched.shape).toEqual([5, 3, 3]);
    for (let i = 0; i < 5; i++) {
      const ref = hessian(perPoint)(rowPoint(i));
      close(tf.slice(batched, [i, 0, 0], [1, 3, 3]), [Array.from(ref.dataSync())]);
    }
  });

  it('batched laplacian and jacobian equal the unbatched ones at every point, and a [batch, 1] output is accepted', () => {
    const lap = laplacian(H, { batched: true })(xb);
    expect(lap.shape).toEqual([5]);
    const V = mlp(3, 2, 7);
    const jac = jacobian(V, { batched: true })(xb);
    expect(jac.shape).toEqual([5, 2, 3]);
    const g = jacobian(scalarPerRow, { batched: true })(xb);
    expect(g.shape).toEqual([5, 3]);
    for (let i = 0; i < 5; i++) {
      close(tf.slice(lap, [i], [1]), laplacian(perPoint)(rowPoint(i)).dataSync()[0]);
      const ref = jacobian((t) => tf.reshape(V(tf.reshape(t, [1, 3])), [2]))(rowPoint(i));
      close(tf.slice(jac, [i, 0, 0], [1, 2, 3]), [Array.from(ref.dataSync())]);
      close(tf.slice(g, [i, 0], [1, 3]), [Array.from(grad(perPoint)(rowPoint(i)).dataSync())]);
    }
  });

  it('batched divergence equals the unbatched divergence at every point', () => {
    const V = mlp(3, 3, 5);
    const div = divergence(V, { batched: true })(xb);
    for (let i = 0; i < 5; i++) {
      const ref = divergence((t) => tf.reshape(V(tf.reshape(t, [1, 3])), [3]))(rowPoint(i));
      close(tf.slice(div, [i], [1]), ref.dataSync()[0]);
    }
  });
});

describe('composition with weights', () => {
  it('the weight gradient of a laplacian loss (tf.variableGrads) matches finite differences', () => {
    const W1 = tf.variable(tf.randomNormal([2, 6], 0, 0.9, 'float32', 21));
    const W2 = tf.variable(tf.randomNormal([6, 1], 0, 0.9, 'float32', 22));
    const xs = tf.randomNormal([7, 2], 0, 1, 'float32', 23);
    const u = (x: tf.Tensor) => tf.reshape(tf.matMul(tf.tanh(tf.matMul(x as tf.Tensor2D, W1)), W2), [-1]);
    const loss = () => tf.mean(tf.square(tf.sub(laplacian(u, { batched: true })(xs), 0.5))) as tf.Scalar;
    const { grads } = tf.variableGrads(loss);
    const analytic = grads[W1.name].dataSync();
    const base = tf.clone(W1);
    const h = 1e-2;
    const at = (i: number, s: number) => {
      const e = tf.tidy(() => tf.add(base, tf.mul(tf.oneHot(i, 12).reshape([2, 6]).asType('float32'), s)));
      W1.assign(e);
      e.dispose();
      return tf.tidy(() => loss().dataSync()[0]);
    };
    for (const i of [0, 4, 9]) {
      const d1 = (at(i, h) - at(i, -h)) / (2 * h);
      const d2 = (at(i, h / 2) - at(i, -h / 2)) / h;
      const fd = (4 * d2 - d1) / 3;
      expect(Math.abs(analytic[i] - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    }
    W1.assign(base);
    tf.dispose([W1, W2, xs, base, ...Object.values(grads)]);
  });
});

describe('memory', () => {
  it('every public tensor function leaks no tensors', () => {
    const x = tf.tensor1d(P);
    const xb = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
    const H = mlp(3, 1, 3);
    const u = tf.tensor1d(v);
    const V = mlp(3, 3, 4);
    const calls: Array<() => unknown> = [
      () => grad(f)(x),
      () => valueAndGrad(f)(x),
      () => vjp(F, x, u),
      () => jvp(F, x, u),
      () => hvp(f, x, u),
      () => jacobian(F)(x),
      () => hessian(f)(x),
      () => laplacian(f)(x),
      () => divergence(F)(x),
      () => jacobian(H, { batched: true })(xb),
      () => hessian(H, { batched: true })(xb),
      () => laplacian(H, { batched: true })(xb),
      () => divergence(V, { batched: true })(xb),
      () => checkGrads(f, x, { order: 2 }),
    ];
    for (const call of calls) {
      tf.dispose(call() as tf.TensorContainer); // warm-up: lazily created constants
      expectNoLeak(call, String(call));
    }
  });
});

describe('argument validation', () => {
  const x = tf.tensor1d(P);
  const expectError = (fn: () => unknown, pattern: RegExp, code: string) => {
    expect(fn).toThrow(pattern);
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(AutodiffError);
      expect((error as AutodiffError).code).toBe(code);
    }
  };

  it('rejects a non-tensor x, naming the function and the argument', () => {
    expectError(
      () => grad(f)([1, 2] as never),
      /grad\(\): argument 'x' must be a tf\.Tensor, got an array/,
      'INVALID_ARGUMENT',
    );
    expectError(
      () => hessian(f)(3 as never),
      /hessian\(\): argument 'x' must be a tf\.Tensor, got 3/,
      'INVALID_ARGUMENT',
    );
    expectError(
      () => jvp(F, x, null as never),
      /jvp\(\): argument 'v' must be a tf\.Tensor, got null/,
      'INVALID_ARGUMENT',
    );
    expectError(
      () => grad(f)(tf.tensor1d([1, 2], 'int32')),
      /argument 'x' must be a float32 tensor/,
      'INVALID_ARGUMENT',
    );
  });

  it('rejects a non-function f', () => {
    expectError(
      () => laplacian('f' as never),
      /laplacian\(\): argument 'f' must be a function/,
      'INVALID_ARGUMENT',
    );
  });

  it('rejects a batched x of the wrong rank', () => {
    expectError(
      () => hessian(f, { batched: true })(x),
      /hessian\(\): argument 'x' must be a rank-2 \[batch, d\] tensor, got a float32 tensor of shape \[3\]/,
      'INVALID_ARGUMENT',
    );
  });

  it('rejects a non-scalar function where a scalar is required', () => {
    expectError(
      () => grad(F)(x),
      /grad\(\): argument 'f' must return a scalar tensor, got a float32 tensor of shape \[3\]/,
      'NOT_SCALAR',
    );
    expectError(() => hvp(F, x, x), /hvp\(\): argument 'f' must return a scalar/, 'NOT_SCALAR');
    expectError(() => laplacian(F)(x), /laplacian\(\): argument 'f' must return a scalar/, 'NOT_SCALAR');
    const xb = tf.ones([4, 3]);
    expectError(
      () => laplacian((t) => t, { batched: true })(xb),
      /one scalar per row, shape \[12\]/,
      'NOT_SCALAR',
    );
  });

  it('rejects mismatched cotangent, tangent and field shapes', () => {
    expectError(
      () => vjp(F, x, tf.ones([2])),
      /vjp\(\): argument 'dy' must have shape \[3\]/,
      'SHAPE_MISMATCH',
    );
    expectError(
      () => hvp(f, x, tf.ones([4])),
      /hvp\(\): argument 'v' must have shape \[3\]/,
      'SHAPE_MISMATCH',
    );
    expectError(
      () => divergence((t) => tf.sum(t))(x),
      /divergence\(\): argument 'f' must return a tensor of the shape of x/,
      'SHAPE_MISMATCH',
    );
  });
});
