import * as tf from '@tensorflow/tfjs';
import { batchMatMulWasm } from './matmul-kernel';
import { runOriginal, type KernelArgs } from './wasm-kernel-util';

/** The parts of tfjs-backend-wasm's `BackendWasm` an alias needs: its reference count per data id. */
interface RefCountingBackend {
  incRef(dataId: object): void;
}

/**
 * True when tensors may share data: wasm's BatchMatMul is this package's, which copies a right operand met
 * under a second shape (XNNPACK caches it packed by data id alone). Without it, a shared id can reach
 * XNNPACK as a [1, n] row after its packing as the [n, 1] column it was reshaped from (wrong products), so
 * Identity and Cast copy, as wasm's own kernels do.
 */
export function canShareData(): boolean {
  return tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc === (batchMatMulWasm as unknown);
}

/** `x` as a new output sharing its data (one more reference; freed when the last tensor using it is). */
function aliasOf(x: tf.TensorInfo, backend: unknown): tf.TensorInfo {
  (backend as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/**
 * Identity on wasm as an alias of the input's data, as tfjs's cpu and webgl backends (and wasm's own Reshape)
 * do: tensors never change their data, so two tensors may share it. tfjs-backend-wasm's Identity copies the
 * data; the engine clones every tensor a gradient saves (`saveTensorsForBackwardMode`), 60 clones per HNN
 * training step and ~600 per KdV step. Only while {@link canShareData}, else wasm's own kernel.
 */
export function identityWasm(args: KernelArgs): tf.TensorInfo {
  if (!canShareData()) return runOriginal('Identity', args);
  return aliasOf(args.inputs.x as tf.TensorInfo, args.backend);
}

/**
 * Cast on wasm: to the input's own dtype an alias of its data (see {@link identityWasm}; tfjs's cpu backend
 * does the same), other casts go to wasm's own kernel.
 */
export function castWasm(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  if (args.attrs?.dtype !== x.dtype || x.dtype === 'string' || x.dtype === 'complex64' || !canShareData()) {
    return runOriginal('Cast', args);
  }
  return aliasOf(x, args.backend);
}
