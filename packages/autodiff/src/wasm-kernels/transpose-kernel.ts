import type * as tf from '@tensorflow/tfjs';
import { heapOffset, simdKernels, type SimdKernels } from './simd-kernels';
import { runOriginal, type KernelArgs, type WasmBackend } from './wasm-kernel-util';

/** Tile edge of the blocked copy (16 x 16, measured fastest of 8/16/64 on the aliasing shapes). */
const BLOCK = 16;

/**
 * wasm's own Transpose is fast (a 200x200 float32 matrix in 0.015 ms) except when the output's rows are a
 * multiple of 1 KiB apart, i.e. the input has a multiple of 256 rows: then its writes alias in the cache
 * (512x200: 0.46 ms, 1024x64: 0.41 ms, 6144x64: 3.1 ms, against 0.12, 0.08 and 0.52 ms here).
 */
const ALIASING_ROWS = 256;

/** True when `perm` keeps the leading axes and swaps the last two. */
function swapsLastTwo(perm: readonly number[]): boolean {
  const r = perm.length;
  if (r < 2 || perm[r - 2] !== r - 1 || perm[r - 1] !== r - 2) return false;
  for (let i = 0; i < r - 2; i++) if (perm[i] !== i) return false;
  return true;
}

/**
 * The last two axes of `x` (32-bit elements) swapped by the SIMD module (`transpose_32` in `wasm/kernels.c`:
 * 32 x 32 tiles of 4 x 4 SIMD blocks), a copy of the bits.
 */
function transposeSimd(simd: SimdKernels, x: tf.TensorInfo, backend: WasmBackend): tf.TensorInfo {
  const [rows, cols] = x.shape.slice(-2);
  const out = backend.makeOutput([...x.shape.slice(0, -2), cols, rows], x.dtype);
  const batch = x.shape.slice(0, -2).reduce((n, d) => n * d, 1);
  if (batch * rows * cols > 0) {
    simd.transpose_32(heapOffset(backend, x.dataId), heapOffset(backend, out.dataId), batch, rows, cols);
  }
  return out;
}

/**
 * Transpose on wasm for the permutation every matMul gradient needs, swapping the last two axes: by the SIMD
 * module ({@link transposeSimd}) or, where it cannot run on the backend's heap, where wasm's own kernel is slow (see {@link ALIASING_ROWS}, e.g. the 512 x hidden activations of an HNN batch): a copy in
 * 16 x 16 tiles over the wasm heap. Other shapes (batches of matrices, fewer than 16 columns; wasm is as
 * fast or faster there), permutations and dtypes go to wasm's own kernel.
 */
export function transposeWasm(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const perm = (args.attrs?.perm ?? []) as number[];
  const r = x.shape.length;
  const bits32 = x.dtype === 'float32' || x.dtype === 'int32';
  const simd = bits32 && swapsLastTwo(perm) ? simdKernels(args.backend) : undefined;
  if (simd !== undefined) return transposeSimd(simd, x, args.backend as WasmBackend);
  const isMatrix = x.shape.slice(0, -2).every((d) => d === 1);
  if (
    !swapsLastTwo(perm) ||
    !isMatrix ||
    (x.dtype !== 'float32' && x.dtype !== 'int32') ||
    x.shape[r - 2] % ALIASING_ROWS !== 0 ||
    x.shape[r - 1] < BLOCK
  ) {
    return runOriginal('Transpose', args);
  }
  const backend = args.backend as WasmBackend;
  const rows = x.shape[r - 2];
  const cols = x.shape[r - 1];
  const outShape = [...x.shape.slice(0, -2), cols, rows];
  const out = backend.makeOutput(outShape, x.dtype);
  // Views after makeOutput: an allocation may grow (and so replace) the wasm heap.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  // Never share the input's buffer even when the order of elements is unchanged (a row or column): wasm's
  // matMul caches its packed right operand by buffer id alone, so one buffer seen with two shapes corrupts it.
  if (rows === 1 || cols === 1) {
    dst.set(src);
    return out;
  }
  const plane = rows * cols;
  for (let offset = 0; offset < src.length; offset += plane) {
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const j1 = Math.min(j0 + BLOCK, cols);
      for (let i0 = 0; i0 < rows; i0 += BLOCK) {
        const i1 = Math.min(i0 + BLOCK, rows);
        for (let j = j0; j < j1; j++) {
          const to = offset + j * rows;
          for (let i = i0; i < i1; i++) dst[to + i] = src[offset + i * cols + j];
        }
      }
    }
  }
  return out;
}
