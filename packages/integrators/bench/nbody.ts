/**
 * float64 n-body benchmark: forestRuth through `integrate` on a softened 3D gravitational n-body system,
 * against the same algorithm in C++ (bench/nbody.cpp) compiled with `g++ -O2` in the same run.
 * Same work on both sides: the same drift/kick sequence, the same force routine (loop structure and
 * arithmetic), and the drift `q += h dT/dp` with dT/dp = p read in place (the C++ inlines `q += h p`; the JS
 * system returns p itself from dTdp, which the integrator only reads). The row marked "dTdp copies p" runs the
 * JS with a dTdp that copies p into the scratch array first (extra work the C++ does not do), for comparison.
 * Timing: JS warms up (>= 10 runs and 0.6 s per case); then JS runs alternate with C++ processes (each one untimed warm-up run and
 * one timed run), so both sample the same machine load; the table gives the best and the median of each.
 * Run: pnpm --filter @noether/integrators bench, which bundles this file with the package source
 * (bench/tsup.bench.config.ts) and runs it with plain node, as users run the built package. It also runs with
 * `pnpm tsx --conditions=@noether/source bench/nbody.ts`, but the JS then runs 25-30% slower (measured): the
 * tsx loader's set-up makes V8 re-check typed arrays for detachment in every loop (detaching any ArrayBuffer
 * in a plain node process reproduces the slowdown).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { integrate, methods, separable } from '../src/index';

const EPS = 0.05;
const DT = 1e-3;

/**
 * Softened n-body with unit masses: V = -sum_{i<j} 1/sqrt(|qi - qj|^2 + eps^2), T = |p|^2/2 (dT/dp = p,
 * returned in place unless `copyT`).
 */
function nbody(n: number, copyT: boolean) {
  const eps2 = EPS * EPS;
  return separable({
    dTdp: copyT
      ? (p, out = new Float64Array(p.length)) => {
          for (let i = 0; i < p.length; i++) out[i] = p[i];
          return out;
        }
      : (p) => p,
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
  { n: 3, steps: 100_000, copyT: false },
  { n: 3, steps: 100_000, copyT: true },
  { n: 64, steps: 1_000, copyT: false },
  { n: 512, steps: 10, copyT: false },
];
const reps = 7;
// JS warm-up: at least 10 runs and 0.6 s per case. V8 reaches its optimising tier after ~6 runs for N = 3 on a
// quiet machine, but later under load (its compiler thread competes for the cores).
const warmup = { runs: 10, seconds: 0.6 };

const scheme = methods.forestRuth;
const here = dirname(fileURLToPath(import.meta.url));
// bench/nbody.cpp beside this file, or in bench/ when running the bundle from node_modules/.cache/noether-bench.
const cppSource = [join(here, 'nbody.cpp'), join(here, '..', '..', '..', 'bench', 'nbody.cpp')].find((f) =>
  existsSync(f),
);
const gpp = hasGpp();
const dir = mkdtempSync(join(tmpdir(), 'noether-nbody-'));
let exe = '';
if (gpp && cppSource) {
  exe = join(dir, 'nbody');
  writeFileSync(join(dir, 'nbody.cpp'), readFileSync(cppSource));
  execFileSync('g++', ['-O2', '-o', exe, join(dir, 'nbody.cpp')]);
  console.log(
    `compiled bench/nbody.cpp with g++ -O2 (${execFileSync('g++', ['-dumpfullversion']).toString().trim()}) in ${dir}`,
  );
} else {
  console.log('g++ not found: skipping the C++ reference (install g++ to get the ratio)');
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (sec: number) => (Number.isFinite(sec) ? (sec * 1000).toFixed(1) : 'n/a');

const rows: string[] = [];
for (const { n, steps, copyT } of cases) {
  const sys = nbody(n, copyT);
  const x0 = initialState(n, 42 + n);
  const run = () => {
    const t = performance.now();
    const res = integrate(scheme, sys, { x0, dt: DT, steps, saveEvery: steps });
    return { sec: (performance.now() - t) / 1000, final: res.final };
  };
  let final: Float64Array = new Float64Array(0);
  const t0 = performance.now();
  for (let r = 0; r < warmup.runs || performance.now() - t0 < warmup.seconds * 1000; r++) final = run().final;
  const stateFile = join(dir, `x0-${n}.bin`);
  writeFileSync(stateFile, Buffer.from(x0.buffer));
  const args = [stateFile, String(n), String(steps), String(DT), String(EPS), '1', '1'];
  args.push(String(scheme.sequence.length));
  for (const f of scheme.sequence) args.push(f.op === 'drift' ? '0' : '1', f.c.toPrecision(17));
  const js: number[] = [];
  const cpp: number[] = [];
  let cState: Float64Array | undefined;
  for (let r = 0; r < reps; r++) {
    const o = run();
    js.push(o.sec);
    final = o.final;
    if (exe) {
      const out = execFileSync(exe, args, { maxBuffer: 1 << 26 });
      const marker = out.indexOf('STATE\n');
      cpp.push(Number(out.subarray(0, marker).toString().trim()));
      const bin = out.subarray(marker + 6);
      cState = new Float64Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
    }
  }
  let diff = NaN;
  if (cState) {
    diff = 0;
    for (let i = 0; i < final.length; i++) diff = Math.max(diff, Math.abs(final[i] - cState[i]));
  }
  const best = Math.min(...js);
  const cBest = gpp ? Math.min(...cpp) : NaN;
  const ratio = best / cBest;
  const ratioMed = median(js) / median(cpp);
  const label = copyT ? `${n} (dTdp copies p)` : String(n);
  rows.push(
    `| ${label} | ${steps.toExponential(0).replace('+', '')} | ${ms(best)} / ${ms(median(js))} | ${ms(cBest)} / ${gpp ? ms(median(cpp)) : 'n/a'} | ${ratio.toFixed(2)}x / ${ratioMed.toFixed(2)}x | ${!gpp ? 'n/a' : ratio <= 2 ? 'yes' : 'no'} | ${diff.toExponential(1)} |`,
  );
}
console.log(
  `\nfloat64 n-body, forestRuth (3 force evaluations/step), softening 0.05, dt 1e-3; JS warm-up >= ${warmup.runs} runs and ${warmup.seconds} s, then ${reps} JS runs alternating with ${reps} C++ runs (each after one untimed C++ run in its process)`,
);
console.log(
  '| N | steps | @noether/integrators ms (best / median) | C++ g++ -O2 ms (best / median) | ratio (best / median) | best <= 2x | max |x_js - x_c| |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
