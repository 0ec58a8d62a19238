import * as tf from '@tensorflow/tfjs';
import { invalid } from './errors';

/** Trajectories `[count, states, dim]`, row-major float64 (the shape `@noether/datasets` generates). */
export interface TrajectorySet {
  x: Float64Array;
  shape: readonly [count: number, states: number, dim: number];
}

/**
 * The one-step transitions `(x_k, x_{k+1})` of every trajectory, as the `{ x, y }` float32 tensors
 * `[count · (states − 1), dim]` that {@link razorLoss} trains on. The caller owns (and disposes) both.
 *
 * @throws RazorError `INVALID_ARGUMENT` when the shape is not three positive integers with at least two
 *   states, or does not match the length of `x`.
 * @example
 * ```ts
 * const traj = generateTrajectories(harmonicOscillator(), { count: 7, samples: 5, sampleDt: 0.2, seed: 3 });
 * const data = transitionPairs(traj); // data.x, data.y: [28, 2]
 * ```
 */
export function transitionPairs(trajectories: TrajectorySet): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const fn = 'transitionPairs';
  const shape = trajectories?.shape as unknown;
  if (
    !Array.isArray(shape) ||
    shape.length !== 3 ||
    !shape.every((d) => Number.isInteger(d) && d > 0) ||
    (shape[1] as number) < 2
  )
    invalid([fn, 'trajectories.shape'], '[count, states >= 2, dim] of positive integers', shape);
  const [count, states, dim] = shape as [number, number, number];
  if (!(trajectories.x instanceof Float64Array) || trajectories.x.length !== count * states * dim)
    invalid([fn, 'trajectories.x'], `a Float64Array of length ${count * states * dim}`, trajectories.x);
  const n = count * (states - 1);
  const x = new Float32Array(n * dim);
  const y = new Float32Array(n * dim);
  let r = 0;
  for (let c = 0; c < count; c++)
    for (let k = 0; k + 1 < states; k++, r++) {
      const at = (c * states + k) * dim;
      x.set(trajectories.x.subarray(at, at + dim), r * dim);
      y.set(trajectories.x.subarray(at + dim, at + 2 * dim), r * dim);
    }
  return { x: tf.tensor2d(x, [n, dim]), y: tf.tensor2d(y, [n, dim]) };
}
