import * as tf from '@tensorflow/tfjs';
import { createRng, grad } from '@noether/autodiff';
import { gradient, realOps } from '@noether/integrators';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '@noether/test-utils';
import { generateTrajectories } from '../generate-trajectories';
import { harmonicOscillator, massSpringChain, nHarmonicOscillators } from './harmonic';
import { kepler } from './kepler';
import { nBody, planarThreeBody } from './n-body';
import { doublePendulum, pendulum } from './pendulum';
import { matrixRank, poissonBracket, symmetryGenerator, type PhysicalSystem } from './physical-system';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const systems: PhysicalSystem[] = [
  harmonicOscillator({ mass: 2, stiffness: 3 }),
  nHarmonicOscillators(3),
  massSpringChain(4),
  massSpringChain(3, { ends: 'free', mass: 1.5 }),
  pendulum({ gravity: 2 }),
  kepler(),
  planarThreeBody(),
  nBody(3, 3, { masses: [1, 2, 3], softening: 0.5 }),
  doublePendulum({ m2: 2, l1: 1.5 }),
];

const points = (sys: PhysicalSystem, count: number, seed = 3) => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => sys.sample(rng, { qScale: 1, pScale: 0.7 }));
};

describe.each(systems.map((s) => [s.name, s] as const))('%s', (_name, sys) => {
  it('has a hand-derived gradH equal to the dual-number gradient of H', () => {
    for (const x of points(sys, 5)) {
      const ref = gradient(sys.Hs, x, realOps);
      const g = sys.gradH(x);
      for (let i = 0; i < sys.dim; i++)
        expect(Math.abs(g[i]! - ref[i]!)).toBeLessThan(1e-11 * (1 + Math.abs(ref[i]!)));
      expect(sys.H(x)).toBeCloseTo(sys.Hs(x, realOps), 12);
    }
  });

  it('has a tensor H whose autodiff gradient matches gradH (float32) without leaking tensors', () => {
    const xs = points(sys, 4);
    const before = tf.memory().numTensors;
    const batch = tf.tensor2d(xs.map((x) => Array.from(x)));
    const g = grad((x: tf.Tensor) => tf.sum(sys.Htensor(x)))(batch);
    const h = sys.Htensor(batch);
    const gd = g.arraySync() as number[][];
    const hd = h.arraySync() as number[];
    tf.dispose([batch, g, h]);
    expect(tf.memory().numTensors).toBe(before);
    xs.forEach((x, b) => {
      expect(Math.abs(hd[b]! - sys.H(x))).toBeLessThan(1e-4 * (1 + Math.abs(sys.H(x))));
      const ref = sys.gradH(x);
      for (let i = 0; i < sys.dim; i++)
        expect(Math.abs(gd[b]![i]! - ref[i]!)).toBeLessThan(2e-4 * (1 + Math.abs(ref[i]!)));
    });
  });

  it('evaluates every conserved quantity as a tensor function matching float64, without leaks', () => {
    const xs = points(sys, 3, 7);
    expectNoLeak(() => {
      const batch = tf.tensor2d(xs.map((x) => Array.from(x)));
      for (const c of sys.conserved) {
        const v = c.tensor(batch);
        const vd = v.arraySync() as number[];
        v.dispose();
        xs.forEach((x, b) =>
          expect(Math.abs(vd[b]! - c.f64(x))).toBeLessThan(1e-4 * (1 + Math.abs(c.f64(x)))),
        );
      }
      return batch;
    });
  });

  it('lists conserved quantities whose Poisson bracket with H vanishes and whose matrix forms are exact', () => {
    for (const x of points(sys, 5, 11)) {
      for (const c of sys.conserved) {
        expect(Math.abs(poissonBracket(c, sys, x))).toBeLessThan(1e-10 * (1 + Math.abs(c.f64(x))));
        if (c.A && c.b) {
          let q = 0;
          for (let i = 0; i < sys.dim; i++) {
            q += c.b[i]! * x[i]!;
            for (let j = 0; j < sys.dim; j++) q += 0.5 * x[i]! * c.A[i * sys.dim + j]! * x[j]!;
          }
          expect(q).toBeCloseTo(c.f64(x), 11);
        }
      }
    }
  });

  it('keeps every conserved quantity constant to 1e-9 along generated trajectories', () => {
    const data = generateTrajectories(sys, { count: 2, samples: 11, sampleDt: 0.1, seed: 5 });
    expect(data.maxEnergyError).toBeLessThan(1e-9);
    const [count, nt, dim] = data.shape;
    for (let b = 0; b < count; b++) {
      for (const c of sys.conserved) {
        const c0 = c.f64(data.clean.subarray(b * nt * dim, b * nt * dim + dim));
        for (let k = 1; k < nt; k++) {
          const ck = c.f64(data.clean.subarray((b * nt + k) * dim, (b * nt + k + 1) * dim));
          expect(Math.abs(ck - c0) / Math.max(1, Math.abs(c0))).toBeLessThan(1e-9);
        }
      }
    }
  });
});

