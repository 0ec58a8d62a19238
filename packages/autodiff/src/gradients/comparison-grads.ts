import * as tf from '@tensorflow/tfjs';
import { defineGradient, type GradientSpec } from './gradient-spec';

/**
 * Kernels with a zero derivative almost everywhere that tfjs 4.22 registers no gradient for. Without one, any
 * tape that passes through them (`tf.where(tf.greater(x, 0), a, b)` even at order 1) throws
 * "gradient function not found". Each gets an exact zero (float32) gradient for every input.
 */
const ZERO_GRADIENT_KERNELS = Object.freeze([
  { kernelName: 'Greater', inputs: ['a', 'b'] },
  { kernelName: 'Less', inputs: ['a', 'b'] },
  { kernelName: 'LessEqual', inputs: ['a', 'b'] },
  { kernelName: 'Equal', inputs: ['a', 'b'] },
  { kernelName: 'NotEqual', inputs: ['a', 'b'] },
  { kernelName: 'LogicalAnd', inputs: ['a', 'b'] },
  { kernelName: 'LogicalOr', inputs: ['a', 'b'] },
  { kernelName: 'LogicalXor', inputs: ['a', 'b'] },
  { kernelName: 'LogicalNot', inputs: ['x'] },
] as const);

function zeroGradient(kernelName: string, inputs: readonly string[]): Readonly<GradientSpec> {
  return defineGradient({
    kernelName,
    inputsToSave: [...inputs],
    why: 'tfjs registers no gradient: any tape through a mask built with it throws',
    gradFunc: (_dy, saved) =>
      Object.fromEntries(inputs.map((name, i) => [name, () => tf.zeros(saved[i].shape, 'float32')])),
  });
}

/** Zero-gradient specs for the comparison and logical kernels. */
export const comparisonGrads: readonly Readonly<GradientSpec>[] = Object.freeze(
  ZERO_GRADIENT_KERNELS.map(({ kernelName, inputs }) => zeroGradient(kernelName, inputs)),
);
