import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '@noether/test-utils';
import { checkGrads } from '../check-grads';
import { reversePass } from '../core-gradients';
import { fastPaths } from '../fast-paths';
import { grad } from '../grad';
import { useOrderSafeGradients } from '../register-gradients';
import { MAT_MUL_FORMS } from './batch-mat-mul-grad';

/** The k-th derivative of an elementwise f at the points t (nested reverse passes of sums). */
function nth(f: (t: tf.Tensor) => tf.Tensor, t: tf.Tensor, k: number): tf.Tensor {
  if (k === 0) return f(t);
  return reversePass(() => tf.sum(nth(f, t, k - 1)), t).grad;
}

/** Closed forms (float64) of the derivatives 1..4 of tanh and sigmoid. */
const TANH_DERIVATIVES = [
  (x: number) => 1 - Math.tanh(x) ** 2,
  (x: number) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2),
  (x: number) => {
    const t = Math.tanh(x);
    const s = 1 - t * t;
    return -2 * s * s + 4 * t * t * s;
  },
  (x: number) => {
    const t = Math.tanh(x);
    const s = 1 - t * t;
    return 16 * t * s * s - 8 * t ** 3 * s;
  },
];
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const SIGMOID_DERIVATIVES = [
  (x: number) => sig(x) * (1 - sig(x)),
  (x: number) => sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)),
  (x: number) => sig(x) * (1 - sig(x)) * (1 - 6 * sig(x) + 6 * sig(x) ** 2),
  (x: number) => sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)) * (1 - 12 * sig(x) + 12 * sig(x) ** 2),
];
const POINTS = [-9, -3.1, -1, -0.3, -1e-3, 0, 2e-4, 0.4, 1, 2.5, 6, 12];

/** Every switch of `fastPaths` to `on`, re-registering the gradients that follow them. */
function setFastPaths(on: boolean): void {
  for (const key of Object.keys(fastPaths) as Array<keyof typeof fastPaths>) fastPaths[key] = on;
  useOrderSafeGradients();
}

