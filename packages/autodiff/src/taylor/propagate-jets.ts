import type * as tf from '@tensorflow/tfjs';
import { AutodiffError } from '../errors';
import { TAYLOR_RULE_BY_KERNEL } from './all-taylor-rules';
import { type Jet, type JetLayout, constantJet, isConstant } from './jet';
import type { RecordedKernel } from './record-kernels';

/**
 * Replays recorded kernels with their Taylor rules: starting from the seed jets (the inputs), every kernel
 * whose inputs all are constant keeps its recorded output as a constant; every other kernel must have a rule
 * and maps its input jets to output jets. Returns the jet of `output`.
 *
 * @throws {AutodiffError} `UNSUPPORTED` naming the first kernel on a path from the input that has no rule.
 */
export function propagateJets(
  fn: string,
  recording: { kernels: readonly RecordedKernel[]; seeds: ReadonlyMap<number, Jet>; output: tf.Tensor },
  layout: JetLayout,
): Jet {
  const { output } = recording;
  const jets = new Map<number, Jet>(recording.seeds);
  const jetOf = (id: number, value: tf.Tensor | null): Jet => {
    const jet = jets.get(id);
    if (jet !== undefined) return jet;
    if (value === null) throw new Error(`${fn}(): internal error, tensor ${id} was not recorded`);
    return constantJet(value, layout);
  };
  for (const kernel of recording.kernels) {
    const inputs: Record<string, Jet> = {};
    let live = false;
    for (const [name, { id, value }] of Object.entries(kernel.inputs)) {
      const jet = jetOf(id, value);
      inputs[name] = jet;
      if (!isConstant(jet)) live = true;
    }
    if (!live) {
      kernel.outputs.forEach((o, i) => jets.set(kernel.outputIds[i], constantJet(o, layout)));
      continue;
    }
    const rule = TAYLOR_RULE_BY_KERNEL.get(kernel.kernelName);
    if (rule === undefined) {
      throw new AutodiffError(
        'UNSUPPORTED',
        `${fn}(): kernel '${kernel.kernelName}' has no Taylor rule (it lies on a path from x to f(x)); use the reverse-mode transforms for this function`,
      );
    }
    const out = rule.propagate({ inputs, attrs: kernel.attrs, outputs: kernel.outputs, layout });
    out.forEach((jet, i) => jets.set(kernel.outputIds[i], jet));
  }
  return jets.get(output.id) ?? constantJet(output, layout);
}
