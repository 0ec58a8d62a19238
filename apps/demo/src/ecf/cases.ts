import { createRng, type Rng } from '@noether/autodiff';
import {
  solveAdvection1d,
  solveAllenCahn1d,
  solveBurgers1d,
  solveHeat1d,
  solveKdvSpectral,
  solveShallowWater1d,
} from '@noether/datasets';
import type { PdeSolution } from '@noether/datasets';
import type { Invariant } from '@noether/ecf';

/** One ECF experiment case: a PDE from @noether/datasets' float64 solvers and what it conserves. */
export interface EcfCase {
  name: string;
  title: string;
  /** The PDE, parameters and boundary in words (for the report). */
  setting: string;
  /** Grid points. */
  points: number;
  /** Channels of the state (1, or 2 for shallow water: h and hu). */
  channels: number;
  /** Time between saved states (one operator step). */
  sampleDt: number;
  /** Periodic domain (U-Net padding). */
  periodic: boolean;
  /** The linear invariants per channel (always enforced by the ECF rows). */
  linear: Record<number, Invariant[]>;
  /** Whether ∫u² of channel 0 is (approximately) conserved: then ECF also runs with ['linear', 'quadratic']. */
  quadratic: boolean;
  /** Solves one trajectory of `samples` saved states (float64) from a seeded random initial condition. */
  solve(rng: Rng, samples: number): PdeSolution;
}

/** A random smooth periodic field on [0, L): `mean + Σ_{m=1..modes} (a_m cos + b_m sin)(2π m x / L) / m`. */
function randomFourier(rng: Rng, spec: { L: number; modes: number; amplitude: number; mean: number }) {
  const a = Array.from({ length: spec.modes }, () => rng.uniformIn(-1, 1));
  const b = Array.from({ length: spec.modes }, () => rng.uniformIn(-1, 1));
  return (x: number) => {
    let v = spec.mean;
    for (let m = 1; m <= spec.modes; m++) {
      const k = (2 * Math.PI * m * x) / spec.L;
      v += (spec.amplitude * (a[m - 1] * Math.cos(k) + b[m - 1] * Math.sin(k))) / m;
    }
    return v;
  };
}

const times = (samples: number, dt: number) => Float64Array.from({ length: samples }, (_, k) => k * dt);

/** The six cases of the issue, at 64 points. */
export const ecfCases: readonly EcfCase[] = [
  {
    name: 'heat',
    title: 'Heat, zero-flux walls',
    setting:
      'u_t = 0.01 u_xx on [0, 1], adiabatic walls (zero flux), 4th-order FV + RK4; total heat conserved',
    points: 64,
    channels: 1,
    sampleDt: 0.05,
    periodic: false,
    linear: { 0: ['linear'] },
    quadratic: false,
    solve(rng, samples) {
      const a = Array.from({ length: 6 }, () => rng.uniformIn(-1, 1));
      const mean = rng.uniformIn(0.2, 1);
      return solveHeat1d(
        (x) =>
          mean + a.reduce((s, c, m) => s + (0.5 * c * Math.cos((m + 1) * Math.PI * x)) / (m + 1) ** 0.5, 0),
        {
          diffusivity: 0.01,
          domain: [0, 1],
          points: this.points,
          boundary: 'zero-flux',
          times: times(samples, this.sampleDt),
        },
      );
    },
  },
  {
    name: 'shallow-water',
    title: 'Shallow water 1D, periodic',
    setting:
      'h_t + (hu)_x = 0, (hu)_t + (hu² + g h²/2)_x = 0, g = 1, on [0, 1] periodic, MUSCL-HLL + SSP-RK3; mass ∫h and momentum ∫hu conserved',
    points: 64,
    channels: 2,
    sampleDt: 0.02,
    periodic: true,
    linear: { 0: ['linear'], 1: ['linear'] },
    quadratic: false,
    solve(rng, samples) {
      const h = randomFourier(rng, { L: 1, modes: 3, amplitude: 0.1, mean: 1 });
      const v = randomFourier(rng, { L: 1, modes: 3, amplitude: 0.1, mean: rng.uniformIn(-0.1, 0.1) });
      return solveShallowWater1d(
        { h, velocity: v },
        {
          gravity: 1,
          domain: [0, 1],
          points: this.points,
          boundary: 'periodic',
          times: times(samples, this.sampleDt),
        },
      );
    },
  },
  {
    name: 'allen-cahn',
    title: 'Mass-conserving Allen–Cahn, periodic',
    setting:
      'u_t = ε² u_xx + f(u) − mean f(u), f = u − u³, ε = 0.08, on [0, 2] periodic, pseudo-spectral ETDRK4; mass conserved',
    points: 64,
    channels: 1,
    sampleDt: 0.1,
    periodic: true,
    linear: { 0: ['linear'] },
    quadratic: false,
    solve(rng, samples) {
      return solveAllenCahn1d(
        randomFourier(rng, { L: 2, modes: 4, amplitude: 0.6, mean: rng.uniformIn(-0.3, 0.3) }),
        {
          epsilon: 0.08,
          massConserving: true,
          domain: [0, 2],
          points: this.points,
          times: times(samples, this.sampleDt),
        },
      );
    },
  },
  {
    name: 'advection',
    title: 'Linear advection, periodic',
    setting:
      'u_t + 0.5 u_x = 0 on [0, 1] periodic, 4th-order central FD + RK4; mass and ∫u² conserved (∫u² to the scheme’s O(dt⁴) dissipation)',
    points: 64,
    channels: 1,
    sampleDt: 0.02,
    periodic: true,
    linear: { 0: ['linear'] },
    quadratic: true,
    solve(rng, samples) {
      return solveAdvection1d(
        randomFourier(rng, { L: 1, modes: 4, amplitude: 0.5, mean: rng.uniformIn(-0.5, 0.5) }),
        {
          velocity: 0.5,
          domain: [0, 1],
          points: this.points,
          boundary: 'periodic',
          times: times(samples, this.sampleDt),
        },
      );
    },
  },
  {
    name: 'kdv',
    title: 'KdV, periodic',
    setting:
      'u_t + u u_x + 0.0005 u_xxx = 0 on [0, 2] periodic, pseudo-spectral ETDRK4 (2/3 dealiasing); mass and ∫u² conserved',
    points: 64,
    channels: 1,
    sampleDt: 0.02,
    periodic: true,
    linear: { 0: ['linear'] },
    quadratic: true,
    solve(rng, samples) {
      return solveKdvSpectral(
        randomFourier(rng, { L: 2, modes: 3, amplitude: 0.4, mean: rng.uniformIn(-0.2, 0.2) }),
        {
          dispersion: 0.0005,
          domain: [0, 2],
          points: this.points,
          times: times(samples, this.sampleDt),
        },
      );
    },
  },
  {
    name: 'burgers',
    title: 'Viscous Burgers, periodic (ν = 0.1)',
    setting:
      'u_t + (u²/2)_x = 0.1 u_xx on [0, 1] periodic (the FNO benchmark PDE), conservative FD + RK4; mass conserved',
    points: 64,
    channels: 1,
    sampleDt: 0.01,
    periodic: true,
    linear: { 0: ['linear'] },
    quadratic: false,
    solve(rng, samples) {
      return solveBurgers1d(burgersInitial(rng), {
        viscosity: 0.1,
        domain: [0, 1],
        points: this.points,
        boundary: 'periodic',
        times: times(samples, this.sampleDt),
      });
    },
  },
];

