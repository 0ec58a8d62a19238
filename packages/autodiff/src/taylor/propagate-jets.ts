import type * as tf from '@tensorflow/tfjs';
import { AutodiffError } from '../errors';
import { TAYLOR_RULE_BY_KERNEL } from './all-taylor-rules';
import { type Jet, type JetLayout, constantJet } from './jet';
import type { RecordedKernel } from './record-kernels';
import { type AnyJet, isLive, isRowJet, rowsToList } from './row-jet';

/**
 * Replays recorded kernels with their Taylor rules: starting from the seed jets (the inputs), every kernel
 * whose inputs all are constant keeps its recorded output as a constant; every other kernel must have a rule
 * and maps its input jets to output jets. Jets seeded in the row layout (`row-jet.ts`) stay in it through rules
 * that have a row form and are converted to the list layout (one Pack per coefficient, once) for the others.
 * Returns the jet of `output` (in either layout).
 *
 * @throws {AutodiffError} `UNSUPPORTED` naming the first kernel on a path from the input that has no rule.
 */
export function propagateJets(
  fn: string,
  recording: { kernels: readonly RecordedKernel[]; seeds: ReadonlyMap<number, AnyJet>; output: tf.Tensor },
  layout: JetLayout,
): AnyJet {
  const { output } = recording;
  const jets = new Map<number, AnyJet>(recording.seeds);
  const lists = new WeakMap<AnyJet, Jet>();
  const listOf = (jet: AnyJet): Jet => {
    if (!isRowJet(jet)) return jet;
    let list = lists.get(jet);
    if (list === undefined) lists.set(jet, (list = rowsToList(jet)));
    return list;
  };
  const untaped = new Set<tf.Tensor>();
  const detached = (primal: tf.Tensor) => untaped.has(primal);
  const jetOf = (id: number, value: tf.Tensor | null): AnyJet => {
    const jet = jets.get(id);
    if (jet !== undefined) return jet;
    if (value === null) throw new Error(`${fn}(): internal error, tensor ${id} was not recorded`);
    return constantJet(value, layout);
  };
  for (const kernel of recording.kernels) {
    if (kernel.nested) for (const o of kernel.outputs) untaped.add(o);
    const inputs: Record<string, AnyJet> = {};
    let live = false;
    for (const [name, { id, value }] of Object.entries(kernel.inputs)) {
      const jet = jetOf(id, value);
      inputs[name] = jet;
      if (isLive(jet)) live = true;
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
    const args = { attrs: kernel.attrs, outputs: kernel.outputs, layout };
    let out: AnyJet[] | null = null;
    if (rule.propagateRows !== undefined && Object.values(inputs).some(isRowJet)) {
      out = rule.propagateRows({ ...args, inputs, detached });
    }
    if (out === null) {
      const listInputs: Record<string, Jet> = {};
      for (const [name, jet] of Object.entries(inputs)) listInputs[name] = listOf(jet);
      out = rule.propagate({ ...args, inputs: listInputs });
    }
    out.forEach((jet, i) => jets.set(kernel.outputIds[i], jet));
  }
  return jets.get(output.id) ?? constantJet(output, layout);
}
