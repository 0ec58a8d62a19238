import * as tf from '@tensorflow/tfjs';
import { heapOffset, simdKernels } from './simd-kernels';
import type { KernelArgs, WasmBackend } from './wasm-kernel-util';

/** One term of a sum of products: `c · factors[0] ⊙ factors[1] ⊙ ...`. */
export interface ProductTerm {
  readonly c: number;
  readonly factors: readonly tf.Tensor[];
}

const KERNEL = 'NoetherSumsOfProducts';

/** The kernel: inputs `x0, x1, ...` (distinct tensors), attrs `sums` (per output, per term: input indices), `coefs`. */
function sumsOfProductsWasm(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const simd = simdKernels(backend);
  if (simd === undefined) throw new Error(`${KERNEL}: the SIMD module is not available`);
  const sums = args.attrs?.sums as number[][][];
  const coefs = args.attrs?.coefs as number[][];
  const xs = Object.keys(args.inputs).map((_, j) => args.inputs[`x${j}`] as tf.TensorInfo);
  const shape = [...xs[0].shape];
  const n = shape.reduce((a, d) => a * d, 1);
  const length = sums.reduce((a, terms) => terms.reduce((b, t) => b + 2 + t.length, a + 2), 0);
  const desc = backend.makeOutput([length], 'int32');
  const outs = sums.map(() => backend.makeOutput(shape, 'float32'));
  // views after every allocation (an allocation may grow the heap and detach earlier views)
  const words = backend.typedArrayFromHeap(desc) as Int32Array;
  const floats = new Float32Array(words.buffer, words.byteOffset, words.length);
  const offsets = xs.map((x) => heapOffset(backend, x.dataId));
  let at = 0;
  sums.forEach((terms, o) => {
    words[at] = heapOffset(backend, outs[o].dataId);
    words[at + 1] = terms.length;
    at += 2;
    terms.forEach((t, j) => {
      words[at] = t.length;
      floats[at + 1] = coefs[o][j];
      t.forEach((x, q) => (words[at + 2 + q] = offsets[x]));
      at += 2 + t.length;
    });
  });
  simd.sums_of_products_f32(heapOffset(backend, desc.dataId), sums.length, n);
  backend.disposeData(desc.dataId);
  return outs;
}

/**
 * Several sums `Σ_t c_t · Π factors_t` (one output each) in ONE pass of the SIMD module
 * (`sums_of_products_f32` in `wasm/kernels.c`): each distinct input is read once for all outputs, instead of
 * a Multiply per factor, a scaling and an Add per term (each a full memory pass). `undefined` when that cannot
 * run (another backend, no SIMD module, an empty sum, factors of different shapes or not float32); the caller
 * then takes its tf path. Not differentiable: for computations no tape records (a custom node's forward, its
 * backward when not itself recorded). Values match the tf path to float32 rounding (order of operations).
 */
export function sumsOfProducts(sums: readonly (readonly ProductTerm[])[]): tf.Tensor[] | undefined {
  if (sums.length === 0 || tf.getBackend() !== 'wasm') return undefined;
  if (simdKernels(tf.backend()) === undefined) return undefined;
  const first = sums[0][0]?.factors[0];
  if (first === undefined) return undefined;
  const inputs: tf.Tensor[] = [];
  const index = new Map<tf.Tensor, number>();
  const ids: number[][][] = [];
  for (const terms of sums) {
    if (terms.length === 0) return undefined;
    const out: number[][] = [];
    for (const { factors } of terms) {
      if (factors.length === 0) return undefined;
      const row: number[] = [];
      for (const f of factors) {
        if (f.dtype !== 'float32' || f.size === 0 || !sameShape(f.shape, first.shape)) return undefined;
        let j = index.get(f);
        if (j === undefined) {
          index.set(f, (j = inputs.length));
          inputs.push(f);
        }
        row.push(j);
      }
      out.push(row);
    }
    ids.push(out);
  }
  if (tf.getKernel(KERNEL, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc: sumsOfProductsWasm as never });
  }
  const named: Record<string, tf.Tensor> = {};
  inputs.forEach((t, j) => (named[`x${j}`] = t));
  const attrs = {
    sums: ids,
    coefs: sums.map((terms) => terms.map((t) => t.c)),
  } as unknown as tf.NamedAttrMap;
  const result = tf.engine().runKernel(KERNEL, named, attrs);
  return Array.isArray(result) ? (result as tf.Tensor[]) : [result as tf.Tensor];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
