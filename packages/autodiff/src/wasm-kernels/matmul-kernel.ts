import type * as tf from '@tensorflow/tfjs';
import { heapOffset, simdKernels } from './simd-kernels';
import { runOriginal, type KernelArgs, type WasmBackend } from './wasm-kernel-util';

/** Shape and transpose flag each right operand was first multiplied with on XNNPACK, by data id. */
const packedAs = new WeakMap<object, string>();

/**
 * wasm's own BatchMatMul, made safe for operands that share data. XNNPACK keeps the right operand packed in a
 * cache keyed by its data id, not its shape; tensors that share data (wasm's Reshape returns the same data,
 * Identity does too here) would meet the operand packed for another shape (a [1, 128] row after its
 * [128, 1] reshape: wrong products). Such a right operand is copied to a fresh id for the call.
 */
function xnnpackMatMul(args: KernelArgs): tf.TensorInfo {
  const b = args.inputs.b as tf.TensorInfo;
  const signature = `${b.shape.join('x')}${args.attrs?.transposeB === true ? 'T' : ''}`;
  const first = packedAs.get(b.dataId);
  if (first === undefined) packedAs.set(b.dataId, signature);
  if (first === undefined || first === signature) return runOriginal('BatchMatMul', args);
  const backend = args.backend as WasmBackend;
  const copy = backend.makeOutput([...b.shape], b.dtype);
  try {
    // Views after makeOutput: an allocation may grow (and so replace) the wasm heap.
    backend.typedArrayFromHeap(copy).set(backend.typedArrayFromHeap(b));
    return runOriginal('BatchMatMul', { ...args, inputs: { ...args.inputs, b: copy } });
  } finally {
    backend.disposeData(copy.dataId);
  }
}

/**
 * Widest output (N) given to the SIMD module's `gemm_f32`. Measured in one process against XNNPACK with a
 * cached right operand (load ~4, best of 5): it wins at N <= 512 (512x200x200 0.78x, 6144x64x64 0.83x,
 * 1024x1024x512 0.92x, 512x1024x256 0.83x) and loses from N = 1024 (1024x512x1024 1.22x, 2048x256x1024 1.55x,
 * 1024x1024x1024 1.62x: XNNPACK's packed, cache-blocked kernel).
 */
const SIMD_GEMM_MAX_COLUMNS = 512;

/**
 * BatchMatMul on wasm by the SIMD module where it is faster than XNNPACK (measured, `bench/wasm-kernels-micro.ts`):
 * one output column (`matvec_f32`, the last layer of an MLP and its gradients: [6144, 64]·[64, 1] in 0.05 ms
 * against 0.18 ms) and every output width N that is a multiple of 4 up to {@link SIMD_GEMM_MAX_COLUMNS} (`gemm_f32`: two output rows of up to 32
 * columns in registers per pass over a cached block of b's rows; [6144, 64]·[64, 64] in 0.97 ms against
 * 1.26 ms). Single matrices only (leading dimensions 1), a
 * not transposed, b not transposed unless N = 1, float32. Sums run in k order, one product and one add at a
 * time (wasm has no fused multiply-add); XNNPACK's rounding may differ (tested against float64). Everything
 * else, and everything when the SIMD module cannot run, goes to wasm's own kernel (through
 * {@link xnnpackMatMul}).
 */
export function batchMatMulWasm(args: KernelArgs): tf.TensorInfo {
  const a = args.inputs.a as tf.TensorInfo;
  const b = args.inputs.b as tf.TensorInfo;
  const transposeA = args.attrs?.transposeA === true;
  const transposeB = args.attrs?.transposeB === true;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const single = (t: tf.TensorInfo) => t.shape.slice(0, -2).every((d) => d === 1);
  if (
    a.dtype !== 'float32' ||
    b.dtype !== 'float32' ||
    transposeA ||
    ra < 2 ||
    rb < 2 ||
    !single(a) ||
    !single(b)
  ) {
    return xnnpackMatMul(args);
  }
  const [M, K] = a.shape.slice(-2);
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const gemm = !transposeB && N % 4 === 0 && N <= SIMD_GEMM_MAX_COLUMNS;
  if (kb !== K || M * K === 0 || (N !== 1 && !gemm)) return xnnpackMatMul(args);
  const simd = simdKernels(args.backend);
  if (simd === undefined) return xnnpackMatMul(args);
  const backend = args.backend as WasmBackend;
  const outShape = [...(ra >= rb ? a.shape : b.shape).slice(0, -2), M, N];
  const out = backend.makeOutput(outShape, 'float32');
  const [pa, pb, py] = [a, b, out].map((t) => heapOffset(backend, t.dataId));
  if (N === 1) simd.matvec_f32(pa, pb, py, M, K);
  else simd.gemm_f32(pa, pb, py, M, K, N);
  return out;
}
