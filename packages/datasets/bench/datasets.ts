/**
 * @noether/datasets benchmarks (float64, single thread):
 * - planar three-body trajectories per second (Razor set: 50 steps of dt 0.1, kahanLi8 through
 *   @noether/integrators, energy error < 1e-10), against a hand-written kick-drift loop doing the same
 *   number of force evaluations on the same force function (the floor for this work);
 * - KdV steps per second at 256 and 1024 points: Fourier pseudo-spectral ETDRK4 against its own FFT work
 *   (8 fft.js transforms per step), and the finite-difference RK4 scheme;
 * - shallow-water steps per second at 256 and 1024 points: MUSCL + HLL + SSP-RK3 against first-order
 *   Rusanov (same solver, no reconstruction).
 * Run: pnpm --filter @noether/datasets bench  (or: pnpm tsx --conditions=@noether/source bench/datasets.ts)
 */
import FFT from 'fft.js';
import { createRng } from '@noether/autodiff';
import {
  generateTrajectories,
  planarThreeBody,
  solveKdv1d,
  solveKdvSpectral,
  solveShallowWater1d,
} from '../src/index';

const rows: string[][] = [];
const time = (f: () => void, minMs = 400): number => {
  f();
  let n = 0;
  const t0 = performance.now();
  do {
    f();
    n++;
  } while (performance.now() - t0 < minMs);
  return (performance.now() - t0) / n / 1000;
};

// --- three-body
{
  const sys = planarThreeBody();
  const count = 20;
  let substeps = 0;
  const t = time(() => {
    substeps = generateTrajectories(sys, { count, samples: 51, sampleDt: 0.1, seed: 1 }).substeps;
  }, 1500);
  const perTraj = t / count;
  // reference: kick-drift with the same number of force evaluations (kahanLi8: 17 stages per substep)
  const evals = 50 * substeps * 17;
  const x = sys.sample(createRng(1), {});
  const g = new Float64Array(6);
  const dVdq = (sys.integratorSystem as { dVdq: (q: Float64Array, out: Float64Array) => Float64Array }).dVdq;
  const tr = time(() => {
    const q = x.slice(0, 6);
    const p = x.slice(6);
    const h = 0.1 / substeps / 17;
    for (let k = 0; k < evals; k++) {
      dVdq(q, g);
      for (let i = 0; i < 6; i++) p[i]! -= h * g[i]!;
      for (let i = 0; i < 6; i++) q[i]! += h * p[i]!;
    }
  });
  rows.push([
    'planar 3-body, 50 x dt 0.1',
    `${(1 / perTraj).toFixed(0)} traj/s`,
    `hand loop, ${evals} force evals`,
    `${(1 / tr).toFixed(0)} traj/s`,
    (perTraj / tr).toFixed(2),
  ]);
}

// --- KdV
for (const n of [256, 1024]) {
  const init = (x: number) => Math.exp(-((x - 1) ** 2) * 10);
  let steps = 0;
  const t = time(() => {
    steps = solveKdvSpectral(init, { points: n, dispersion: 0.0025, times: [0, 0.2], dtMax: 1e-3 }).steps;
  });
  const fft = new FFT(n);
  const a = fft.createComplexArray();
  const b = fft.createComplexArray();
  const tf = time(() => {
    for (let k = 0; k < 4 * steps; k++) {
      fft.transform(b, a);
      fft.inverseTransform(a, b);
    }
  });
  rows.push([
    `KdV spectral ETDRK4, n = ${n}`,
    `${(steps / t).toFixed(0)} steps/s`,
    '8 fft.js transforms/step',
    `${(steps / tf).toFixed(0)} steps/s`,
    (t / tf).toFixed(2),
  ]);
  let fdSteps = 0;
  const tfd = time(() => {
    fdSteps = solveKdv1d(init, {
      points: n,
      dispersion: 0.0025,
      times: [0, n === 256 ? 0.05 : 0.002],
      boundary: 'periodic',
    }).steps;
  });
  rows.push([`KdV finite differences RK4, n = ${n}`, `${(fdSteps / tfd).toFixed(0)} steps/s`, '', '', '']);
}

// --- shallow water
for (const n of [256, 1024]) {
  const init = { h: (x: number) => 1 + 0.2 * Math.exp(-40 * (x - 1) ** 2) };
  const run = (reconstruction: 'muscl' | 'none', flux: 'hll' | 'rusanov') => {
    let steps = 0;
    const t = time(() => {
      steps = solveShallowWater1d(init, {
        points: n,
        gravity: 1,
        boundary: 'periodic',
        times: [0, 0.5],
        reconstruction,
        flux,
      }).steps;
    });
    return steps / t;
  };
  const muscl = run('muscl', 'hll');
  const first = run('none', 'rusanov');
  rows.push([
    `shallow water MUSCL+HLL, n = ${n}`,
    `${muscl.toFixed(0)} steps/s`,
    'first-order Rusanov',
    `${first.toFixed(0)} steps/s`,
    (first / muscl).toFixed(2),
  ]);
}

const header = ['case', 'measured', 'reference (same run)', 'reference', 'time ratio'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
