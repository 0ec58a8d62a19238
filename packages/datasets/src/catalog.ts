import type { OnProgress, ProgressInfo } from '@noether/autodiff';
import { DatasetsError } from './errors';
import { generateTrajectories, type Trajectories } from './generate-trajectories';
import { solveAllenCahn1d, solveKdvSpectral } from './pde/spectral';
import { solveBurgers1d } from './pde/burgers';
import { solveHeat1d } from './pde/heat';
import { solveShallowWater1d } from './pde/shallow-water';
import type { PdeSolution } from './pde/pde-solution';
import { solvePinnProjPreset, type PinnProjPresetName } from './pde/presets';
import { createRng, type Rng } from '@noether/autodiff';
import { harmonicOscillator, massSpringChain, nHarmonicOscillators } from './systems/harmonic';
import { kepler } from './systems/kepler';
import { planarThreeBody } from './systems/n-body';
import { doublePendulum, pendulum } from './systems/pendulum';
import { razorSplits, type PhysicalSystem } from './systems/physical-system';

/** Options shared by every catalogue entry (unused ones are ignored). */
export interface CatalogOptions {
  count?: number;
  /** Saved states per trajectory (or time levels of a PDE batch), the initial one included. */
  samples?: number;
  /** Time between saved states. */
  sampleDt?: number;
  seed?: number;
  noise?: number;
  /** Noether's Razor split of the initial conditions: train, test, testWider, testMoved. */
  split?: keyof typeof razorSplits;
  /** Size parameter (n of nHarmonicOscillators, masses of the chain). */
  n?: number;
  /** Grid points of PDE datasets. */
  points?: number;
  /** Called after each trajectory / solution with `{ step, total }`; returning `false` stops early. */
  onProgress?: OnProgress<ProgressInfo>;
}

/** Random-initial-condition PDE batch in PDEBench layout: `tensor` `[count, nt, nx]`. */
export interface PdeBatch {
  readonly kind: 'pde-batch';
  readonly name: string;
  readonly scheme: string;
  readonly tensor: Float64Array;
  readonly shape: readonly [number, number, number];
  readonly x: Float64Array;
  readonly t: Float64Array;
  /** Conserved integrals `[count, nt]` by name. */
  readonly conserved: Readonly<Record<string, Float64Array>>;
  readonly seed: number;
}

/** One named dataset the CLI can generate. */
export interface CatalogEntry {
  readonly name: string;
  readonly kind: 'trajectories' | 'pde' | 'pde-batch';
  readonly summary: string;
  /** Default option values. */
  readonly defaults: Readonly<CatalogOptions>;
  build(options: CatalogOptions): Trajectories | PdeSolution | PdeBatch;
}

function trajectories(
  name: string,
  summary: string,
  spec: { make: (o: CatalogOptions) => PhysicalSystem; defaults: CatalogOptions },
): CatalogEntry {
  const { make, defaults } = spec;
  return Object.freeze({
    name,
    kind: 'trajectories' as const,
    summary,
    defaults: Object.freeze({ seed: 0, noise: 0, split: 'train' as const, ...defaults }),
    build(o: CatalogOptions) {
      const opt = { ...this.defaults, ...o };
      const split = Object.hasOwn(razorSplits, opt.split!) ? razorSplits[opt.split!] : undefined;
      if (!split)
        throw new DatasetsError(
          'INVALID_ARGUMENT',
          `buildDataset(): split must be one of ${Object.keys(razorSplits).join(', ')}, got ${String(opt.split)}`,
        );
      return generateTrajectories(make(opt), {
        count: opt.count!,
        samples: opt.samples!,
        sampleDt: opt.sampleDt!,
        seed: opt.seed!,
        noise: opt.noise,
        initialConditions: split,
        onProgress: o.onProgress,
      });
    },
  });
}

function preset(name: PinnProjPresetName, summary: string): CatalogEntry {
  return Object.freeze({
    name: `pinn-${name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`,
    kind: 'pde' as const,
    summary,
    defaults: Object.freeze({}),
    build: (o: CatalogOptions) => {
      const sol = solvePinnProjPreset(name, o.points ? { points: o.points } : {});
      o.onProgress?.({ step: 1, total: 1 });
      return sol;
    },
  });
}

/** u0 = sum_{k=1..4} a_k sin(2 pi k x / L + phi_k), a_k ~ N(0, 1) / k, phi_k ~ U(0, 2 pi) (PDEBench-style). */
function randomWave(rng: Rng, length: number): (x: number) => number {
  const a = Array.from({ length: 4 }, (_, k) => rng.normal() / (k + 1));
  const phi = Array.from({ length: 4 }, () => rng.uniformIn(0, 2 * Math.PI));
  return (x) => a.reduce((s, ak, k) => s + ak * Math.sin((2 * Math.PI * (k + 1) * x) / length + phi[k]!), 0);
}

