import { defined } from '@noether/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conditioningTable, hessianSpectrum, parameterLoss } from './spectrum';
import type { HessianSpectrum } from './spectrum';
import { decodePrediction, defaultSettings, runCase } from './train';
import type { RunResult, RunSettings } from './train';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
});

const tiny = (variant: RunSettings['variant']): RunSettings => ({
  ...defaultSettings,
  case: 'advection',
  constraint: 'joint',
  variant,
  iterations: 2,
  points: 40,
  levels: 4,
  dataPoints: 12,
  hidden: 1,
  width: 5,
});

/** Eigenvalues of a small dense symmetric matrix by cyclic Jacobi rotations (float64). */
function jacobiEigenvalues(a: number[][]): number[] {
  const n = a.length;
  const m = a.map((r) => [...r]);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p][q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(m[p][q]) < 1e-300) continue;
        const theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const kp = m[k][p];
          const kq = m[k][q];
          m[k][p] = c * kp - s * kq;
          m[k][q] = s * kp + c * kq;
        }
        for (let k = 0; k < n; k++) {
          const pk = m[p][k];
          const qk = m[q][k];
          m[p][k] = c * pk - s * qk;
          m[q][k] = s * pk + c * qk;
        }
      }
  }
  return m.map((r, i) => r[i]).sort((x, y) => y - x);
}

describe('Hessian spectrum of the reproduction loss', () => {
  it('rebuilds the exact training objective of a run from its flat parameters', async () => {
    for (const variant of ['pinn', 'penalty', 'proj'] as const) {
      const s = tiny(variant);
      const run = await runCase(s);
      const pl = parameterLoss(s);
      const theta = tf.tensor1d(decodePrediction(defined(run.params)));
      const value = tf.tidy(() => pl.loss(theta).dataSync()[0]);
      theta.dispose();
      pl.dispose();
      expect(Math.abs(value - run.loss) / run.loss).toBeLessThan(1e-4);
    }
  });

  it('gives top eigenvalues equal to those of the dense Hessian (built column by column, Jacobi) of a tiny PINN-Proj loss', async () => {
    const s = tiny('proj');
    const run = await runCase(s);
    const params = decodePrediction(defined(run.params));
    const before = tf.memory().numTensors;
    const n = params.length; // 2*5 + 5 + 5 + 1 = 21
    const spec = hessianSpectrum(s, params, { steps: n, probes: 2, densitySteps: 8, top: 3 });
    expect(tf.memory().numTensors).toBe(before);
    // dense Hessian from central differences of the float32 gradient (independent of the hvp path)
    const pl = parameterLoss(s);
    const g = (x: Float32Array): Float64Array => {
      const t = tf.tidy(() => tf.grad((z: tf.Tensor) => pl.loss(z as tf.Tensor1D))(tf.tensor1d(x)));
      const out = Float64Array.from(t.dataSync());
      t.dispose();
      return out;
    };
    const h = 1e-2;
    const H: number[][] = [];
    for (let j = 0; j < n; j++) {
      const xp = Float32Array.from(params);
      const xm = Float32Array.from(params);
      xp[j] += h;
      xm[j] -= h;
      const gp = g(xp);
      const gm = g(xm);
      H.push(Array.from(gp, (v, i) => (v - gm[i]) / (xp[j] - xm[j])));
    }
    pl.dispose();
    const sym = H.map((r, i) => r.map((v, j) => (v + H[j][i]) / 2));
    const eig = jacobiEigenvalues(sym);
    for (let k = 0; k < 3; k++) expect(Math.abs(spec.top[k] - eig[k]) / Math.abs(eig[0])).toBeLessThan(2e-3);
    const trace = sym.reduce((a, r, i) => a + r[i], 0);
    expect(spec.weights.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6);
    expect(Number.isFinite(spec.trace) && Math.abs(spec.trace - trace) < 0.5 * Math.abs(eig[0]) * n).toBe(
      true,
    );
    // probes 0: the same top eigenvalues (same Lanczos start), no density
    const topOnly = hessianSpectrum(s, params, { steps: n, probes: 0, top: 3 });
    expect(topOnly.top).toEqual(spec.top);
    expect(topOnly.nodes).toEqual([]);
    expect(topOnly.trace).toBeNaN();
    expect(topOnly.matvecs).toBeLessThan(spec.matvecs);
  });

  it('counts the seeds in which PINN-Proj has the lower top eigenvalue, with mean ± std', () => {
    const at = (top: number, relL2: number) => ({
      run: { relL2 } as RunResult,
      spectrum: { top: [top] } as HessianSpectrum,
    });
    const t = conditioningTable(
      [
        { seed: 0, pinn: at(100, 0.1), proj: at(50, 0.2) },
        { seed: 1, pinn: at(100, 0.1), proj: at(200, 0.2) },
        { seed: 2, pinn: at(300, 0.1), proj: at(100, 0.2) },
      ],
      { case: 'kdv', constraint: 'joint', steps: 30 },
    );
    expect(t.conditioning.lower).toBe(2);
    expect(t.conditioning.seeds).toBe(3);
    expect(t.conditioning.pinn.mean).toBeCloseTo(500 / 3, 12);
    expect(t.conditioning.proj.std).toBeCloseTo(
      Math.sqrt(((50 - 350 / 3) ** 2 + (200 - 350 / 3) ** 2 + (100 - 350 / 3) ** 2) / 2),
      9,
    );
    expect(t.seeds.map((x) => x.ratio)).toEqual([2, 0.5, 3]);
    expect(t.markdown).toContain('lambda_1 lower with PINN-Proj): 2 / 3 seeds');
    expect(t.markdown).toContain('| 1 | 100.0 | 200.0 | 0.50 | 1.00e-1 | 2.00e-1 |');
    expect(() => conditioningTable([], { case: 'kdv', constraint: 'joint', steps: 30 })).toThrow(
      /at least one seed/,
    );
  });
});