describe('symmetry generators', () => {
  it('n harmonic oscillators have n^2 independent quadratic conserved quantities', () => {
    for (const n of [1, 2, 3, 4]) {
      const gens = nHarmonicOscillators(n)
        .conserved.filter((c) => c.A)
        .map(symmetryGenerator);
      expect(matrixRank(gens)).toBe(n * n);
    }
  });

  it('the planar three-body preset has exactly 7 independent linear/quadratic conserved quantities', () => {
    const sys = planarThreeBody();
    const gens = sys.conserved.filter((c) => c.A).map(symmetryGenerator);
    expect(gens.length).toBe(7);
    expect(gens[0]!.length).toBe(13 * 13);
    expect(matrixRank(gens)).toBe(7);
    // and adding a non-conserved quadratic (q_0x^2) raises the rank, so the rank test can fail
    const extra = new Float64Array(169);
    extra[0 * 13 + 6] = 1;
    expect(matrixRank([...gens, extra])).toBe(8);
  });

  it('the oscillator generator J A is the SO(2) rotation', () => {
    const G = symmetryGenerator(harmonicOscillator().conserved[0]!);
    expect(Array.from(G)).toEqual([0, 1, 0, -1, 0, 0, 0, 0, 0]);
  });
});

describe('generateTrajectories', () => {
  it('uses the closed form for oscillators and agrees with the 8th-order integrator', () => {
    const sys = nHarmonicOscillators(2);
    const exact = generateTrajectories(sys, { count: 3, samples: 21, sampleDt: 0.2, seed: 9 });
    const num = generateTrajectories(sys, {
      count: 3,
      samples: 21,
      sampleDt: 0.2,
      seed: 9,
      integrator: 'kahanLi8',
    });
    expect(exact.method).toBe('closed-form');
    expect(num.method).toBe('kahanLi8');
    for (let i = 0; i < exact.x.length; i++) expect(Math.abs(exact.x[i]! - num.x[i]!)).toBeLessThan(1e-9);
  });

  it('gives byte-identical data for the same seed and different data for another seed', () => {
    const sys = planarThreeBody();
    const a = generateTrajectories(sys, { count: 3, samples: 6, sampleDt: 0.1, seed: 42, noise: 0.01 });
    const b = generateTrajectories(sys, { count: 3, samples: 6, sampleDt: 0.1, seed: 42, noise: 0.01 });
    const c = generateTrajectories(sys, { count: 3, samples: 6, sampleDt: 0.1, seed: 43, noise: 0.01 });
    expect(Buffer.from(a.x.buffer).equals(Buffer.from(b.x.buffer))).toBe(true);
    expect(Buffer.from(a.x.buffer).equals(Buffer.from(c.x.buffer))).toBe(false);
  });

  it('adds Gaussian noise of the requested scale and reports progress', () => {
    let calls = 0;
    const d = generateTrajectories(harmonicOscillator(), {
      count: 50,
      samples: 21,
      sampleDt: 0.1,
      seed: 1,
      noise: 0.05,
      onProgress: (info) => {
        calls++;
        expect(info).toEqual({ step: calls, total: 50 });
      },
    });
    let v = 0;
    for (let i = 0; i < d.x.length; i++) v += (d.x[i]! - d.clean[i]!) ** 2 / d.x.length;
    expect(Math.sqrt(v)).toBeGreaterThan(0.045);
    expect(Math.sqrt(v)).toBeLessThan(0.055);
    expect(calls).toBe(50);
    expect(d.status).toBe('ok');
  });

  it('stops when onProgress returns false and returns the trajectories done so far', () => {
    const full = generateTrajectories(harmonicOscillator(), { count: 5, samples: 4, sampleDt: 0.1, seed: 3 });
    const part = generateTrajectories(harmonicOscillator(), {
      count: 5,
      samples: 4,
      sampleDt: 0.1,
      seed: 3,
      onProgress: ({ step }) => step < 2,
    });
    expect(part.status).toBe('stopped');
    expect(part.shape).toEqual([2, 4, 2]);
    expect(Array.from(part.clean)).toEqual(Array.from(full.clean.subarray(0, 2 * 4 * 2)));
  });

  it("follows Noether's Razor splits: wider q spread and a moved mean", () => {
    const sys = planarThreeBody();
    const stats = (o: object) => {
      const d = generateTrajectories(sys, {
        count: 40,
        samples: 2,
        sampleDt: 0.1,
        seed: 2,
        initialConditions: o,
      });
      let m = 0;
      let v = 0;
      for (let b = 0; b < 40; b++) for (let i = 0; i < 6; i++) m += d.x[b * 2 * 12 + i]! / 240;
      for (let b = 0; b < 40; b++) for (let i = 0; i < 6; i++) v += (d.x[b * 2 * 12 + i]! - m) ** 2 / 240;
      return { m, s: Math.sqrt(v) };
    };
    const moved = stats({ qScale: 1, pScale: 0.2, qShift: 1 });
    const wide = stats({ qScale: 3, pScale: 0.2 });
    expect(moved.m).toBeGreaterThan(0.8);
    expect(wide.s).toBeGreaterThan(2.5);
  });

  it('rejects bad options with a named argument', () => {
    expect(() => generateTrajectories(pendulum(), { count: 0, samples: 2, sampleDt: 0.1, seed: 0 })).toThrow(
      /'count'/,
    );
    expect(() =>
      generateTrajectories(pendulum(), {
        count: 1,
        samples: 2,
        sampleDt: 0.1,
        seed: 0,
        integrator: 'closed-form',
      }),
    ).toThrow(/closed-form/);
  });
});
