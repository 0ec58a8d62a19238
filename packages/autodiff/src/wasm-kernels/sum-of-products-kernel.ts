import * as tf from '@tensorflow/tfjs';
import { heapOffset, simdKernels } from './simd-kernels';
import type { KernelArgs, WasmBackend } from './wasm-kernel-util';

/** One term of a {@link sumOfProducts}: `c · factors[0] ⊙ factors[1] ⊙ ...`. */
export interface ProductTerm {
  readonly c: number;
  readonly factors: readonly tf.Tensor[];
}

const KERNEL = 'NoetherSumOfProducts';

/** The kernel: inputs `x0, x1, ...` (distinct tensors), attrs `terms` (input indices per term) and `coefs`. */
function sumOfProductsWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const simd = simdKernels(backend);
  if (simd === undefined) throw new Error(`${KERNEL}: the SIMD module is not available`);
  const terms = args.attrs?.terms as number[][];
  const coefs = args.attrs?.coefs as number[];
  const xs = Object.keys(args.inputs).map((_, j) => args.inputs[`x${j}`] as tf.TensorInfo);
  const shape = [...xs[0].shape];
  const n = shape.reduce((a, d) => a * d, 1);
  const length = terms.reduce((a, t) => a + 2 + t.length, 0);
  const desc = backend.makeOutput([length], 'int32');
  const out = backend.makeOutput(shape, 'float32');
  // views after both allocations (an allocation may grow the heap and detach earlier views)
  const words = backend.typedArrayFromHeap(desc) as Int32Array;
  const floats = new Float32Array(words.buffer, words.byteOffset, words.length);
  const offsets = xs.map((x) => heapOffset(backend, x.dataId));
  let at = 0;
  terms.forEach((t, j) => {
    words[at] = t.length;
    floats[at + 1] = coefs[j];
    t.forEach((x, q) => (words[at + 2 + q] = offsets[x]));
    at += 2 + t.length;
  });
  simd.sum_of_products_f32(
    heapOffset(backend, desc.dataId),
    terms.length,
    heapOffset(backend, out.dataId),
    n,
  );
  backend.disposeData(desc.dataId);
  return out;
}

/**
 * `Σ_t c_t · Π factors_t` in ONE pass of the SIMD module (`sum_of_products_f32` in `wasm/kernels.c`), instead
 * of a Multiply per factor, a scaling and an Add per term (each a full memory pass); `undefined` when that
 * cannot run (another backend, no SIMD module, an empty sum, factors of different shapes or not float32), and
 * the caller takes its tf path. Not differentiable: for computations no tape records (a custom node's forward,
 * its backward when not itself recorded). Values match the tf path to float32 rounding (order of operations).
 */
export function sumOfProducts(terms: readonly ProductTerm[]): tf.Tensor | undefined {
  if (terms.length === 0 || tf.getBackend() !== 'wasm') return undefined;
  if (simdKernels(tf.backend()) === undefined) return undefined;
  const first = terms[0].factors[0];
  const inputs: tf.Tensor[] = [];
  const index = new Map<tf.Tensor, number>();
  const ids: number[][] = [];
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
    ids.push(row);
  }
  if (tf.getKernel(KERNEL, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc: sumOfProductsWasm as never });
  }
  const named: Record<string, tf.Tensor> = {};
  inputs.forEach((t, j) => (named[`x${j}`] = t));
  const attrs = { terms: ids, coefs: terms.map((t) => t.c) } as unknown as tf.NamedAttrMap;
  return tf.engine().runKernel(KERNEL, named, attrs) as tf.Tensor;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
