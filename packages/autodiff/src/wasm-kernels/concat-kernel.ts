import * as tf from '@tensorflow/tfjs';
import { canShareData, identityWasm } from './identity-kernel';
import { runOriginal, type KernelArgs, type WasmBackend } from './wasm-kernel-util';

/** Runs shorter than this are copied element by element (a typed-array `set` per run costs more). */
const SHORT_RUN = 32;

/**
 * Writes the inputs one after another in each of `batch` rows of the output: row b of the output is row b of
 * input 0 (`inner[0]` elements), then row b of input 1, ... (a concatenation along an axis, the leading axes
 * collapsed to `batch` and the others to `inner`).
 */
function interleave(
  backend: WasmBackend,
  { inputs, inner }: { inputs: readonly tf.TensorInfo[]; inner: readonly number[] },
  out: tf.TensorInfo,
): void {
  // Views after makeOutput: an allocation may grow (and so replace) the wasm heap.
  const dst = backend.typedArrayFromHeap(out);
  const rowLength = inner.reduce((a, b) => a + b, 0);
  const batch = dst.length / rowLength;
  let offset = 0;
  inputs.forEach((input, k) => {
    const src = backend.typedArrayFromHeap(input);
    const n = inner[k];
    if (batch === 1) dst.set(src, offset);
    else if (n >= SHORT_RUN) {
      for (let b = 0; b < batch; b++) dst.set(src.subarray(b * n, b * n + n), b * rowLength + offset);
    } else {
      for (let b = 0, from = 0, to = offset; b < batch; b++, to += rowLength) {
        for (let i = 0; i < n; i++) dst[to + i] = src[from++];
      }
    }
    offset += n;
  });
}

/**
 * Concat on wasm: wasm's own kernel copies each row of each input with a typed-array `set` on a fresh
 * `subarray`, e.g. 0.7 ms to stack nine [1024] vectors into [1024, 9] (the per-row Hessian's Pack); short
 * rows are copied element by element here. A single non-empty input is shared (as {@link identityWasm}) or
 * copied.
 * The same elements, bit for bit; strings and complex numbers go to wasm's own kernel.
 */
export function concatWasm(args: KernelArgs): tf.TensorInfo {
  const inputs = Object.values(args.inputs) as tf.TensorInfo[];
  const dtype = inputs[0].dtype;
  if (dtype === 'string' || dtype === 'complex64') return runOriginal('Concat', args);
  const axis = tf.util.parseAxisParam(args.attrs?.axis as number, inputs[0].shape)[0];
  const shapes = inputs.map((t) => t.shape);
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const outShape = tf.backend_util.computeOutShape(shapes, axis);
  const nonEmpty = inputs.filter((t) => t.shape.every((d) => d > 0));
  if (nonEmpty.length === 1 && canShareData()) {
    const alias = identityWasm({ inputs: { x: nonEmpty[0] }, backend: args.backend });
    return { ...alias, shape: outShape };
  }
  const backend = args.backend as WasmBackend;
  const out = backend.makeOutput(outShape, dtype);
  if (nonEmpty.length === 0) return out;
  const inner = nonEmpty.map((t) => t.shape.slice(axis).reduce((a, b) => a * b, 1));
  interleave(backend, { inputs: nonEmpty, inner }, out);
  return out;
}

/**
 * Pack (tf.stack) on wasm: the inputs' elements interleaved along the new axis, as {@link concatWasm} does
 * (wasm's own kernel reshapes each input and concatenates them with its Concat).
 */
export function packWasm(args: KernelArgs): tf.TensorInfo {
  const inputs = Object.values(args.inputs) as tf.TensorInfo[];
  const dtype = inputs[0].dtype;
  if (inputs.length === 1 || dtype === 'string' || dtype === 'complex64') return runOriginal('Pack', args);
  const shape = inputs[0].shape;
  inputs.forEach((t) => {
    tf.util.assertShapesMatch(shape, t.shape, 'All tensors passed to stack must have matching shapes');
    tf.util.assert(dtype === t.dtype, () => 'All tensors passed to stack must have matching dtypes');
  });
  const axis = tf.util.parseAxisParam(args.attrs?.axis as number, [...shape, 1])[0];
  const outShape = [...shape.slice(0, axis), inputs.length, ...shape.slice(axis)];
  const backend = args.backend as WasmBackend;
  const out = backend.makeOutput(outShape, dtype);
  if (outShape.some((d) => d === 0)) return out;
  const inner = shape.slice(axis).reduce((a, b) => a * b, 1);
  interleave(backend, { inputs, inner: inputs.map(() => inner) }, out);
  return out;
}
