import * as tf from '@tensorflow/tfjs';
import { customNode } from './custom-node';

/** One top-level kernel call seen while recording: what ran, on what, and what it produced. */
export interface RecordedKernel {
  /** The tfjs kernel name, or `customGrad(<scope>)` for a custom-gradient op seen as one opaque kernel. */
  readonly kernelName: string;
  /**
   * The inputs by kernel input name: `id` links the graph; `value` is, for a tensor that no recorded kernel
   * produced (weights, constants, x), the tensor itself when it is a `tf.Variable` (alive as long as the caller
   * keeps it) and otherwise a kept alias (see `alias`), since tfjs disposes an op's converted constants when
   * the op returns; `null` for the output of an earlier recorded kernel. `owned`: the recording disposes it.
   */
  readonly inputs: Readonly<Record<string, { id: number; value: tf.Tensor | null; owned: boolean }>>;
  readonly attrs: Readonly<Record<string, unknown>>;
  /** The original output tensors (their ids link the graph). */
  readonly outputIds: readonly number[];
  /** Kept aliases of the outputs (the primals of the replay); dispose with {@link disposeRecording}. */
  readonly outputs: readonly tf.Tensor[];
  /**
   * True for a kernel run inside a custom-gradient op's forward function: its outputs' aliases were made while
   * the engine does not record, so they are not on a gradient tape (nothing may differentiate through them).
   */
  readonly nested: boolean;
}

interface KernelParams {
  kernelName?: string;
  inputs: Record<string, tf.Tensor>;
  attrs?: Record<string, unknown>;
}
interface EngineInternals {
  state: { kernelDepth: number; activeScope: { name: string } | null };
  runKernelFunc: (params: KernelParams) => tf.Tensor | tf.Tensor[];
}

/**
 * Runs `run()` once and records every top-level tfjs kernel it executes (kernels a kernel runs internally
 * are not separate entries; a `tf.customGrad` op is recorded as the kernels its forward function runs), with kept aliases of their outputs, so the
 * computation can be replayed with Taylor rules. Anything else `run` does (other tapes, tidy scopes) is
 * unaffected; an enclosing gradient tape still records the original kernels.
 */
export function recordKernels<T>(run: () => T): { result: T; kernels: RecordedKernel[] } {
  const engine = tf.engine() as unknown as EngineInternals;
  const kernels: RecordedKernel[] = [];
  const ownDescriptor = Object.getOwnPropertyDescriptor(engine, 'runKernelFunc');
  const original = engine.runKernelFunc;
  const produced = new Set<number>();
  let busy = false;
  let recordDepth = 0;
  const push = (call: {
    kernelName: string;
    given: Record<string, tf.Tensor>;
    list: tf.Tensor[];
    attrs?: Record<string, unknown>;
  }) => {
    const { kernelName, given, list, attrs = {} } = call;
    busy = true;
    try {
      const inputs: Record<string, { id: number; value: tf.Tensor | null; owned: boolean }> = {};
      for (const [name, t] of Object.entries(given)) {
        if (t === null || t === undefined) continue;
        if (produced.has(t.id)) inputs[name] = { id: t.id, value: null, owned: false };
        else if (t instanceof tf.Variable) inputs[name] = { id: t.id, value: t, owned: false };
        else inputs[name] = { id: t.id, value: tf.keep(alias(t)), owned: true };
      }
      list.forEach((t) => produced.add(t.id));
      const nested = recordDepth > 0;
      kernels.push({
        kernelName,
        inputs,
        attrs: { ...attrs },
        outputIds: list.map((t) => t.id),
        outputs: list.map((t) => tf.keep(alias(t))),
        nested,
      });
    } finally {
      busy = false;
    }
  };
  engine.runKernelFunc = function recordingRunKernelFunc(this: EngineInternals, params: KernelParams) {
    const depth = this.state.kernelDepth;
    if (busy || depth !== recordDepth) return original.call(this, params);
    if (params.kernelName === undefined) {
      // A tf.customGrad op (tf.fused.matMul outside a tape, logSoftmax, ...): record the kernels its forward
      // function runs instead, so the rules see the actual computation. When an output does not come from a
      // recorded kernel (the forward made it from data), the op is recorded as one opaque kernel, which has
      // no rule: an error if it depends on x, never a silently dropped derivative.
      const scope = this.state.activeScope?.name ?? '';
      recordDepth = depth + 1;
      let out: tf.Tensor | tf.Tensor[];
      try {
        out = original.call(this, params);
      } finally {
        recordDepth = depth;
      }
      const list = Array.isArray(out) ? out : [out];
      if (list.some((t) => !produced.has(t.id)))
        push({ kernelName: `customGrad(${scope})`, given: params.inputs, list });
      return out;
    }
    const out = original.call(this, params);
    push({
      kernelName: params.kernelName,
      given: params.inputs,
      list: Array.isArray(out) ? out : [out],
      attrs: params.attrs,
    });
    return out;
  };
  try {
    return { result: run(), kernels };
  } catch (error) {
    disposeRecording(kernels);
    throw error;
  } finally {
    if (ownDescriptor === undefined) delete (engine as Partial<EngineInternals>).runKernelFunc;
    else Object.defineProperty(engine, 'runKernelFunc', ownDescriptor);
  }
}

/**
 * A reference to `t` that survives the recorded function's tidy scopes and explicit disposals (tfjs-layers'
 * executor disposes intermediate activations as soon as they are consumed): a same-shape reshape, which shares
 * `t`'s data on every backend (a clone is an Identity kernel, a full copy on wasm), made as a tape node of its
 * own with the identity gradient and nothing saved ({@link customNode}), so weight gradients flow through the
 * replay's primals without the Reshape gradient's saved clone of `t`.
 */
function alias(t: tf.Tensor): tf.Tensor {
  return customNode({
    inputs: { x: t },
    forward: () => ({ outputs: [tf.reshape(t, t.shape)], save: [] }),
    backward: ({ dys }) => ({ x: dys[0] }),
  })[0];
}

/** Disposes the kept aliases of a recording. */
export function disposeRecording(kernels: readonly RecordedKernel[]): void {
  for (const k of kernels) {
    for (const t of k.outputs) t.dispose();
    for (const input of Object.values(k.inputs)) if (input.owned) input.value?.dispose();
  }
}