/**
 * The FNO paper's Burgers initial condition, u0 ~ N(0, 625 (−Δ + 25 I)^{−2}) on the periodic [0, 1):
 * Karhunen–Loève sum over |k| ≤ 64 with eigenvalues 625 (4π² k² + 25)^{−2}.
 */
export function burgersInitial(rng: Rng, modes = 64): (x: number) => number {
  const coef = Array.from({ length: modes }, (_, i) => {
    const k = i + 1;
    const s = (Math.sqrt(2) * 25) / (4 * Math.PI ** 2 * k * k + 25);
    return { k, a: s * rng.normal(), b: s * rng.normal() };
  });
  return (x) =>
    coef.reduce(
      (v, c) => v + c.a * Math.cos(2 * Math.PI * c.k * x) + c.b * Math.sin(2 * Math.PI * c.k * x),
      0,
    );
}

export const ecfCaseNames = ecfCases.map((c) => c.name);

/** The case called `name`, or undefined. */
export function findEcfCase(name: string): EcfCase | undefined {
  return ecfCases.find((c) => c.name === name);
}

/** Trajectories of a case as float32 `[count, samples, n, C]` plus float64 copies, the weights and the schemes. */
export interface CaseData {
  u: Float32Array;
  u64: Float64Array;
  count: number;
  samples: number;
  n: number;
  channels: number;
  weights: Float64Array;
  scheme: string;
}

/** Solves `count` seeded trajectories of `samples` states. */
export function generateCase(
  c: EcfCase,
  options: { count: number; samples: number; seed: number },
): CaseData {
  const { count, samples } = options;
  const rng = createRng(options.seed, 11);
  const n = c.points;
  const C = c.channels;
  const u64 = new Float64Array(count * samples * n * C);
  let weights: Float64Array = new Float64Array(0);
  let scheme = '';
  for (let i = 0; i < count; i++) {
    const sol = c.solve(rng.split(), samples);
    if (sol.status !== 'ok') throw new Error(`${c.name}: trajectory ${i} became non-finite`);
    weights = sol.weights;
    scheme = sol.scheme;
    const fields = C === 1 ? [sol.u] : [sol.fields.h, sol.fields.hu];
    for (let k = 0; k < samples; k++)
      for (let j = 0; j < n; j++)
        for (let ch = 0; ch < C; ch++) u64[((i * samples + k) * n + j) * C + ch] = fields[ch][k * n + j];
  }
  return { u: Float32Array.from(u64), u64, count, samples, n, channels: C, weights, scheme };
}
