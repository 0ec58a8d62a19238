import * as tf from '@tensorflow/tfjs';

interface TapeNode {
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
}

interface EngineInternals {
  isTapeOn: () => boolean;
  state: { gradientDepth: number; activeTape: TapeNode[] | null };
  runKernelFunc: (params: {
    forwardFunc: (backend: unknown, save: (tensors: tf.Tensor[]) => void) => tf.Tensor[];
    backwardsFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
    inputs: Record<string, tf.Tensor>;
  }) => tf.Tensor | tf.Tensor[];
}

/** What the backward function of a {@link customNode} receives. */
export interface CustomNodeBackward {
  /** One cotangent per output (zeros where the loss does not depend on it). */
  readonly dys: readonly tf.Tensor[];
  /** The tensors `forward` asked to save, in order. */
  readonly saved: readonly tf.Tensor[];
  /**
   * True when this backward pass is itself recorded (a gradient of the gradient is being taken): it must then
   * compute from `saved` only what depends on the inputs (saved tensors that are inputs or were computed from
   * inputs through recorded ops), not from values the forward derived without recording.
   */
  readonly recorded: boolean;
}

/**
 * Runs ONE tape node with several outputs and a hand-written gradient (tfjs's custom-gradient machinery, which
 * `tf.customGrad` exposes for a single output only). `forward` runs unrecorded and returns the outputs and the
 * tensors its gradient needs; `backward` returns a gradient per input name (all inputs).
 *
 * Saved tensors: under one gradient tape (the usual weight gradient) they are kept as zero-copy aliases handed
 * to the tape node, which the engine disposes with its other saved tensors after the backward pass, instead of
 * tfjs's Identity clone per tensor (a full copy on wasm). Under nested tapes (a gradient of this gradient may be
 * taken) they are saved as tfjs does, clones on the tape, so that the backward computation stays differentiable.
 * Without a tape nothing is saved.
 */
export function customNode(node: {
  inputs: Record<string, tf.Tensor>;
  forward: (tapeDepth: number) => { outputs: tf.Tensor[]; save: tf.Tensor[] };
  backward: (at: CustomNodeBackward) => Record<string, tf.Tensor>;
}): tf.Tensor[] {
  const engine = tf.engine() as unknown as EngineInternals;
  const depth = engine.state.gradientDepth;
  let aliases: tf.Tensor[] = [];
  const forwardFunc = (_backend: unknown, save: (tensors: tf.Tensor[]) => void): tf.Tensor[] => {
    const { outputs, save: toSave } = node.forward(depth);
    if (depth > 1) save(toSave);
    else if (depth === 1) aliases = toSave.map((t) => tf.keep(tf.reshape(t, t.shape)));
    return outputs;
  };
  const backwardsFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const grads = node.backward({ dys: Array.isArray(dy) ? dy : [dy], saved, recorded: engine.isTapeOn() });
    const out: Record<string, () => tf.Tensor> = {};
    for (const [name, g] of Object.entries(grads)) out[name] = () => g;
    return out;
  };
  const result = engine.runKernelFunc({ forwardFunc, backwardsFunc, inputs: node.inputs });
  const outs = Array.isArray(result) ? result : [result];
  if (aliases.length > 0) {
    const tape = engine.state.activeTape ?? [];
    let taped: TapeNode | undefined;
    for (let i = tape.length - 1; i >= 0 && taped === undefined; i--) {
      if (outs.length > 0 && tape[i].outputs[0] === outs[0]) taped = tape[i];
    }
    if (taped?.saved === undefined) tf.dispose(aliases);
    else taped.saved.push(...aliases);
  }
  return outs;
}
