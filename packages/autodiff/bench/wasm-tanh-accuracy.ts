/**
 * Accuracy and speed of the wasm Tanh replacement (the SIMD module's single pass, and the composite of wasm
 * kernels it falls back to) against tfjs-backend-wasm's own Tanh: the error in ulp
 * against the float64 reference Math.tanh over every `stride`-th float32 bit pattern of both signs (default
 * 64: 66.8 million values covering the whole finite range), per band of |x|, and the time per call on a
 * [512, 200] tensor (best process CPU time of interleaved rounds).
 *
 *   pnpm tsx packages/autodiff/bench/wasm-tanh-accuracy.ts [--stride 64]
 */
import * as tf from '@tensorflow/tfjs';
import '../src/index';
import { useFastWasmKernels, useTfjsWasmKernels } from '../src/wasm-kernels/install-wasm-kernels';
import { setSimdKernelsEnabled } from '../src/wasm-kernels/simd-kernels';
import { argValue, table, useBackend } from './bench-util';

const BANDS = [0, 2 ** -12, 0.25, 0.75, 1, 1.5, 4, 9.1, Infinity];
const BAND_LABELS = ['< 2^-12', '< 0.25', '< 0.75', '< 1', '< 1.5', '< 4', '< 9.1', '>= 9.1'];

/** One ulp of the float32 nearest to `v`. */
function ulp32(v: number): number {
  const a = Math.abs(Math.fround(v));
  return a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** Largest ulp error per band of |x| (last entry: overall), and special-value mismatches. */
function sweep(stride: number): { perBand: number[]; special: number } {
  const perBand = BANDS.map(() => 0);
  let special = 0;
  const chunk = 1 << 20;
  const bits = new Uint32Array(chunk);
  let n = 0;
  const flush = () => {
    const xs = new Float32Array(bits.buffer, 0, n);
    const ys = tf.tidy(() => tf.tanh(tf.tensor1d(xs)).dataSync());
    for (let i = 0; i < n; i++) {
      const ref = Math.tanh(xs[i]);
      if (Number.isNaN(ref) || ref === 0) {
        if (!Object.is(ys[i], ref)) special++;
        continue;
      }
      const e = Math.abs(ys[i] - ref) / ulp32(ref);
      const a = Math.abs(xs[i]);
      const band = BANDS.findIndex((b, j) => a >= b && a < BANDS[j + 1]);
      if (band >= 0) perBand[band] = Math.max(perBand[band], e);
      perBand[BANDS.length - 1] = Math.max(perBand[BANDS.length - 1], e);
    }
    n = 0;
  };
  const extra = [0x7f800000, 0xff800000, 0x7fc00000, 0x80000000];
  for (let b = 0; b < 0x7f800000; b += stride) {
    bits[n++] = b;
    bits[n++] = (b | 0x80000000) >>> 0;
    if (n >= chunk - 2) flush();
  }
  for (const e of extra) bits[n++] = e;
  flush();
  return { perBand, special };
}

function timeTanh(): number {
  const x = tf.randomNormal([512, 200], 0, 1, 'float32', 1);
  for (let i = 0; i < 10; i++) tf.tanh(x).dispose();
  let best = Infinity;
  for (let r = 0; r < 10; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 20; i++) tf.tanh(x).dispose();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000 / 20);
  }
  x.dispose();
  return best;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await useBackend('wasm');
  const stride = Number(argValue('stride', '64'));
  const rows: string[][] = [];
  const variants: Array<[string, () => void]> = [
    ['replacement (SIMD module)', () => (useFastWasmKernels(), setSimdKernelsEnabled(true))],
    ['replacement (composite fallback)', () => (useFastWasmKernels(), setSimdKernelsEnabled(false))],
    ['tfjs-backend-wasm', () => (useTfjsWasmKernels(), setSimdKernelsEnabled(true))],
  ];
  const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (const [name, use] of variants) {
    use();
    const { perBand, special } = sweep(stride);
    rows.push([name, ...perBand.map((e) => e.toFixed(2)), String(special)]);
  }
  for (let r = 0; r < 3; r++) {
    for (const [name, use] of variants) {
      use();
      times.get(name)?.push(timeTanh());
    }
  }
  useFastWasmKernels();
  setSimdKernelsEnabled(true);
  const header = BAND_LABELS.map((l) => `|x| ${l}`);
  console.log(`Tanh on wasm: max error in ulp vs Math.tanh, every ${stride}th float32 of both signs\n`);
  console.log(table(['kernel', ...header, 'all', '±0/NaN mismatches'], rows));
  console.log(
    `\nTime per tf.tanh of [512, 200] (best CPU ms): ${variants
      .map(([name]) => `${name} ${Math.min(...(times.get(name) ?? [])).toFixed(3)}`)
      .join(', ')}`,
  );
}
