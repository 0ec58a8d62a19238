import * as tf from '@tensorflow/tfjs';
import { fastPaths } from './fast-paths';
import { alias, INPUT_SHAPES, SHAPES_ONLY } from './gradients/grad-util';

/**
 * tfjs 4.22 saves tensors for the backward pass by cloning them, and records each clone on the tape BEFORE
 * the node that produced the cloned output. When a gradient uses a saved OUTPUT, the tape therefore sees the
 * copy as unrelated to the node's inputs, and nested gradients lose that path (they throw "Cannot compute
 * gradient" or silently drop terms). Registered kernels are fixed by input-saving gradients
 * (`register-gradients.ts`); custom-gradient ops (`tf.logSoftmax`, user `tf.customGrad` code that saves its
 * output) cannot be re-registered, so this patch moves each new tape node in front of the clones of its own
 * outputs, restoring topological order. It changes no values; it only makes saved outputs differentiable.
 *
 * Two cheap extras, also value-preserving: nodes whose registered gradient is marked {@link SHAPES_ONLY}
 * (Add, Sub, Sum, Mean, Reshape, Concat: they need their inputs' shapes, not values) get those shapes in
 * their `attrs`, so they save (clone) no tensors; and the gradient of a saved clone is an alias of `dy`
 * instead of tfjs's float32-to-float32 `Cast` kernel.
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

type GradFunc = (dy: tf.Tensor) => { x: () => tf.Tensor };
/** The gradient of a tape clone (`engine.clone`, used to save tensors): `dy`, aliased. */
const cloneGradient: GradFunc = (dy) => ({ x: () => alias(dy) });

/**
 * `addTapeNode(kernelName, inputs, outputs, gradientsFunc, saved, attrs)` arguments with the extras above: input
 * shapes for shapes-only gradients, the cheaper clone gradient. Clones are the only nodes tfjs adds with a
 * gradient function and a single input named `x` (kernels carry no function; custom-gradient ops number
 * their inputs).
 */
function withExtras(args: unknown[]): unknown[] {
  const [kernelName, inputs, , gradientsFunc, , attrs] = args as [
    string,
    Record<string, tf.Tensor>,
    unknown,
    unknown,
    unknown,
    Record<string | symbol, unknown> | undefined,
  ];
  if (typeof gradientsFunc === 'function') {
    if (!fastPaths.leanGradients) return args;
    const keys = Object.keys(inputs);
    if (keys.length !== 1 || keys[0] !== 'x') return args;
    const out = [...args];
    out[3] = cloneGradient;
    return out;
  }
  const config = tf.getGradient(kernelName) as (tf.GradConfig & { [SHAPES_ONLY]?: boolean }) | undefined;
  if (config?.[SHAPES_ONLY] !== true) return args;
  const shapes: Record<string, number[]> = {};
  for (const key of Object.keys(inputs)) shapes[key] = inputs[key].shape;
  const out = [...args];
  out[5] = { ...attrs, [INPUT_SHAPES]: shapes };
  return out;
}

/** Installs the tape-order fix on the tfjs engine (idempotent). */
export function installTapeOrderFix(): void {
  const engine = engineInternals();
  if (engine[PATCH] !== undefined) return;
  const original = engine.addTapeNode;
  engine[PATCH] = original;
  engine.addTapeNode = function patchedAddTapeNode(this: EngineInternals, ...args: unknown[]) {
    original.apply(this, withExtras(args));
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
