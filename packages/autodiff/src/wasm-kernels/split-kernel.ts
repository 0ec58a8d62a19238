import * as tf from '@tensorflow/tfjs';
import { sliceWasm } from './slice-kernel';
import type { KernelArgs } from './wasm-kernel-util';

/**
 * SplitV on wasm: slices by {@link sliceWasm} (wasm's own kernel calls its own Slice, which first copies the
 * whole input out of the heap, once per part).
 */
export function splitVWasm(args: KernelArgs): tf.TensorInfo[] {
  const x = args.inputs.x as tf.TensorInfo;
  const axis = tf.util.parseAxisParam(args.attrs?.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(
    x as unknown as tf.Tensor,
    args.attrs?.numOrSizeSplits as number | number[],
    axis,
  );
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const part = sliceWasm({ inputs: { x }, attrs: { begin: [...begin], size }, backend: args.backend });
    begin[axis] += s;
    return part;
  });
}
