import type * as tf from '@tensorflow/tfjs';
import { heapOffset, simdKernels } from './simd-kernels';
import { runOriginal, type KernelArgs, type WasmBackend } from './wasm-kernel-util';

/** The reduced axes as non-negative integers, in the order given (it sets wasm's order of additions). */
function axesOf(axis: unknown, rank: number): number[] {
  const list = axis === null || axis === undefined ? [...Array(rank).keys()] : [axis].flat();
  return (list as number[]).map((a) => (a < 0 ? a + rank : a));
}

/**
 * Sum on wasm over leading axes (`[0, ..., k-1]`, k < rank), the reduction of a broadcast bias gradient:
 * accumulated row by row over the wasm heap. wasm's own kernel transposes the input first so that the axes
 * are innermost (a [512, 200] -> [200] sum: 0.55 ms, of which the transpose is most), then adds each output's
 * terms in order in float32; the same additions in the same order are done here, 4 columns per SIMD add in
 * the SIMD module (`sum_rows_f32` in `wasm/kernels.c`) or, where it cannot run, in a Float32Array (a float64
 * add of two float32 values rounded to float32 is the float32 add), so the values are identical, bit for bit.
 * Other reductions (and leading axes given out of order, which wasm adds in another order) and dtypes go to
 * wasm's own kernel.
 */
export function sumWasm(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const rank = x.shape.length;
  const axes = axesOf(args.attrs?.axis, rank);
  const k = axes.length;
  const leading = k > 0 && k < rank && axes.every((a, i) => a === i);
  const size = x.shape.reduce((n, d) => n * d, 1);
  if (!leading || x.dtype !== 'float32' || size === 0) return runOriginal('Sum', args);
  const backend = args.backend as WasmBackend;
  const inner = x.shape.slice(k).reduce((n, d) => n * d, 1);
  const outShape = args.attrs?.keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k);
  const out = backend.makeOutput(outShape, 'float32');
  const simd = simdKernels(backend);
  if (simd !== undefined) {
    simd.sum_rows_f32(heapOffset(backend, x.dataId), heapOffset(backend, out.dataId), size / inner, inner);
    return out;
  }
  // Views after makeOutput: an allocation may grow (and so replace) the wasm heap.
  const src = backend.typedArrayFromHeap(x);
  const acc = backend.typedArrayFromHeap(out);
  acc.fill(0);
  for (let row = 0; row < size; row += inner) for (let j = 0; j < inner; j++) acc[j] += src[row + j];
  return out;
}
