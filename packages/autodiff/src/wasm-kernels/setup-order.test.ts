// tfjs-backend-wasm imported BEFORE this package (as scripts/peer-bench/ours-task.mjs does): the overrides are
// registered before the backend starts, so the backend runs the setup of the registered overrides only.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index';

describe('wasm kernel replacements registered before the wasm backend starts', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it("leave wasm's kernels that call the replaced ones' wasm functions working (Max, Mean, Sum: transpose)", () => {
    const x = tf.tensor3d([1, -2, 3, 4, 5, -6, 7, 8], [2, 2, 2]);
    const results = [tf.max(x, 0), tf.mean(x, [0, 2]), tf.sum(x, [1, 0])];
    expect(results.map((t) => Array.from(t.dataSync()))).toEqual([
      [5, -2, 7, 8],
      [-0.5, 5.5],
      [16, 4],
    ]);
    tf.dispose([x, ...results]);
  });
});