function batch(
  name: string,
  summary: string,
  solve: (rng: Rng, o: { points: number; times: Float64Array }) => PdeSolution,
): CatalogEntry {
  const defaults: CatalogOptions = {};
  return Object.freeze({
    name,
    kind: 'pde-batch' as const,
    summary,
    defaults: Object.freeze({ seed: 0, count: 8, points: 256, samples: 101, sampleDt: 0.01, ...defaults }),
    build(o: CatalogOptions): PdeBatch {
      const opt = { ...this.defaults, ...o };
      const rng = createRng(opt.seed!);
      const times = Float64Array.from({ length: opt.samples! }, (_, k) => k * opt.sampleDt!);
      const sols: PdeSolution[] = [];
      for (let i = 0; i < opt.count!; i++) {
        sols.push(solve(rng.split(), { points: opt.points!, times }));
        if (o.onProgress?.({ step: i + 1, total: opt.count! }) === false) break;
      }
      const count = sols.length;
      const m = sols[0]!.u.length;
      const tensor = new Float64Array(count * m);
      sols.forEach((s, i) => tensor.set(s.u, i * m));
      const conserved: Record<string, Float64Array> = {};
      for (const key of Object.keys(sols[0]!.conserved)) {
        const c = new Float64Array(count * times.length);
        sols.forEach((s, i) => c.set(s.conserved[key]!, i * times.length));
        conserved[key] = c;
      }
      return Object.freeze({
        kind: 'pde-batch' as const,
        name,
        scheme: sols[0]!.scheme,
        tensor,
        shape: [count, times.length, opt.points!] as const,
        x: sols[0]!.x,
        t: times,
        conserved,
        seed: opt.seed!,
      });
    },
  });
}

/**
 * The named datasets of `noether data generate`: Noether's Razor ODE sets (harmonic oscillator, n
 * oscillators, planar three-body, ...), the five PINN-Proj references and random-initial-condition PDE
 * batches in PDEBench layout.
 * @example datasetCatalog.find((e) => e.name === 'three-body')!.build({ count: 4 });
 */
export const datasetCatalog: readonly CatalogEntry[] = Object.freeze([
  trajectories('ho', 'harmonic oscillator (Razor: 7 x 4 steps, dt 0.2), closed form', {
    make: () => harmonicOscillator(),
    defaults: { count: 7, samples: 5, sampleDt: 0.2 },
  }),
  trajectories('nho', 'n harmonic oscillators (--n, default 3; 200 x 50, dt 0.1), closed form', {
    make: (o) => nHarmonicOscillators(o.n ?? 3),
    defaults: {
      count: 200,
      samples: 51,
      sampleDt: 0.1,
    },
  }),
  trajectories('three-body', 'planar 3-body, unit masses, G = 1, softening 1 (200 x 50, dt 0.1)', {
    make: () => planarThreeBody(),
    defaults: {
      count: 200,
      samples: 51,
      sampleDt: 0.1,
    },
  }),
  trajectories('pendulum', 'simple pendulum (100 x 50, dt 0.1)', {
    make: () => pendulum(),
    defaults: {
      count: 100,
      samples: 51,
      sampleDt: 0.1,
    },
  }),
  trajectories('double-pendulum', 'double pendulum, non-separable (50 x 50, dt 0.05)', {
    make: () => doublePendulum(),
    defaults: {
      count: 50,
      samples: 51,
      sampleDt: 0.05,
    },
  }),
  trajectories('kepler', 'planar Kepler orbits (100 x 50, dt 0.1)', {
    make: () => kepler(),
    defaults: {
      count: 100,
      samples: 51,
      sampleDt: 0.1,
    },
  }),
  trajectories('spring-chain', 'mass-spring chain with fixed ends (--n masses, default 4)', {
    make: (o) => massSpringChain(o.n ?? 4),
    defaults: {
      count: 100,
      samples: 51,
      sampleDt: 0.1,
    },
  }),
  preset('advection', 'PINN-Proj 1D advection reference, [100, 256]'),
  preset('wave', 'PINN-Proj wave reference, [100, 256]'),
  preset('kdv', 'PINN-Proj KdV reference, [100, 256]'),
  preset('reactionDiffusion', 'PINN-Proj reaction–diffusion reference, [100, 256]'),
  preset('advection2d', 'PINN-Proj 2D advection reference, [100, 32, 32]'),
  batch('kdv', 'periodic KdV (delta 0.0025) from random waves, spectral ETDRK4', (rng, o) =>
    solveKdvSpectral(randomWave(rng, 2), { ...o, dispersion: 0.0025 }),
  ),
  batch('burgers', 'periodic viscous Burgers (nu 0.01) from random waves', (rng, o) =>
    solveBurgers1d(randomWave(rng, 2), { ...o, viscosity: 0.01, boundary: 'periodic' }),
  ),
  batch('allen-cahn', 'mass-conserving Allen–Cahn (eps 0.05) from random waves', (rng, o) =>
    solveAllenCahn1d(randomWave(rng, 2), { ...o, epsilon: 0.05, massConserving: true, dt: 0.005 }),
  ),
  batch('heat', 'heat equation (nu 0.1) with adiabatic walls from random waves', (rng, o) =>
    solveHeat1d(randomWave(rng, 2), { ...o, diffusivity: 0.1 }),
  ),
  batch('shallow-water', 'periodic shallow water (g 1), depth 1 + 0.1 x random wave', (rng, o) => {
    const w = randomWave(rng, 2);
    return solveShallowWater1d({ h: (x) => 1 + 0.1 * w(x) }, { ...o, gravity: 1, boundary: 'periodic' });
  }),
]);

/**
 * Builds a catalogue dataset by name.
 * @throws DatasetsError `INVALID_ARGUMENT` for an unknown name (listing the known ones).
 */
export function buildDataset(
  name: string,
  options: CatalogOptions = {},
): Trajectories | PdeSolution | PdeBatch {
  const entry = datasetCatalog.find((e) => e.name === name);
  if (!entry)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `buildDataset(): unknown dataset '${name}' (known: ${datasetCatalog.map((e) => e.name).join(', ')})`,
    );
  return entry.build(options);
}