/** A seeded tanh MLP H and the HNN loss on J grad_x H: the workload of the speed-ups. */
function hnnLossAndGrads(activation: (z: tf.Tensor) => tf.Tensor): number[] {
  return tf.tidy(() => {
    const sizes = [2, 9, 7, 1];
    const params: tf.Tensor[] = [];
    for (let l = 0; l < 3; l++) {
      params.push(tf.randomNormal([sizes[l], sizes[l + 1]], 0, 0.8, 'float32', 7 + l));
      params.push(tf.randomNormal([sizes[l + 1]], 0, 0.3, 'float32', 17 + l));
    }
    const x = tf.randomNormal([13, 2], 0, 1, 'float32', 3);
    const target = tf.randomNormal([13, 2], 0, 1, 'float32', 4);
    const loss = (...trained: tf.Tensor[]) => {
      const p = [...trained, params[5]]; // the output bias does not influence grad_x H
      const H = (t: tf.Tensor) => {
        let h = t;
        for (let l = 0; l < 6; l += 2) {
          h = tf.add(tf.matMul(h as tf.Tensor2D, p[l] as tf.Tensor2D), p[l + 1]);
          if (l < 4) h = activation(h);
        }
        return tf.sum(h);
      };
      const [dq, dp] = tf.split(grad(H)(x), 2, 1);
      return tf.mean(tf.square(tf.sub(tf.concat([dp, tf.neg(dq)], 1), target))) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(loss)(params.slice(0, 5));
    return [value.dataSync()[0], ...grads.flatMap((g) => Array.from(g.dataSync()))];
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`reverse-mode speed-ups on the ${backend} backend`, () => {
    beforeAll(async () => {
      if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
      await tf.setBackend(backend);
    });
    afterEach(() => setFastPaths(true));

    it('fused tanh and sigmoid gradients match the closed forms of orders 1 to 4 (float64)', () => {
      for (const [name, f, exact] of [
        ['tanh', tf.tanh, TANH_DERIVATIVES],
        ['sigmoid', tf.sigmoid, SIGMOID_DERIVATIVES],
      ] as const) {
        for (let k = 1; k <= 4; k++) {
          const got = tf.tidy(() => Array.from(nth(f, tf.tensor1d(POINTS), k).dataSync()));
          const errors = POINTS.map((x, i) => Math.abs(got[i] - exact[k - 1](x)));
          expect(Math.max(...errors), `${name} order ${k}`).toBeLessThan(2e-6);
        }
      }
    });

    it('lean Add/Sub/Multiply/RealDiv/Square/Abs/Sum/Mean/Reshape/Concat gradients pass finite differences to order 3, with broadcasting', () => {
      const c = tf.tensor2d([[0.5, -1.2, 2]]);
      const d = tf.tensor1d([1.5, 2.5, 0.7]);
      const cases: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
        ['add/sub broadcast', (x) => tf.sum(tf.square(tf.sub(tf.add(x, d), tf.mul(c, x))), 0)],
        ['multiply/realDiv broadcast', (x) => tf.div(tf.mul(x, tf.sin(x)), tf.add(d, tf.square(x)))],
        ['abs', (x) => tf.mul(tf.abs(x), tf.cos(x))],
        ['sum axis 1 / mean axis 0', (x) => tf.add(tf.sum(tf.pow(x, 3), 1, true), tf.mean(tf.exp(x), 0))],
        ['mean all / sum all', (x) => tf.add(tf.mean(tf.square(x)), tf.sum(tf.sin(x)))],
        ['reshape / concat', (x) => tf.concat([tf.reshape(tf.tanh(x), [3, 4]), tf.reshape(x, [3, 4])], 0)],
        ['identity (clone)', (x) => tf.mul(tf.clone(x), tf.sigmoid(x))],
      ];
      const x = tf.tensor2d([
        [0.3, -0.7, 1.1],
        [-1.4, 0.9, 0.2],
        [0.6, -0.1, -0.8],
        [1.2, 0.4, -0.5],
      ]);
      for (const [name, f] of cases) {
        const result = checkGrads(f, x, { order: 3, tol: 3e-3 });
        expect({ name, status: result.status }).toEqual({ name, status: 'pass' });
      }
      tf.dispose([c, d, x]);
    });

    it('matMul forms (transposed left operand with 1-2 output rows, vector transposes as reshapes, bias sums) pass finite differences to order 3', () => {
      const b2 = tf.tensor2d([
        [0.4, -0.3, 0.8, 0.1, -0.6],
        [0.2, 0.5, -0.7, 0.9, 0.3],
      ]);
      const w1 = tf.tensor2d([[0.7], [-0.4], [0.25]]);
      const cases: Array<[string, tf.Tensor, (x: tf.Tensor) => tf.Tensor]> = [
        // d/d b of a b with a [6, 2]: a^T dC has 2 output rows.
        [
          'a^T dC, M = 2',
          tf.randomNormal([2, 5], 0, 0.5, 'float32', 1),
          (b) =>
            tf.tanh(tf.matMul(tf.reshape(tf.range(0, 12, 1, 'float32'), [6, 2]).div(6), b as tf.Tensor2D)),
        ],
        // x [4, 2] times b2: the weight gradient has 2 rows.
        [
          'x b, x [4, 2]',
          tf.randomNormal([4, 2], 0, 1, 'float32', 2),
          (x) => tf.sin(tf.matMul(x as tf.Tensor2D, b2)),
        ],
        // a column vector times a row: K = 1, vector transposes.
        [
          'column times row',
          tf.randomNormal([4, 1], 0, 1, 'float32', 3),
          (x) => tf.tanh(tf.matMul(x as tf.Tensor2D, tf.transpose(w1))),
        ],
        [
          'matrix times column',
          tf.randomNormal([5, 3], 0, 1, 'float32', 4),
          (x) => tf.tanh(tf.matMul(x as tf.Tensor2D, w1)),
        ],
        [
          'transpose flags',
          tf.randomNormal([3, 4], 0, 1, 'float32', 5),
          (x) => tf.sin(tf.matMul(x as tf.Tensor2D, x as tf.Tensor2D, true, false)),
        ],
        [
          'bias over rank 3',
          tf.randomNormal([2, 3, 4], 0, 1, 'float32', 6),
          (x) => tf.tanh(tf.add(tf.mul(x, x), tf.sum(x, [0, 1]))),
        ],
      ];
      for (const [name, x, f] of cases) {
        const result = checkGrads(f, x, { order: 3, tol: 3e-3 });
        expect({ name, status: result.status }).toEqual({ name, status: 'pass' });
      }
      tf.dispose([b2, w1, ...cases.map((c) => c[1])]);
    });

    it('never hands wasm matMul a right operand aliasing a buffer it packed under another shape', () => {
      // C = A^T B with B a column: dB = A dC packs dC as [3, 1]; dA = B dC^T needs dC^T as [1, 3]. A reshape
      // alias of dC there would reuse the [3, 1] packing (wrong values, then a crash in the wasm heap).
      const a = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
      const b = tf.randomNormal([4, 1], 0, 1, 'float32', 2);
      const w = tf.tensor2d([[1], [2], [3]]);
      for (let rep = 0; rep < 2; rep++) {
        const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
          tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, true, false), w)),
        )([a, b]);
        const expectA = tf.matMul(b, w, false, true); // dL/dA = B w^T
        const expectB = tf.matMul(a, w); // dL/dB = A w
        expect(tf.max(tf.abs(tf.sub(da, expectA))).dataSync()[0]).toBeLessThan(1e-6);
        expect(tf.max(tf.abs(tf.sub(db, expectB))).dataSync()[0]).toBeLessThan(1e-6);
        tf.dispose([da, db, expectA, expectB]);
      }
      tf.dispose([a, b, w]);
    });

    it('names a form for every product shape (the rules are data, first match wins)', () => {
      expect(MAT_MUL_FORMS.at(-1)?.when({ m: 1, k: 1, n: 1, backend: 'x', transpose: [false, false] })).toBe(
        true,
      );
      expect(MAT_MUL_FORMS.every((f) => f.name.length > 5)).toBe(true);
    });

    it('gives the same HNN loss and weight gradients with every speed-up off (float32 round-off)', () => {
      for (const activation of [tf.tanh, tf.sigmoid]) {
        const on = hnnLossAndGrads(activation);
        setFastPaths(false);
        const off = hnnLossAndGrads(activation);
        setFastPaths(true);
        expect(on.length).toBe(off.length);
        const scale = Math.max(...off.map(Math.abs));
        const diff = Math.max(...on.map((v, i) => Math.abs(v - off[i])));
        expect(diff / scale).toBeLessThan(2e-6);
      }
    });

    it('leaks no tensors through the fused nodes, shapes-only gradients and matMul forms', () => {
      hnnLossAndGrads(tf.tanh);
      expectNoLeak(() => {
        hnnLossAndGrads(tf.tanh);
        hnnLossAndGrads(tf.sigmoid);
        tf.tidy(() => {
          nth(tf.tanh, tf.tensor1d(POINTS), 3);
        });
      });
    });
  });
}
