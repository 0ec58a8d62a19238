import * as tf from '@tensorflow/tfjs';
import { AutodiffError } from '../../errors';
import { type Jet, composeBilinear, isConstant, lift } from '../jet';
import { defineTaylorRule } from '../taylor-rule';
import { eluTaylor } from './elu-taylor';
import { fullCoef } from './linear-util';
import { matMulTerm, rowMatMul } from './mat-mul-term';
import { isLive } from '../row-jet';
import { reluTaylor } from './relu-taylor';
import { sigmoidTaylor } from './sigmoid-taylor';

const ACTIVATIONS = { relu: reluTaylor, elu: eluTaylor, sigmoid: sigmoidTaylor } as const;

/**
 * `tf.fused.matMul` (what tfjs-layers' Dense uses): z = a @ b + bias, y = activation(z). Split into the
 * matMul jet, the bias sum and the activation's own rule (linear, relu, elu, sigmoid).
 */
export const fusedMatMulTaylor = defineTaylorRule({
  kernelName: '_FusedMatMul',
  propagate: ({ inputs, attrs, outputs, layout }) => {
    const activation = (attrs.activation as string | undefined) ?? 'linear';
    const rule = activation === 'linear' ? null : ACTIVATIONS[activation as keyof typeof ACTIVATIONS];
    if (rule === undefined) {
      throw new AutodiffError(
        'UNSUPPORTED',
        `taylor(): kernel '_FusedMatMul' with activation '${activation}' has no Taylor rule`,
      );
    }
    const transpose = { a: attrs.transposeA === true, b: attrs.transposeB === true };
    const bias: Jet | undefined = inputs.bias;
    let z0 = outputs[0];
    if (rule !== null) {
      z0 = tf.matMul(inputs.a.primal, inputs.b.primal, transpose.a, transpose.b);
      if (bias !== undefined) z0 = tf.add(z0, bias.primal);
    }
    const product = composeBilinear(layout, { a: inputs.a, b: inputs.b, primal: z0 }, (p, q) =>
      matMulTerm([p, q], transpose),
    );
    const z: Jet =
      bias === undefined || isConstant(bias)
        ? product
        : {
            primal: z0,
            coeffs: product.coeffs.map((c, i) => {
              const bk = bias.coeffs[i];
              if (bk === null) return c;
              const shape = z0.shape;
              return c === null
                ? fullCoef({ layout, k: i + 1 }, bk, shape)
                : tf.add(c, lift(bk, shape.length));
            }),
          };
    if (rule === null) return [z];
    return rule.propagate({
      inputs: { x: z },
      attrs: {},
      outputs: [outputs[0]],
      layout,
    });
  },
  propagateRows: ({ inputs, attrs, outputs, layout, detached }) => {
    const activation = (attrs.activation as string | undefined) ?? 'linear';
    const rule = activation === 'linear' ? null : ACTIVATIONS[activation as keyof typeof ACTIVATIONS];
    const bias: Jet | undefined = inputs.bias as Jet | undefined;
    if (rule === undefined || (bias !== undefined && isLive(bias))) return null;
    const transpose = { a: attrs.transposeA === true, b: attrs.transposeB === true };
    const rows = rowMatMul({ a: inputs.a, b: inputs.b, transposeA: transpose.a, transposeB: transpose.b });
    if (rows === null) return null;
    if (rule === null) return [{ primal: outputs[0], rows }];
    let z0 = tf.matMul(inputs.a.primal, inputs.b.primal, transpose.a, transpose.b);
    if (bias !== undefined) z0 = tf.add(z0, bias.primal);
    return (rule.propagateRows ?? (() => null))({
      inputs: { x: { primal: z0, rows } },
      attrs: {},
      outputs: [outputs[0]],
      layout,
      detached,
    });
  },
});
