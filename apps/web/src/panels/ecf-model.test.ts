import '@noether/autodiff';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { conservedRollout, withConservation } from '@noether/ecf';
import { loadOperator, operatorFiles, rollout } from '@noether/operators';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../../public/models/burgers-fno', import.meta.url));

describe('the model the ECF panel ships (apps/web/public/models/burgers-fno)', () => {
  it('is small, loads through @noether/operators, and keeps the mass with the decoder over 100 steps', async () => {
    const meta = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8')) as {
      model: { parameters: number; weightBytes: number };
      pde: { points: number };
      initialConditions: Array<{ u: number[] }>;
    };
    const bytes = statSync(`${dir}/weights.bin`).size;
    expect(bytes).toBe(meta.model.weightBytes);
    expect(bytes).toBeLessThan(300_000);
    const fno = await loadOperator(operatorFiles(dir));
    try {
      expect(fno.variables.reduce((a, v) => a + v.size, 0)).toBe(meta.model.parameters);
      const n = meta.pde.points;
      const w = new Float64Array(n).fill(1 / n);
      const u0 = tf.tensor3d(Float32Array.from(meta.initialConditions[0].u), [1, n, 1]);
      // The FNO caches its DFT tables per grid size on its first call; count from after it.
      tf.dispose(fno.apply(u0));
      const before = tf.memory().numTensors;
      const ecf = withConservation(fno, { weights: w, invariants: ['linear'] });
      const plain = rollout((u) => fno.apply(u), u0, { steps: 100 });
      const kept = conservedRollout(ecf, u0, { steps: 100 });
      // Mass error per step in float64 from the float32 states, relative to Σ w |u0|.
      const first = Array.from(u0.dataSync());
      const m0 = first.reduce((a, v) => a + v / n, 0);
      const abs0 = first.reduce((a, v) => a + Math.abs(v) / n, 0);
      const worst = (t: tf.Tensor) => {
        const v = t.dataSync();
        let e = 0;
        for (let k = 0; k < 100; k++) {
          let m = 0;
          for (let j = 0; j < n; j++) m += v[k * n + j] / n;
          e = Math.max(e, Math.abs(m - m0) / abs0);
        }
        return e;
      };
      expect(worst(kept)).toBeLessThan(1e-6);
      expect(worst(plain)).toBeGreaterThan(1e-5);
      tf.dispose([plain, kept]);
      expect(tf.memory().numTensors).toBe(before);
      u0.dispose();
    } finally {
      fno.dispose();
    }
  });
});
