import * as tf from '@tensorflow/tfjs';

/**
 * tfjs 4.22 saves tensors for the backward pass by cloning them, and records each clone on the tape BEFORE
 * the node that produced the cloned output. When a gradient uses a saved OUTPUT, the tape therefore sees the
 * copy as unrelated to the node's inputs, and nested gradients lose that path (they throw "Cannot compute
 * gradient" or silently drop terms). Registered kernels are fixed by input-saving gradients
 * (`register-gradients.ts`); custom-gradient ops (`tf.logSoftmax`, user `tf.customGrad` code that saves its
 * output) cannot be re-registered, so this patch moves each new tape node in front of the clones of its own
 * outputs, restoring topological order. It changes no values; it only makes saved outputs differentiable.
 */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
}
interface EngineInternals {
  state: { activeTape: TapeNode[] | null };
  addTapeNode: (...args: unknown[]) => void;
  [PATCH]?: (...args: unknown[]) => void;
}
const PATCH = Symbol.for('@noether/autodiff/tape-order-fix');

function engineInternals(): EngineInternals {
  return tf.engine() as unknown as EngineInternals;
}

/** True when `node` is an Identity clone whose single input is one of `outputIds`. */
function isCloneOf(node: TapeNode, outputIds: ReadonlySet<number>): boolean {
  const keys = Object.keys(node.inputs);
  return keys.length === 1 && keys[0] === 'x' && node.outputs.length === 1 && outputIds.has(node.inputs.x.id);
}

/** Installs the tape-order fix on the tfjs engine (idempotent). */
export function installTapeOrderFix(): void {
  const engine = engineInternals();
  if (engine[PATCH] !== undefined) return;
  const original = engine.addTapeNode;
  engine[PATCH] = original;
  engine.addTapeNode = function patchedAddTapeNode(this: EngineInternals, ...args: unknown[]) {
    original.apply(this, args);
    const tape = this.state.activeTape;
    if (tape === null || tape.length < 2) return;
    const node = tape[tape.length - 1];
    const outputIds = new Set(node.outputs.map((o) => o.id));
    let at = tape.length - 1;
    while (at > 0 && isCloneOf(tape[at - 1], outputIds)) at--;
    if (at < tape.length - 1) {
      tape.pop();
      tape.splice(at, 0, node);
    }
  };
}

/** Removes the tape-order fix (used only to benchmark against tfjs's own behaviour). */
export function uninstallTapeOrderFix(): void {
  const engine = engineInternals();
  const original = engine[PATCH];
  if (original === undefined) return;
  engine.addTapeNode = original;
  delete engine[PATCH];
}
