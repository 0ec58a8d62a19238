import type * as tf from '@tensorflow/tfjs';
import { runOriginal, type KernelArgs } from './wasm-kernel-util';

/** The parts of tfjs-backend-wasm's `BackendWasm` an alias needs: its reference count per data id. */
interface RefCountingBackend {
  incRef(dataId: object): void;
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
 * training step and ~600 per KdV step.
 */
export function identityWasm(args: KernelArgs): tf.TensorInfo {
  return aliasOf(args.inputs.x as tf.TensorInfo, args.backend);
}

/**
 * Cast on wasm: to the input's own dtype an alias of its data (see {@link identityWasm}; tfjs's cpu backend
 * does the same), other casts go to wasm's own kernel.
 */
export function castWasm(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  if (args.attrs?.dtype !== x.dtype || x.dtype === 'string' || x.dtype === 'complex64') {
    return runOriginal('Cast', args);
  }
  return aliasOf(x, args.backend);
}
