/**
 * float64 n-body benchmark: forestRuth through `integrate` on a softened 3D gravitational n-body system,
 * against the same algorithm in C++ (bench/nbody.cpp) compiled with `g++ -O2` in the same run.
 * Run: pnpm --filter @noether/integrators bench  (or: pnpm tsx --conditions=@noether/source bench/nbody.ts)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { integrate, methods, separable } from '../src/index';

const EPS = 0.05;
const DT = 1e-3;

/** Softened n-body with unit masses: V = -sum_{i<j} 1/sqrt(|qi - qj|^2 + eps^2), T = |p|^2/2. */
function nbody(n: number) {
  const eps2 = EPS * EPS;
  return separable({
    dTdp: (p, out = new Float64Array(p.length)) => {
      for (let i = 0; i < p.length; i++) out[i] = p[i];
      return out;
    },
    dVdq: (q, out = new Float64Array(q.length)) => {
      // Flat stride-3 indices: V8 removes more bounds checks than with 3 * i + k arithmetic.
      const m = 3 * n;
      for (let k = 0; k < m; k++) out[k] = 0;
      for (let i = 0; i < m; i += 3) {
        const xi = q[i];
        const yi = q[i + 1];
        const zi = q[i + 2];
        let fx = 0;
        let fy = 0;
        let fz = 0;
        for (let j = i + 3; j < m; j += 3) {
          const dx = xi - q[j];
          const dy = yi - q[j + 1];
          const dz = zi - q[j + 2];
          const r2 = dx * dx + dy * dy + dz * dz + eps2;
          const inv = 1 / (r2 * Math.sqrt(r2));
          const gx = dx * inv;
          const gy = dy * inv;
          const gz = dz * inv;
          fx += gx;
          fy += gy;
          fz += gz;
          out[j] -= gx;
          out[j + 1] -= gy;
          out[j + 2] -= gz;
        }
        out[i] += fx;
        out[i + 1] += fy;
        out[i + 2] += fz;
      }
      return out;
    },
  });
}

/** Seeded initial state (mulberry32): positions in the unit cube, small velocities. */
function initialState(n: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const x = new Float64Array(6 * n);
  for (let i = 0; i < 3 * n; i++) x[i] = rand() - 0.5;
  for (let i = 3 * n; i < 6 * n; i++) x[i] = 0.1 * (rand() - 0.5);
  return x;
}

function hasGpp(): boolean {
  try {
    execFileSync('g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const cases = [
  { n: 3, steps: 100_000, reps: 5 },
  { n: 64, steps: 1_000, reps: 5 },
  { n: 512, steps: 10, reps: 5 },
];

const scheme = methods.forestRuth;
const here = dirname(fileURLToPath(import.meta.url));
const gpp = hasGpp();
const dir = mkdtempSync(join(tmpdir(), 'noether-nbody-'));
let exe = '';
if (gpp) {
  exe = join(dir, 'nbody');
  writeFileSync(join(dir, 'nbody.cpp'), readFileSync(join(here, 'nbody.cpp')));
  execFileSync('g++', ['-O2', '-o', exe, join(dir, 'nbody.cpp')]);
  console.log(
    `compiled bench/nbody.cpp with g++ -O2 (${execFileSync('g++', ['-dumpfullversion']).toString().trim()}) in ${dir}`,
  );
} else {
  console.log('g++ not found: skipping the C++ reference (install g++ to get the ratio)');
}

const rows: string[] = [];
for (const { n, steps, reps } of cases) {
  const sys = nbody(n);
  const x0 = initialState(n, 42 + n);
  let best = Infinity;
  let final: Float64Array = new Float64Array(0);
  const warmup = 6; // V8 needs several runs to reach its optimising tier (measured: ~6 for N = 3)
  for (let r = 0; r < reps + warmup; r++) {
    const t = performance.now();
    const res = integrate(scheme, sys, { x0, dt: DT, steps, saveEvery: steps });
    const s = (performance.now() - t) / 1000;
    if (r >= warmup) best = Math.min(best, s);
    final = res.final;
  }
  let cSec = NaN;
  let diff = NaN;
  if (gpp) {
    const stateFile = join(dir, `x0-${n}.bin`);
    writeFileSync(stateFile, Buffer.from(x0.buffer));
    const args = [
      stateFile,
      String(n),
      String(steps),
      String(DT),
      String(EPS),
      String(reps),
      String(scheme.sequence.length),
    ];
    for (const f of scheme.sequence) args.push(f.op === 'drift' ? '0' : '1', f.c.toPrecision(17));
    const out = execFileSync(exe, args, { maxBuffer: 1 << 26 });
    const marker = out.indexOf('STATE\n');
    cSec = Number(out.subarray(0, marker).toString().trim());
    const bin = out.subarray(marker + 6);
    const cState = new Float64Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
    diff = 0;
    for (let i = 0; i < final.length; i++) diff = Math.max(diff, Math.abs(final[i] - cState[i]));
  }
  const ratio = best / cSec;
  rows.push(
    `| ${n} | ${steps.toExponential(0).replace('+', '')} | ${(best * 1000).toFixed(1)} | ${(cSec * 1000).toFixed(1)} | ${ratio.toFixed(2)}x | ${ratio <= 2 ? 'yes' : 'no'} | ${diff.toExponential(1)} |`,
  );
}
console.log(
  '\nfloat64 n-body, forestRuth (3 force evaluations/step), softening 0.05, dt 1e-3; best of 5 runs after 6 warm-up runs (C++: best of 5)',
);
console.log(
  '| N | steps | @noether/integrators (ms) | C++ g++ -O2 (ms) | ratio | <= 2x | max |x_js - x_c| |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
