import { describe, expect, it } from 'vitest';
import { ecfCases, generateCase } from './cases';

/** Largest relative change over time of Σ w u (scaled by Σ w |u|) and of Σ w u² of channel c. */
function drift(d: ReturnType<typeof generateCase>, c: number, float32: boolean) {
  const u = float32 ? d.u : d.u64;
  let lin = 0;
  let quad = 0;
  for (let i = 0; i < d.count; i++) {
    let m0 = 0;
    let a0 = 0;
    let q0 = 0;
    for (let k = 0; k < d.samples; k++) {
      let m = 0;
      let a = 0;
      let q = 0;
      for (let j = 0; j < d.n; j++) {
        const v = u[((i * d.samples + k) * d.n + j) * d.channels + c];
        m += d.weights[j] * v;
        a += d.weights[j] * Math.abs(v);
        q += d.weights[j] * v * v;
      }
      if (k === 0) [m0, a0, q0] = [m, a, q];
      lin = Math.max(lin, Math.abs(m - m0) / a0);
      quad = Math.max(quad, Math.abs(q - q0) / q0);
    }
  }
  return { lin, quad };
}

describe('ECF cases: the data conserve the discrete sums the decoder enforces', () => {
  for (const c of ecfCases) {
    it(`${c.name}: Σ w u is constant along float64 trajectories to round-off (weights = the solver's cell volumes)`, () => {
      const d = generateCase(c, { count: 2, samples: 21, seed: 1 });
      expect(Array.from(new Set(d.weights))).toHaveLength(1); // uniform cell volumes
      for (const ch of Object.keys(c.linear).map(Number)) {
        expect(drift(d, ch, false).lin).toBeLessThan(1e-12);
        // the float32 copies the networks see conserve it to the float32 floor
        expect(drift(d, ch, true).lin).toBeLessThan(2e-7);
      }
      if (c.quadratic) expect(drift(d, 0, false).quad).toBeLessThan(1e-5);
    });
  }
});
