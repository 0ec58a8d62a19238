import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak, expectNoLeakAsync, seededMlp } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('expectNoLeak', () => {
  it('passes for a tidy function, disposing what it returns, and fails for a leaking one', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    expectNoLeak(() => ({ a: tf.square(x), b: [tf.sum(x)] }));
    await expectNoLeakAsync(async () => tf.exp(x));
    let leaked: tf.Tensor | undefined;
    expect(() =>
      expectNoLeak(() => {
        leaked = tf.neg(x);
        return 1;
      }, 'leaky'),
    ).toThrow(/leaky/);
    tf.dispose([x, leaked!]);
  });
});

describe('seededMlp', () => {
  it('is reproducible from its seed, has Glorot-uniform bounds and maps [N, in] to [N, out]', () => {
    const a = seededMlp({ sizes: [3, 16, 2], seed: 4 });
    const b = seededMlp({ sizes: [3, 16, 2], seed: 4 });
    const c = seededMlp({ sizes: [3, 16, 2], seed: 5 });
    expect(Array.from(a.vars[0].dataSync())).toEqual(Array.from(b.vars[0].dataSync()));
    expect(Array.from(a.vars[0].dataSync())).not.toEqual(Array.from(c.vars[0].dataSync()));
    const lim = Math.sqrt(6 / (3 + 16));
    const w = a.vars[0].dataSync();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(lim);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.8 * lim);
    const x = tf.tensor2d([0.1, 0.2, 0.3, -1, 0, 1], [2, 3]);
    const y = a.apply(x);
    expect(y.shape).toEqual([2, 2]);
    // Independent recomputation of the forward pass in float64 from the variables.
    const [W0, b0, W1, b1] = a.vars.map((v) => Array.from(v.dataSync()));
    const xs = x.dataSync();
    for (let r = 0; r < 2; r++) {
      const h = Array.from({ length: 16 }, (_, j) =>
        Math.tanh(b0[j] + [0, 1, 2].reduce((s, i) => s + xs[r * 3 + i] * W0[i * 16 + j], 0)),
      );
      for (let k = 0; k < 2; k++) {
        const want = b1[k] + h.reduce((s, hj, j) => s + hj * W1[j * 2 + k], 0);
        expect(y.dataSync()[r * 2 + k]).toBeCloseTo(want, 5);
      }
    }
    tf.dispose([x, y, ...a.vars, ...b.vars, ...c.vars]);
  });
});
