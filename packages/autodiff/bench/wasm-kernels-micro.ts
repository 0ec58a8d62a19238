/**
 * One call of each replaced wasm kernel on the shapes of the benchmark workloads, three ways in one process:
 * tfjs-backend-wasm's own kernel (`tfjs`), the replacement without the SIMD module (`fallback`) and with it
 * (`simd`). Best mean time per call (ms) over rounds of 20 calls; a matMul's right operand is a fresh clone
 * every call, as in a training step (wasm's matMul caches the packed operand by tensor id).
 *
 *   pnpm tsx packages/autodiff/bench/wasm-kernels-micro.ts [--rounds 5]
 */
import * as tf from '@tensorflow/tfjs';
import '../src/index';
import { useFastWasmKernels, useTfjsWasmKernels } from '../src/wasm-kernels/install-wasm-kernels';
import { setSimdKernelsEnabled } from '../src/wasm-kernels/simd-kernels';
import { argValue, table, useBackend } from './bench-util';

type Case = { name: string; run: () => void; dispose: () => void };

function unary(label: string, shape: number[], op: (x: tf.Tensor) => tf.Tensor): Case {
  const x = tf.randomNormal(shape, 0, 1, 'float32', shape.length);
  return { name: `${label} [${shape.join(', ')}]`, run: () => op(x).dispose(), dispose: () => x.dispose() };
}

function matMul(sa: number[], sb: number[]): Case {
  const a = tf.randomNormal(sa, 0, 1, 'float32', 1);
  const b = tf.randomNormal(sb, 0, 1, 'float32', 2);
  return {
    name: `matMul [${sa.join(', ')}]·[${sb.join(', ')}]`,
    run: () => {
      const bc = tf.clone(b);
      tf.dispose([tf.matMul(a as tf.Tensor2D, bc as tf.Tensor2D), bc]);
    },
    dispose: () => tf.dispose([a, b]),
  };
}

function cases(): Case[] {
  const last2 = (x: tf.Tensor) => tf.transpose(x, [...Array(x.rank - 2).keys(), x.rank - 1, x.rank - 2]);
  const shapes = [
    [20, 20],
    [200, 200],
    [512, 200],
    [1024, 64],
    [10000, 20],
    [2, 10000, 20],
  ];
  return [
    ...shapes.map((s) => unary('tanh', s, tf.tanh)),
    ...shapes.map((s) => unary('transpose', s, last2)),
    ...shapes.map((s) => unary('sum over axis 0', s, (x) => tf.sum(x, 0))),
    unary('slice half', [2, 10000, 20], (x) => tf.slice(x, [0], [1])),
    unary('stack 9 columns', [1024], (x) => tf.stack(Array<tf.Tensor>(9).fill(x), 1)),
    unary('clone', [512, 200], (x) => tf.clone(x)),
    matMul([6144, 64], [64, 1]),
    matMul([512, 200], [200, 1]),
    matMul([10000, 20], [20, 20]),
    matMul([20, 10000], [10000, 20]),
    matMul([6144, 64], [64, 64]),
    matMul([512, 200], [200, 200]),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await useBackend('wasm');
  const rounds = Number(argValue('rounds', '5'));
  const modes: Array<[string, () => void]> = [
    ['tfjs', () => (useTfjsWasmKernels(), setSimdKernelsEnabled(true))],
    ['fallback', () => (useFastWasmKernels(), setSimdKernelsEnabled(false))],
    ['simd', () => (useFastWasmKernels(), setSimdKernelsEnabled(true))],
  ];
  const list = cases();
  const best = new Map<string, number>();
  try {
    for (let r = 0; r < rounds; r++) {
      for (const c of list) {
        for (const [mode, use] of modes) {
          use();
          c.run(); // warm-up after the switch
          const t0 = performance.now();
          for (let i = 0; i < 20; i++) c.run();
          const ms = (performance.now() - t0) / 20;
          const key = `${c.name}\u0000${mode}`;
          best.set(key, Math.min(best.get(key) ?? Infinity, ms));
        }
      }
    }
  } finally {
    useFastWasmKernels();
    setSimdKernelsEnabled(true);
    for (const c of list) c.dispose();
  }
  const cell = (c: Case, mode: string) => (best.get(`${c.name}\u0000${mode}`) ?? NaN).toFixed(3);
  console.log(
    table(
      ['kernel call', ...modes.map(([m]) => `${m} (ms)`), 'simd / tfjs'],
      list.map((c) => [
        c.name,
        ...modes.map(([m]) => cell(c, m)),
        `${(Number(cell(c, 'simd')) / Number(cell(c, 'tfjs'))).toFixed(2)}x`,
      ]),
    ),
  );
}
